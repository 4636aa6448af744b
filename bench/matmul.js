// matmul.js — part (a) of the bench: GFLOP/s of the three dense-layer products
// through the raw kernel hook gs_kernel_run (csrc/kernel_test.c), against the
// measured ceiling gs_bench_ceiling (csrc/bench_ceiling.c) as the 100 % line.
//
//   op 0 xwt   Y[B][O]  = X[B][I]·W[O][I]ᵀ + bias     flops 2·B·I·O
//   op 1 dyw   dX[B][I] = dY[B][O]·W[O][I]
//   op 2 dytx  dW[O][I] += dY[B][O]ᵀ·X[B][I]
//
// Owns: the shape list, buffers (one malloc per kind in each module, sized for
// the largest case), a SIMD-vs-scalar-twin check per shape, interleaved rounds.
// Measures whatever kernels the build has: a missing one is reported, not fatal.

import { summarize, timeMs, repsFor, makeRng } from './stats.js';

export const OPS = ['xwt', 'dyw', 'dytx'];
export const CUBES = [64, 128, 256, 512, 1024];
export const MLP_SHAPES = [[64, 256, 256], [128, 512, 512]];   // B × I × O
export const SCALAR_MAX_CUBE = 256;
// gs_bench_ceiling(iters, pipe) (csrc/bench_ceiling.c) runs 12 independent
// ops per iteration on `lanes` floats each: pipe 0 only multiplies, pipe 1 only
// adds. A matmul is a 1:1 mix of the two on separate pipes, so the fastest it
// can go is 2 ops × lanes × the slower pipe's rate.
export const CEILING_OPS_PER_ITER = 12;
export const CEILING_LANES = { simd: 4, scalar: 1 };
const PIPE_MUL = 0, PIPE_ADD = 1;

/** The ceiling in GFLOP/s from one timed run of each pipe's loop. */
function measureCeiling(e, build, iters) {
  const opsPerMs = (pipe) => iters * CEILING_OPS_PER_ITER / timeMs(() => e.gs_bench_ceiling(iters, pipe));
  const slower = Math.min(opsPerMs(PIPE_MUL), opsPerMs(PIPE_ADD));
  return 2 * CEILING_LANES[build] * slower / 1e6;
}

const shapeKey = (B, I, O) => `${B}×${I}×${O}`;
export const caseKey = (build, op, B, I, O) => `${build} ${op} ${shapeKey(B, I, O)}`;

function floatsOf(op, B, I, O) {
  if (op === 0) return { out: B * O, a: B * I, b: O * I };
  if (op === 1) return { out: B * I, a: B * O, b: O * I };
  return { out: O * I, a: B * O, b: B * I };
}

/** Buffers in one module's memory, sized for its largest case, filled once. */
function makeArena(gs, cases) {
  const e = gs.exports;
  let a = 1, b = 1, out = 1, bias = 1, work = 1;
  for (const c of cases) {
    const f = floatsOf(c.opIndex, c.B, c.I, c.O);
    a = Math.max(a, f.a); b = Math.max(b, f.b); out = Math.max(out, f.out); bias = Math.max(bias, c.O);
    work = Math.max(work, Number(e.gs_kernel_work_floats(c.B, c.I, c.O)));
  }
  const alloc = (floats) => gs.checkPtr(e.malloc(floats * 4 + 64));
  const arena = { a: alloc(a), b: alloc(b), out: alloc(out), ref: alloc(out), bias: alloc(bias), work: alloc(work) };
  const rand = makeRng(7);
  for (const [k, n] of [['a', a], ['b', b], ['bias', bias]]) {
    const v = gs.f32(arena[k], n);
    for (let i = 0; i < n; i++) v[i] = rand() * 2 - 1;
  }
  return arena;
}

function run(gs, arena, c, impl, out = arena.out) {
  return gs.exports.gs_kernel_run(c.opIndex, impl, out, arena.a, arena.b, c.opIndex === 0 ? arena.bias : 0, c.B, c.I, c.O, arena.work);
}

/** max |simd − scalar twin| / max |scalar twin|, on one call from a zeroed output. */
function checkAgainstTwin(gs, arena, c) {
  const n = floatsOf(c.opIndex, c.B, c.I, c.O).out;
  gs.f32(arena.out, n).fill(0); gs.f32(arena.ref, n).fill(0);
  if (run(gs, arena, c, 1) !== 0 || run(gs, arena, c, 0, arena.ref) !== 0) return NaN;
  const got = gs.f32(arena.out, n), ref = gs.f32(arena.ref, n);
  let maxDiff = 0, maxRef = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(got[i] - ref[i]);
    if (!(d <= maxDiff)) maxDiff = Number.isNaN(d) ? Infinity : d;   // NaN counts as a failure
    maxRef = Math.max(maxRef, Math.abs(ref[i]));
  }
  return maxDiff / (maxRef || 1);
}

/** The case list: every product at every cube and MLP shape, plus extra (step) shapes for simd. */
export function matmulCases(extraShapes = []) {
  const cases = [];
  const add = (build, B, I, O, kind) => OPS.forEach((op, opIndex) => {
    if (!cases.some((c) => c.key === caseKey(build, op, B, I, O))) cases.push({ key: caseKey(build, op, B, I, O), build, op, opIndex, B, I, O, kind });
  });
  for (const n of CUBES) add('simd', n, n, n, 'cube');
  for (const [B, I, O] of MLP_SHAPES) add('simd', B, I, O, 'mlp');
  for (const n of CUBES.filter((n) => n <= SCALAR_MAX_CUBE)) add('scalar', n, n, n, 'cube');
  for (const [B, I, O] of MLP_SHAPES) add('scalar', B, I, O, 'mlp');
  for (const { B, I, O } of extraShapes) add('simd', B, I, O, 'step');
  return cases;
}

/**
 * Run part (a). gs = { simd, scalar }. Returns
 * { ceiling: { simd, scalar }, cases: [{ key, build, op, B, I, O, kind, gflops, check, available }] }.
 */
// 50 ms per sample: on a shared 2-core VM one 5–10 ms preemption took 20–40 %
// off a 25 ms sample, and the medians of five such samples moved cells by ±3
// points between runs minutes apart (issue 3's 85 % line sits inside that).
export function runMatmul(gs, { rounds = 7, targetMs = 50, extraShapes = [], cores = { check() {} }, log = () => {} } = {}) {
  const cases = matmulCases(extraShapes);
  const arenas = {};
  for (const build of ['simd', 'scalar']) arenas[build] = makeArena(gs[build], cases.filter((c) => c.build === build));
  // impl 1 = SIMD kernels in the simd build; impl 0 = the scalar twins in the scalar build.
  const implOf = (c) => (c.build === 'simd' ? 1 : 0);

  // Availability, correctness and warm-up (wasm functions tier up to TurboFan after some use).
  for (const c of cases) {
    const g = gs[c.build], arena = arenas[c.build];
    c.available = run(g, arena, c, implOf(c)) === 0;
    c.check = c.available && c.build === 'simd' ? checkAgainstTwin(g, arena, c) : null;
  }
  for (const build of ['simd', 'scalar']) {
    const g = gs[build], e = g.exports;
    const until = Date.now() + 150;
    while (Date.now() < until) { for (const c of cases.filter((x) => x.build === build && x.B === 64 && x.available)) run(g, arenas[build], c, implOf(c)); e.gs_bench_ceiling(10000, PIPE_MUL); e.gs_bench_ceiling(10000, PIPE_ADD); }
  }
  for (const c of cases) {
    if (!c.available) continue;
    const g = gs[c.build], arena = arenas[c.build];
    const once = timeMs(() => run(g, arena, c, implOf(c)));
    c.reps = repsFor(once, targetMs);
    c.samples = [];
    c.pctSamples = [];
  }

  // The ceilings, calibrated to targetMs as well.
  const ceilings = {};
  for (const build of ['simd', 'scalar']) {
    const e = gs[build].exports;
    const probeIters = 1e6, ms = timeMs(() => e.gs_bench_ceiling(probeIters, PIPE_MUL));
    // Each pipe's loop gets half the target time.
    ceilings[build] = { iters: Math.max(1e5, Math.round(probeIters * targetMs / 2 / Math.max(ms, 0.01))), samples: [] };
  }

  const pairedIters = ceilings.simd.iters;   // as long as a kernel sample: one preemption skews both alike
  for (let r = 0; r < rounds; r++) {
    const start = Date.now();
    cores.check();
    for (const build of ['simd', 'scalar']) {
      const cl = ceilings[build], e = gs[build].exports;
      cl.samples.push(measureCeiling(e, build, cl.iters));
    }
    for (const c of cases) {
      if (!c.available) continue;
      const g = gs[c.build], arena = arenas[c.build], impl = implOf(c);
      cores.check();   // before the pair, never between its two runs
      // A short ceiling run right before each sample: on a shared machine the
      // paired ratio is steadier than kernel median ÷ ceiling median.
      const ceilingNow = measureCeiling(gs.simd.exports, 'simd', pairedIters);
      const ms = timeMs(() => { for (let i = 0; i < c.reps; i++) run(g, arena, c, impl); });
      const gflops = 2 * c.B * c.I * c.O * c.reps / (ms * 1e6);
      c.samples.push(gflops);
      c.pctSamples.push(100 * gflops / ceilingNow);
    }
    log(`matmul round ${r + 1}/${rounds}: ${((Date.now() - start) / 1000).toFixed(1)} s`);
  }

  for (const build of ['simd', 'scalar']) { const a = arenas[build]; for (const p of Object.values(a)) gs[build].exports.free(p); }
  const ceiling = Object.fromEntries(Object.entries(ceilings).map(([k, v]) => [k, summarize(v.samples)]));
  return {
    ceiling,
    cases: cases.map(({ key, build, op, B, I, O, kind, available, check, reps, samples, pctSamples }) =>
      ({ key, build, op, B, I, O, kind, available, check, reps, gflops: summarize(samples ?? []), pctOfCeiling: summarize(pctSamples ?? []) })),
  };
}

/** GFLOP/s (median) of a simd product at a shape, from a runMatmul result. */
export function rateOf(matmul, op, B, I, O, build = 'simd') {
  return matmul.cases.find((c) => c.key === caseKey(build, op, B, I, O))?.gflops.median ?? NaN;
}

/** % of the SIMD ceiling (median of paired samples) of a product at a shape. */
export function pctOf(matmul, op, B, I, O, build = 'simd') {
  return matmul.cases.find((c) => c.key === caseKey(build, op, B, I, O))?.pctOfCeiling.median ?? NaN;
}
