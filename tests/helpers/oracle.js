// helpers/oracle.js — shared plumbing for the PyTorch-oracle tests
// (tests/oracle-*.test.js): finding and loading the oracle JSON files, the
// tolerance rules of shared/oracle/SCHEMA.md, both wasm builds, a seeded
// normal generator, and float32 helpers used to build exact test nets.
//
// The oracle lives next to the repository: <checkout>/../shared/oracle/.
// The tests resolve it from tests/ as new URL('../../shared/oracle/', …);
// this file sits one level deeper (tests/helpers/), hence one more '../'.

import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { loadGradscope } from '../../web/gradscope.js';

export const ORACLE_DIR = new URL('../../../shared/oracle/', import.meta.url);

/** Parse one oracle file; throws (loudly) if the oracle is not checked out next to the repo. */
export function loadOracle(name) {
  const url = new URL(name, ORACLE_DIR);
  const path = fileURLToPath(url);
  if (!existsSync(path)) {
    throw new Error(`PyTorch oracle file missing: ${path}\n` +
      'The oracle tests need shared/oracle/ checked out next to this repository ' +
      '(../shared/oracle/ relative to the repo root). Refusing to pass without it.');
  }
  const data = JSON.parse(readFileSync(path, 'utf8'));
  if (data.format !== 'nn-oracle/1') throw new Error(`${path}: unexpected format ${data.format} (want nn-oracle/1)`);
  return data;
}

/** The float32 column of a file's recommended tolerances, e.g. f32Tol(mlp, 'backward'). */
export function f32Tol(file, cls) {
  const t = file.recommended_tolerances?.float32_implementation?.[cls];
  if (!t || typeof t.rtol !== 'number' || typeof t.atol !== 'number') throw new Error(`no float32 tolerance '${cls}' in ${file.group}`);
  return { rtol: t.rtol, atol: t.atol };
}
export function f64Tol(file, cls) {
  const t = file.recommended_tolerances?.float64_implementation?.[cls];
  if (!t) throw new Error(`no float64 tolerance '${cls}' in ${file.group}`);
  return { rtol: t.rtol, atol: t.atol };
}

/** Both builds, loaded once: [{ name, simd, gs }]. Every oracle test runs against each. */
let buildsPromise = null;
export function loadBuilds() {
  buildsPromise ??= Promise.all([true, false].map(async (simd) => ({
    name: simd ? 'simd' : 'scalar', simd, gs: await loadGradscope({ simd }),
  })));
  return buildsPromise;
}

// ---------------------------------------------------------------- arrays ----

/** Flatten nested lists (row-major) into a plain array of numbers. */
export function flat(x) {
  if (typeof x === 'number') return [x];
  if (ArrayBuffer.isView(x)) return Array.from(x);
  const out = [];
  const walk = (v) => { if (Array.isArray(v)) v.forEach(walk); else out.push(v); };
  walk(x);
  return out;
}
export const maxAbs = (v) => { let m = 0; for (const x of v) m = Math.max(m, Math.abs(x)); return m; };
export const l2 = (v) => Math.sqrt(flat(v).reduce((s, x) => s + x * x, 0));
export const zeros = (n) => new Array(n).fill(0);
export function identity(rows, cols = rows) {
  const m = zeros(rows * cols);
  for (let i = 0; i < Math.min(rows, cols); i++) m[i * cols + i] = 1;
  return m;
}
const fmt = (x) => (typeof x === 'number' ? (Number.isInteger(x) && Math.abs(x) < 1e15 ? String(x) : x.toExponential(6)) : String(x));

// ------------------------------------------------------------ tolerances ----

/**
 * Collects comparisons against the oracle and reports every failing one
 * together (with max error, where, and the allowed tolerance) in done().
 */
export class Checker {
  constructor(label) { this.label = label; this.failures = []; this.count = 0; }

  #lengths(what, A, R) {
    if (A.length !== R.length) { this.failures.push(`${what}: length ${A.length}, oracle has ${R.length}`); return false; }
    return true;
  }

  /** normwise: max|A−R| ≤ atol + rtol·max|R| (scaleRef: use max|scaleRef| instead of max|R|). */
  normwise(what, actual, ref, { rtol, atol }, { scaleRef = null } = {}) {
    this.count++;
    const A = flat(actual), R = flat(ref);
    if (!this.#lengths(what, A, R)) return false;
    let err = 0, at = -1;
    for (let i = 0; i < A.length; i++) {
      const e = Math.abs(A[i] - R[i]);
      if (!(e <= err)) { err = e; at = i; }   // NaN counts as the worst error
    }
    const scale = maxAbs(scaleRef ? flat(scaleRef) : R);
    const tol = atol + rtol * scale;
    if (!(err <= tol)) {
      this.failures.push(`${what}: max|A−R| = ${fmt(err)} at [${at}] (A=${fmt(A[at])}, R=${fmt(R[at])}) > allowed ${fmt(tol)} ` +
        `(normwise: atol ${atol} + rtol ${rtol}·${scaleRef ? 'max|scale|' : 'max|R|'} ${fmt(scale)}; ${fmt(err / tol)}× the tolerance)`);
      return false;
    }
    return true;
  }

  /** elementwise: |A_i − R_i| ≤ atol + rtol·|R_i| for every i (activations.json). */
  elementwise(what, actual, ref, { rtol, atol }, xs = null) {
    this.count++;
    const A = flat(actual), R = flat(ref);
    if (!this.#lengths(what, A, R)) return false;
    let worst = -1, worstRatio = 0, bad = 0;
    for (let i = 0; i < A.length; i++) {
      const tol = atol + rtol * Math.abs(R[i]);
      const e = Math.abs(A[i] - R[i]);
      if (!(e <= tol)) { bad++; const ratio = Number.isNaN(e) ? Infinity : e / tol; if (ratio >= worstRatio) { worstRatio = ratio; worst = i; } }
    }
    if (bad) {
      const i = worst, tol = atol + rtol * Math.abs(R[i]);
      this.failures.push(`${what}: ${bad} element(s) out of tolerance; worst at [${i}]${xs ? ` (x = ${xs[i]})` : ''}: ` +
        `|A−R| = ${fmt(Math.abs(A[i] - R[i]))} (A=${fmt(A[i])}, R=${fmt(R[i])}) > allowed ${fmt(tol)} ` +
        `(elementwise: atol ${atol} + rtol ${rtol}·|R|; ${fmt(worstRatio)}× the tolerance)`);
      return false;
    }
    return true;
  }

  /** A plain condition, with a message that says what was expected. */
  ok(what, cond, detail) {
    this.count++;
    if (!cond) this.failures.push(`${what}: ${detail}`);
    return !!cond;
  }

  done() {
    assert.ok(this.failures.length === 0,
      `${this.label}: ${this.failures.length} of ${this.count} oracle comparisons failed:\n  - ${this.failures.join('\n  - ')}`);
  }
}

// ------------------------------------------------------------- float32 ----

const f32buf = new Float32Array(1), u32buf = new Uint32Array(f32buf.buffer);
/** The float32 `k` steps (ulps) away from float32 x (k may be negative). */
export function f32Step(x, k) {
  f32buf[0] = x;
  if (k === 0) return f32buf[0];
  let v = f32buf[0];
  for (let s = 0; s < Math.abs(k); s++) {
    const up = k > 0;
    if (v === 0) { f32buf[0] = up ? 1.401298464324817e-45 : -1.401298464324817e-45; v = f32buf[0]; continue; }
    f32buf[0] = v;
    if ((v > 0) === up) u32buf[0] += 1; else u32buf[0] -= 1;
    v = f32buf[0];
  }
  return v;
}

/**
 * The core's mse gradient for one element, bit for bit (csrc/loss.c):
 *   d = (double)z − (double)t;  dz = (float)(2.0·d·scale),  scale = 1.0/(B·O).
 * JS numbers are IEEE doubles, so the same operations give the same result.
 */
export function coreMseGrad(z, t, B, O) {
  const scale = 1.0 / (B * O);
  const d = z - t;
  return Math.fround(2.0 * d * scale);
}

/**
 * A float32 target t with coreMseGrad(z, t) === want exactly (want a float32),
 * searching the float32 neighbours of the obvious candidate; null if none hits.
 */
export function targetFor(z, want, B, O, reach = 24) {
  const t0 = Math.fround(z - want * (B * O) / 2);
  for (let k = 0; k <= reach; k++) {
    for (const s of k ? [k, -k] : [0]) {
      const t = f32Step(t0, s);
      if (coreMseGrad(z, t, B, O) === want) return t;
    }
  }
  return null;
}

// ------------------------------------------------------------------ rng ----

/**
 * A small seeded generator for test data (xorshift128+ seeded by splitmix64,
 * in BigInt for clarity; the data sets are small). uniform() ∈ [0,1) with 53
 * bits, normal() by Box–Muller (both values of each pair are used).
 */
export class TestRng {
  constructor(seed) {
    let s = BigInt.asUintN(64, BigInt(seed) + 0x9E3779B97F4A7C15n);
    const next = () => {
      s = BigInt.asUintN(64, s + 0x9E3779B97F4A7C15n);
      let z = s;
      z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xBF58476D1CE4E5B9n);
      z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94D049BB133111EBn);
      return z ^ (z >> 31n);
    };
    this.s0 = next(); this.s1 = next();
    this.spare = null;
  }
  u64() {
    let s1 = this.s0; const s0 = this.s1;
    const result = BigInt.asUintN(64, s0 + s1);
    this.s0 = s0;
    s1 = BigInt.asUintN(64, s1 ^ (s1 << 23n));
    this.s1 = s1 ^ s0 ^ (s1 >> 17n) ^ (s0 >> 26n);
    return result;
  }
  uniform() { return Number(this.u64() >> 11n) / 2 ** 53; }
  normal() {
    if (this.spare !== null) { const v = this.spare; this.spare = null; return v; }
    let u1;
    do { u1 = this.uniform(); } while (u1 === 0);
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }
  below(n) { return Math.floor(this.uniform() * n); }
}

// ------------------------------------------------------------- net help ----

/** createNet with the oracle tests' defaults (zeros init, plain SGD, no clipping). */
export function makeNet(gs, cfg) {
  return gs.createNet({
    seed: 1, init: 'zeros', loss: 'cross_entropy',
    optimizer: { kind: 'sgd', lr: 0.1 }, clip: { kind: 'none' },
    ...cfg,
  });
}

/** Run fn(net) and always free the net. */
export async function withNet(gs, cfg, fn) {
  const net = makeNet(gs, cfg);
  try { return await fn(net); } finally { net.free(); }
}
