// config.js — THE playground schema: one table from which come the defaults,
// the ranges, the labels (i18n keys), the controls the page generates, the
// URL hash, the <grad-scope> attributes and the CLI flags. Pure functions:
// no DOM, no window.location, no randomness, so Node runs it too.
//
// A playground config is flat (one value per key), which is what URLs, HTML
// attributes and command-line flags can carry; toNetConfig/toDatasetSpec turn
// it into the JS API's nested net config and dataset spec.

import { LIMITS, ACTIVATIONS, INITS, LOSSES, OPTIMIZERS, CLIPS } from './limits.js';

// 'csv' is the learner's own data ("Your data"): the points live outside the
// flat config (a file, or the hash key `data`, see RESERVED_HASH_KEYS), and
// datasetShape / toDatasetSpec / toNetConfig take them as a second argument.
export const DATASET_CHOICES = Object.freeze(['spiral', 'circles', 'xor', 'moons', 'gaussians', 'digits', 'csv']);

// type: 'enum' | 'int' | 'number' | 'bool' | 'string'. `label` is an i18n key
// (web/i18n/*.js); `group` places the control on the page.
export const SCHEMA = Object.freeze([
  { key: 'dataset', type: 'enum', choices: DATASET_CHOICES, default: 'spiral', group: 'data', label: 'cfg.dataset' },
  { key: 'noise', type: 'number', min: 0, max: 1, step: 0.01, default: 0.1, group: 'data', label: 'cfg.noise' },
  { key: 'rows', type: 'int', min: 20, max: 10000, default: 600, group: 'data', label: 'cfg.rows' },
  { key: 'classes', type: 'int', min: 2, max: 10, default: 2, group: 'data', label: 'cfg.classes' },
  { key: 'trainShare', type: 'number', min: 0.1, max: 1, step: 0.05, default: 0.8, group: 'data', label: 'cfg.trainShare' },
  { key: 'depth', type: 'int', min: LIMITS.depth.min, max: LIMITS.depth.max, default: 20, group: 'net', label: 'cfg.depth' },
  { key: 'width', type: 'int', min: LIMITS.units.min, max: LIMITS.units.max, default: 32, group: 'net', label: 'cfg.width' },
  { key: 'activation', type: 'enum', choices: ACTIVATIONS, default: 'sigmoid', group: 'net', label: 'cfg.activation' },
  // Per-layer activations, comma-separated, first hidden layer first; empty = all `activation`.
  { key: 'layers', type: 'string', maxLength: 1200, pattern: /^[a-z_,]*$/, default: '', group: 'net', label: 'cfg.layers' },
  { key: 'slope', type: 'number', min: -1, max: 1, step: 0.01, default: null, nullable: true, group: 'net', label: 'cfg.slope' },
  { key: 'batchnorm', type: 'bool', default: false, group: 'net', label: 'cfg.batchnorm' },
  { key: 'init', type: 'enum', choices: INITS, default: 'xavier_normal', group: 'init', label: 'cfg.init' },
  { key: 'initScale', type: 'number', min: 0, max: 100, step: 0.01, default: 1, group: 'init', label: 'cfg.initScale' },
  { key: 'biasStd', type: 'number', min: 0, max: 10, step: 0.01, default: 0, group: 'init', label: 'cfg.biasStd' },
  { key: 'loss', type: 'enum', choices: LOSSES, default: 'cross_entropy', group: 'train', label: 'cfg.loss' },
  { key: 'optimizer', type: 'enum', choices: OPTIMIZERS, default: 'sgd', group: 'train', label: 'cfg.optimizer' },
  { key: 'lr', type: 'number', min: 1e-6, max: LIMITS.lr.max, step: 0.001, log: true, default: 0.1, group: 'train', label: 'cfg.lr', live: true },
  { key: 'momentum', type: 'number', min: 0, max: 0.99, step: 0.01, default: 0, group: 'train', label: 'cfg.momentum' },
  { key: 'batchSize', type: 'int', min: LIMITS.batchSize.min, max: LIMITS.batchSize.max, default: 32, group: 'train', label: 'cfg.batchSize' },
  { key: 'l2', type: 'number', min: 0, max: 1, step: 0.0001, default: 0, group: 'train', label: 'cfg.l2' },
  { key: 'clip', type: 'enum', choices: CLIPS, default: 'none', group: 'train', label: 'cfg.clip' },
  { key: 'clipMax', type: 'number', min: 1e-6, max: 1e6, step: 0.01, log: true, default: 1, group: 'train', label: 'cfg.clipMax' },
  { key: 'seed', type: 'int', min: 0, max: 4294967295, default: 1, group: 'train', label: 'cfg.seed' },
]);

// A null-prototype object: "constructor", "toString" or "__proto__" in a URL
// must not be mistaken for settings inherited from Object.prototype.
export const SCHEMA_BY_KEY = Object.freeze(Object.assign(Object.create(null), Object.fromEntries(SCHEMA.map((f) => [f.key, f]))));

/** A fresh config holding every default. */
export function defaults() {
  return Object.fromEntries(SCHEMA.map((f) => [f.key, f.default]));
}

/**
 * Check one value (already of the right JS type or a string to convert).
 * Returns { value } or { error } — the error names the key and its range.
 */
export function coerce(field, raw) {
  const f = typeof field === 'string' ? SCHEMA_BY_KEY[field] : field;
  if (!f) return { error: `${field} is not a setting` };
  if (f.nullable && (raw === null || raw === '' || raw === 'default')) return { value: null };
  switch (f.type) {
    case 'enum': {
      const v = String(raw);
      return f.choices.includes(v) ? { value: v } : { error: `${f.key} must be one of ${f.choices.join(', ')}, got ${JSON.stringify(String(raw).slice(0, 40))}` };
    }
    case 'bool': {
      if (raw === true || raw === 'true' || raw === '1' || raw === 1 || raw === '') return { value: true };
      if (raw === false || raw === 'false' || raw === '0' || raw === 0) return { value: false };
      return { error: `${f.key} must be true or false, got ${JSON.stringify(String(raw).slice(0, 40))}` };
    }
    case 'string': {
      const v = String(raw);
      if (v.length > f.maxLength || (f.pattern && !f.pattern.test(v))) return { error: `${f.key} has characters or a length that are not allowed` };
      return { value: v };
    }
    default: {   // int, number
      const v = typeof raw === 'number' ? raw : (typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN);
      const isInt = f.type === 'int';
      if (!Number.isFinite(v) || (isInt && !Number.isInteger(v)) || v < f.min || v > f.max) {
        return { error: `${f.key} must be ${isInt ? 'an integer' : 'a number'} in ${f.min}..${f.max}, got ${JSON.stringify(String(raw).slice(0, 40))}` };
      }
      return { value: v };
    }
  }
}

/**
 * Cross-field rules the table alone cannot say. Returns a list of
 * { key, error }; each offending key is then reset to its default by parse().
 */
export function crossCheck(c) {
  const problems = [];
  if (c.layers) {
    const acts = c.layers.split(',');
    if (acts.length !== c.depth) problems.push({ key: 'layers', error: `layers must list ${c.depth} activations (one per hidden layer), got ${acts.length}` });
    else {
      const bad = acts.find((a) => !ACTIVATIONS.includes(a));
      if (bad !== undefined) problems.push({ key: 'layers', error: `layers: ${JSON.stringify(bad)} is not an activation (${ACTIVATIONS.join(', ')})` });
    }
  }
  return problems;
}

/**
 * Read a config from key/value pairs (a URL hash, element attributes, CLI
 * flags). Never throws: an unknown key or a bad value is reported in
 * `notices` and that field falls back to its default, field by field.
 */
export function parseEntries(entries) {
  const config = defaults();
  const notices = [];
  for (const [key, raw] of entries) {
    const f = SCHEMA_BY_KEY[key];
    if (!f) { notices.push({ key: String(key).slice(0, 40), error: `${String(key).slice(0, 40)} is not a setting; ignored` }); continue; }
    const r = coerce(f, raw);
    if (r.error) notices.push({ key, error: `${r.error}; using ${JSON.stringify(f.default)}` });
    else config[key] = r.value;
  }
  for (const p of crossCheck(config)) {
    notices.push({ key: p.key, error: `${p.error}; using ${JSON.stringify(SCHEMA_BY_KEY[p.key].default)}` });
    config[p.key] = SCHEMA_BY_KEY[p.key].default;
  }
  return { config, notices };
}

// The hash is capped: anything longer is junk (a full config is ~400 chars).
export const MAX_HASH_LENGTH = 4096;

/** Parse a URL hash ('#depth=20&activation=relu' or without '#'). */
export function parseHash(hash) {
  let text = String(hash ?? '');
  const notices = [];
  if (text.length > MAX_HASH_LENGTH) { notices.push({ key: 'hash', error: `the link is ${text.length} characters long (at most ${MAX_HASH_LENGTH}); using defaults` }); text = ''; }
  if (text.startsWith('#')) text = text.slice(1);
  const params = new URLSearchParams(text);
  const entries = [...params.entries()].filter(([k]) => !RESERVED_HASH_KEYS.has(k));
  const parsed = parseEntries(entries);
  return { config: parsed.config, notices: notices.concat(parsed.notices), extra: Object.fromEntries([...params.entries()].filter(([k]) => RESERVED_HASH_KEYS.has(k))) };
}

// Keys the hash may carry that are not config fields (page state):
//   data     the learner's small data set (csv.js encodeSmallDataset)
//   compare  runs B–D as differences from the config (compare-state.js)
export const RESERVED_HASH_KEYS = new Set(['lang', 'lesson', 'embed', 'view', 'data', 'compare']);

/** Serialize every field (not just non-defaults: a link must keep reproducing the same run even if defaults change). */
export function serializeHash(config, extra = {}) {
  const params = new URLSearchParams();
  for (const f of SCHEMA) {
    const v = config[f.key];
    params.set(f.key, v === null ? 'default' : String(v));
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== null) params.set(k, String(v));
  return '#' + params.toString();
}

/**
 * Which classes / features the dataset has (digits is fixed). For 'csv' they
 * come from `data` ({ features, classes }); without it a 2-feature,
 * 2-class placeholder (nothing is trained until the data is there).
 */
export function datasetShape(c, data = null) {
  if (c.dataset === 'digits') return { features: 64, classes: 10 };
  if (c.dataset === 'csv') return data ? { features: data.features, classes: data.classes } : { features: 2, classes: 2 };
  const classes = c.dataset === 'spiral' || c.dataset === 'gaussians' ? c.classes : 2;
  return { features: 2, classes };
}

/** The JS API dataset spec (digits is loaded with gs.loadDigits; 'csv' needs `data` = { X, y, features, classes }). */
export function toDatasetSpec(c, data = null) {
  if (c.dataset === 'digits') return { kind: 'digits', trainShare: c.trainShare, seed: c.seed };
  if (c.dataset === 'csv') {
    if (!data) throw new Error('dataset "csv" needs your data: paste or open a CSV file, or add points');
    return { kind: 'arrays', X: data.X, y: data.y, features: data.features, classes: data.classes, trainShare: c.trainShare, seed: c.seed };
  }
  return { kind: c.dataset, rows: c.rows, noise: c.noise, classes: datasetShape(c).classes, trainShare: c.trainShare, seed: c.seed };
}

/** The JS API net config for this playground config (`data`: the learner's data set for dataset 'csv'). */
export function toNetConfig(c, data = null) {
  const { features, classes } = datasetShape(c, data);
  const acts = c.layers ? c.layers.split(',') : Array(c.depth).fill(c.activation);
  const hidden = acts.map((activation) => {
    const layer = { units: c.width, activation, batchnorm: c.batchnorm };
    if (c.slope !== null && (activation === 'leaky_relu' || activation === 'prelu')) layer.slope = c.slope;
    return layer;
  });
  const takesScale = { normal: 'std', uniform: 'limit', xavier_uniform: 'gain', xavier_normal: 'gain', orthogonal: 'gain' }[c.init];
  const init = takesScale ? { kind: c.init, [takesScale]: c.initScale } : { kind: c.init };
  const optimizer = c.optimizer === 'adam'
    ? { kind: 'adam', lr: c.lr, weightDecay: c.l2 }
    : { kind: 'sgd', lr: c.lr, momentum: c.momentum, weightDecay: c.l2 };
  return {
    inputs: features, outputs: classes, batchSize: c.batchSize, seed: c.seed, hidden,
    loss: c.loss, init, bias: { constant: 0, std: c.biasStd }, optimizer,
    clip: c.clip === 'none' ? { kind: 'none' } : { kind: c.clip, max: c.clipMax },
  };
}

/** Keys whose value differs between two configs (for compare mode and notices). */
export function diffConfigs(a, b) {
  return SCHEMA.filter((f) => a[f.key] !== b[f.key]).map((f) => f.key);
}
