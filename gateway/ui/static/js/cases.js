// The case list.

import { t } from '../i18n.js';
import { api, ApiError, request, tracker } from './api.js';
import { CASE_STATUSES, PAGE_SIZE, state } from './config.js';
import {
  announce,
  badge,
  can,
  caseStatusBadge,
  cityName,
  cityOptions,
  field,
  fill,
  fmtDateTime,
  h,
  label,
  select,
} from './dom.js';
import { handleError } from './layout.js';
import { table } from './widgets.js';

// ---------------------------------------------------------------- case list

export function casesView(r) {
  const q = r.query;
  const f = {
    status: q.get('status') ?? '',
    penalisingCity: q.get('penalisingCity') ?? '',
    overdue: q.get('overdue') ?? '',
    q: q.get('q') ?? '',
    page: Math.max(1, Number(q.get('page') ?? 1) || 1),
  };
  const hashFor = (over) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...f, page: 1, ...over })) {
      if (v && !(k === 'page' && Number(v) === 1)) p.set(k, String(v));
    }
    const s = p.toString();
    return `#/cases${s ? `?${s}` : ''}`;
  };

  const statusSel = select(
    'status',
    [['', t('any')], ...CASE_STATUSES.map((s) => [s, label('status.case', s)])],
    f.status,
  );
  const citySel = select('penalisingCity', [['', t('any')], ...cityOptions()], f.penalisingCity);
  const overdueSel = select(
    'overdue',
    [
      ['', t('any')],
      ['true', t('yes')],
      ['false', t('no')],
    ],
    f.overdue,
  );
  const search = h('input', { type: 'search', name: 'q', value: f.q, maxlength: '100' });
  const form = h(
    'form',
    {
      class: 'filters',
      role: 'search',
      'aria-label': t('cases.filters'),
      onsubmit: (ev) => {
        ev.preventDefault();
        location.hash = hashFor({
          status: statusSel.value,
          penalisingCity: citySel.value,
          overdue: overdueSel.value,
          q: search.value.trim(),
        });
      },
    },
    field(t('field.status'), statusSel),
    field(t('field.penalisingCity'), citySel),
    field(t('field.overdue'), overdueSel),
    field(t('field.search'), search),
    h(
      'div',
      { class: 'field buttons' },
      h('button', { type: 'submit', class: 'primary' }, t('cases.apply')),
      h('a', { href: '#/cases', class: 'button' }, t('cases.reset')),
    ),
  );

  const exportBtn = can('cases:export')
    ? h(
        'button',
        {
          type: 'button',
          onclick: async () => {
            const p = new URLSearchParams();
            if (f.status) p.set('status', f.status);
            if (f.q) p.set('q', f.q);
            try {
              const res = await request(`cases/export.csv${p.toString() ? `?${p}` : ''}`);
              const blob = await res.blob();
              const cd = res.headers.get('content-disposition') ?? '';
              const name =
                /filename="?([^";]+)"?/.exec(cd)?.[1] ?? `tongban-cases-${state.me.city}.csv`;
              const a = h('a', { href: URL.createObjectURL(blob), download: name, hidden: true });
              document.body.append(a);
              a.click();
              setTimeout(() => {
                URL.revokeObjectURL(a.href);
                a.remove();
              }, 1000);
              announce(t('cases.exported', { file: name }));
            } catch (e) {
              if (e instanceof ApiError) handleError(e, view);
              else throw e;
            }
          },
        },
        t('cases.export'),
      )
    : null;

  const countsBox = h('ul', { class: 'counts', 'aria-label': t('cases.counts') });
  const listBox = h('div', { 'aria-live': 'off' });
  const pager = h('nav', { class: 'pager', 'aria-label': t('cases.paging') });
  const errorBox = h('div');
  const changed = tracker();

  function render(list) {
    const total = Object.values(list.counts ?? {}).reduce((a, b) => a + b, 0);
    fill(
      countsBox,
      ...[
        ['', t('any'), total],
        ...CASE_STATUSES.map((s) => [s, label('status.case', s), list.counts?.[s] ?? 0]),
      ].map(([s, text, n]) =>
        h(
          'li',
          {},
          h(
            'a',
            {
              href: hashFor({ status: s }),
              class: `count st-${s || 'all'}`,
              'aria-current': f.status === s ? 'true' : null,
              'data-status': s || 'all',
            },
            h('span', {}, text),
            ' ',
            h('strong', {}, String(n)),
          ),
        ),
      ),
    );
    fill(
      listBox,
      list.items.length
        ? table(
            t('cases.list'),
            [
              t('field.companyName'),
              t('field.uscc'),
              t('field.status'),
              t('field.penalisingCities'),
              t('field.overdue'),
              t('field.updatedAt'),
            ],
            list.items.map((c) => [
              h('a', { href: `#/cases/${encodeURIComponent(c.id)}` }, c.companyName),
              h('code', {}, c.uscc),
              caseStatusBadge(c.status),
              (c.penalisingCities ?? []).map(cityName).join(t('list.sep')),
              c.overdue ? badge(t('sla.overdue'), 'overdue') : h('span', { class: 'muted' }, '—'),
              fmtDateTime(c.updatedAt),
            ]),
            { className: 'cases' },
          )
        : h(
            'div',
            { class: 'empty' },
            h('p', {}, t('cases.empty')),
            can('cases:write') ? h('a', { href: '#/new' }, t('cases.emptyNew')) : null,
          ),
    );
    const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
    fill(
      pager,
      f.page > 1
        ? h('a', { href: hashFor({ page: f.page - 1 }), rel: 'prev' }, t('cases.prev'))
        : null,
      h('span', {}, t('cases.page', { page: list.page, pages, total: list.total })),
      f.page < pages
        ? h('a', { href: hashFor({ page: f.page + 1 }), rel: 'next' }, t('cases.next'))
        : null,
    );
  }

  const view = {
    title: t('cases.title'),
    errorBox,
    node: h(
      'section',
      {},
      h('div', { class: 'titlebar' }, h('h1', {}, t('cases.title')), exportBtn),
      countsBox,
      form,
      errorBox,
      listBox,
      pager,
    ),
    async refresh() {
      const p = new URLSearchParams();
      for (const k of ['status', 'penalisingCity', 'overdue', 'q']) if (f[k]) p.set(k, f[k]);
      p.set('page', String(f.page));
      p.set('pageSize', String(PAGE_SIZE));
      const res = await api(`cases?${p}`);
      if (changed(res.text)) render(res.data);
    },
  };
  return view;
}
