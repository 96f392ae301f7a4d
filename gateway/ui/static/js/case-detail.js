// One case: its details, timeline and actions.

import { getLang, t } from '../i18n.js';
import { api, ApiError, problemBox, tracker } from './api.js';
import {
  announce,
  badge,
  can,
  caseStatusBadge,
  cityName,
  delegationStatusBadge,
  field,
  fill,
  fmtDateTime,
  h,
  label,
} from './dom.js';
import { handleError } from './layout.js';
import { showMessage, summaryText } from './message.js';
import { platformAnswersTable } from './platform-answers.js';
import { materialsEditor } from './materials-editor.js';
import { dl, markInvalid, materialsList, slaCell, table } from './widgets.js';

// ---------------------------------------------------------------- case detail

export function caseDetailView(r) {
  const id = r.id;
  const h1 = h('h1', {}, t('app.loading'));
  const summary = h('div');
  const warnings = h('div');
  const delegations = h('div');
  const supplyBox = h('div');
  const records = h('div');
  const materials = h('div');
  const timeline = h('div');
  const platform = h('section', { class: 'platform' });
  const errorBox = h('div');
  const changed = tracker();
  let supplyKey = null;

  const withdrawReason = h('textarea', { name: 'reason', rows: '2', maxlength: '2000' });
  const withdrawErr = h('div');
  const withdraw = h(
    'details',
    { class: 'withdraw', hidden: true },
    h('summary', {}, t('case.withdraw')),
    h(
      'form',
      {
        onsubmit: async (ev) => {
          ev.preventDefault();
          withdrawErr.replaceChildren();
          try {
            const reason = withdrawReason.value.trim();
            await api(`cases/${encodeURIComponent(id)}/withdrawal`, {
              method: 'POST',
              json: reason ? { reason } : {},
            });
            announce(t('case.withdrawn'));
            withdraw.open = false;
            changed.reset();
            await view.refresh();
          } catch (e) {
            if (!(e instanceof ApiError)) throw e;
            if (e.status === 401 || e.status === 403) handleError(e, view);
            else fill(withdrawErr, problemBox(e));
          }
        },
      },
      field(t('case.withdrawReason'), withdrawReason),
      h('button', { type: 'submit', class: 'danger' }, t('case.withdrawConfirm')),
      withdrawErr,
    ),
  );

  function renderSupply(c) {
    const open = can('cases:write')
      ? c.delegations.filter((d) => d.status === 'materials_requested')
      : [];
    const key = open.map((d) => `${d.id}:${d.seq}`).join(',');
    if (key === supplyKey) return;
    supplyKey = key;
    fill(
      supplyBox,
      ...open.map((d) => {
        const mat = materialsEditor('/materials', 'fulfilment_proof');
        const note = h('textarea', {
          name: 'note',
          rows: '2',
          maxlength: '2000',
          'data-pointer': '/note',
        });
        const err = h('div');
        const form = h(
          'form',
          {
            class: 'card',
            onsubmit: async (ev) => {
              ev.preventDefault();
              err.replaceChildren();
              try {
                await api(`delegations/${encodeURIComponent(d.id)}/materials`, {
                  method: 'POST',
                  json: {
                    materials: mat.read(),
                    ...(note.value.trim() ? { note: note.value.trim() } : {}),
                  },
                });
                announce(t('case.supplied'));
                changed.reset();
                await view.refresh();
              } catch (e) {
                if (!(e instanceof ApiError)) throw e;
                if (e.status === 401 || e.status === 403) return void handleError(e, view);
                fill(err, problemBox(e, form));
                markInvalid(form, e.problem);
              }
            },
          },
          h(
            'fieldset',
            {},
            h('legend', {}, t('case.supplyFor', { city: cityName(d.penalisingCity) })),
            d.materialsRequested?.length
              ? h(
                  'ul',
                  { class: 'requested' },
                  d.materialsRequested.map((x) => h('li', {}, x)),
                )
              : null,
            mat.node,
            field(t('field.note'), note),
          ),
          h('button', { type: 'submit', class: 'primary' }, t('case.supply')),
          err,
        );
        return form;
      }),
    );
  }

  function render(c) {
    h1.textContent = c.companyName;
    document.title = `${c.companyName} · ${t('app.title')}`;
    fill(
      summary,
      dl([
        [t('field.uscc'), h('code', {}, c.uscc)],
        [t('field.status'), caseStatusBadge(c.status)],
        [t('field.overdue'), c.overdue ? badge(t('sla.overdue'), 'overdue') : t('no')],
        [t('field.registrationCity'), cityName(c.registrationCity)],
        [
          t('field.applicant'),
          c.applicant ? `${c.applicant.name} · ${label('applicantRole', c.applicant.role)}` : '—',
        ],
        [t('field.createdAt'), fmtDateTime(c.createdAt)],
        [t('field.updatedAt'), fmtDateTime(c.updatedAt)],
        [t('field.rulesVersion'), c.rulesVersion],
      ]),
    );
    fill(
      warnings,
      c.warnings?.length
        ? h(
            'div',
            { class: 'notice' },
            h('strong', {}, t('case.warnings')),
            h(
              'ul',
              {},
              c.warnings.map((w) => h('li', {}, w)),
            ),
          )
        : '',
    );
    withdraw.hidden = !(can('cases:write') && ['open', 'action_required'].includes(c.status));
    fill(
      delegations,
      table(
        t('case.delegations'),
        [t('field.penalisingCity'), t('field.status'), t('field.decisionDue'), t('field.reason')],
        c.delegations.map((d) => [
          h('span', { 'data-city': d.penalisingCity }, cityName(d.penalisingCity)),
          delegationStatusBadge(d.status),
          slaCell(d.sla, d.status),
          h(
            'div',
            {},
            d.reason ? h('p', {}, d.reason) : null,
            d.materialsRequested?.length
              ? h(
                  'div',
                  {},
                  h('span', { class: 'muted' }, `${t('field.materialsRequested')}: `),
                  d.materialsRequested.join(t('list.sep2')),
                )
              : null,
            d.syncTargets?.length
              ? h(
                  'div',
                  {},
                  h('span', { class: 'muted' }, `${t('field.syncTargets')}: `),
                  d.syncTargets.map((s) => label('sync', s)).join(t('list.sep')),
                )
              : null,
            !d.reason && !d.materialsRequested?.length && !d.syncTargets?.length ? '—' : null,
          ),
        ]),
        { className: 'delegations' },
      ),
    );
    renderSupply(c);
    fill(
      records,
      table(
        t('case.records'),
        [
          t('field.issuingCity'),
          t('field.decisionNo'),
          t('field.authority'),
          t('field.decisionDate'),
          t('field.outcome'),
        ],
        c.records.map(({ record: rec, assessment: a }) => [
          cityName(rec.issuingCity),
          rec.decisionNo,
          rec.authority,
          rec.decisionDate,
          h(
            'div',
            {},
            badge(label('outcome', a.outcome), `oc-${a.outcome}`),
            h('p', { class: 'small' }, getLang() === 'zh' ? (a.reasonZh ?? a.reason) : a.reason),
          ),
        ]),
      ),
    );
    fill(materials, materialsList(c.materials));
    const answers = platformAnswersTable(c.platformAnswers);
    fill(
      platform,
      answers && [
        h('h2', {}, t('case.platformAnswers')),
        h('p', { class: 'muted small' }, t('case.platformHint')),
        answers,
      ],
    );
    fill(
      timeline,
      c.timeline?.length
        ? h(
            'ol',
            { class: 'timeline' },
            c.timeline.map((e) => timelineItem(e)),
          )
        : h('p', { class: 'empty' }, t('case.noTimeline')),
    );
  }

  function timelineItem(e) {
    const v = e.verification ?? {};
    const opener = h(
      'button',
      {
        type: 'button',
        class: 'link',
        'data-message': e.messageId,
        onclick: () => void showMessage(e.messageId, opener),
      },
      t('case.raw'),
    );
    return h(
      'li',
      { class: e.verified ? 'ok' : 'pending', 'data-type': e.type },
      h('time', { datetime: e.at }, fmtDateTime(e.at)),
      h(
        'div',
        { class: 'what' },
        h(
          'span',
          { class: `dir dir-${e.direction}` },
          e.direction === 'out' ? t('case.out') : t('case.in'),
        ),
        ' ',
        h('strong', {}, label('msg', e.type)),
        ' ',
        h('span', { class: 'muted' }, `${cityName(e.from)} → ${cityName(e.to)}`),
        e.summary ? h('span', {}, ` · ${summaryText(e.summary)}`) : null,
        typeof e.ledgerIndex === 'number'
          ? h('span', { class: 'muted' }, ` · ${t('case.ledgerIndex', { n: e.ledgerIndex })}`)
          : null,
      ),
      h(
        'div',
        { class: 'verify' },
        e.verified
          ? badge(`✓ ${t('case.verified')}`, 'verified', v.detail)
          : h(
              'span',
              {},
              badge(t('case.notVerified'), 'unverified'),
              v.detail ? h('span', { class: 'small muted' }, ` ${v.detail}`) : null,
            ),
        ' ',
        opener,
      ),
    );
  }

  const view = {
    title: t('cases.title'),
    errorBox,
    node: h(
      'section',
      {},
      h('p', {}, h('a', { href: '#/cases' }, t('case.back'))),
      h('div', { class: 'titlebar' }, h1),
      errorBox,
      summary,
      warnings,
      withdraw,
      h('h2', {}, t('case.delegations')),
      delegations,
      supplyBox,
      h('h2', {}, t('case.timeline')),
      h('p', { class: 'muted small' }, t('case.timelineHint')),
      timeline,
      platform,
      h('h2', {}, t('case.records')),
      records,
      h('h2', {}, t('case.materials')),
      materials,
    ),
    async refresh() {
      const res = await api(`cases/${encodeURIComponent(id)}`);
      if (changed(res.text)) render(res.data);
    },
  };
  return view;
}
