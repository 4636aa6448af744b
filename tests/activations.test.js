// activations.test.js — the vectorised activations (csrc/vecmath.h) against
// float64 references from JS Math, over 200k points spanning the whole float
// range that matters, with stated error bounds; and the SIMD and scalar builds
// giving bit-identical activation values (same operations, lane by lane).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadGradscope } from '../web/gradscope.js';

const builds = { simd: await loadGradscope({ simd: true }), scalar: await loadGradscope({ simd: false }) };

// Activation values for the inputs xs, through the public API: one hidden
// layer of 1024 units with W = x (one input), b = 0 and X = [1], so
// u = x·1 + 0 = x exactly; 1024 inputs at a time.
function activate(gs, activation, xs) {
  const units = 1024, out = new Float32Array(xs.length);
  const net = gs.createNet({ inputs: 1, outputs: 1, batchSize: 1, hidden: [{ units, activation }], init: 'zeros', loss: 'mse' });
  for (let at = 0; at < xs.length; at += units) {
    const W = new Float32Array(units);
    W.set(xs.subarray(at, at + units));
    net.setParams(0, { W });
    net.forward([1]);
    const { pre, post } = net.activations(0);
    for (let i = 0; i < units; i++) if (pre[i] !== W[i]) assert.fail(`u must equal x exactly: ${pre[i]} vs ${W[i]}`);   // (−0 becomes +0: 0 + (−0) = +0)
    out.set(post.subarray(0, Math.min(units, xs.length - at)), at);
  }
  net.free();
  return out;
}

function grid() {
  const xs = [];
  for (let i = 0; i < 100000; i++) xs.push(-30 + 60 * i / 99999);              // the working range, dense
  for (let e = -40; e <= 2; e += 0.001) xs.push(10 ** e, -(10 ** e));           // tiny to large, log-spaced
  xs.push(0, -0, 0.625, -0.625, 0.62499997, 87, 88, 89, -87, -88, -100, 100, 1e30, -1e30);
  return Float32Array.from(xs);
}
const xs = grid();
const ref = { sigmoid: (x) => 1 / (1 + Math.exp(-x)), tanh: Math.tanh, swish: (x) => x / (1 + Math.exp(-x)) };

// Bound: |y − r| ≤ 1e-6·|r| + 1e-35, i.e. relative error ≤ 1e-6 (≈ 8 float
// ulps; the measured worst is printed) except for results below ~1e-35:
// exp returns 0 below FLT_MIN ≈ 1.2e-38 (no subnormals), and swish then
// multiplies by |x| ≤ ~100.
for (const act of ['sigmoid', 'tanh', 'swish']) {
  test(`${act}: relative error ≤ 1e-6 against float64 over ${xs.length} points`, () => {
    const y = activate(builds.simd, act, xs);
    let worst = 0, at = 0;
    for (let i = 0; i < xs.length; i++) {
      const r = ref[act](xs[i]);
      if (!Number.isFinite(r)) { assert.ok(Number.isNaN(r) ? Number.isNaN(y[i]) : y[i] === r || Math.abs(y[i]) > 1e30, `${act}(${xs[i]})`); continue; }
      const err = Math.abs(y[i] - r) / (1e-6 * Math.abs(r) + 1e-35) * 1e-6;   // in units of relative error
      if (err > worst) { worst = err; at = xs[i]; }
    }
    assert.ok(worst <= 1e-6, `${act}: worst relative error ${worst.toExponential(2)} at x = ${at}`);
    console.log(`# ${act}: worst relative error ${worst.toExponential(2)} at x = ${at}`);
  });
}

test('far tails are exact limits: tanh(±1e30) = ±1, sigmoid(1e30) = 1, sigmoid(−1e30) ≈ 0', () => {
  const y = activate(builds.simd, 'tanh', Float32Array.from([1e30, -1e30]));
  assert.deepEqual([...y], [1, -1]);
  const s = activate(builds.simd, 'sigmoid', Float32Array.from([1e30, -1e30]));
  assert.equal(s[0], 1); assert.ok(s[1] >= 0 && s[1] < 1e-37, `sigmoid(-1e30) = ${s[1]}`);
});

// vecmath.h: P and Q share their constant term and the result is (P/Q)·x,
// so P/Q rounds to 1 once x² is below float resolution and tanh returns x
// itself, subnormals included (a product like P·x would lose their bits).
test('tanh(x) = x exactly for tiny x, subnormals included, in both builds', () => {
  const tiny = Float32Array.from([1e-4, -3e-5, 1e-10, -2.5e-20, 1e-30, 1.2e-38, -1e-40, 1e-44, 1.4e-45]);
  for (const build of ['simd', 'scalar']) {
    const y = activate(builds[build], 'tanh', tiny);
    assert.deepEqual([...y].slice(2), [...tiny].slice(2), `${build}: tanh of the values below 1e-9`);
    for (const i of [0, 1]) assert.ok(Math.abs(y[i] - Math.tanh(tiny[i])) <= 1e-7 * Math.abs(tiny[i]), `${build}: tanh(${tiny[i]})`);
  }
});

for (const act of ['sigmoid', 'tanh', 'swish', 'relu', 'leaky_relu', 'elu', 'selu']) {
  test(`${act}: SIMD and scalar builds give bit-identical values`, () => {
    const a = activate(builds.simd, act, xs.subarray(0, 50021));   // an odd count: SIMD body + scalar tail
    const b = activate(builds.scalar, act, xs.subarray(0, 50021));
    let diff = 0;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) diff++;
    assert.equal(diff, 0, `${diff} values differ`);
  });
}
