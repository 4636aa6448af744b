// i18n.js — picks the language and turns keys into strings. The tables are
// web/i18n/<lang>.js with identical keys; a missing key shows the key
// itself (visible in review) rather than an empty label.

import en from './i18n/en.js';
import zhHant from './i18n/zh-Hant.js';

export const LANGUAGES = Object.freeze({ en: { name: 'English', table: en }, 'zh-Hant': { name: '正體中文', table: zhHant } });

/** The language asked for by ?lang= or #lang= (hash wins), else the browser's, else English. */
export function pickLanguage(search, hash, navigatorLanguages = []) {
  const fromHash = new URLSearchParams(String(hash).replace(/^#/, '')).get('lang');
  const fromQuery = new URLSearchParams(String(search).replace(/^\?/, '')).get('lang');
  for (const lang of [fromHash, fromQuery]) if (lang && Object.hasOwn(LANGUAGES, lang)) return lang;
  for (const l of navigatorLanguages) if (/^zh-(Hant|TW|HK|MO)/i.test(l)) return 'zh-Hant';
  return 'en';
}

/** t(key, { name: value }) for one language. */
export function translator(lang) {
  const table = LANGUAGES[lang]?.table ?? en;
  return (key, params = {}) => {
    const text = table[key] ?? en[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
  };
}

/** Fill every [data-i18n] element's text (and [data-i18n-label] aria-labels) under root. */
export function applyStrings(root, t) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
}
