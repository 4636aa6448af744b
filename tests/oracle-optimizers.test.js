// PyTorch oracle: optimizers.json — the 8 per-step cases (given gradients) and
// the 2 end-to-end training loops, all through the core's public API.
//
// Per-step cases: the parameters are one dense layer W (3×4), b (3), and the
// gradient before each step is given. The net puts them in hidden layer 0 and
// injects the given gradient exactly:
//
//   inputs 4 → layer 0 (the case's W, b; 3 linear units) → output layer 4×3,
//   W1 = [I3; 0], b1 = 0; loss mse with B = 16 rows, O = 4 outputs.
//   z_out[:, 0:3] = z0 (exact: ·1 and +0), z_out[:, 3] = 0.
//   The core's mse gradient is δ = fl32(2(z − t)/(B·O)) (csrc/loss.c); JS
//   reproduces it bit for bit (coreMseGrad), so the targets t are chosen by
//   searching float32 neighbours until δ is exactly what the construction needs.
//   Rows, with c = 2^-12 (a power of two: products with ±c are exact):
//     row 2i   X = +c·e_i, δ[:, j] = δA[j] ≈ G[j][i]/(2c)
//     row 2i+1 X = −c·e_i, δ[:, j] = −δA[j] exactly
//     row 8    X = 0,      δ[:, j] ≈ g_b[j]
//     rows 9–15 X = 0,     δ = 0 (t = z)
//   Then dL/dW0[j][i] = δA·c + (−δA)(−c) = 2c·δA ≈ G[j][i], and
//   dL/db0[j] = (δA − δA) + … + g_b[j]: the pairs cancel exactly in the core's
//   row-order sum, so a zero gradient (W[2][3] always, b[1] at step 1) is
//   exactly zero — which matters for Adam, where a 1e-9 residue would move the
//   parameter by ≈ lr. The test verifies the injected gradients before stepping.
//   The output layer also gets stepped; it is reset to [I3; 0], 0 before each
//   step (its optimiser state is irrelevant: updates are per element).
// The optimiser state (momentum buffer, Adam moments) is not exposed by the
// API, so it is checked through its effect on the parameters of later steps.
//
// Training loops: 4 → 6 tanh → 3, CE, clip_grad_norm_ 0.5, exactly the net of the
// file; loss_before_step, grads_raw, total_norm_before_clip, the clip factor
// and params_after are compared at each of the 3 steps.
//
// Finally, a JS float64 re-implementation of torch's SGD/Adam is checked
// against the per-step cases, including the state. That part checks this
// test's reading of the formulas (and the oracle), not the core.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadOracle, loadBuilds, f32Tol, f64Tol, Checker, flat, zeros, withNet, coreMseGrad, targetFor, f32Step } from './helpers/oracle.js';

const opt = loadOracle('optimizers.json');
const TOL = f32Tol(opt, 'optimizer');
const TOL64 = f64Tol(opt, 'optimizer');
const clipFile = loadOracle('clipping.json');
const CLIP_TOL = f32Tol(clipFile, 'clipping');
const BWD_TOL = f32Tol(loadOracle('mlp_forward_backward.json'), 'backward');
const builds = await loadBuilds();

function optimizerConfig(kind, h) {
  if (kind === 'sgd') {
    assert.equal(h.dampening, 0, 'the core implements dampening 0 only');
    return { kind: 'sgd', lr: h.lr, momentum: h.momentum, nesterov: h.nesterov, weightDecay: h.weight_decay };
  }
  assert.ok(!h.amsgrad, 'the core implements amsgrad = false only');
  return { kind: 'adam', lr: h.lr, beta1: h.betas[0], beta2: h.betas[1], eps: h.eps, weightDecay: h.weight_decay };
}

// ---------------------------------------------------------------------------
// Exact gradient injection for a 3×4 layer (see the header).
const NI = 4, NO = 3, OUT = 4, B = 16, C = 2 ** -12;
const X_ROWS = (() => {
  const X = [];
  for (let i = 0; i < NI; i++) for (const s of [1, -1]) for (let k = 0; k < NI; k++) X.push(k === i ? s * C : 0);
  while (X.length < B * NI) X.push(0);
  return X;
})();
const W_OUT = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0];   // [I3; 0], 4×3 row-major

/** Float32 targets making the core's δ inject gradient (G 3×4 nested, gb 3). */
function targetsFor(z, G, gb) {
  const T = Array.from(z);                        // default t = z → δ = 0 exactly
  const at = (n, j) => n * OUT + j;
  for (let i = 0; i < NI; i++) {
    const rA = 2 * i, rB = 2 * i + 1;
    for (let j = 0; j < NO; j++) {
      const g = Math.fround(G[j][i]);
      if (g === 0) continue;
      const zA = z[at(rA, j)], zB = z[at(rB, j)];
      const t0 = Math.fround(zA - (g / (2 * C)) * (B * OUT) / 2);
      let done = false;
      for (let k = 0; k <= 32 && !done; k++) {
        for (const s of k ? [k, -k] : [0]) {
          const tA = f32Step(t0, s);
          const dA = coreMseGrad(zA, tA, B, OUT);
          if (Math.abs(2 * C * dA - g) > 1e-6 * Math.abs(g)) continue;
          const tB = targetFor(zB, -dA, B, OUT);
          if (tB === null) continue;
          T[at(rA, j)] = tA; T[at(rB, j)] = tB; done = true; break;
        }
      }
      if (!done) throw new Error(`gradient injection: no float32 target pair for G[${j}][${i}] = ${g}`);
    }
  }
  for (let j = 0; j < NO; j++) {
    const g = Math.fround(gb[j]);
    if (g === 0) continue;
    const z8 = z[at(8, j)];
    T[at(8, j)] = targetFor(z8, g, B, OUT) ?? Math.fround(z8 - g * (B * OUT) / 2);
  }
  return T;
}

// ---------------------------------------------------------------------------
// JS float64 torch.optim reference (not the core): returns per-step { params, state }.
function referenceSteps(c) {
  const h = c.hyperparameters;
  let p = c.params_initial.map((t) => flat(t));
  let buf = null, m = p.map((t) => t.map(() => 0)), v = p.map((t) => t.map(() => 0));
  const out = [];
  c.grads.forEach((gradList, step) => {
    const t = step + 1;
    const g = gradList.map((x, k) => flat(x).map((gi, i) => gi + h.weight_decay * p[k][i]));
    if (c.optimizer === 'sgd') {
      let d = g;
      if (h.momentum !== 0) {
        buf = buf === null ? g.map((x) => x.slice()) : buf.map((b, k) => b.map((bi, i) => h.momentum * bi + (1 - h.dampening) * g[k][i]));
        d = h.nesterov ? g.map((x, k) => x.map((gi, i) => gi + h.momentum * buf[k][i])) : buf;
      }
      p = p.map((x, k) => x.map((pi, i) => pi - h.lr * d[k][i]));
      out.push({ params: p, momentum_buffer: buf });
    } else {
      const [b1, b2] = h.betas;
      m = m.map((x, k) => x.map((mi, i) => b1 * mi + (1 - b1) * g[k][i]));
      v = v.map((x, k) => x.map((vi, i) => b2 * vi + (1 - b2) * g[k][i] ** 2));
      const bc1 = 1 - b1 ** t, bc2 = 1 - b2 ** t;
      p = p.map((x, k) => x.map((pi, i) => pi - (h.lr / bc1) * m[k][i] / (Math.sqrt(v[k][i]) / Math.sqrt(bc2) + h.eps)));
      out.push({ params: p, exp_avg: m, exp_avg_sq: v });
    }
  });
  return out;
}

for (const { name, gs } of builds) {
  describe(`oracle optimizers.json [${name} build]`, () => {
    for (const c of opt.cases) {
      test(`${c.id}: params after steps 1-3 with the given gradients (exact injection through a net)`, async () => {
        assert.deepEqual(c.shapes, [[3, 4], [3]], 'construction assumes shapes [[3,4],[3]]');
        await withNet(gs, { inputs: NI, outputs: OUT, batchSize: B, loss: 'mse', hidden: [{ units: NO, activation: 'linear' }],
          optimizer: optimizerConfig(c.optimizer, c.hyperparameters) }, (net) => {
          const ck = new Checker(`optimizer ${c.id} [${name}]`);
          net.setParams(0, { W: flat(c.params_initial[0]), b: c.params_initial[1] });
          c.steps.forEach((s, t) => {
            const [G, gb] = c.grads[t];
            net.setParams(1, { W: W_OUT, b: zeros(OUT) });
            const z = net.forward(X_ROWS);
            net.backward(X_ROWS, targetsFor(z, G, gb));
            const g = net.getGrads(0);
            ck.normwise(`step ${s.step}: injected dL/dW = grads[${t}][0]`, g.W, G, { rtol: 1e-6, atol: 0 });
            ck.normwise(`step ${s.step}: injected dL/db = grads[${t}][1]`, g.b, gb, { rtol: 1e-6, atol: 0 });
            const Gf = flat(G);
            ck.ok(`step ${s.step}: zero gradients injected exactly`,
              Gf.every((v, k) => v !== 0 || g.W[k] === 0) && gb.every((v, k) => v !== 0 || g.b[k] === 0),
              `W: ${Array.from(g.W).filter((_, k) => Gf[k] === 0)}, b: ${Array.from(g.b).filter((_, k) => gb[k] === 0)}`);
            net.step();
            const p = net.getParams(0);
            ck.normwise(`steps[${t}] (step ${s.step}).params[0] (W)`, p.W, s.params[0], TOL);
            ck.normwise(`steps[${t}] (step ${s.step}).params[1] (b)`, p.b, s.params[1], TOL);
          });
          ck.done();
        });
      });
    }

    for (const c of opt.training_loop_cases) {
      test(`training loop ${c.id}: loss, raw grads, total norm, clip factor, params after each of 3 steps`, async () => {
        const [nin, nh, nout] = c.layer_sizes;
        await withNet(gs, { inputs: nin, outputs: nout, batchSize: c.X.length, hidden: [{ units: nh, activation: 'tanh' }],
          optimizer: optimizerConfig(c.optimizer, c.hyperparameters), clip: { kind: 'norm', max: c.clip_grad_norm_max_norm } }, (net) => {
          const ck = new Checker(`training loop ${c.id} [${name}]`);
          const [W1, b1, W2, b2] = c.params_initial;
          net.setParams(0, { W: flat(W1), b: b1 });
          net.setParams(1, { W: flat(W2), b: b2 });
          const X = flat(c.X);
          c.steps.forEach((s, t) => {
            const tag = `steps[${t}] (step ${s.step})`;
            const loss = net.backward(X, c.labels);
            ck.normwise(`${tag}.loss_before_step`, [loss], [s.loss_before_step], TOL);
            const g0 = net.getGrads(0), g1 = net.getGrads(1);
            ck.normwise(`${tag}.grads_raw[0] (W1)`, g0.W, s.grads_raw[0], BWD_TOL);
            ck.normwise(`${tag}.grads_raw[1] (b1)`, g0.b, s.grads_raw[1], BWD_TOL);
            ck.normwise(`${tag}.grads_raw[2] (W2)`, g1.W, s.grads_raw[2], BWD_TOL);
            ck.normwise(`${tag}.grads_raw[3] (b2)`, g1.b, s.grads_raw[3], BWD_TOL);
            const { gradNorm, clipScale } = net.step();
            ck.normwise(`${tag}.total_norm_before_clip (gradNorm)`, [gradNorm], [s.total_norm_before_clip], CLIP_TOL);
            // torch's factor, from the oracle's total norm; cross-checked by grads_clipped/grads_raw
            const coef = Math.min(1, c.clip_grad_norm_max_norm / (s.total_norm_before_clip + 1e-6));
            ck.normwise(`${tag} clip factor (clipScale)`, [clipScale], [coef], CLIP_TOL);
            ck.normwise(`${tag} oracle self-check: grads_clipped = coef·grads_raw`, flat(s.grads_clipped), flat(s.grads_raw).map((v) => v * coef), CLIP_TOL);
            const p0 = net.getParams(0), p1 = net.getParams(1);
            ck.normwise(`${tag}.params_after[0] (W1)`, p0.W, s.params_after[0], TOL);
            ck.normwise(`${tag}.params_after[1] (b1)`, p0.b, s.params_after[1], TOL);
            ck.normwise(`${tag}.params_after[2] (W2)`, p1.W, s.params_after[2], TOL);
            ck.normwise(`${tag}.params_after[3] (b2)`, p1.b, s.params_after[3], TOL);
          });
          ck.done();
        });
      });
    }
  });
}

describe('optimizers.json: JS float64 reference of the formulas (checks this test\'s reading of torch, not the core)', () => {
  for (const c of opt.cases) {
    test(`${c.id}: float64 SGD/Adam reproduces params and state`, () => {
      const ref = referenceSteps(c);
      const ck = new Checker(`float64 reference ${c.id}`);
      c.steps.forEach((s, t) => {
        for (const key of ['params', 'momentum_buffer', 'exp_avg', 'exp_avg_sq']) {
          if (s[key] === undefined) continue;
          s[key].forEach((tensor, k) => ck.normwise(`steps[${t}].${key}[${k}]`, ref[t][key][k], flat(tensor), TOL64));
        }
      });
      ck.done();
    });
  }
});
