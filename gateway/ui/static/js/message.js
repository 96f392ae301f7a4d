// Timeline summaries and the raw signed message dialog.

import { has, t } from '../i18n.js';
import { api, ApiError } from './api.js';
import { announce, badge, h, label, uid } from './dom.js';
import { focusHeading, handleError } from './layout.js';
import { dl } from './widgets.js';

/** A timeline summary such as `materials_requested · 缴款凭证`: the status part in words. */
export function summaryText(summary) {
  const [head, ...rest] = String(summary).split(' · ');
  const first = has(`status.del.${head}`) ? label('status.del', head) : head;
  return [first, ...rest].join(' · ');
}

function decodeSegment(s) {
  try {
    const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0))));
  } catch {
    return null;
  }
}

/** The raw signed message in a modal dialog (Esc closes; focus returns to the opener). */
export async function showMessage(messageId, opener) {
  let detail;
  try {
    detail = (await api(`messages/${encodeURIComponent(messageId)}`)).data;
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 401 || e.status === 403) return void handleError(e);
    announce(e.problem?.detail ?? e.message);
    return;
  }
  let jws = null;
  try {
    jws = JSON.parse(detail.raw);
  } catch {
    /* shown verbatim below */
  }
  const titleId = uid('dlg');
  const v = detail.entry?.verification ?? {};
  const close = h('button', { type: 'button', onclick: () => dialog.close() }, t('case.close'));
  const dialog = h(
    'dialog',
    { class: 'raw', 'aria-labelledby': titleId },
    h(
      'div',
      { class: 'titlebar' },
      h('h2', { id: titleId }, `${t('case.rawTitle')} · ${label('msg', detail.entry?.type)}`),
      close,
    ),
    dl([
      ['id', h('code', {}, messageId)],
      [
        t('field.status'),
        detail.entry?.verified
          ? badge(`✓ ${t('case.verified')}`, 'verified')
          : badge(t('case.notVerified'), 'unverified'),
      ],
      [t('case.verification'), v.detail ?? '—'],
      ['kid', h('code', {}, detail.entry?.kid ?? '—')],
      ['digest', h('code', { class: 'digest' }, detail.entry?.digest ?? '—')],
    ]),
    jws?.protected
      ? [
          h('h3', {}, t('case.rawHeader')),
          h('pre', {}, JSON.stringify(decodeSegment(jws.protected), null, 2)),
        ]
      : null,
    detail.envelope
      ? [h('h3', {}, t('case.rawEnvelope')), h('pre', {}, JSON.stringify(detail.envelope, null, 2))]
      : null,
    h('h3', {}, t('case.rawBytes')),
    h('pre', { class: 'raw-bytes', 'data-testid': 'raw-message' }, detail.raw),
  );
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener?.isConnected) opener.focus();
    else focusHeading();
  });
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
}
