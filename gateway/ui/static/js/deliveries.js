// Outgoing deliveries.

import { t } from '../i18n.js';
import { api, ApiError, tracker } from './api.js';
import { DELIVERY_STATUSES } from './config.js';
import {
  announce,
  can,
  cityName,
  deliveryStatusBadge,
  fill,
  fmtDateTime,
  h,
  label,
} from './dom.js';
import { handleError } from './layout.js';
import { statusFilter, table } from './widgets.js';

// ---------------------------------------------------------------- deliveries

export function deliveriesView(r) {
  const status = r.query.get('status') ?? 'dead';
  const form = statusFilter(
    [['all', t('any')], ...DELIVERY_STATUSES.map((s) => [s, label('status.delivery', s)])],
    status,
    (v) => `#/deliveries?status=${v}`,
  );
  const listBox = h('div');
  const errorBox = h('div');
  const changed = tracker();
  const mayReplay = can('deliveries:replay');

  async function replay(d) {
    try {
      await api(`deliveries/${encodeURIComponent(d.id)}/replay`, { method: 'POST' });
      announce(t('deliveries.replayed', { id: d.id }));
      changed.reset();
      await view.refresh();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (handleError(e, view) === 'stop') return;
    }
  }

  const view = {
    title: t('deliveries.title'),
    errorBox,
    node: h(
      'section',
      {},
      h('h1', {}, t('deliveries.title')),
      h('p', { class: 'muted' }, t('deliveries.intro')),
      mayReplay ? null : h('p', { class: 'notice' }, t('deliveries.replayNeedsSupervisor')),
      form,
      errorBox,
      listBox,
    ),
    async refresh() {
      const res = await api(
        `deliveries${status !== 'all' ? `?status=${encodeURIComponent(status)}` : ''}`,
      );
      if (!changed(res.text)) return;
      fill(
        listBox,
        table(
          t('deliveries.title'),
          [
            '#',
            t('field.type'),
            t('field.peer'),
            t('field.status'),
            t('field.attempts'),
            t('field.lastError'),
            t('field.nextAttemptAt'),
            t('field.createdAt'),
            '',
          ],
          res.data.items.map((d) => [
            d.id,
            label('msg', d.type),
            cityName(d.peer),
            deliveryStatusBadge(d.status),
            String(d.attempts),
            d.lastError ? h('span', { class: 'small' }, d.lastError) : '—',
            fmtDateTime(d.nextAttemptAt),
            fmtDateTime(d.createdAt),
            mayReplay && d.status === 'dead'
              ? h(
                  'button',
                  {
                    type: 'button',
                    onclick: () => void replay(d),
                    'aria-label': `${t('deliveries.replay')} #${d.id}`,
                  },
                  t('deliveries.replay'),
                )
              : '',
          ]),
          { empty: t('deliveries.empty'), className: 'deliveries' },
        ),
      );
    },
  };
  return view;
}
