// embed-options.js — how an embed is described: the <grad-scope> element's
// attributes and the iframe mode's query string carry the same things —
// config fields (mirroring config.js SCHEMA), a lesson to start from, which
// views and controls to show, which controls to lock, autoplay, a step cap,
// a height and a language. Pure functions (no DOM): they never throw; a bad
// value keeps its default and becomes a notice.
//
// Attribute names: HTML lower-cases attributes, so a schema key is accepted
// as written, lower-case or kebab-case (initScale, initscale, init-scale).
// init="normal:1" is the initialiser and its scale (init=normal, initScale=1).

import { SCHEMA, SCHEMA_BY_KEY, coerce, crossCheck, defaults } from './config.js';
import { LANGUAGES } from './i18n.js';
import { VIEW_NAMES } from './views/names.js';

export { VIEW_NAMES };
/** Views and controls an element shows when its attributes do not say. */
export const DEFAULT_ELEMENT_VIEWS = Object.freeze(['flow', 'profile', 'loss']);
export const DEFAULT_ELEMENT_CONTROLS = Object.freeze(['depth', 'activation', 'init', 'initScale', 'lr']);
/** The attributes that are not config fields. */
export const EMBED_OPTIONS = Object.freeze(['lesson', 'lang', 'views', 'controls', 'locked', 'autoplay', 'steps', 'height']);
export const MAX_STEPS = 1_000_000;

const kebab = (key) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
/** Every attribute spelling of a schema key → the key. */
const KEY_BY_NAME = new Map();
for (const f of SCHEMA) for (const name of [f.key, f.key.toLowerCase(), kebab(f.key)]) KEY_BY_NAME.set(name, f.key);
/** Attribute names an element observes (lower-case, as the DOM reports them). */
export const OBSERVED_ATTRIBUTES = Object.freeze([...new Set([...KEY_BY_NAME.keys()].map((n) => n.toLowerCase()).concat(EMBED_OPTIONS))]);
/** The schema key an attribute name stands for, or null. */
export const keyOf = (name) => KEY_BY_NAME.get(name) ?? KEY_BY_NAME.get(String(name).toLowerCase()) ?? null;

/** "a, b,c" → ['a', 'b', 'c'] */
const list = (text) => String(text).split(',').map((s) => s.trim()).filter(Boolean);

/**
 * A config from `base` (a lesson's config or the defaults) and config
 * entries [name, value]. Returns { config, notices: [string] }.
 */
export function configFromEntries(entries, base = defaults()) {
  const config = { ...base };
  const notices = [];
  for (const [name, raw] of entries) {
    const key = keyOf(name);
    if (!key) continue;
    let value = raw;
    if (key === 'init' && typeof raw === 'string' && raw.includes(':')) {
      const [kind, scale] = raw.split(':', 2);
      value = kind;
      const s = coerce(SCHEMA_BY_KEY.initScale, scale);
      if (s.error) notices.push(`init: ${s.error}; keeping ${config.initScale}`);
      else config.initScale = s.value;
    }
    const r = coerce(SCHEMA_BY_KEY[key], value);
    if (r.error) notices.push(`${r.error}; keeping ${JSON.stringify(config[key])}`);
    else config[key] = r.value;
  }
  for (const p of crossCheck(config)) {
    notices.push(`${p.error}; using ${JSON.stringify(base[p.key] ?? SCHEMA_BY_KEY[p.key].default)}`);
    config[p.key] = crossCheck({ ...config, [p.key]: base[p.key] }).some((q) => q.key === p.key) ? SCHEMA_BY_KEY[p.key].default : base[p.key];
  }
  return { config, notices };
}

/**
 * The non-config options from a name → value getter (null when absent).
 * Returns { views, controls, locked, autoplay, steps, height, lang, lesson, notices }.
 */
export function readOptions(get, { defaultViews = DEFAULT_ELEMENT_VIEWS, defaultControls = DEFAULT_ELEMENT_CONTROLS } = {}) {
  const notices = [];
  const keysOf = (name, fallback) => {
    const raw = get(name);
    if (raw === null || raw === undefined) return fallback;
    if (raw.trim() === 'all') return null;
    if (raw.trim() === 'none') return [];
    const out = [];
    for (const item of list(raw)) {
      const key = keyOf(item);
      if (key) out.push(key); else notices.push(`${name}: ${JSON.stringify(item.slice(0, 40))} is not a setting; ignored`);
    }
    return out;
  };
  let views = defaultViews;
  const rawViews = get('views');
  if (rawViews !== null && rawViews !== undefined) {
    if (rawViews.trim() === 'all') views = VIEW_NAMES;
    else {
      const asked = list(rawViews);
      const bad = asked.filter((v) => !VIEW_NAMES.includes(v));
      for (const v of bad) notices.push(`views: ${JSON.stringify(v.slice(0, 40))} is not a view (${VIEW_NAMES.join(', ')}); ignored`);
      const good = asked.filter((v) => VIEW_NAMES.includes(v));
      views = good.length ? good : defaultViews;
    }
  }
  const controls = keysOf('controls', defaultControls);
  const locked = keysOf('locked', []) ?? SCHEMA.map((f) => f.key);
  // Locked controls are shown (disabled) even when `controls` does not list them.
  const shownControls = controls === null ? null : [...new Set([...controls, ...locked])];

  let steps = null;
  const rawSteps = get('steps');
  if (rawSteps !== null && rawSteps !== undefined && rawSteps !== '') {
    const n = Number(rawSteps);
    if (Number.isInteger(n) && n >= 1 && n <= MAX_STEPS) steps = n;
    else notices.push(`steps must be an integer in 1..${MAX_STEPS}, got ${JSON.stringify(String(rawSteps).slice(0, 40))}; no limit`);
  }
  const rawAuto = get('autoplay');
  const autoplay = rawAuto !== null && rawAuto !== undefined && rawAuto !== 'false' && rawAuto !== '0';

  let height = null;
  const rawHeight = get('height');
  if (rawHeight !== null && rawHeight !== undefined && rawHeight !== '') {
    const m = /^\s*(\d{2,5}(?:\.\d+)?)\s*(px|rem|em|vh)?\s*$/.exec(rawHeight);
    if (m) height = `${m[1]}${m[2] ?? 'px'}`;
    else notices.push(`height must be a length like 600 or 600px, got ${JSON.stringify(String(rawHeight).slice(0, 40))}; automatic`);
  }
  let lang = null;
  const rawLang = get('lang');
  if (rawLang) {
    if (Object.hasOwn(LANGUAGES, rawLang)) lang = rawLang;
    else notices.push(`lang must be one of ${Object.keys(LANGUAGES).join(', ')}, got ${JSON.stringify(String(rawLang).slice(0, 40))}`);
  }
  const lesson = get('lesson') || null;
  return { views, controls: shownControls, locked, autoplay, steps, height, lang, lesson, notices };
}

/**
 * The config a lesson starts from (its `config`), or null with a notice when
 * the lessons are missing or the id is unknown. Lessons load on demand.
 */
export async function lessonConfig(id) {
  if (!id) return { config: null, notices: [] };
  let lessons;
  try { ({ LESSONS: lessons } = await import('./lessons/index.js')); } catch { return { config: null, notices: [`lesson ${JSON.stringify(String(id).slice(0, 40))}: lessons are not available; ignored`] }; }
  const lesson = Array.isArray(lessons) ? lessons.find((l) => l?.id === id) : null;
  if (!lesson?.config) return { config: null, notices: [`lesson ${JSON.stringify(String(id).slice(0, 40))} does not exist (${(lessons ?? []).map((l) => l.id).join(', ')}); ignored`] };
  return { config: { ...defaults(), ...lesson.config }, notices: [], lesson };
}

/** The lessons' ids and English titles, for pickers ([] when lessons are missing). */
export async function lessonList() {
  try {
    const { LESSONS } = await import('./lessons/index.js');
    return LESSONS.map((l) => ({ id: l.id, title: l.title ?? { en: l.id }, config: l.config }));
  } catch { return []; }
}
