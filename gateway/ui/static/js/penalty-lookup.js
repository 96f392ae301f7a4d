// The filing form's penalty lookup: ask every member city for the company's penalty records
// (POST /penalty-lookup) and put the ones the officer picks into the form.

import { t } from '../i18n.js';
import { api, ApiError, problemBox } from './api.js';
import { badge, cityName, fill, h, label } from './dom.js';

/**
 * A button that looks the company up and a box with each city's answer. `readUscc` gives the
 * code typed in; `onAdd(record)` puts a record into the form and returns its number there.
 * `onAuthError(e)` handles a 401/403 the way the page does.
 */
export function penaltyLookup({ readUscc, onAdd, onAuthError }) {
  const box = h('div', { class: 'lookup', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', onclick: () => void run() }, t('lookup.button'));

  async function run() {
    button.disabled = true;
    fill(box, h('p', { class: 'muted' }, t('lookup.running')));
    try {
      const res = (await api('penalty-lookup', { method: 'POST', json: { uscc: readUscc() } }))
        .data;
      fill(box, resultCard(res));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.status === 401 || e.status === 403) return void onAuthError(e);
      fill(box, problemBox(e));
    } finally {
      button.disabled = false;
    }
  }

  function resultCard(res) {
    return h(
      'div',
      { class: 'card' },
      h('h2', {}, t('lookup.title', { uscc: res.uscc })),
      h('p', { class: 'muted small' }, t('lookup.hint')),
      h(
        'ul',
        { class: 'plain lookup-results' },
        // Cities holding records first, then those with none, then the ones that failed.
        [...res.results]
          .sort((a, b) => rank(a) - rank(b))
          .map((r) =>
            h(
              'li',
              { 'data-city': r.city },
              h('strong', {}, cityName(r.city)),
              ' ',
              badge(label('lookupStatus', r.status), `lk-${r.status}`),
              ' ',
              r.status === 'ok'
                ? h(
                    'span',
                    { class: 'muted' },
                    r.records?.length
                      ? t('lookup.count', { n: r.records.length })
                      : t('lookup.none'),
                  )
                : h('span', { class: 'small muted' }, r.error ?? ''),
              r.records?.length ? h('ul', { class: 'plain' }, r.records.map(recordItem)) : null,
            ),
          ),
      ),
    );
  }

  const rank = (r) => (r.records?.length ? 0 : r.status === 'ok' ? 1 : 2);

  function recordItem(rec) {
    const add = h(
      'button',
      {
        type: 'button',
        class: 'link',
        onclick: () => {
          onAdd(rec);
          add.disabled = true;
          add.textContent = t('lookup.added');
        },
      },
      t('lookup.add'),
    );
    return h(
      'li',
      { class: 'lookup-record', 'data-decision': rec.decisionNo },
      h('span', {}, rec.decisionNo),
      h(
        'span',
        { class: 'muted' },
        ` · ${rec.authority} · ${rec.decisionDate} · ${label('severity', rec.severity)} `,
      ),
      add,
    );
  }

  return { button, node: box };
}
