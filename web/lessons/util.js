// util.js — small pure helpers shared by the lesson checks. No wasm, no DOM:
// every function here reads the per-step records that readRecord() returns
//   { global: { loss, accuracy, gradNorm, clipScale, nonFiniteLayer, ... },
//     layers: [ { gradNormW, gradNormB, deltaNorm, actStd, dead, gain, ... } ] }
// (hidden layers first, the output layer last).

import { defaults } from '../config.js';

export const LANGS = Object.freeze(['en', 'zh-Hant']);

/** A two-language string. */
export const tr = (en, zh) => Object.freeze({ en, 'zh-Hant': zh });

/** A complete playground config: every key of the schema, defaults overridden. */
export const makeConfig = (over) => Object.freeze({ ...defaults(), ...over });

/**
 * How many records a check reads: `steps: 0` means the one record at
 * initialisation; an ensemble run (`nets` > 1, only at initialisation) reads
 * one initialisation record per net.
 */
export const recordsNeeded = (steps, nets = 1) => (nets > 1 ? nets : Math.max(1, steps | 0));

/**
 * The seed of net k of an ensemble run: the run's seed, then the next ones
 * (wrapping inside the config's 32-bit seed range). Net 0 is the run itself,
 * so the watched net is always one member of its ensemble.
 */
export const ensembleSeed = (seed, k) => (seed + k) % 2 ** 32;

/** The hidden layers of one record (the output layer dropped). */
export const hidden = (record) => record.layers.slice(0, -1);

export const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
export const log2 = Math.log2;

/** Least-squares slope of ys against 0, 1, 2, … */
export function slope(ys) {
  const n = ys.length, xm = (n - 1) / 2, ym = mean(ys);
  let sxy = 0, sxx = 0;
  ys.forEach((y, i) => { sxy += (i - xm) * (y - ym); sxx += (i - xm) ** 2; });
  return sxy / sxx;
}

/** Ratios v[l] / v[l+1] of a per-layer statistic between consecutive layers (toward the input). */
export const ratiosTowardInput = (values) => values.slice(0, -1).map((v, i) => v / values[i + 1]);

/** Geometric mean of positive numbers. */
export const geoMean = (xs) => Math.exp(mean(xs.map(Math.log)));

/** Mean of a global statistic over the last `k` records of a window. */
export function tailMean(records, key, k) {
  const tail = records.slice(-k);
  return mean(tail.map((r) => r.global[key]));
}

export const isFiniteRecord = (r) => r.global.nonFiniteLayer < 0 && Number.isFinite(r.global.loss);

/**
 * The records a check reads: the first `need` records of the run. A run that
 * stopped early at a NaN/Inf is complete too (nothing more will come).
 * Returns { records, complete }.
 */
export function window(history, steps, nets = 1) {
  const need = recordsNeeded(steps, nets);
  const records = (history ?? []).slice(0, need);
  const stopped = records.length > 0 && !isFiniteRecord(records[records.length - 1]);
  return { records, complete: records.length >= need || stopped, need };
}

/** The result of a check that has not yet seen enough records. */
export function pending(have, need) {
  return { passed: false, pending: true, measured: { steps: have }, expected: { steps: `${need}` }, details: `waiting for ${need} step record(s), have ${have}` };
}

const show = (v) => (typeof v !== 'number' ? String(v) : !Number.isFinite(v) ? String(v)
  : v === 0 ? '0' : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(3) : Number(v.toPrecision(4)).toString());

/**
 * Build a check result from a list of conditions
 *   { name, value: number, ok: boolean, expect: 'text' }.
 * passed = every condition holds; details lists each one.
 */
export function verdict(conditions, prefix = '') {
  const measured = {}, expected = {};
  const lines = [];
  for (const c of conditions) {
    const key = prefix + c.name;
    measured[key] = c.value;
    expected[key] = c.expect;
    lines.push(`${c.ok ? '✓' : '✗'} ${key} = ${show(c.value)} (expected ${c.expect})`);
  }
  return { passed: conditions.every((c) => c.ok), measured, expected, details: lines.join('\n') };
}

/** Is x within [lo, hi]? (false for NaN) */
export const within = (x, lo, hi) => x >= lo && x <= hi;
export const fmt = show;

/** Mean-field theory through ctx.gs (the page and the tests pass the loaded API). */
export function theory(ctx, args) {
  if (typeof ctx?.gs?.theory !== 'function') throw new Error('this lesson\'s check needs ctx.gs (the loaded gradscope API) for gs.theory()');
  return ctx.gs.theory(args);
}
