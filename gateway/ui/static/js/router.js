// Routing (URL hash) and polling of the current view.

import { getLang, setLang, t } from '../i18n.js';
import { ApiError } from './api.js';
import { caseDetailView } from './case-detail.js';
import { casesView } from './cases.js';
import { POLL_MS, state, TOKEN_KEY, VIEW_PERMISSION } from './config.js';
import { deliveriesView } from './deliveries.js';
import { can } from './dom.js';
import { newCaseView } from './file-case.js';
import { inboxItemView, inboxView } from './inbox.js';
import { focusHeading, handleError, renderDenied, renderHeader, setMain } from './layout.js';
import { ledgerView } from './ledger.js';
import { loadSession, readTokenFromHash, renderLogin } from './login.js';

// ---------------------------------------------------------------- routing and polling

function parseRoute() {
  const raw = location.hash.replace(/^#/, '') || '/cases';
  const [path, qs] = raw.split('?');
  const parts = path.split('/').filter(Boolean);
  return {
    name: parts[0] ?? 'cases',
    id: parts[1] ? decodeURIComponent(parts[1]) : undefined,
    query: new URLSearchParams(qs ?? ''),
  };
}

export function stopPolling() {
  state.gen++;
  state.kick = null;
  clearTimeout(state.timer);
}

function poll(view, gen) {
  let busy = false;
  const tick = async (first) => {
    if (gen !== state.gen || busy) return;
    if (!first && document.hidden) return schedule();
    busy = true;
    try {
      await view.refresh();
      if (gen !== state.gen) return;
      view.errorBox?.replaceChildren();
    } catch (e) {
      if (gen !== state.gen) return;
      if (!(e instanceof ApiError)) throw e;
      if (handleError(e, view) === 'stop') return;
    } finally {
      busy = false;
    }
    schedule();
  };
  const schedule = () => {
    clearTimeout(state.timer);
    if (gen === state.gen) state.timer = setTimeout(() => void tick(false), POLL_MS);
  };
  state.kick = () => void tick(false);
  void tick(true);
}

const VIEWS = {
  cases: (r) => (r.id ? caseDetailView(r) : casesView(r)),
  new: () => newCaseView(),
  inbox: (r) => (r.id ? inboxItemView(r) : inboxView(r)),
  deliveries: (r) => deliveriesView(r),
  ledger: () => ledgerView(),
};

export function route() {
  if (!state.token || !state.me) return;
  stopPolling();
  const gen = state.gen;
  const r = parseRoute();
  if (!VIEWS[r.name]) r.name = 'cases';
  renderHeader(r);
  const perm = VIEW_PERMISSION[r.name];
  if (perm && !can(perm)) {
    renderDenied(
      new ApiError(403, {
        detail: `Role ${state.me.role} may not ${perm.replace(':', ' ')}`,
        code: 'forbidden',
      }),
    );
    return;
  }
  const view = VIEWS[r.name](r);
  document.title = `${view.title} · ${t('app.title')}`;
  setMain(view.node);
  focusHeading();
  if (view.refresh) poll(view, gen);
}

export async function start() {
  stopPolling();
  setLang(getLang());
  readTokenFromHash();
  state.token ??= sessionStorage.getItem(TOKEN_KEY);
  if (!state.token) {
    renderLogin();
    return;
  }
  state.me = null;
  if (await loadSession()) route();
}
