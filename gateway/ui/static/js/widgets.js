// Pieces shared by the views: tables, definition lists, SLA cells, materials lists, invalid fields.

import { t } from '../i18n.js';
import { pointedField } from './api.js';
import { badge, cityName, field, fmtDue, h, label, select } from './dom.js';

// ---------------------------------------------------------------- shared pieces

/** The one-select status filter above the inbox and deliveries lists. */
export function statusFilter(options, current, hashFor) {
  const statusSel = select('status', options, current);
  return h(
    'form',
    {
      class: 'filters',
      role: 'search',
      'aria-label': t('cases.filters'),
      onsubmit: (ev) => {
        ev.preventDefault();
        location.hash = hashFor(statusSel.value);
      },
    },
    field(t('field.status'), statusSel),
    h(
      'div',
      { class: 'field buttons' },
      h('button', { type: 'submit', class: 'primary' }, t('cases.apply')),
    ),
  );
}

export function table(caption, headers, rows, { empty, className } = {}) {
  if (!rows.length) return h('p', { class: 'empty' }, empty ?? '—');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: className },
      h('caption', { class: 'sr-only' }, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headers.map((x) => h('th', { scope: 'col' }, x)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((cells) =>
          h(
            'tr',
            {},
            cells.map((c) => h('td', {}, c)),
          ),
        ),
      ),
    ),
  );
}

export function dl(pairs) {
  return h(
    'dl',
    { class: 'facts' },
    pairs.filter(Boolean).map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v ?? '—'))),
  );
}

/** The SLA cell: countdown in working days, an overdue badge, or why the clock is not running. */
export function slaCell(sla, status) {
  if (!sla)
    return h('span', { class: 'muted' }, status === 'submitted' ? t('sla.notStarted') : '—');
  const due = `${t('sla.due', { date: fmtDue(sla.decisionDue) })}${sla.provisional ? t('sla.provisional') : ''}`;
  if (sla.overdue) {
    return h(
      'span',
      { class: 'sla' },
      badge(t('sla.overdue'), 'overdue'),
      ' ',
      h('span', { class: 'muted' }, due),
    );
  }
  if (typeof sla.workingDaysLeft === 'number') {
    const left =
      sla.workingDaysLeft <= 0 ? t('sla.dueToday') : t('sla.left', { n: sla.workingDaysLeft });
    return h(
      'span',
      { class: 'sla' },
      h('strong', { class: sla.workingDaysLeft <= 1 ? 'soon' : '' }, left),
      ' ',
      h('span', { class: 'muted' }, due),
    );
  }
  return h(
    'span',
    { class: 'sla muted' },
    t('sla.stopped'),
    ' · ',
    t('sla.due', { date: fmtDue(sla.decisionDue) }),
  );
}

export function materialsList(materials) {
  if (!materials?.length) return h('p', { class: 'empty' }, '—');
  return h(
    'ul',
    { class: 'plain' },
    materials.map((m) =>
      h(
        'li',
        {},
        h('strong', {}, label('material', m.kind)),
        ' · ',
        m.fileName,
        ' ',
        h('code', { class: 'digest', title: m.sha256 }, `sha256:${m.sha256.slice(0, 12)}…`),
      ),
    ),
  );
}

export function recordCells(r) {
  return [
    `${cityName(r.issuingCity)}`,
    r.decisionNo,
    r.authority,
    r.decisionDate,
    `${label('sector', r.sector)} · ${(r.measures ?? []).map((m) => label('measure', m.type)).join(t('list.sep'))} · ${label('severity', r.severity)}`,
  ];
}

/**
 * Fieldsets the officer adds and removes (penalty records, materials) in `box`. `make(onRemove,
 * …args)` builds one row: `{ node, focus(), setIndex(i, count) }`. Removing one renumbers the
 * rest (legends, buttons, problem pointers) and focuses the first.
 */
export function rowList(box, make) {
  const rows = [];
  const renumber = () => rows.forEach((r, i) => r.setIndex(i, rows.length));
  return {
    rows,
    add(...args) {
      const row = make(
        () => {
          rows.splice(rows.indexOf(row), 1);
          row.node.remove();
          renumber();
          rows[0]?.focus();
        },
        ...args,
      );
      rows.push(row);
      box.append(row.node);
      renumber();
      return row;
    },
  };
}

/** Mark the fields a problem's pointer (and its errors[]) name; focus the first. */
export function markInvalid(form, problem) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const pointers = [problem?.pointer, ...(problem?.errors ?? []).map((e) => e.pointer)].filter(
    Boolean,
  );
  let first = null;
  for (const p of pointers) {
    const el = pointedField(form, p);
    if (el) {
      el.setAttribute('aria-invalid', 'true');
      first ??= el;
    }
  }
  first?.focus();
}
