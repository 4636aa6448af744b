// PyTorch oracle: batchnorm.json — dense → BatchNorm1d → activation blocks.
// Each block is a hidden layer with batchnorm: true; activations(l).pre is the
// BN output y (the input of φ) and .post = a. The dense output z, x̂ and the
// batch statistics are internal to the core and not exposed, so they are
// covered through y, a, the gradients and the running statistics.
//
// Cross-entropy cases: the file's output_layer is the net's output layer.
//
// 'upstream' cases (L = Σ upstream ⊙ a_last, no output layer): made exact by
// appending an output layer with W = I (out = last block width) and b = 0, so
// z_out = a_last, and loss 'mse' with targets t = z_out − g·B·O/2 (g = upstream,
// z_out from a first training-mode forward): the core's mse gradient
// dL/dz_out = 2(z_out − t)/(B·O) is then g (up to one float32 rounding of t),
// and dL/da_last = I·g = g, which is exactly the oracle's upstream gradient.
// The first forward moves the running statistics, so they are reset to their
// initial values (mean 0, var 1) with setParams before the real pass 1.
//
// Protocol (SCHEMA §4): pass 1 = train forward + backward on X_batches[0];
// passes 2, 3 = forward(X, { training: true }) on X_batches[1], [2]; then eval
// forwards on X_eval and X_batches[0]. Running stats are checked after every pass.
// dL_db of a dense layer feeding BN is ≈ 0: compared on the scale of the
// block's dL_dW (SCHEMA §1 special cases).
import { describe, test } from 'node:test';
import { loadOracle, loadBuilds, f32Tol, Checker, flat, l2, zeros, identity, withNet } from './helpers/oracle.js';

const bn = loadOracle('batchnorm.json');
const TOL = f32Tol(bn, 'batchnorm');
const builds = await loadBuilds();

function netConfig(c) {
  const hidden = c.blocks.map((b) => ({
    units: b.out, activation: b.activation, batchnorm: true,
    ...(b.activation === 'leaky_relu' ? { slope: 0.01 } : {}),
  }));
  const last = c.blocks.at(-1).out;
  const ce = c.loss === 'softmax_cross_entropy';
  return {
    inputs: c.blocks[0].in, outputs: ce ? c.output_layer.b.length : last, batchSize: c.batch_size,
    hidden, loss: ce ? 'cross_entropy' : 'mse',
  };
}

for (const { name, gs } of builds) {
  describe(`oracle batchnorm.json [${name} build]`, () => {
    for (const c of bn.cases) {
      test(`${c.id}: train y/a, gradients, dX, running stats after passes 1-3, eval outputs`, async () => {
        await withNet(gs, netConfig(c), (net) => {
          const ck = new Checker(`batchnorm ${c.id} [${name}]`);
          const ce = c.loss === 'softmax_cross_entropy';
          const L = c.blocks.length, B = c.batch_size;
          c.blocks.forEach((b, l) => net.setParams(l, { W: flat(b.W), b: b.b, gamma: b.gamma, beta: b.beta }));
          const X0 = flat(c.X_batches[0]);
          let y;
          if (ce) {
            net.setParams(L, { W: flat(c.output_layer.W), b: c.output_layer.b });
            y = c.labels;
          } else {
            const O = c.blocks.at(-1).out;
            net.setParams(L, { W: identity(O), b: zeros(O) });
            const z = net.forward(X0, { training: true });
            const g = flat(c.upstream_grad);
            y = Array.from(z, (zk, k) => Math.fround(zk - g[k] * B * O / 2));
            for (let l = 0; l < L; l++) net.setParams(l, { runningMean: zeros(c.blocks[l].out), runningVar: new Array(c.blocks[l].out).fill(1) });
          }
          // ---- pass 1: training forward + backward
          const loss = net.backward(X0, y, { inputGrad: true });
          const stats = net.layerStats();
          c.blocks.forEach((b, l) => {
            const tag = `blocks[${l}] (index ${b.index}, ${b.activation})`;
            const { pre, post } = net.activations(l);
            ck.normwise(`${tag}.train.y (BN output = pre)`, pre, b.train.y, TOL);
            ck.normwise(`${tag}.train.a (post)`, post, b.train.a, TOL);
            const g = net.getGrads(l);
            ck.normwise(`${tag}.grads.dL_dW`, g.W, b.grads.dL_dW, TOL);
            ck.normwise(`${tag}.grads.dL_db (≈0; scale = max|dL_dW|)`, g.b, b.grads.dL_db, TOL, { scaleRef: b.grads.dL_dW });
            ck.normwise(`${tag}.grads.dL_dgamma`, g.gamma, b.grads.dL_dgamma, TOL);
            ck.normwise(`${tag}.grads.dL_dbeta`, g.beta, b.grads.dL_dbeta, TOL);
            ck.normwise(`${tag} ‖dL/da‖_F (layerStats.deltaNorm)`, [stats[l].deltaNorm], [l2(b.grads.dL_da)], TOL);
            const p = net.getParams(l);
            ck.normwise(`${tag} running_mean after pass 1`, p.runningMean, b.running_after_pass[0].running_mean, TOL);
            ck.normwise(`${tag} running_var after pass 1`, p.runningVar, b.running_after_pass[0].running_var, TOL);
          });
          ck.normwise('dL_dX (inputGrad)', net.inputGrad(), c.dL_dX, TOL);
          if (ce) {
            ck.normwise('loss_value', [loss], [c.loss_value], TOL);
            ck.normwise('output_layer.logits', net.activations(L).pre, c.output_layer.logits, TOL);
            const g = net.getGrads(L);
            ck.normwise('output_layer.dL_dW', g.W, c.output_layer.dL_dW, TOL);
            ck.normwise('output_layer.dL_db', g.b, c.output_layer.dL_db, TOL);
          } else {
            // L = Σ upstream ⊙ a_last, from the core's a_last
            const a = net.activations(L - 1).post, g = flat(c.upstream_grad);
            ck.normwise('loss_value (Σ upstream ⊙ a_last)', [a.reduce((s, v, k) => s + v * g[k], 0)], [c.loss_value], TOL);
          }
          // ---- passes 2 and 3: training forwards that only move the running statistics
          for (const pass of [2, 3]) {
            net.forward(flat(c.X_batches[pass - 1]), { training: true });
            c.blocks.forEach((b, l) => {
              const p = net.getParams(l), r = b.running_after_pass[pass - 1];
              ck.ok(`blocks[${l}] running_after_pass[${pass - 1}].pass`, r.pass === pass, `expected pass ${pass}, file has ${r.pass}`);
              ck.normwise(`blocks[${l}] running_mean after pass ${pass}`, p.runningMean, r.running_mean, TOL);
              ck.normwise(`blocks[${l}] running_var after pass ${pass}`, p.runningVar, r.running_var, TOL);
            });
          }
          // ---- eval mode after pass 3
          for (const [key, X] of [['X_eval', c.X_eval], ['batch_1', c.X_batches[0]]]) {
            const ev = c.eval_after_3_passes[key];
            const out = net.forward(flat(X));
            ev.blocks.forEach((b, l) => {
              const { pre, post } = net.activations(l);
              ck.normwise(`eval_after_3_passes.${key}.blocks[${l}].y`, pre, b.y, TOL);
              ck.normwise(`eval_after_3_passes.${key}.blocks[${l}].a`, post, b.a, TOL);
            });
            if (ce) ck.normwise(`eval_after_3_passes.${key}.logits`, out, ev.logits, TOL);
          }
          ck.done();
        });
      });
    }
  });
}
