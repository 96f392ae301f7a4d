// The officers' API: requests with the bearer token, errors as problems, change tracking.

import { t } from '../i18n.js';
import { API_BASE, state } from './config.js';
import { h } from './dom.js';

// ---------------------------------------------------------------- API

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }
}

export async function request(path, { method = 'GET', json } = {}) {
  const headers = { accept: 'application/json, application/problem+json, text/csv' };
  if (state.token) headers.authorization = `Bearer ${state.token}`;
  let body;
  if (json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(json);
  }
  let res;
  try {
    // no-store: officers' data (names, ID numbers) never lands in the browser's disk cache.
    res = await fetch(new URL(path, API_BASE), { method, headers, body, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, { title: 'network', detail: t('error.network', { msg: e.message }) });
  }
  if (!res.ok) {
    const text = await res.text();
    let problem;
    try {
      problem = JSON.parse(text);
    } catch {
      problem = { status: res.status, detail: text || res.statusText };
    }
    throw new ApiError(res.status, problem);
  }
  return res;
}

export async function api(path, opts) {
  const res = await request(path, opts);
  const text = await res.text();
  return { text, data: text ? JSON.parse(text) : null };
}

/** Remembers the last body seen, so a poll that brings nothing new touches no DOM. */
export function tracker() {
  let last = null;
  const changed = (text) => {
    if (text === last) return false;
    last = text;
    return true;
  };
  changed.reset = () => {
    last = null;
  };
  return changed;
}

/** A pointer as the officer knows it: the field's label (and its fieldset's legend) in `form`. */
function describePointer(form, pointer) {
  const el = form ? pointedField(form, pointer) : null;
  const lab = el?.id ? form.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent : null;
  if (!lab) return pointer;
  const legend = el.closest('fieldset')?.querySelector('legend')?.textContent;
  return legend ? `${legend} · ${lab}` : lab;
}

export function pointedField(form, pointer) {
  // The most specific field the pointer reaches: /records/0/measures/0/type → /records/0/measures.
  for (let q = pointer; q; q = q.replace(/\/[^/]*$/, '')) {
    const el = form.querySelector(`[data-pointer="${CSS.escape(q)}"]`);
    if (el) return el;
  }
  return null;
}

export function problemBox(err, form) {
  const p = err.problem ?? {};
  const list = Array.isArray(p.errors) ? p.errors : [];
  return h(
    'div',
    { class: 'problem', role: 'alert' },
    h(
      'p',
      { class: 'problem-title' },
      p.title && p.title !== 'network' ? p.title : t('error.title'),
    ),
    h('p', {}, p.detail ?? err.message),
    p.pointer && list.length < 2
      ? h('p', { class: 'muted' }, `${t('error.field')}: ${describePointer(form, p.pointer)}`)
      : null,
    list.length > 1
      ? h(
          'ul',
          {},
          list.map((e) =>
            h('li', {}, e.pointer ? `${describePointer(form, e.pointer)}: ${e.detail}` : e.detail),
          ),
        )
      : null,
    p.code ? h('p', { class: 'muted' }, `${t('error.code')}: ${p.code}`) : null,
  );
}
