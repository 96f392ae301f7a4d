// The ledger.

import { t } from '../i18n.js';
import { api, tracker } from './api.js';
import { state } from './config.js';
import { badge, cityName, fill, fmtDateTime, h, label } from './dom.js';
import { dl, table } from './widgets.js';

// ---------------------------------------------------------------- ledger

export function ledgerView() {
  const body = h('div');
  const errorBox = h('div');
  const changed = tracker();
  const view = {
    title: t('ledger.title'),
    errorBox,
    node: h(
      'section',
      {},
      h('h1', {}, t('ledger.title')),
      h('p', { class: 'muted' }, t('ledger.intro')),
      errorBox,
      body,
    ),
    async refresh() {
      const res = await api('federation');
      if (!changed(res.text)) return;
      const f = res.data;
      state.federation = f;
      fill(
        body,
        dl([
          [
            t('ledger.size'),
            h('strong', { 'data-testid': 'ledger-size' }, String(f.ledgerSize ?? 0)),
          ],
          [t('app.gateway'), `${cityName(f.city)} ${f.city}`],
        ]),
        h('h2', {}, t('ledger.checkpoint')),
        f.checkpoint
          ? h('pre', { class: 'checkpoint', 'data-testid': 'checkpoint' }, f.checkpoint)
          : h('p', { class: 'empty' }, t('ledger.noCheckpoint')),
        h('h2', {}, t('ledger.witnesses')),
        table(
          t('ledger.witnesses'),
          [
            t('field.peer'),
            t('field.status'),
            t('ledger.size.col'),
            t('ledger.seenAt'),
            t('ledger.detail'),
          ],
          (f.witnesses ?? []).map((w) => [
            cityName(w.peer),
            badge(label('witness', w.status), w.status === 'ok' ? 'verified' : 'overdue'),
            w.size ?? '—',
            fmtDateTime(w.seenAt),
            w.detail ?? '—',
          ]),
          { empty: t('ledger.noWitnesses') },
        ),
        h('h2', {}, t('ledger.cities')),
        table(
          t('ledger.cities'),
          [t('ledger.city'), t('ledger.member'), t('ledger.adapter'), t('ledger.url')],
          (f.cities ?? []).map((c) => [
            `${cityName(c.id)} ${c.id}`,
            c.member ? t('yes') : t('no'),
            c.adapter ? label('adapterKind', c.adapter) : '—',
            c.url ? h('code', {}, c.url) : '—',
          ]),
        ),
      );
    },
  };
  return view;
}
