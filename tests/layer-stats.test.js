// layer-stats.test.js — the per-layer statistics the charts show (actMean,
// actStd, preactStd, saturated, dead, gain, weightNorm, gradNormW/B), against
// the same quantities recomputed here in float64 from what the core exposes
// raw: the pre- and post-activations of the batch (net.activations), the
// weights and the gradients (getParams / getGrads).
//
// The core computes them in one fused SIMD pass per layer (csrc/stats.c);
// this test is its independent reference. Shapes are chosen so the SIMD body
// and the scalar tail both run (units not a multiple of 4), rows where a float
// partial would lose precision fall back to double (tiny activations), and
// every activation family is covered, on both builds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadGradscope } from '../web/gradscope.js';

const builds = { simd: await loadGradscope({ simd: true }), scalar: await loadGradscope({ simd: false }) };

// φ′ from (u, a), in float64, as documented in csrc/activation.c (torch's
// conventions: relu′(0) = 0; sigmoid′, tanh′ from the output).
const SELU_ALPHA = 1.6732632423543772, SELU_SCALE = 1.0507009873554805;
const f = Math.fround;
const dphi = {
  sigmoid: (u, a) => f(a * f(1 - a)),
  tanh: (u, a) => f(1 - f(a * a)),
  relu: (u) => (u > 0 ? 1 : 0),
  leaky_relu: (u, a, s) => (u > 0 ? 1 : s),
  prelu: (u, a, s) => (u > 0 ? 1 : s),
  elu: (u) => (u > 0 ? 1 : Math.exp(u)),
  selu: (u) => (u > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(u)),
  swish: (u) => { const s = 1 / (1 + Math.exp(-u)); return s * (1 + u * (1 - s)); },
};
const TAILS = { sigmoid: [0.01, 0.99], tanh: [-0.99, 0.99] };

function reference({ pre, post }, W, gW, gb, activation, slope, rows, units) {
  const n = rows * units;
  let sa = 0, sa2 = 0, su = 0, su2 = 0, sd2 = 0, outside = 0;
  const alive = new Array(units).fill(false);
  for (let i = 0; i < n; i++) {
    const a = post[i], u = pre[i], d = dphi[activation](u, a, slope);
    sa += a; sa2 += a * a; su += u; su2 += u * u; sd2 += d * d;
    const tail = TAILS[activation];
    if (tail && (a < f(tail[0]) || a > f(tail[1]))) outside++;
    if (d !== 0) alive[i % units] = true;
  }
  const sq = (v) => v.reduce((t, x) => t + x * x, 0);
  const actMean = sa / n, preMean = su / n;
  return {
    actMean, actStd: Math.sqrt(Math.max(0, sa2 / n - actMean ** 2)), preactStd: Math.sqrt(Math.max(0, su2 / n - preMean ** 2)),
    saturated: outside / n, dead: alive.filter((x) => !x).length / units,
    gain: (sq(W) / units) * (sd2 / n), weightNorm: Math.sqrt(sq(W)),
    gradNormW: Math.sqrt(sq(gW)), gradNormB: Math.sqrt(sq(gb)),
  };
}

// Relative agreement: the core sums float partials per row (≈ units·2⁻²⁴
// relative) where this sums every element in double.
function close(got, want, what) {
  const tol = 2e-5 * Math.abs(want) + 1e-12;
  assert.ok(Math.abs(got - want) <= tol, `${what}: core ${got}, float64 reference ${want}`);
}

const CASES = [
  // [activation, init std (a large one saturates sigmoid/tanh and kills ReLUs), bias std]
  ['sigmoid', 1.5, 1], ['tanh', 1.2, 0.5], ['relu', 0.6, 0.5], ['leaky_relu', 0.6, 0.5],
  ['prelu', 0.6, 0.5], ['elu', 0.5, 0.5], ['selu', 0.4, 0.3], ['swish', 0.5, 0.5],
  ['tanh', 1e-19, 0],   // tiny values: their float squares lose bits, the rows fall back to double
];

for (const [name, gs] of Object.entries(builds)) {
  for (const [activation, std, biasStd] of CASES) {
    test(`${name} build, ${activation} (init std ${std}): every layer statistic matches a float64 recomputation`, () => {
      const rows = 9, units = [13, 7, 22];
      const net = gs.createNet({
        inputs: 5, outputs: 3, batchSize: rows, seed: 7, loss: 'cross_entropy',
        hidden: units.map((u) => ({ units: u, activation, ...(activation === 'leaky_relu' ? { slope: 0.1 } : {}) })),
        init: { kind: 'normal', std }, bias: { std: biasStd },
      });
      try {
        let s = 1;
        const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 4 - 2;
        const X = Float32Array.from({ length: rows * 5 }, rnd), y = Int32Array.from({ length: rows }, (_, i) => i % 3);
        net.backward(X, y);
        const stats = net.layerStats();
        let sawSaturation = false, sawDead = false;
        units.forEach((O, l) => {
          const { W } = net.getParams(l), g = net.getGrads(l);
          const slope = activation === 'prelu' ? net.getParams(l).slope[0] : activation === 'leaky_relu' ? f(0.1) : 0;
          const ref = reference(net.activations(l), W, g.W, g.b, activation, slope, rows, O);
          for (const [k, v] of Object.entries(ref)) close(stats[l][k], v, `layer ${l} ${k}`);
          sawSaturation ||= ref.saturated > 0;
          sawDead ||= ref.dead > 0;
        });
        // the cases exercise what they are meant to (not vacuous zeros)
        if (['sigmoid', 'tanh'].includes(activation) && std > 1) assert.ok(sawSaturation, 'no saturated outputs: the case tests nothing');
        if (activation === 'relu') assert.ok(sawDead, 'no dead units: the case tests nothing');
      } finally { net.free(); }
    });
  }
}
