// PyTorch oracle: activations.json — f(x), f′(x) and PReLU's ∂f/∂slope on the
// 79-point grid, through the public API of both wasm builds.
//
// How a net exposes f and f′ exactly:
//   net: 1 input → hidden layer of 79 units (the activation) → 1 output, mse, B = 1.
//   hidden: W = x (79×1), b = 0, X = [1]   → z_j = 0 + 1·x_j = x_j exactly, so
//           activations(0).pre = x and .post = f(x).
//   output: W = ones (1×79), b = 1024       → z_out = 1024 + Σ_j f(x_j).
//   target: t = z_out − 0.5 (float32). Every |z_out| here is in [512, 2048), where
//           the float32 spacing is ≤ 2^-13, so z_out − 0.5 is exact and the core's
//           mse gradient is dL/dz_out = 2·(z_out − t)/(B·O) = 2·0.5/1 = 1 exactly.
//           (The test checks this before using it.)
//   Then dL/da_j = 1·W_out[j] = 1, so the hidden layer's δ_j = f′(x_j)·1 and
//   getGrads(0).W[j] = δ_j·X = f′(x_j), getGrads(0).b[j] = f′(x_j).
// PReLU's ∂f/∂slope: the core only exposes Σ_j dL/da_j·∂a_j/∂slope (one scalar per
// layer), so each grid point k is isolated with W_out = e_k (dL/da = e_k):
// getGrads(0).slope = ∂f/∂slope at x_k. The all-ones W_out gives the sum as well.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadOracle, loadBuilds, f32Tol, Checker, zeros, withNet } from './helpers/oracle.js';

const act = loadOracle('activations.json');
const TOL = f32Tol(act, 'activations');
const X = act.x, N = X.length;
const builds = await loadBuilds();

function layerFor(c) {
  const p = c.params;
  if (c.activation === 'leaky_relu') return { activation: 'leaky_relu', slope: p.negative_slope };
  if (c.activation === 'prelu') return { activation: 'prelu', slope: p.slope };
  if (c.activation === 'elu' && p.alpha !== 1) return null;   // the core's elu has α = 1 only
  return { activation: c.activation };
}

/** Run the 79-unit probe net; returns { pre, post, dW, db, dslopeSum, dslope[] }. */
async function probe(gs, c) {
  const layer = layerFor(c);
  return withNet(gs, { inputs: 1, outputs: 1, batchSize: 1, loss: 'mse', hidden: [{ units: N, ...layer }] }, (net) => {
    net.setParams(0, { W: X, b: zeros(N), ...(layer.activation === 'prelu' ? { slope: layer.slope } : {}) });
    const unitGrad = (Wout) => {
      net.setParams(1, { W: Wout, b: [1024] });
      const [z] = net.forward([1]);
      const t = Math.fround(z - 0.5);
      assert.ok(z - t === 0.5, `probe construction: z_out − t must be exactly 0.5 (z_out = ${z}, t = ${t})`);
      net.backward([1], [t]);
    };
    unitGrad(new Array(N).fill(1));
    const { pre, post } = net.activations(0);
    const g = net.getGrads(0);
    const out = { pre, post, dW: g.W, db: g.b };
    if (layer.activation === 'prelu') {
      out.dslopeSum = g.slope[0];
      out.dslope = [];
      for (let k = 0; k < N; k++) {
        const e = zeros(N); e[k] = 1;
        unitGrad(e);
        out.dslope.push(net.getGrads(0).slope[0]);
      }
    }
    return out;
  });
}

for (const { name, gs } of builds) {
  describe(`oracle activations.json [${name} build]`, () => {
    for (const c of act.cases) {
      const layer = layerFor(c);
      if (!layer) { test.skip(`${c.id}: activation params ${JSON.stringify(c.params)} not supported by the core`); continue; }
      test(`${c.id}: f(x), f'(x)${c.dy_dslope ? ", df/dslope" : ''} on the 79-point grid`, async () => {
        const r = await probe(gs, c);
        const ck = new Checker(`activations.json ${c.id} [${name}]`);
        ck.elementwise('pre = x (probe input)', r.pre, X, TOL, X);
        ck.elementwise('y = f(x)', r.post, c.y, TOL, X);
        ck.elementwise("dy_dx via dL/dW (dL/da = 1)", r.dW, c.dy_dx, TOL, X);
        ck.elementwise("dy_dx via dL/db (dL/da = 1)", r.db, c.dy_dx, TOL, X);
        if (c.dy_dslope) {
          ck.elementwise('dy_dslope (one grid point at a time)', r.dslope, c.dy_dslope, TOL, X);
          const sum = c.dy_dslope.reduce((s, v) => s + v, 0);
          ck.normwise('Σ dy_dslope (dL/da = 1 everywhere)', [r.dslopeSum], [sum], TOL);
        }
        ck.done();
      });
    }

    // The kinks, named one by one (they are also inside the grids above).
    const at0 = X.indexOf(0);
    const kinkCases = [
      ['relu', "relu'(0) = 0", (r) => r.dW[at0]],
      ['leaky_relu', "leaky_relu'(0) = slope 0.01", (r) => r.dW[at0]],
      ['leaky_relu_negative_slope0.2', "leaky_relu'(0) = slope 0.2", (r) => r.dW[at0]],
      ['elu', "elu'(0) = 1", (r) => r.dW[at0]],
      ['sigmoid', "sigmoid'(0) = 0.25", (r) => r.dW[at0]],
      ['prelu', 'prelu d/dx(0) = slope 0.25', (r) => r.dW[at0]],
      ['prelu', 'prelu d/dslope(0) = 0', (r) => r.dslope[at0], 'dy_dslope'],
      ['prelu_slope-0.5', 'prelu d/dx(0) = slope −0.5', (r) => r.dW[at0]],
      ['prelu_slope-0.5', 'prelu d/dslope(0) = 0', (r) => r.dslope[at0], 'dy_dslope'],
    ];
    for (const [id, what, get, field = 'dy_dx'] of kinkCases) {
      const c = act.cases.find((k) => k.id === id);
      test(`kink ${id}: ${what}`, async () => {
        assert.ok(c, `case ${id} missing from activations.json`);
        const r = await probe(gs, c);
        const ck = new Checker(`activations.json ${id} kink [${name}]`);
        ck.elementwise(`${what} (oracle ${c[field][at0]})`, [get(r)], [c[field][at0]], TOL);
        ck.done();
      });
    }
  });
}
