// The inbox of delegations received from other cities, and one item of it.

import { t } from '../i18n.js';
import { api, ApiError, problemBox, tracker } from './api.js';
import { DEFAULT_SYNC, DELEGATION_STATUSES, state, SYNC_TARGETS } from './config.js';
import {
  announce,
  can,
  cityName,
  delegationStatusBadge,
  field,
  fill,
  fmtDateTime,
  h,
  label,
  uid,
} from './dom.js';
import { handleError } from './layout.js';
import {
  dl,
  markInvalid,
  materialsList,
  recordCells,
  slaCell,
  statusFilter,
  table,
} from './widgets.js';

// ---------------------------------------------------------------- inbox

export function inboxView(r) {
  const status = r.query.get('status') ?? '';
  const form = statusFilter(
    [['', t('any')], ...DELEGATION_STATUSES.map((s) => [s, label('status.del', s)])],
    status,
    (v) => (v ? `#/inbox?status=${v}` : '#/inbox'),
  );
  const listBox = h('div');
  const errorBox = h('div');
  const changed = tracker();
  const view = {
    title: t('inbox.title'),
    errorBox,
    node: h(
      'section',
      {},
      h('h1', {}, t('inbox.title')),
      h('p', { class: 'muted' }, t('inbox.intro')),
      form,
      errorBox,
      listBox,
    ),
    async refresh() {
      const res = await api(`inbox${status ? `?status=${encodeURIComponent(status)}` : ''}`);
      if (!changed(res.text)) return;
      const items = res.data.items;
      fill(
        listBox,
        table(
          t('inbox.title'),
          [
            t('field.companyName'),
            t('field.uscc'),
            t('field.registrationCity'),
            t('field.status'),
            t('field.receivedAt'),
            t('field.decisionDue'),
          ],
          items.map((i) => [
            h('a', { href: `#/inbox/${encodeURIComponent(i.id)}` }, i.company.name),
            h('code', {}, i.company.uscc),
            cityName(i.registrationCity),
            delegationStatusBadge(i.status),
            fmtDateTime(i.receivedAt),
            slaCell(i.sla, i.status),
          ]),
          { empty: t('inbox.empty'), className: 'inbox' },
        ),
      );
    },
  };
  return view;
}

export function inboxItemView(r) {
  const id = r.id;
  const h1 = h('h1', {}, t('app.loading'));
  const summary = h('div');
  const records = h('div');
  const materials = h('div');
  const decideBox = h('div');
  const errorBox = h('div');
  const changed = tracker();
  let formKey = null;

  function render(item) {
    h1.textContent = item.company.name;
    document.title = `${item.company.name} · ${t('inbox.title')} · ${t('app.title')}`;
    fill(
      summary,
      dl([
        [t('field.uscc'), h('code', {}, item.company.uscc)],
        [t('field.status'), delegationStatusBadge(item.status)],
        [t('field.registrationCity'), cityName(item.registrationCity)],
        [t('field.receivedAt'), fmtDateTime(item.receivedAt)],
        [t('field.decisionDue'), slaCell(item.sla, item.status)],
        item.reason ? [t('field.reason'), item.reason] : null,
        item.materialsRequested?.length
          ? [
              t('inbox.history'),
              h(
                'ul',
                { class: 'plain' },
                item.materialsRequested.map((m) => h('li', {}, m)),
              ),
            ]
          : null,
        item.syncTargets?.length
          ? [
              t('field.syncTargets'),
              item.syncTargets.map((s) => label('sync', s)).join(t('list.sep')),
            ]
          : null,
        [t('field.updatedAt'), fmtDateTime(item.updatedAt)],
      ]),
    );
    fill(
      records,
      table(
        t('field.records'),
        [
          t('field.issuingCity'),
          t('field.decisionNo'),
          t('field.authority'),
          t('field.decisionDate'),
          `${t('field.sector')} · ${t('field.measure')} · ${t('field.severity')}`,
        ],
        item.records.map(recordCells),
      ),
    );
    fill(materials, materialsList(item.materials));
    const actions = item.allowedActions ?? [];
    const key = `${item.status}|${actions.join(',')}|${can('inbox:decide')}`;
    if (key !== formKey) {
      formKey = key;
      fill(decideBox, decisionForm(item, actions));
    }
  }

  function decisionForm(item, actions) {
    if (!can('inbox:decide')) {
      return h(
        'p',
        { class: 'notice', 'data-state': 'read-only' },
        t('inbox.readOnly', { role: label('role', state.me.role) }),
      );
    }
    if (!actions.length) return h('p', { class: 'muted' }, t('inbox.noActions'));
    const headingId = uid('decide');
    const name = uid('action');
    const reason = h('textarea', {
      name: 'reason',
      rows: '3',
      maxlength: '2000',
      'data-pointer': '/reason',
    });
    const requested = h('textarea', {
      name: 'materialsRequested',
      rows: '3',
      'data-pointer': '/materialsRequested',
    });
    const reasonField = field(t('field.reason'), reason, t('inbox.reasonHint'));
    const requestedField = field(
      t('field.materialsRequested'),
      requested,
      t('inbox.materialsHint'),
    );
    const syncBoxes = SYNC_TARGETS.map((s) =>
      h('input', {
        type: 'checkbox',
        name: 'syncTargets',
        value: s,
        checked: DEFAULT_SYNC.includes(s),
      }),
    );
    const syncField = h(
      'fieldset',
      { 'data-pointer': '/syncTargets' },
      h('legend', {}, t('field.syncTargets')),
      syncBoxes.map((cb) =>
        h(
          'div',
          { class: 'check' },
          cb,
          h('label', { for: (cb.id = uid()) }, label('sync', cb.value)),
        ),
      ),
    );
    const radios = actions.map((a) =>
      h('input', { type: 'radio', name, value: a, required: true, 'data-pointer': '/action' }),
    );
    const err = h('div');
    const submit = h('button', { type: 'submit', class: 'primary' }, t('inbox.submit'));
    const picked = () => radios.find((x) => x.checked)?.value;
    const sync = () => {
      const a = picked();
      requestedField.hidden = a !== 'request_materials';
      syncField.hidden = a !== 'mark_repaired';
    };
    for (const rd of radios) rd.addEventListener('change', sync);
    sync();
    const form = h(
      'form',
      {
        class: 'card decide',
        'aria-labelledby': headingId,
        onsubmit: async (ev) => {
          ev.preventDefault();
          err.replaceChildren();
          const action = picked();
          if (!action) {
            radios[0]?.focus();
            fill(
              err,
              problemBox({ problem: { detail: `${t('inbox.action')}?`, pointer: '/action' } }),
            );
            return;
          }
          const body = { action };
          if (reason.value.trim()) body.reason = reason.value.trim();
          if (action === 'request_materials') {
            const list = requested.value
              .split('\n')
              .map((s) => s.trim())
              .filter(Boolean);
            if (list.length) body.materialsRequested = list;
          }
          if (action === 'mark_repaired') {
            const list = syncBoxes.filter((b) => b.checked).map((b) => b.value);
            if (list.length) body.syncTargets = list;
          }
          submit.disabled = true;
          try {
            const res = await api(`inbox/${encodeURIComponent(id)}/decision`, {
              method: 'POST',
              json: body,
            });
            announce(t('inbox.decided', { action: label('action', action) }));
            changed(res.text);
            render(res.data);
            decideBox.querySelector('input, textarea, button')?.focus();
          } catch (e) {
            if (!(e instanceof ApiError)) throw e;
            if (e.status === 401 || e.status === 403) return void handleError(e, view);
            fill(err, problemBox(e, form));
            markInvalid(form, e.problem);
          } finally {
            submit.disabled = false;
          }
        },
      },
      h('h2', { id: headingId }, t('inbox.decide')),
      h(
        'fieldset',
        { class: 'actions-choice' },
        h('legend', {}, t('inbox.action')),
        radios.map((rd) =>
          h(
            'div',
            { class: 'check' },
            rd,
            h('label', { for: (rd.id = uid()) }, label('action', rd.value)),
          ),
        ),
      ),
      reasonField,
      requestedField,
      syncField,
      submit,
      err,
    );
    return form;
  }

  const view = {
    title: t('inbox.title'),
    errorBox,
    node: h(
      'section',
      {},
      h('p', {}, h('a', { href: '#/inbox' }, t('inbox.back'))),
      h1,
      errorBox,
      summary,
      decideBox,
      h('h2', {}, t('field.records')),
      records,
      h('h2', {}, t('field.materials')),
      materials,
    ),
    async refresh() {
      const res = await api(`inbox/${encodeURIComponent(id)}`);
      if (changed(res.text)) render(res.data);
    },
  };
  return view;
}
