// The dashboard's language: which dictionary, and t('key', {n: 3}) to fill {n}. The labels
// themselves: js/i18n-zh.js (default) and js/i18n-en.js.
import { en } from './js/i18n-en.js';
import { zh } from './js/i18n-zh.js';

const DICTS = { zh, en };
const LANG_KEY = 'tongban.lang';
let lang = 'zh';
try {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === 'en' || saved === 'zh') lang = saved;
} catch {
  /* storage disabled: default language */
}

export function getLang() {
  return lang;
}

export function setLang(next) {
  lang = next === 'en' ? 'en' : 'zh';
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    /* ignore */
  }
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

export function locale() {
  return lang === 'zh' ? 'zh-CN' : 'en-GB';
}

/** The label for `key` in the current language (English, then the key, as fallbacks). */
export function t(key, params) {
  const s = DICTS[lang][key] ?? en[key] ?? key;
  return params ? s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m)) : s;
}

/** Whether the dictionary has a label (used for enumerations the server may extend). */
export function has(key) {
  return key in DICTS[lang] || key in en;
}

export const _dicts = DICTS;
