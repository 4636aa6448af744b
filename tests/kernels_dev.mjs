// kernels_dev.mjs — throwaway dev harness for the SIMD128 gemm kernels.
// Builds nothing: instantiates a .wasm built by hand (see gemm_simd.c), checks
// every SIMD kernel against its scalar twin over a sweep of tail/prime shapes,
// then measures GFLOP/s against a register-only mul+add ceiling.
//   node tests/kernels_dev.mjs [/tmp/k.wasm] [--no-bench] [--no-check]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const wasmPath = args.find((a) => !a.startsWith('--')) ?? '/tmp/k.wasm';
const doCheck = !args.includes('--no-check');
const doBench = !args.includes('--no-bench');

const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {
  env: { emscripten_notify_memory_growth() {} },
  wasi_snapshot_preview1: new Proxy({}, { get: () => () => 0 }),
});
const ex = instance.exports;
const OPS = ['xwt', 'dyw', 'dytx'];
const f32 = () => new Float32Array(ex.memory.buffer); // re-made after growth

function alloc(floats) {
  const p = ex.malloc(floats * 4 + 64);
  if (!p) throw new Error('malloc failed');
  return p;
}

// out/a/b sizes per op, in floats, for B, I, O.
function sizes(op, B, I, O) {
  if (op === 0) return { out: B * O, a: B * I, b: O * I };
  if (op === 1) return { out: B * I, a: B * O, b: O * I };
  return { out: O * I, a: B * O, b: B * I };
}

let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;

const SENTINEL = 1234.5;
const GUARD = 16;
let failures = 0;

// One shape, one op: SIMD vs scalar, with guards after out and after work.
// `skew` offsets every pointer by one float (contract: 4-byte alignment only).
function check(op, B, I, O, skew, useBias) {
  const s = sizes(op, B, I, O);
  const workFloats = Number(ex.gs_kernel_work_floats(B, I, O));
  const pa = alloc(s.a), pb = alloc(s.b), pbias = alloc(O);
  const pRef = alloc(s.out + GUARD), pOut = alloc(s.out + GUARD), pAbs = alloc(s.out + GUARD);
  const pAa = alloc(s.a), pAb = alloc(s.b), pAbias = alloc(O);
  const pWork = alloc(workFloats + GUARD);
  const k = skew ? 4 : 0;
  const [a, b, bias, ref, out, abs, aa, ab, abias, work] =
    [pa, pb, pbias, pRef, pOut, pAbs, pAa, pAb, pAbias, pWork].map((p) => p + k);
  let m = f32();
  for (let x = 0; x < s.a; x++) { const v = rand(); m[a / 4 + x] = v; m[aa / 4 + x] = Math.abs(v); }
  for (let x = 0; x < s.b; x++) { const v = rand(); m[b / 4 + x] = v; m[ab / 4 + x] = Math.abs(v); }
  for (let x = 0; x < O; x++) { const v = rand(); m[bias / 4 + x] = v; m[abias / 4 + x] = Math.abs(v); }
  for (let x = 0; x < s.out + GUARD; x++) {
    const init = x < s.out ? rand() : SENTINEL; // dytx accumulates onto this
    m[ref / 4 + x] = init; m[out / 4 + x] = init; m[abs / 4 + x] = x < s.out ? Math.abs(init) : 0;
  }
  for (let x = 0; x < workFloats + GUARD; x++) m[work / 4 + x] = SENTINEL;
  const bp = op === 0 && useBias ? bias : 0, abp = op === 0 && useBias ? abias : 0;
  ex.gs_kernel_run(op, 0, ref, a, b, bp, B, I, O, work);
  ex.gs_kernel_run(op, 0, abs, aa, ab, abp, B, I, O, work); // Σ|a||b| (+|init|)
  for (let x = 0; x < workFloats + GUARD; x++) f32()[work / 4 + x] = SENTINEL;
  if (ex.gs_kernel_run(op, 1, out, a, b, bp, B, I, O, work) !== 0) throw new Error('no SIMD in this build');
  m = f32();
  let maxAbs = 0, maxRatio = 0;
  for (let x = 0; x < s.out; x++) {
    const d = Math.abs(m[out / 4 + x] - m[ref / 4 + x]);
    const bound = 1e-5 * m[abs / 4 + x] + 1e-30;
    if (!(d <= bound)) { if (failures++ < 10) console.log(`FAIL ${OPS[op]} B=${B} I=${I} O=${O} [${x}] simd=${m[out / 4 + x]} ref=${m[ref / 4 + x]}`); }
    maxAbs = Math.max(maxAbs, d); maxRatio = Math.max(maxRatio, d / bound);
  }
  for (let x = s.out; x < s.out + GUARD; x++)
    if (m[out / 4 + x] !== SENTINEL) { failures++; console.log(`FAIL ${OPS[op]} B=${B} I=${I} O=${O}: wrote past out`); break; }
  for (let x = workFloats; x < workFloats + GUARD; x++)
    if (m[work / 4 + x] !== SENTINEL) { failures++; console.log(`FAIL ${OPS[op]} B=${B} I=${I} O=${O}: wrote past work (${workFloats})`); break; }
  for (const p of [pa, pb, pbias, pRef, pOut, pAbs, pAa, pAb, pAbias, pWork]) ex.free(p);
  return { maxAbs, maxRatio };
}

if (doCheck) {
  const dims = [1, 3, 4, 7, 8, 13, 31, 67];
  const shapes = [];
  for (const B of dims) for (const I of dims) for (const O of dims) shapes.push([B, I, O]);
  // Past one K block (KC = 256) and one M block (MC = 256), primes everywhere.
  shapes.push([257, 257, 257], [257, 67, 13], [13, 257, 67], [67, 13, 257], [1, 257, 1],
    [300, 520, 9], [9, 300, 520], [520, 9, 300], [64, 64, 64], [128, 256, 256], [513, 5, 3],
    [2, 1031, 3], [3, 2, 1031]);
  const worst = OPS.map(() => ({ maxAbs: 0, maxRatio: 0, at: '' }));
  let n = 0;
  for (const [B, I, O] of shapes) for (let op = 0; op < 3; op++) {
    const r = check(op, B, I, O, n % 3 === 1, n % 2 === 0); n++;
    const w = worst[op];
    if (r.maxRatio > w.maxRatio) { w.maxRatio = r.maxRatio; w.at = `${B}x${I}x${O}`; }
    w.maxAbs = Math.max(w.maxAbs, r.maxAbs);
  }
  console.log(`check: ${shapes.length} shapes × 3 ops, ${failures} failures`);
  OPS.forEach((name, op) => console.log(`  ${name.padEnd(5)} max |simd-scalar| ${worst[op].maxAbs.toExponential(2)}, ` +
    `max |diff| / (1e-5·Σ|a||b|) ${worst[op].maxRatio.toFixed(4)} at ${worst[op].at}`));
}

// Core GHz from the integer-chain probe (8 dependent one-cycle ops per iter).
// Preemption only makes a probe read low, so the highest reading is the clock.
let maxGHz = 0;
function clockGHz() {
  const iters = 1_000_000;
  let reps = 0; const t0 = performance.now(); let t1 = t0;
  while (t1 - t0 < 30) { ex.gs_kernel_clock_probe(iters, 3, 7); reps++; t1 = performance.now(); }
  const ghz = (iters * 8 * reps) / ((t1 - t0) / 1000) / 1e9;
  maxGHz = Math.max(maxGHz, ghz);
  return ghz;
}

// The VM shares its 2 cores (another engineer builds and tests on them), so a
// trial can only be slowed down: keep the best of `trials` (≥ minMs each) and
// the median. Clock probes between trials track the clock.
function bench(fn, flops, minMs = 200, trials = 7) {
  fn();
  const gf = [];
  for (let t = 0; t < trials; t++) {
    clockGHz();
    let r = 0; const t0 = performance.now(); let t1 = t0;
    while (t1 - t0 < minMs) { fn(); r++; t1 = performance.now(); }
    gf.push((flops * r) / ((t1 - t0) / 1000) / 1e9);
  }
  clockGHz();
  gf.sort((x, y) => x - y);
  return { best: gf[gf.length - 1], median: gf[gf.length >> 1] };
}

if (doBench) {
  const iters = 5_000_000;
  const reg = bench(() => ex.gs_kernel_ceiling(iters, 1, 0), iters * 64);
  const shapes = [[64, 64, 64], [128, 128, 128], [256, 256, 256], [512, 512, 512], [1024, 1024, 1024],
    [64, 256, 256], [128, 512, 512], [128, 256, 256], [32, 64, 64], [64, 784, 128], [64, 128, 10]];
  const only = process.env.SHAPES ? JSON.parse(process.env.SHAPES) : shapes;
  const rows = [];
  for (const [B, I, O] of only) for (let op = 0; op < 3; op++) {
    const s = sizes(op, B, I, O);
    const wf = Number(ex.gs_kernel_work_floats(B, I, O));
    const ps = [alloc(s.out), alloc(s.a), alloc(s.b), alloc(O), alloc(wf)];
    const m = f32();
    for (const [p, n] of [[ps[0], s.out], [ps[1], s.a], [ps[2], s.b], [ps[3], O]])
      for (let x = 0; x < n; x++) m[p / 4 + x] = rand() * 0.01;
    const flops = 2 * B * I * O;
    const r = bench(() => ex.gs_kernel_run(op, 1, ps[0], ps[1], ps[2], op === 0 ? ps[3] : 0, B, I, O, ps[4]), flops);
    let scalar = null;
    if (flops <= 2 * 128 ** 3 && !process.env.NO_SCALAR)
      scalar = bench(() => ex.gs_kernel_run(op, 0, ps[0], ps[1], ps[2], op === 0 ? ps[3] : 0, B, I, O, ps[4]), flops, 100, 3).best;
    rows.push({ shape: `${B}×${I}×${O}`, op: OPS[op], ...r, scalar });
    ps.forEach((p) => ex.free(p));
  }
  const ceiling = 16 * maxGHz;
  const pct = (g) => `${((100 * g) / ceiling).toFixed(0)}%`.padStart(5);
  console.log(`clock ≈ ${maxGHz.toFixed(2)} GHz (best probe) → ceiling 16 flop/cycle = ${ceiling.toFixed(1)} GFLOP/s; ` +
    `register-only mul+add loop best ${reg.best.toFixed(1)} GFLOP/s (${pct(reg.best).trim()})`);
  console.log('shape B×I×O      op      best GFLOP/s %ceil | median GFLOP/s %ceil | scalar');
  for (const r of rows)
    console.log(`${r.shape.padEnd(17)}${r.op.padEnd(6)}${r.best.toFixed(1).padStart(13)} ${pct(r.best)} |` +
      `${r.median.toFixed(1).padStart(15)} ${pct(r.median)} | ${r.scalar ? r.scalar.toFixed(1).padStart(6) : ''}`);
}
process.exit(failures ? 1 : 0);
