// Layout: the header, the main area, and the "not permitted" and error states.

import { getLang, setLang, t } from '../i18n.js';
import { problemBox } from './api.js';
import { state } from './config.js';
import { $, can, cityName, fill, h, label } from './dom.js';
import { logout } from './login.js';
import { route, start, stopPolling } from './router.js';

// ---------------------------------------------------------------- layout

export function renderHeader(route) {
  const top = $('#top');
  const me = state.me;
  const navItems = [
    ['cases', t('nav.cases'), 'cases:read'],
    ['new', t('nav.new'), 'cases:write'],
    ['inbox', t('nav.inbox'), 'inbox:read'],
    ['deliveries', t('nav.deliveries'), 'deliveries:read'],
    ['ledger', t('nav.ledger'), null],
  ].filter(([, , p]) => me && (!p || can(p)));
  const current = route && route.name === 'cases' && route.id ? 'cases' : route?.name;
  fill(
    top,
    h(
      'div',
      { class: 'brand' },
      h('span', { class: 'logo', 'aria-hidden': 'true' }, '通办'),
      h('span', { class: 'app-name' }, t('app.name')),
      me ? h('span', { class: 'city' }, `${cityName(me.city)} ${me.city}`) : null,
    ),
    navItems.length
      ? h(
          'nav',
          { 'aria-label': t('nav.label') },
          h(
            'ul',
            {},
            navItems.map(([name, text]) =>
              h(
                'li',
                {},
                h(
                  'a',
                  { href: `#/${name}`, 'aria-current': current === name ? 'page' : null },
                  text,
                ),
              ),
            ),
          ),
        )
      : null,
    h(
      'div',
      { class: 'who' },
      me
        ? h(
            'span',
            { class: 'user', 'data-testid': 'who' },
            `${me.name ?? me.sub} · ${label('role', me.role)}`,
          )
        : null,
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          lang: getLang() === 'zh' ? 'en' : 'zh-CN',
          title: t('app.langName'),
          onclick: () => {
            setLang(getLang() === 'zh' ? 'en' : 'zh');
            void start();
          },
        },
        t('app.lang'),
      ),
      state.token
        ? h(
            'button',
            { type: 'button', onclick: () => logout(t('login.loggedOut')) },
            t('app.logout'),
          )
        : null,
    ),
  );
  $('#skip').textContent = t('app.skip');
}

export function setMain(...nodes) {
  const main = $('#main');
  fill(main, ...nodes);
  const h1 = main.querySelector('h1');
  if (h1) h1.setAttribute('tabindex', '-1');
}

export function focusHeading() {
  const h1 = $('#main h1');
  if (h1) h1.focus({ preventScroll: false });
}

/** The "not permitted" state: the API said 403 (or the role lacks the view's permission). */
export function renderDenied(err, { session = false } = {}) {
  stopPolling();
  const me = state.me;
  document.title = `${t('denied.title')} · ${t('app.title')}`;
  setMain(
    h(
      'section',
      { class: 'denied', 'data-state': 'not-permitted' },
      h('h1', {}, t('denied.title')),
      h('p', {}, t('denied.body')),
      h('p', { class: 'problem-detail' }, err.problem?.detail ?? err.message),
      me
        ? h(
            'p',
            { class: 'muted' },
            t('denied.role', {
              who: me.name ?? me.sub,
              role: label('role', me.role),
              city: cityName(me.city),
            }),
          )
        : null,
      h(
        'div',
        { class: 'actions' },
        !session
          ? h(
              'a',
              {
                href: '#/cases',
                class: 'button',
                // Already on #/cases (the list itself was refused): try again rather than do nothing.
                onclick: (ev) => {
                  if (location.hash !== '#/cases') return;
                  ev.preventDefault();
                  route();
                },
              },
              t('denied.back'),
            )
          : null,
        h('button', { type: 'button', onclick: () => logout() }, t('denied.switch')),
      ),
    ),
  );
  focusHeading();
}

export function renderFatal(err) {
  setMain(
    h(
      'section',
      {},
      h('h1', {}, t('error.title')),
      problemBox(err),
      h('button', { type: 'button', onclick: () => void start() }, t('error.retry')),
    ),
  );
  focusHeading();
}

/** What a view does with an API error: log in again, "not permitted", or an inline problem. */
export function handleError(err, view) {
  if (err.status === 401) {
    logout(t('login.expired'));
    return 'stop';
  }
  if (err.status === 403) {
    renderDenied(err);
    return 'stop';
  }
  if (view?.errorBox) fill(view.errorBox, problemBox(err));
  else renderFatal(err);
  return err.status === 404 ? 'stop' : 'retry';
}
