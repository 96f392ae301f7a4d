// Session: the token (from the hash or typed in), who is logged in, and the login page.

import { t } from '../i18n.js';
import { api, problemBox } from './api.js';
import { state, TOKEN_KEY } from './config.js';
import { field, h } from './dom.js';
import { focusHeading, renderDenied, renderFatal, renderHeader, setMain } from './layout.js';
import { start, stopPolling } from './router.js';

// ---------------------------------------------------------------- session

export function readTokenFromHash() {
  const m = /^#(?:.*[&?])?token=([A-Za-z0-9._~+/=-]+)/.exec(location.hash);
  if (!m) return;
  state.token = m[1];
  sessionStorage.setItem(TOKEN_KEY, state.token);
  // The token must not stay in the address bar, the history or a bookmark.
  history.replaceState(null, '', `${location.pathname}${location.search}#/cases`);
}

export function logout(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = null;
  state.me = null;
  stopPolling();
  renderLogin(message);
}

export async function loadSession() {
  try {
    state.me = (await api('me')).data;
  } catch (e) {
    if (e.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      state.token = null;
      renderLogin(t('login.expired'), e);
    } else if (e.status === 403) {
      renderHeader(null);
      renderDenied(e, { session: true });
    } else {
      renderHeader(null);
      renderFatal(e);
    }
    return false;
  }
  try {
    const res = await fetch('permissions.json', { cache: 'no-cache' });
    state.grants = await res.json();
  } catch {
    state.grants = {};
  }
  try {
    state.federation = (await api('federation')).data;
  } catch {
    state.federation = null;
  }
  return true;
}

export function renderLogin(message, err) {
  renderHeader(null);
  document.title = `${t('login.title')} · ${t('app.title')}`;
  const tokenInput = h('textarea', {
    name: 'token',
    rows: '4',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
  });
  const errBox = h('div');
  const form = h(
    'form',
    {
      class: 'card narrow',
      onsubmit: (ev) => {
        ev.preventDefault();
        const v = tokenInput.value.trim();
        if (!v) return;
        state.token = v;
        sessionStorage.setItem(TOKEN_KEY, v);
        location.hash = '#/cases';
        void start();
      },
    },
    field(t('login.token'), tokenInput),
    h('button', { type: 'submit', class: 'primary' }, t('login.submit')),
  );
  if (err) errBox.append(problemBox(err));
  setMain(
    h(
      'section',
      { class: 'narrow' },
      h('h1', {}, t('login.title')),
      message ? h('p', { class: 'notice', role: 'status' }, message) : null,
      errBox,
      h('p', {}, t('login.intro')),
      form,
      h('p', { class: 'muted' }, t('login.sandboxHint')),
    ),
  );
  focusHeading();
}
