// PyTorch oracle: clipping.json — every clip_grad_norm_ and clip_grad_value_
// case, mapped exactly onto the core through the public API.
//
// Clipping is global over all gradient elements (norm) or elementwise (value),
// so only the multiset of gradient values matters, not their shapes. A net is
// built whose gradients are the case's grads_in (flattened, in order) in the
// first entries of one weight matrix, and exactly 0 everywhere else:
//
//   inputs 4 → hidden layer 0: 8 linear units, W0 = 0 (8×4), b0 = 0
//            → output layer: 8 outputs, W1 = I (8×8), b1 = 0; loss mse, B = 8.
//   So a0 = 0 and z_out = 0 for every row. Rows come in pairs per input i:
//     row 2i   X = +e_i, target t = −16·D[:,i]  →  δ_out = 2(0 − t)/(B·O) = +D[:,i]/2
//     row 2i+1 X = −e_i, target t = +16·D[:,i]  →  δ_out = −D[:,i]/2
//   (B·O = 64, so these scalings by powers of two are exact in float32.)
//   δ0 = δ_out·W1 = δ_out (linear φ), dL/dW0[:,i] = (+D/2)(+1) + (−D/2)(−1) = D[:,i]
//   exactly; dL/db0 = dL/db1 = Σ rows = 0 exactly (the pairs cancel in row
//   order); dL/dW1 = δ_outᵀ·a0 = 0.
// D (8×4 = 32 slots, row-major like W0) holds grads_in flattened, padded with 0.
// Plain SGD with lr = 1 and W0 = 0 then gives W0_after = −(clipped gradient)
// exactly; step() returns gradNorm (the total norm before clipping) and
// clipScale (the factor applied).
import { describe, test } from 'node:test';
import { loadOracle, loadBuilds, f32Tol, f64Tol, Checker, flat, zeros, identity, withNet } from './helpers/oracle.js';

const clip = loadOracle('clipping.json');
const TOL = f32Tol(clip, 'clipping');
const TOL64 = f64Tol(clip, 'clipping');
const builds = await loadBuilds();

const I = 4, H = 8, B = 2 * I;

/** Feed grads_in, take one clipped SGD step; returns { gradNorm, clipScale, gradsIn, out[] }. */
function run(gs, c, clipCfg) {
  const values = c.grads_in.flatMap((g) => flat(g));
  if (values.length > H * I) throw new Error(`${c.id}: ${values.length} gradient entries do not fit the ${H}×${I} construction`);
  const D = [...values, ...zeros(H * I - values.length)].map(Math.fround);   // D[h*I + i]
  return withNet(gs, { inputs: I, outputs: H, batchSize: B, loss: 'mse', hidden: [{ units: H, activation: 'linear' }],
    optimizer: { kind: 'sgd', lr: 1 }, clip: clipCfg }, (net) => {
    net.setParams(0, { W: zeros(H * I), b: zeros(H) });
    net.setParams(1, { W: identity(H), b: zeros(H) });
    const X = [], T = [];
    for (let i = 0; i < I; i++) {
      for (const sign of [1, -1]) {
        for (let k = 0; k < I; k++) X.push(k === i ? sign : 0);
        for (let h = 0; h < H; h++) T.push(-sign * 16 * D[h * I + i]);
      }
    }
    net.backward(X, T);
    const gradsIn = { W0: net.getGrads(0).W, other: [net.getGrads(0).b, net.getGrads(1).W, net.getGrads(1).b].flatMap((a) => Array.from(a)) };
    const { gradNorm, clipScale } = net.step();
    const W0 = net.getParams(0).W;
    // split −W0_after back into the case's tensors
    const applied = Array.from(W0, (w) => -w);
    const out = [];
    let at = 0;
    for (const g of c.grads_in) { const n = flat(g).length; out.push(applied.slice(at, at + n)); at += n; }
    return { gradNorm, clipScale, gradsIn, D, out, rest: applied.slice(at) };
  });
}

function checkConstruction(ck, r) {
  ck.normwise('construction: dL/dW0 = grads_in', r.gradsIn.W0, r.D, TOL);
  ck.ok('construction: every other gradient is exactly 0', r.gradsIn.other.every((v) => v === 0),
    `non-zero entries: ${r.gradsIn.other.filter((v) => v !== 0).slice(0, 5).join(', ')}`);
}

for (const { name, gs } of builds) {
  describe(`oracle clipping.json [${name} build]`, () => {
    for (const c of clip.clip_grad_norm_cases) {
      test(`clip_grad_norm_ ${c.id} (max_norm ${c.max_norm}): total_norm, clip_coef_clamped, grads_out`, async () => {
        const r = await run(gs, c, { kind: 'norm', max: c.max_norm });
        const ck = new Checker(`clipping ${c.id} [${name}]`);
        checkConstruction(ck, r);
        ck.normwise('total_norm (step().gradNorm)', [r.gradNorm], [c.total_norm], TOL);
        ck.normwise('clip_coef_clamped (step().clipScale)', [r.clipScale], [c.clip_coef_clamped], TOL);
        c.grads_out.forEach((g, k) => ck.normwise(`grads_out[${k}] (applied update, shape ${c.shapes[k]})`, r.out[k], flat(g), TOL));
        ck.ok('padding entries stay 0', r.rest.every((v) => v === 0), `got ${r.rest.filter((v) => v !== 0).slice(0, 5)}`);
        ck.ok('no NaN/Inf in the clipped gradients', r.out.flat().every(Number.isFinite), 'non-finite value');
        if (c.id === 'at_threshold_exact') {
          // ±0.5 entries are exact in float32, so the total is exactly 2 = max_norm and
          // torch's factor 2/(2 + 1e-6) = 0.9999995 is exactly computable: compare at the
          // float64 tolerance, which "scale only when total > max" (factor 1) fails.
          ck.normwise('at threshold: clipScale = max/(total+1e-6) (float64 tolerance)', [r.clipScale], [c.clip_coef_clamped], TOL64);
          ck.ok('at threshold: every entry is scaled (|g_out| < 0.5)', r.out.flat().every((v) => Math.abs(v) < 0.5),
            `max |g_out| = ${Math.max(...r.out.flat().map(Math.abs))}, torch gives 0.5·0.9999995`);
        }
        ck.done();
      });
    }
    for (const c of clip.clip_grad_value_cases) {
      test(`clip_grad_value_ ${c.id} (clip_value ${c.clip_value}): grads_out`, async () => {
        const r = await run(gs, c, { kind: 'value', max: c.clip_value });
        const ck = new Checker(`clipping ${c.id} [${name}]`);
        checkConstruction(ck, r);
        c.grads_out.forEach((g, k) => ck.normwise(`grads_out[${k}] (applied update, shape ${c.shapes[k]})`, r.out[k], flat(g), TOL));
        ck.ok('padding entries stay 0', r.rest.every((v) => v === 0), `got ${r.rest.filter((v) => v !== 0).slice(0, 5)}`);
        ck.done();
      });
    }
  });
}
