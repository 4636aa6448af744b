// kernels.test.js — every matrix kernel against its scalar twin and both
// against an independent float64 reference written here in JS, over shapes
// that hit every tile tail: 1, primes, multiples of the 4×8 tile ± 1, and
// sizes that cross the 256 K/M blocks. Also: nothing outside the output is
// written (guard values), and misaligned pointers work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadGradscope } from '../web/gradscope.js';

const gs = await loadGradscope({ simd: true });
const ex = gs.exports;
const OPS = ['xwt', 'dyw', 'dytx'];

// Sizes in floats of out / a / b per op (gemm.h).
function sizes(op, B, I, O) {
  if (op === 0) return { out: B * O, a: B * I, b: O * I };
  if (op === 1) return { out: B * I, a: B * O, b: O * I };
  return { out: O * I, a: B * O, b: B * I };
}

// The math of each op in float64, straight from the definitions in gemm.h.
function reference(op, a, b, bias, init, B, I, O) {
  const out = Float64Array.from(init);
  const scale = new Float64Array(out.length);   // Σ|a||b| per output, for the tolerance
  if (op === 0) for (let n = 0; n < B; n++) for (let j = 0; j < O; j++) {
    let s = bias ? bias[j] : 0, m = bias ? Math.abs(bias[j]) : 0;
    for (let i = 0; i < I; i++) { s += a[n * I + i] * b[j * I + i]; m += Math.abs(a[n * I + i] * b[j * I + i]); }
    out[n * O + j] = s; scale[n * O + j] = m;
  }
  if (op === 1) for (let n = 0; n < B; n++) for (let i = 0; i < I; i++) {
    let s = 0, m = 0;
    for (let j = 0; j < O; j++) { s += a[n * O + j] * b[j * I + i]; m += Math.abs(a[n * O + j] * b[j * I + i]); }
    out[n * I + i] = s; scale[n * I + i] = m;
  }
  if (op === 2) for (let j = 0; j < O; j++) for (let i = 0; i < I; i++) {
    let s = out[j * I + i], m = Math.abs(s);
    for (let n = 0; n < B; n++) { s += a[n * O + j] * b[n * I + i]; m += Math.abs(a[n * O + j] * b[n * I + i]); }
    out[j * I + i] = s; scale[j * I + i] = m;
  }
  return { out, scale };
}

let seed = 20261129;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
const GUARD = 16, SENTINEL = 1234.5;

// Runs op/impl on fresh buffers (offset by `shift` floats to misalign); returns the output.
function run(op, impl, B, I, O, data, shift) {
  const sz = sizes(op, B, I, O);
  const work = Number(ex.gs_kernel_work_floats(B, I, O));
  const total = sz.out + sz.a + sz.b + O + work + 5 * GUARD + shift + 8;
  const base = ex.malloc(total * 4);
  assert.ok(base, 'malloc');
  try {
    const at = (k) => base + 4 * k;
    let k = shift;
    const pOut = k; k += sz.out + GUARD;
    const pA = k; k += sz.a + GUARD;
    const pB = k; k += sz.b + GUARD;
    const pBias = k; k += O + GUARD;
    const pWork = k; k += work + GUARD;
    const mem = () => new Float32Array(ex.memory.buffer, base, total);
    const m = mem();
    m.fill(SENTINEL);
    m.set(data.init, pOut); m.set(data.a, pA); m.set(data.b, pB); if (data.bias) m.set(data.bias, pBias);
    const rc = ex.gs_kernel_run(op, impl, at(pOut), at(pA), at(pB), data.bias ? at(pBias) : 0, B, I, O, at(pWork));
    assert.equal(rc, 0, `gs_kernel_run(${OPS[op]}, ${impl}) returned ${rc}`);
    const after = mem();
    for (const [from, len] of [[pOut + sz.out, GUARD], [pA + sz.a, GUARD], [pB + sz.b, GUARD], [pWork + work, GUARD], [0, shift]])
      for (let g = 0; g < len; g++) assert.equal(after[from + g], SENTINEL, `${OPS[op]} impl ${impl} ${B}×${I}×${O} wrote outside its buffers`);
    return after.slice(pOut, pOut + sz.out);
  } finally { ex.free(base); }
}

const DIMS = [1, 3, 4, 7, 8, 9, 13, 31, 33, 67];
const SHAPES = [];
for (const B of DIMS) for (const I of DIMS) for (const O of DIMS) if ((B * 7 + I * 3 + O) % 5 === 0 || B === 1) SHAPES.push([B, I, O]);
SHAPES.push([257, 13, 9], [5, 257, 8], [4, 9, 257], [64, 64, 64], [128, 131, 127], [300, 270, 17], [17, 513, 33],
  [9, 21, 523], [261, 19, 300], // O > GEMM_MC: dytx runs several row blocks of dW, the last one short, then the O % 4 tail
  [523, 9, 11]); // B > GEMM_KC: dytx stores the first K block, then accumulates the second

for (let op = 0; op < 3; op++) {
  test(`${OPS[op]}: SIMD and scalar twin match the float64 reference over ${SHAPES.length} shapes (tails, primes, block edges)`, () => {
    let worst = 0, caseCount = 0;
    for (const [B, I, O] of SHAPES) {
      const sz = sizes(op, B, I, O);
      const data = {
        a: Float32Array.from({ length: sz.a }, rand), b: Float32Array.from({ length: sz.b }, rand),
        // Every product overwrites its output: start it at NaN, so a kernel that read
        // it (dytx before session 7 accumulated dW += …) poisons the result.
        init: new Float32Array(sz.out).fill(NaN),
        bias: op === 0 && caseCount % 2 ? Float32Array.from({ length: O }, rand) : null,
      };
      const ref = reference(op, data.a, data.b, data.bias, new Float32Array(sz.out), B, I, O);
      for (const impl of [0, 1]) {
        const out = run(op, impl, B, I, O, data, caseCount % 3 === 0 ? 1 : 0);
        for (let k = 0; k < out.length; k++) {
          // float32 accumulation: error ≤ ~K·ε·Σ|a||b|; allow 1e-5·Σ|a||b| + 1e-6 (K ≤ 513)
          const err = Math.abs(out[k] - ref.out[k]), tol = 1e-5 * ref.scale[k] * Math.max(1, Math.sqrt(I + O + B) / 8) + 1e-6;
          if (!(err <= tol)) assert.fail(`${OPS[op]} impl ${impl} ${B}×${I}×${O} [${k}]: got ${out[k]}, reference ${ref.out[k]} (error ${err} > ${tol})`);
          worst = Math.max(worst, err / tol);
        }
      }
      caseCount++;
    }
    assert.ok(worst < 1, `worst error ${worst} of the tolerance`);
  });
}

test('the SIMD build really runs SIMD kernels (impl 1 available) and the scalar build reports none', async () => {
  assert.equal(gs.simd, true);
  const scalar = await loadGradscope({ simd: false });
  const p = scalar.exports.malloc(64);
  assert.equal(scalar.exports.gs_kernel_run(0, 1, p, p, p, 0, 1, 1, 1, p), -1);
  scalar.exports.free(p);
});
