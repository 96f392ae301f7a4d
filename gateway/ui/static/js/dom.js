// DOM helpers: building elements, labelled fields, badges, labels and dates.

import { getLang, has, locale, t } from '../i18n.js';
import { state } from './config.js';

// ---------------------------------------------------------------- DOM helpers

const PROPS = new Set(['value', 'checked', 'selected', 'disabled', 'hidden', 'open', 'multiple']);

/** Build an element: h('a', { href, class, onclick }, 'text', child, [more]). Never parses HTML. */
export function h(tag, props, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (PROPS.has(k)) el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, kids);
  return el;
}

/** Replace an element's children (null, false and undefined are skipped, like in h()). */
export function fill(el, ...kids) {
  el.replaceChildren();
  append(el, kids);
}

function append(el, kids) {
  for (const k of kids.flat(Infinity)) {
    if (k === null || k === undefined || k === false) continue;
    el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
}

let uidCounter = 0;
export const uid = (p = 'f') => `${p}-${++uidCounter}`;

export const $ = (sel) => document.querySelector(sel);

export function announce(message) {
  const live = $('#live');
  live.textContent = '';
  // A fresh text node after a tick so screen readers announce repeated messages too.
  setTimeout(() => {
    live.textContent = message;
  }, 30);
  clearTimeout(state.flash);
  state.flash = setTimeout(() => {
    live.textContent = '';
  }, 8000);
}

/** A labelled control: <div class=field><label for>…</label><control id>…<p hint></div>. */
export function field(label, control, hint) {
  const id = control.id || uid();
  control.id = id;
  let hintEl = null;
  if (hint) {
    hintEl = h('p', { class: 'hint', id: `${id}-hint` }, hint);
    control.setAttribute('aria-describedby', hintEl.id);
  }
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl);
}

export function select(name, options, value, extra = {}) {
  return h(
    'select',
    { name, ...extra },
    options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)),
  );
}

export function badge(text, kind, title) {
  return h('span', { class: `badge ${kind ?? ''}`, title }, text);
}

export function caseStatusBadge(s) {
  return badge(label('status.case', s), `st-${s}`);
}
export function delegationStatusBadge(s) {
  return badge(label('status.del', s), `st-${s}`);
}
export function deliveryStatusBadge(s) {
  return badge(label('status.delivery', s), `dl-${s}`);
}

/** Enumerations: the dictionary's label, or the raw value if the server sent something new. */
export function label(prefix, v) {
  return has(`${prefix}.${v}`) ? t(`${prefix}.${v}`) : String(v);
}

export function fmtDateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(locale(), {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(d);
}

/** Dates stay as written (YYYY-MM-DD); instants are shown in Beijing time. */
export function fmtDue(v) {
  if (!v) return '—';
  return /T/.test(v) ? fmtDateTime(v) : v;
}

export function cityName(id) {
  if (!id) return '—';
  const c = state.federation?.cities?.find((x) => x.id === id);
  const n = c?.name?.[getLang()] ?? c?.name?.zh;
  return n ? n : id;
}

export function cityOptions({ includeSelf = true } = {}) {
  const cities = (state.federation?.cities ?? []).filter(
    (c) => c.member && (includeSelf || c.id !== state.me?.city),
  );
  return cities.map((c) => [c.id, `${cityName(c.id)} ${c.id}`]);
}

export function can(permission) {
  return Boolean(state.me && state.grants[state.me.role]?.includes(permission));
}
