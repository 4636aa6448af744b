// history.js — every step's statistics as the worker sent them: packed
// Float64 records (GLOBAL_STATS, then LAYER_STATS per layer), kept for
// export and for the step-0 ghost. Views keep their own decimated copies;
// this is the raw store.
//
// Memory is bounded: past MAX_DOUBLES the store is halved, pairwise,
// keeping from each pair the record with the larger total gradient norm so a
// spike survives thinning (each record carries its own step number).

import { GLOBAL_STATS, LAYER_STATS } from './limits.js';

const G = GLOBAL_STATS.length, P = LAYER_STATS.length;
const MAX_DOUBLES = 8 * 1024 * 1024;   // 64 MiB of records
// Records live in chunks of CHUNK_STEPS steps, not in one array that doubles:
// doubling a 6 MB store meant allocating 12 MB and copying 6 MB in one go,
// inside the task that received the worker's message — a 50–60 ms pause of
// the page (and a major GC after it) every time the run passed 1024, 2048, …
// steps of a 50-layer net. A new chunk costs the same small amount each time.
const CHUNK_STEPS = 64;

export const gIndex = Object.fromEntries(GLOBAL_STATS.map((k, i) => [k, i]));
export const lIndex = Object.fromEntries(LAYER_STATS.map((k, i) => [k, i]));

export class History {
  constructor(layerCount) {
    this.layerCount = layerCount;
    this.stride = G + layerCount * P;
    this.maxCount = Math.max(4, Math.floor(MAX_DOUBLES / this.stride));
    this.chunks = [];
    this.count = 0;
    this.thinned = false;
    this.evals = [];   // { step, trainLoss, trainAcc, testLoss, testAcc }
  }

  /** Append `steps` packed records (a Float64Array of steps × stride). */
  append(records, steps) {
    const s = this.stride;
    if (this.count + steps > this.maxCount && this.count > 2) this.#thin();
    for (let done = 0; done < steps;) {
      const c = Math.floor(this.count / CHUNK_STEPS), at = this.count % CHUNK_STEPS;
      if (c === this.chunks.length) this.chunks.push(new Float64Array(CHUNK_STEPS * s));
      const n = Math.min(steps - done, CHUNK_STEPS - at);
      this.chunks[c].set(records.subarray(done * s, (done + n) * s), at * s);
      done += n;
      this.count += n;
    }
  }

  /** Record i (0 = the oldest kept) as a view of `stride` numbers (GLOBAL_STATS, then LAYER_STATS per layer). */
  record(i) {
    const o = (i % CHUNK_STEPS) * this.stride;
    return this.chunks[Math.floor(i / CHUNK_STEPS)].subarray(o, o + this.stride);
  }

  #thin() {
    let out = 0;
    for (let i = 0; i + 1 < this.count; i += 2) {
      const a = this.global(i, 'gradNorm'), b = this.global(i + 1, 'gradNorm');
      const keep = Number.isNaN(a) || (!Number.isNaN(b) && a >= b) ? i : i + 1;   // NaN counts as larger: keep it visible
      if (keep !== out) this.record(out).set(this.record(keep));
      out++;
    }
    if (this.count % 2) { this.record(out).set(this.record(this.count - 1)); out++; }
    this.thinned = this.count > 1;
    this.count = out;
    this.chunks.length = Math.ceil(out / CHUNK_STEPS);
  }

  global(i, key) { return this.chunks[Math.floor(i / CHUNK_STEPS)][(i % CHUNK_STEPS) * this.stride + gIndex[key]]; }
  layer(i, l, key) { return this.chunks[Math.floor(i / CHUNK_STEPS)][(i % CHUNK_STEPS) * this.stride + G + l * P + lIndex[key]]; }
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
