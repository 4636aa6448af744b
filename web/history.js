// history.js — every step's statistics as the worker sent them: packed
// Float64 records (GLOBAL_STATS, then LAYER_STATS per layer), kept for
// export and for the step-0 ghost. Views keep their own decimated copies;
// this is the raw store.
//
// Memory is bounded: past MAX_DOUBLES the oldest half is thinned pairwise,
// keeping from each pair the record with the larger total gradient norm so a
// spike survives thinning (each record carries its own step number).

import { GLOBAL_STATS, LAYER_STATS } from './limits.js';

const G = GLOBAL_STATS.length, P = LAYER_STATS.length;
const MAX_DOUBLES = 8 * 1024 * 1024;   // 64 MiB of records

export const gIndex = Object.fromEntries(GLOBAL_STATS.map((k, i) => [k, i]));
export const lIndex = Object.fromEntries(LAYER_STATS.map((k, i) => [k, i]));

export class History {
  constructor(layerCount) {
    this.layerCount = layerCount;
    this.stride = G + layerCount * P;
    this.data = new Float64Array(this.stride * 256);
    this.count = 0;
    this.thinned = false;
    this.evals = [];   // { step, trainLoss, trainAcc, testLoss, testAcc }
  }

  append(records, steps) {
    const need = (this.count + steps) * this.stride;
    if (need > this.data.length) {
      if (need > MAX_DOUBLES && this.count > 2) this.#thin();
      const size = Math.max((this.count + steps) * this.stride, Math.min(this.data.length * 2, MAX_DOUBLES + steps * this.stride));
      const grown = new Float64Array(size);
      grown.set(this.data.subarray(0, this.count * this.stride));
      this.data = grown;
    }
    this.data.set(records.subarray(0, steps * this.stride), this.count * this.stride);
    this.count += steps;
  }

  #thin() {
    const s = this.stride, half = Math.floor(this.count / 2);
    let out = 0;
    for (let i = 0; i + 1 < this.count; i += 2) {
      const a = this.data[i * s + gIndex.gradNorm], b = this.data[(i + 1) * s + gIndex.gradNorm];
      const keep = !(a >= b) ? i + 1 : i;   // NaN counts as larger: keep it visible
      this.data.copyWithin(out * s, keep * s, (keep + 1) * s);
      out++;
    }
    if (this.count % 2) { this.data.copyWithin(out * s, (this.count - 1) * s, this.count * s); out++; }
    this.count = out;
    this.thinned = half > 0;
  }

  global(i, key) { return this.data[i * this.stride + gIndex[key]]; }
  layer(i, l, key) { return this.data[i * this.stride + G + l * P + lIndex[key]]; }
  get lastStep() { return this.count ? this.global(this.count - 1, 'step') : 0; }

  /** One CSV row per step: step, the globals, then every layer stat as `<stat>_<layer>` (layers 1-based, last = output). */
  toCSV() {
    const head = ['step', ...GLOBAL_STATS.filter((k) => k !== 'step')];
    for (let l = 0; l < this.layerCount; l++) for (const k of LAYER_STATS) head.push(`${k}_${l + 1}`);
    const lines = [head.join(',')];
    for (let i = 0; i < this.count; i++) {
      const row = [this.global(i, 'step')];
      for (const k of GLOBAL_STATS) if (k !== 'step') row.push(this.global(i, k));
      for (let l = 0; l < this.layerCount; l++) for (const k of LAYER_STATS) row.push(this.layer(i, l, k));
      lines.push(row.map((v) => (Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Inf' : '-Inf')).join(','));
    }
    return lines.join('\n') + '\n';
  }

  /** { layerCount, globalStats, layerStats, thinned, steps: [{ global, layers: [...] }], evals }. Non-finite numbers become null. */
  toJSON() {
    const fin = (v) => (Number.isFinite(v) ? v : null);
    const steps = [];
    for (let i = 0; i < this.count; i++) {
      const global = Object.fromEntries(GLOBAL_STATS.map((k) => [k, fin(this.global(i, k))]));
      const layers = Array.from({ length: this.layerCount }, (_, l) => Object.fromEntries(LAYER_STATS.map((k) => [k, fin(this.layer(i, l, k))])));
      steps.push({ global, layers });
    }
    return { layerCount: this.layerCount, globalStats: GLOBAL_STATS, layerStats: LAYER_STATS, thinned: this.thinned, steps, evals: this.evals };
  }
}
