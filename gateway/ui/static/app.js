// Tongban liaison dashboard: a hand-written single-page app over the officers' API (/api/v1).
// No framework, no bundler, no third-party code. Routing is in the URL hash (#/cases, #/inbox/…);
// the bearer token lives in sessionStorage only. The current view polls its one API resource
// every few seconds while the tab is visible and re-renders only when the answer changed.
//
// The entry point: the page loads this module; the views, routing and helpers are in js/.

import { state } from './js/config.js';
import { $ } from './js/dom.js';
import { route, start } from './js/router.js';

window.addEventListener('hashchange', () => {
  if (/token=/.test(location.hash)) {
    void start();
    return;
  }
  route();
});
document.addEventListener('visibilitychange', () => {
  // Coming back to the tab: refresh the current view now rather than at the next tick.
  if (!document.hidden) state.kick?.();
});
document.addEventListener('DOMContentLoaded', () => {
  $('#skip').addEventListener('click', () => $('#main').focus());
  void start();
});
