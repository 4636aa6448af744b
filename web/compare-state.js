// compare-state.js — the URL form of a comparison: runs B–D as differences
// from run A (A is the hash's ordinary config). Pure: no DOM, no I/O, so
// Node tests and the CLI can read a shared link too.
//
//   #depth=20&activation=sigmoid&…&compare=B:activation=relu;init=he_normal|C:
//
//   value   := run ( '|' run ){0,2}
//   run     := letter ':' [ field ( ';' field )* ]      letter: B, C, D (in order)
//   field   := schema key '=' value (as in the hash; null is 'default')
//
// A run with no fields is an exact copy of A (compare mode just opened).
// Overrides are kept as given, so when A changes later, B follows A except
// where B says otherwise. Parsing never throws: a bad run, key or value is
// dropped with a notice and that field falls back to A's value, field by
// field, like parseHash does for A.

import { SCHEMA_BY_KEY, coerce, parseEntries } from './config.js';

export const RUN_LETTERS = Object.freeze(['A', 'B', 'C', 'D']);
export const MAX_RUNS = RUN_LETTERS.length;
export const MAX_COMPARE_LENGTH = 2000;

const clip = (s) => String(s).slice(0, 40);

/**
 * Read the `compare` value. Returns { runs: [overrides, …] (for B, C, D in
 * order; each a null-prototype object key → typed value), notices: [{ key, error }] }.
 */
export function parseCompare(text) {
  const notices = [];
  const runs = [];
  let s = String(text ?? '');
  if (s.length > MAX_COMPARE_LENGTH) {
    notices.push({ key: 'compare', error: `compare is ${s.length} characters long (at most ${MAX_COMPARE_LENGTH}); comparing nothing` });
    return { runs, notices };
  }
  if (s.trim() === '') return { runs, notices };
  const parts = s.split('|');
  for (const part of parts) {
    const colon = part.indexOf(':');
    const label = (colon < 0 ? part : part.slice(0, colon)).trim();
    const expected = RUN_LETTERS[runs.length + 1];
    if (!expected) { notices.push({ key: 'compare', error: `compare: at most ${MAX_RUNS} runs (A–D); ${JSON.stringify(clip(part))} ignored` }); continue; }
    if (colon < 0 || !/^[B-D]$/.test(label)) {
      notices.push({ key: 'compare', error: `compare: ${JSON.stringify(clip(part))} is not a run like "B:activation=relu"; ignored` });
      continue;
    }
    if (label !== expected) notices.push({ key: 'compare', error: `compare: run ${label} read as run ${expected} (runs are lettered in order)` });
    const overrides = Object.create(null);
    const body = part.slice(colon + 1);
    for (const field of body ? body.split(';') : []) {
      if (field === '') continue;
      const eq = field.indexOf('=');
      const key = eq < 0 ? field : field.slice(0, eq);
      const raw = eq < 0 ? '' : field.slice(eq + 1);
      const f = SCHEMA_BY_KEY[key];
      if (!f) { notices.push({ key: clip(key), error: `compare ${expected}: ${clip(key)} is not a setting; ignored` }); continue; }
      const r = coerce(f, raw);
      if (r.error) notices.push({ key, error: `compare ${expected}: ${r.error}; using run A's value` });
      else overrides[key] = r.value;
    }
    runs.push(overrides);
  }
  return { runs, notices };
}

const valueText = (v) => (v === null ? 'default' : String(v));

/** The `compare` value for runs B… (a list of overrides objects); '' when there are none. */
export function serializeCompare(runs) {
  return runs.slice(0, MAX_RUNS - 1).map((overrides, i) => `${RUN_LETTERS[i + 1]}:${Object.entries(overrides).map(([k, v]) => `${k}=${valueText(v)}`).join(';')}`).join('|');
}

/**
 * Characters that would change meaning inside a URLSearchParams value ('+'
 * reads as a space, '&' and '#' end it, '%' starts an escape) are
 * percent-encoded; ':', ';', '|', '=' stay readable.
 */
export function hashSafe(text) {
  return String(text).replace(/[%&#+\s]/g, (c) => encodeURIComponent(c));
}

/**
 * A run's config: A's config with the overrides applied and checked
 * together (crossCheck: per-layer activations must match the depth).
 * Returns { config, notices, dropped: [keys] } — a dropped override falls back to A's value.
 */
export function runConfig(base, overrides, letter = 'B') {
  const notices = [];
  const merged = { ...base, ...overrides };
  const parsed = parseEntries(Object.entries(merged).map(([k, v]) => [k, valueText(v)]));
  const dropped = [];
  for (const n of parsed.notices) {
    notices.push({ key: n.key, error: `run ${letter}: ${n.error}` });
    if (Object.hasOwn(overrides, n.key)) dropped.push(n.key);
  }
  return { config: parsed.config, notices, dropped };
}

/** What differs from A, for the run panel: [{ key, from, to }] in schema order. */
export function describeDiff(base, config) {
  return Object.keys(SCHEMA_BY_KEY).filter((k) => base[k] !== config[k]).map((key) => ({ key, from: base[key], to: config[key] }));
}
