// Filing a case.

import { getLang, t } from '../i18n.js';
import { api, ApiError, problemBox } from './api.js';
import { APPLICANT_ROLES } from './config.js';
import { announce, badge, field, fill, fmtDue, h, label, select } from './dom.js';
import { handleError } from './layout.js';
import { penaltyLookup } from './penalty-lookup.js';
import { recordFieldset } from './record-fieldset.js';
import { materialsEditor } from './materials-editor.js';
import { markInvalid, rowList } from './widgets.js';

// ---------------------------------------------------------------- file a case

export function newCaseView() {
  const uscc = h('input', {
    name: 'uscc',
    type: 'text',
    maxlength: '18',
    autocomplete: 'off',
    spellcheck: 'false',
    class: 'mono',
    required: true,
    'data-pointer': '/company/uscc',
  });
  const company = h('input', {
    name: 'companyName',
    type: 'text',
    maxlength: '200',
    required: true,
    'data-pointer': '/company/name',
  });
  const applicant = h('input', {
    name: 'applicantName',
    type: 'text',
    maxlength: '100',
    required: true,
    'data-pointer': '/applicant/name',
  });
  const applicantRole = select(
    'applicantRole',
    APPLICANT_ROLES.map((r) => [r, label('applicantRole', r)]),
    'agent',
    { 'data-pointer': '/applicant/role' },
  );
  const idNumber = h('input', {
    name: 'idNumber',
    type: 'text',
    maxlength: '18',
    autocomplete: 'off',
    class: 'mono',
    'data-pointer': '/applicant/idNumber',
  });
  const phone = h('input', {
    name: 'phone',
    type: 'tel',
    maxlength: '30',
    'data-pointer': '/applicant/phone',
  });
  const materials = materialsEditor('/materials', 'commitment_letter');
  const recordsBox = h('div');
  const records = rowList(recordsBox, recordFieldset);
  const addRecord = () => records.add();
  const errorBox = h('div');
  const precheckBox = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('new.submit'));

  addRecord();
  const usccValue = () => uscc.value.trim().toUpperCase();

  // A record from a city's answer goes into the first blank fieldset, else a new one.
  const lookup = penaltyLookup({
    readUscc: usccValue,
    onAdd(record) {
      const rec = records.rows.find((r) => r.isBlank()) ?? addRecord();
      rec.set(record);
      announce(t('lookup.filled', { n: records.rows.indexOf(rec) + 1, no: record.decisionNo }));
    },
    onAuthError: (e) => handleError(e, view),
  });

  function body() {
    const opt = (el) => (el.value.trim() ? el.value.trim() : undefined);
    return {
      company: { uscc: usccValue(), name: company.value.trim() },
      applicant: {
        name: applicant.value.trim(),
        role: applicantRole.value,
        ...(opt(idNumber) ? { idNumber: opt(idNumber).toUpperCase() } : {}),
        ...(opt(phone) ? { phone: opt(phone) } : {}),
      },
      materials: materials.read(),
      records: records.rows.map((rec) => rec.read()),
    };
  }

  async function precheck() {
    precheckBox.replaceChildren();
    errorBox.replaceChildren();
    try {
      const b = body();
      const res = (
        await api('eligibility', {
          method: 'POST',
          json: { uscc: b.company.uscc || undefined, records: b.records },
        })
      ).data;
      fill(
        precheckBox,
        h(
          'div',
          { class: 'card' },
          h('h2', {}, t('new.precheckTitle', { version: res.rulesVersion })),
          h(
            'ol',
            { class: 'plain' },
            res.records.map((a, i) =>
              h(
                'li',
                {},
                h('strong', {}, `${t('new.record', { n: i + 1 })}: `),
                badge(label('outcome', a.outcome), `oc-${a.outcome}`),
                ' ',
                getLang() === 'zh' ? (a.reasonZh ?? a.reason) : a.reason,
                a.citySla?.decisionDue
                  ? h(
                      'span',
                      { class: 'muted' },
                      ` · ${t('field.decisionDue')} ${fmtDue(a.citySla.decisionDue)}`,
                    )
                  : null,
              ),
            ),
          ),
          res.filingAllowed === false ? h('p', { class: 'notice' }, t('new.filingBlocked')) : null,
        ),
      );
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.status === 401 || e.status === 403) return void handleError(e, view);
      fill(errorBox, problemBox(e, form));
      markInvalid(form, e.problem);
    }
  }

  const form = h(
    'form',
    {
      novalidate: true,
      class: 'new-case',
      onsubmit: async (ev) => {
        ev.preventDefault();
        errorBox.replaceChildren();
        submit.disabled = true;
        submit.textContent = t('new.submitting');
        try {
          const c = (await api('cases', { method: 'POST', json: body() })).data;
          announce(t('new.filed', { n: c.delegations.length }));
          location.hash = `#/cases/${encodeURIComponent(c.id)}`;
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          if (e.status === 401 || e.status === 403) return void handleError(e, view);
          fill(errorBox, problemBox(e, form));
          markInvalid(form, e.problem);
        } finally {
          submit.disabled = false;
          submit.textContent = t('new.submit');
        }
      },
    },
    h(
      'fieldset',
      {},
      h('legend', {}, t('new.company')),
      h(
        'div',
        { class: 'grid' },
        field(t('field.uscc'), uscc),
        field(t('field.companyName'), company),
      ),
      h('div', { class: 'actions' }, lookup.button),
      lookup.node,
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, t('new.applicant')),
      h(
        'div',
        { class: 'grid' },
        field(t('field.applicantName'), applicant),
        field(t('field.applicantRole'), applicantRole),
        field(t('field.idNumber'), idNumber),
        field(t('field.phone'), phone),
      ),
    ),
    h('fieldset', {}, h('legend', {}, t('new.material')), materials.node),
    recordsBox,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', onclick: () => addRecord().focus() }, t('new.addRecord')),
      h('button', { type: 'button', onclick: () => void precheck() }, t('new.precheck')),
    ),
    precheckBox,
    errorBox,
    h('div', { class: 'actions' }, submit),
  );

  const view = {
    title: t('new.title'),
    errorBox,
    node: h(
      'section',
      {},
      h('h1', {}, t('new.title')),
      h('p', { class: 'muted' }, t('new.intro')),
      form,
    ),
  };
  return view;
}
