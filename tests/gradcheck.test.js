// gradcheck.test.js — every backward path of the core against central finite
// differences, and the activations' forward values against double-precision
// reference formulas. Run: node --test tests/gradcheck.test.js
//
// The reference is independent of the code under test: the only thing we take
// from the core is the scalar loss L(θ) that net.backward() returns, and we
// differentiate it numerically,  ∂L/∂θ ≈ (L(θ+h) − L(θ−h)) / (θ₊ − θ₋),
// where θ₊ = fround(θ+h) and θ₋ = fround(θ−h) are the float32 values the core
// actually stores (so the denominator is the real step, not the intended 2h).
//
// Float32 choices, explained:
//   * h = 4e-3 (≈ 2⁻⁸), with Richardson extrapolation over h, h/2, h/4
//     (see gradcheck()). A plain central difference has truncation error
//     h²·|L'''|/6 and rounding noise ≈ ε₃₂·|L|/h; with batch norm over 4–6 rows L
//     is so curved that D(4e-3) can be 3–5 % off a correct gradient, while the
//     extrapolated value agrees to ~1e-4 relative. The smallest step, 1e-3,
//     bounds the rounding noise: measured on the BN-layer biases (whose exact
//     gradient is 0, so fd is pure noise) it stays below ≈ 3e-4·|L|.
//   * Tolerance, normwise per tensor: max|fd − g| ≤ 2e-2·max|g| + 5e-4·max(1,|L|).
//     The absolute term sits just above that measured noise floor (the brief's
//     1e-4 is below it for L ~ 1 with h/4 = 1e-3). A wrong formula (a missing
//     factor, a dropped term, a wrong sign, a wrong row) gives errors of the
//     order of max|g| itself, 50× above the relative term.
//   * Kinks: relu, leaky_relu, prelu and selu have a jump in φ′ at u = 0, and elu
//     in φ″. A central difference that straddles a kink measures an average of
//     the two one-sided slopes, so every pre-activation u of the batch is kept
//     at |u| ≥ MARGIN = 25·h away from 0 (parameters are redrawn, layer by
//     layer, until true). One perturbation moves any u by at most
//     ~h·|input|·∏|W| ≪ MARGIN here; as a guard, an entry whose perturbed
//     forwards flip the sign of any kinked u is skipped (≤ 5 % may be).
//   * Params are random but moderate (W ~ N(0, 1/fan_in)), inputs ~ N(0, 1),
//     so no unit saturates (saturation is a valid point but a weak test).
//
// Batch norm: backward() runs in training mode, which also moves the BN running
// statistics. The training-mode loss uses batch statistics only, so that does
// not change L, and the finite differences stay consistent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadGradscope } from '../web/gradscope.js';

const BUILDS = [true, false];
const ACTIVATIONS = ['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'prelu', 'elu', 'selu', 'swish'];
const KINKED = new Set(['relu', 'leaky_relu', 'prelu', 'selu', 'elu']);
const H = 4e-3;
const MARGIN = 25 * H;
const REL_TOL = 2e-2, ABS_TOL = 5e-4;   // ABS_TOL is multiplied by max(1, |L|): see the header

const SELU_SCALE = 1.0507009873554804934193349852946;
const SELU_ALPHA = 1.6732632423543772848170429916717;

// ---- a small seeded PRNG so the test is reproducible (mulberry32) ----------
function rng(seed) {
  let s = seed >>> 0;
  const u = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const int = (lo, hi) => lo + Math.floor(u() * (hi - lo + 1));
  return { u, normal, int };
}

const gsCache = new Map();
async function load(simd) {
  if (!gsCache.has(simd)) gsCache.set(simd, await loadGradscope({ simd }));
  return gsCache.get(simd);
}

/** Random moderate parameters for every layer of `net`. */
function randomizeParams(net, r) {
  for (let l = 0; l < net.layerCount; l++) {
    const p = net.getParams(l);
    const fanIn = net.sizes[l];
    const values = {};
    values.W = Array.from(p.W, () => r.normal() / Math.sqrt(fanIn));
    values.b = Array.from(p.b, () => 0.3 * r.normal());
    if (p.gamma) {
      values.gamma = Array.from(p.gamma, () => (r.u() < 0.2 ? -1 : 1) * (0.6 + 0.8 * r.u()));   // a few negative γ too
      values.beta = Array.from(p.beta, () => 0.3 * r.normal());
    }
    if (p.slope) values.slope = [0.1 + 0.3 * r.u()];
    net.setParams(l, values);
  }
}

/** Smallest |u| of hidden layer l for a training-mode forward of X. */
function layerKinkDistance(net, X, l) {
  net.forward(X, { training: true });
  let m = Infinity;
  for (const u of net.activations(l).pre) m = Math.min(m, Math.abs(u));
  return m;
}

/**
 * Random params with every kinked pre-activation at least `margin` from 0.
 * Greedy, layer by layer from the input: redrawing layer l changes nothing below
 * it, so each layer only has to be lucky on its own B×units values.
 */
function placeAwayFromKinks(net, X, r, margin) {
  randomizeParams(net, r);
  for (let l = 0; l < net.layerCount - 1; l++) {
    if (!KINKED.has(net.config.hidden[l].activation)) continue;
    let tries = 0;
    while (layerKinkDistance(net, X, l) < margin) {
      if (++tries > 5000) throw new Error(`could not keep layer ${l}'s pre-activations ≥ ${margin} from the kink`);
      randomizeOneLayer(net, l, r);
    }
  }
}
function randomizeOneLayer(net, l, r) {
  const p = net.getParams(l), fanIn = net.sizes[l], values = {};
  values.W = Array.from(p.W, () => r.normal() / Math.sqrt(fanIn));
  values.b = Array.from(p.b, () => 0.3 * r.normal());
  if (p.gamma) {
    values.gamma = Array.from(p.gamma, () => (r.u() < 0.2 ? -1 : 1) * (0.6 + 0.8 * r.u()));
    values.beta = Array.from(p.beta, () => 0.3 * r.normal());
  }
  if (p.slope) values.slope = [0.1 + 0.3 * r.u()];
  net.setParams(l, values);
}

/** Sign pattern (u > 0) of every kinked hidden layer's pre-activations after the latest forward. */
function kinkSigns(net) {
  const out = [];
  for (let l = 0; l < net.layerCount - 1; l++) {
    if (!KINKED.has(net.config.hidden[l].activation)) continue;
    for (const u of net.activations(l).pre) out.push(u > 0);
  }
  return out;
}
const sameSigns = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Compare analytic g and finite differences fd for one tensor; returns a diagnostic string or null. */
function compare(name, g, fd, absTol) {
  let maxG = 0, maxErr = 0, at = -1;
  for (let i = 0; i < g.length; i++) {
    maxG = Math.max(maxG, Math.abs(g[i]));
    const e = Math.abs(fd[i] - g[i]);
    if (e > maxErr) { maxErr = e; at = i; }
  }
  const tol = REL_TOL * maxG + absTol;
  if (!(maxErr <= tol)) return `${name}: max|fd−g| = ${maxErr.toExponential(3)} > tol ${tol.toExponential(3)} (max|g| = ${maxG.toExponential(3)}; worst index ${at}: g = ${g[at]}, fd = ${fd[at]})`;
  return null;
}

function pickIndices(len, sample, r) {
  if (!sample || len <= sample) return Array.from({ length: len }, (_, i) => i);
  const set = new Set();
  while (set.size < sample) set.add(r.int(0, len - 1));
  return [...set];
}

/**
 * Full gradient check of one net on one batch. Checks W, b, gamma, beta, slope of
 * every layer and ∂L/∂X. `sample` (optional) limits the entries checked per tensor.
 *
 * The derivative estimate is a Richardson-extrapolated central difference:
 *   D(h) = (L(θ₊) − L(θ₋)) / (θ₊ − θ₋),   fd = (4·D(h/2) − D(h)) / 3,
 * which cancels the h² truncation term. That matters with batch norm over 3–6
 * rows, where L is strongly curved (a plain D(4e-3) can be 5 % off a correct
 * gradient there, while D(1e-4) agrees to 1e-4). The rounding noise grows only
 * by ≈ 5/3 relative to D(h/2).
 * For kinked activations, an entry whose perturbations flip the sign of any
 * pre-activation is skipped (the difference would straddle a kink); at most 5 %
 * of the entries may be skipped.
 */
function gradcheck(net, X, y, r, sample = 0) {
  const problems = [];
  const kinked = net.config.hidden.some((h) => KINKED.has(h.activation));
  // analytic gradients at θ
  const loss0 = net.backward(X, y, { inputGrad: true });
  assert.ok(Number.isFinite(loss0), `loss at θ must be finite, got ${loss0}`);
  const signs0 = kinked ? kinkSigns(net) : null;
  const absTol = ABS_TOL * Math.max(1, Math.abs(loss0));
  const grads = [];
  for (let l = 0; l < net.layerCount; l++) grads.push(net.getGrads(l));
  const gX = net.inputGrad();
  assert.equal(gX.length, X.length, 'inputGrad() has one entry per entry of X');
  let checked = 0, skipped = 0;

  // derivative of L along one coordinate; `apply(v)` installs value v, returns the loss
  function derivative(v, apply) {
    let flipped = false;
    const D = (h) => {
      const plus = Math.fround(v + h), minus = Math.fround(v - h);
      const lp = apply(plus);
      if (kinked && !sameSigns(kinkSigns(net), signs0)) flipped = true;
      const lm = apply(minus);
      if (kinked && !sameSigns(kinkSigns(net), signs0)) flipped = true;
      return (lp - lm) / (plus - minus);
    };
    const d1 = D(H), d2 = D(H / 2), d4 = D(H / 4);
    const r1 = (4 * d2 - d1) / 3, r2 = (4 * d4 - d2) / 3;   // h² term cancelled
    return flipped ? null : (16 * r2 - r1) / 15;              // h⁴ term cancelled too
  }

  for (let l = 0; l < net.layerCount; l++) {
    const params = net.getParams(l);
    for (const key of ['W', 'b', 'gamma', 'beta', 'slope']) {
      if (!params[key]) {
        assert.equal(grads[l][key], undefined, `layer ${l} has no ${key} but getGrads returned one`);
        continue;
      }
      assert.ok(grads[l][key], `getGrads(${l}) must return ${key}`);
      assert.equal(grads[l][key].length, params[key].length, `grad ${key} of layer ${l} has the parameter's length`);
      const base = Float32Array.from(params[key]);
      const g = [], fd = [];
      for (const i of pickIndices(base.length, sample, r)) {
        const t = Float32Array.from(base);
        const d = derivative(base[i], (v) => { t[i] = v; net.setParams(l, { [key]: t }); return net.backward(X, y); });
        net.setParams(l, { [key]: base });
        if (d === null) { skipped++; continue; }
        checked++;
        g.push(grads[l][key][i]);
        fd.push(d);
      }
      const p = compare(`layer ${l} ${key}`, g, fd, absTol);
      if (p) problems.push(p);
    }
  }
  // ∂L/∂X
  {
    const base = Float32Array.from(X);
    const g = [], fd = [];
    for (const i of pickIndices(base.length, sample, r)) {
      const t = Float32Array.from(base);
      const d = derivative(base[i], (v) => { t[i] = v; return net.backward(t, y); });
      if (d === null) { skipped++; continue; }
      checked++;
      g.push(gX[i]);
      fd.push(d);
    }
    const p = compare('inputGrad', g, fd, absTol);
    if (p) problems.push(p);
  }
  if (skipped > 0.05 * (checked + skipped)) problems.push(`${skipped} of ${checked + skipped} entries straddled a kink (more than 5 %)`);
  return problems;
}

function makeCase(gs, { act, bn, loss, depth, seed, rowsLess = false }) {
  const r = rng(seed);
  const inputs = r.int(2, 5), outputs = r.int(2, 4);
  const batchSize = rowsLess ? r.int(5, 7) : r.int(4, 6);
  const rows = rowsLess ? batchSize - 1 : batchSize;   // 4–6 rows either way; rows < batchSize exercises partial batches
  const hidden = Array.from({ length: depth }, () => ({
    units: r.int(3, 7), activation: act, batchnorm: bn,
    ...(act === 'leaky_relu' || act === 'prelu' ? { slope: 0.2 } : {}),
  }));
  const net = gs.createNet({ inputs, outputs, batchSize, seed: 1 + (seed % 1000), hidden, loss });
  const X = Float32Array.from({ length: rows * inputs }, () => r.normal());
  const y = loss === 'cross_entropy'
    ? Array.from({ length: rows }, () => r.int(0, outputs - 1))
    : Float32Array.from({ length: rows * outputs }, () => r.normal());
  // Params with every kinked pre-activation ≥ MARGIN from 0.
  placeAwayFromKinks(net, X, r, MARGIN);
  return { net, X, y, r };
}

for (const simd of BUILDS) {
  const build = simd ? 'simd' : 'scalar';

  for (const act of ACTIVATIONS) {
    test(`[${build}] finite-difference gradcheck: ${act}, every parameter, ±BN, both losses, depth 1–3`, async () => {
      const gs = await load(simd);
      const problems = [];
      let caseNo = 0;
      for (const bn of [false, true]) {
        for (const loss of ['cross_entropy', 'mse']) {
          for (const depth of [1, 2, 3]) {
            caseNo++;
            const seed = 1000 * (ACTIVATIONS.indexOf(act) + 1) + 10 * caseNo + (simd ? 0 : 5);
            const { net, X, y, r } = makeCase(gs, { act, bn, loss, depth, seed, rowsLess: depth === 2 });
            try {
              for (const p of gradcheck(net, X, y, r)) problems.push(`bn=${bn} loss=${loss} depth=${depth} sizes=${net.sizes.join('-')} rows=${X.length / net.config.inputs}: ${p}`);
            } finally { net.free(); }
          }
        }
      }
      assert.deepEqual(problems, [], problems.join('\n'));
    });
  }

  test(`[${build}] gradcheck on wider nets (SIMD panels and tails), sampled ≥ 30 entries per tensor`, async () => {
    const gs = await load(simd);
    const problems = [];
    const cases = [
      { act: 'tanh', bn: false, loss: 'cross_entropy', widths: [37, 19], inputs: 11, outputs: 5, B: 9 },
      { act: 'swish', bn: true, loss: 'mse', widths: [33, 16], inputs: 8, outputs: 3, B: 7 },
      { act: 'prelu', bn: false, loss: 'cross_entropy', widths: [17, 24], inputs: 13, outputs: 6, B: 6 },
    ];
    let seed = 77;
    for (const c of cases) {
      const r = rng(seed++);
      const net = gs.createNet({
        inputs: c.inputs, outputs: c.outputs, batchSize: c.B, seed,
        hidden: c.widths.map((units) => ({ units, activation: c.act, batchnorm: c.bn })), loss: c.loss,
      });
      const X = Float32Array.from({ length: c.B * c.inputs }, () => r.normal());
      const y = c.loss === 'cross_entropy' ? Array.from({ length: c.B }, () => r.int(0, c.outputs - 1))
        : Float32Array.from({ length: c.B * c.outputs }, () => r.normal());
      // With ~100 pre-activations per layer a margin of 25·h is unlikely; 4·h is
      // enough together with the sign-flip check inside gradcheck().
      placeAwayFromKinks(net, X, r, 4 * H);
      try {
        for (const p of gradcheck(net, X, y, r, 30)) problems.push(`${c.act} bn=${c.bn} ${c.loss} sizes=${net.sizes.join('-')}: ${p}`);
      } finally { net.free(); }
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  // ---- forward values of every activation vs double-precision formulas ----
  test(`[${build}] activation forward values match double-precision reference formulas (selu, swish, and the rest)`, async () => {
    const gs = await load(simd);
    const sigmoid = (x) => 1 / (1 + Math.exp(-x));
    const refs = {
      linear: (x) => x,
      sigmoid,
      tanh: Math.tanh,
      relu: (x) => (x > 0 ? x : 0),
      leaky_relu: (x) => (x > 0 ? x : 0.2 * x),
      prelu: (x) => (x > 0 ? x : Math.fround(0.3) * x),
      elu: (x) => (x > 0 ? x : Math.expm1(x)),
      selu: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
      swish: (x) => x * sigmoid(x),
    };
    // Inputs: exactly representable in float32 (so the reference sees the same u),
    // spanning saturation, the kink region and tiny magnitudes.
    const xs = [-30, -12, -7.5, -3, -1.25, -1, -0.5, -0.1, -1e-3, -1e-6, 0, 1e-6, 1e-3, 0.1, 0.5, 1, 1.25, 3, 7.5, 12, 30]
      .concat(Array.from({ length: 43 }, (_, i) => -5 + i * 0.2381)).map(Math.fround);
    const n = xs.length;
    const bad = [];
    for (const act of ACTIVATIONS) {
      const slope = act === 'leaky_relu' ? 0.2 : act === 'prelu' ? 0.3 : undefined;
      // One hidden layer of n units fed by a single input with W = 1, b = x_j: u_j = 1·1 + (x_j − 1)?
      // Simpler and exact: input 1, W_j = x_j, b_j = 0 → u_j = x_j exactly (one product by 1).
      const net = gs.createNet({ inputs: 1, outputs: 1, batchSize: 1, hidden: [{ units: n, activation: act, ...(slope !== undefined ? { slope } : {}) }] });
      net.setParams(0, { W: xs, b: new Float32Array(n), ...(act === 'prelu' ? { slope: 0.3 } : {}) });
      net.forward([1]);
      const { pre, post } = net.activations(0);
      for (let j = 0; j < n; j++) {
        assert.equal(pre[j], xs[j], `u must equal the input exactly (${act}, j=${j})`);
        const ref = refs[act](xs[j]);
        // float32: a correctly computed value is within a few ulps (≈ 6e-8 relative each);
        // allow 1e-6 relative plus a tiny absolute floor for results near 0.
        const tol = 1e-6 * Math.abs(ref) + 1e-12;
        if (!(Math.abs(post[j] - ref) <= tol)) bad.push(`${act}(${xs[j]}) = ${post[j]}, reference ${ref}, diff ${Math.abs(post[j] - ref)}`);
      }
      net.free();
    }
    assert.deepEqual(bad, [], bad.join('\n'));
  });

  // Focused on the PReLU slope: ∂L/∂slope = Σ_{u≤0} ∂L/∂a · u. A one-layer net
  // whose every unit is negative on every row makes the slope the only path, and the
  // reference is the closed form, computed in JS from the core's own forward values.
  test(`[${build}] PReLU slope gradient equals Σ (∂L/∂a)·u over u ≤ 0 (closed form) and the finite difference`, async () => {
    const gs = await load(simd);
    const problems = [];
    for (const slope of [0.25, 0.5, -0.7, 1.5]) {
      const net = gs.createNet({ inputs: 2, outputs: 2, batchSize: 4, loss: 'mse', hidden: [{ units: 3, activation: 'prelu', slope }] });
      net.setParams(0, { W: [1, 0, 0, 1, 1, 1], b: [-4, -4, -4], slope });   // u = Wx − 4 < 0 for these X
      net.setParams(1, { W: [1, 2, 3, -1, 0.5, 2], b: [0, 0] });
      const X = [-1, -2, 1, -1, -0.5, 0.3, 2, 1];
      const T = [0.5, -1, 1, 0, 0, 0.25, -0.5, 2];
      net.backward(X, T);
      const g = net.getGrads(0).slope[0];
      // closed form: a = slope·u (all u < 0), z = a·W2ᵀ + b2, L = mean (z − t)², ∂L/∂slope = Σ_n,j ∂L/∂a_nj · u_nj
      const { pre } = net.activations(0), z = net.forward(X, { training: true });
      const W2 = [[1, 2, 3], [-1, 0.5, 2]];
      let ref = 0;
      for (let n = 0; n < 4; n++) for (let j = 0; j < 3; j++) {
        assert.ok(pre[n * 3 + j] < 0, 'the setup keeps every u negative');
        let dA = 0;
        for (let k = 0; k < 2; k++) dA += (2 * (z[n * 2 + k] - T[n * 2 + k]) / 8) * W2[k][j];
        ref += dA * pre[n * 3 + j];
      }
      const h = 1e-3;
      net.setParams(0, { slope: Math.fround(slope + h) }); const lp = net.backward(X, T);
      net.setParams(0, { slope: Math.fround(slope - h) }); const lm = net.backward(X, T);
      const fd = (lp - lm) / (Math.fround(slope + h) - Math.fround(slope - h));   // L is quadratic in slope: exact up to rounding
      if (!(Math.abs(g - ref) <= 1e-4 * Math.abs(ref) + 1e-6)) problems.push(`slope ${slope}: getGrads slope = ${g}, closed form ${ref}, fd ${fd}, ratio g/ref = ${(g / ref).toFixed(4)}`);
      assert.ok(Math.abs(fd - ref) <= 1e-3 * Math.abs(ref) + 1e-5, `the two references agree (fd ${fd}, closed form ${ref})`);
      net.free();
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  test(`[${build}] selu constants: selu(1) = λ and selu(−∞) → −λα to float precision`, async () => {
    const gs = await load(simd);
    const net = gs.createNet({ inputs: 1, outputs: 1, batchSize: 1, hidden: [{ units: 3, activation: 'selu' }] });
    net.setParams(0, { W: [1, -40, 2], b: [0, 0, 0] });
    net.forward([1]);
    const a = net.activations(0).post;
    assert.ok(Math.abs(a[0] - SELU_SCALE) <= 1e-7 * SELU_SCALE, `selu(1) = ${a[0]}, expected ${SELU_SCALE}`);
    assert.ok(Math.abs(a[1] + SELU_SCALE * SELU_ALPHA) <= 1e-6, `selu(-40) = ${a[1]}, expected ${-SELU_SCALE * SELU_ALPHA}`);
    assert.ok(Math.abs(a[2] - 2 * SELU_SCALE) <= 2e-7 * SELU_SCALE, `selu(2) = ${a[2]}`);
    net.free();
  });

  test(`[${build}] loss values match closed forms (cross-entropy via log-sum-exp, mse without ½)`, async () => {
    // A net with one linear hidden layer of identity weights passes X straight through
    // to the logits when the output layer is identity too, so the loss is a pure function of X.
    const gs = await load(simd);
    const r = rng(4242);
    for (const loss of ['cross_entropy', 'mse']) {
      const O = 4, B = 5;
      const net = gs.createNet({ inputs: O, outputs: O, batchSize: B, loss, hidden: [{ units: O, activation: 'linear' }] });
      const I4 = Array.from({ length: O * O }, (_, k) => (Math.floor(k / O) === k % O ? 1 : 0));
      net.setParams(0, { W: I4, b: new Float32Array(O) });
      net.setParams(1, { W: I4, b: new Float32Array(O) });
      const X = Float32Array.from({ length: B * O }, () => 3 * r.normal());
      const y = loss === 'cross_entropy' ? Array.from({ length: B }, () => r.int(0, O - 1)) : Float32Array.from({ length: B * O }, () => r.normal());
      const L = net.backward(X, y);
      let ref = 0;
      for (let n = 0; n < B; n++) {
        const z = Array.from(X.subarray(n * O, n * O + O));
        if (loss === 'cross_entropy') {
          const m = Math.max(...z);
          ref += m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0)) - z[y[n]];
        } else {
          for (let k = 0; k < O; k++) ref += (z[k] - y[n * O + k]) ** 2;
        }
      }
      ref /= loss === 'cross_entropy' ? B : B * O;
      assert.ok(Math.abs(L - ref) <= 1e-6 * Math.max(1, Math.abs(ref)), `${loss}: core ${L}, reference ${ref}`);
      net.free();
    }
  });
}
