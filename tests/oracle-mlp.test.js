// PyTorch oracle: mlp_forward_backward.json — 9 MLPs with every parameter given.
// Each case is built exactly through the public API: the hidden layers of the
// file become hidden[] (PReLU slopes set with setParams(l, { slope })), the
// output layer is the net's linear output layer, and every W, b comes from the
// file. Compared: loss, logits, every layer's z (pre) and a (post), dL/dW,
// dL/db, dL/dslope, dL/dX, per-layer ‖dL/dW‖_F and ‖dL/db‖₂ (layerStats),
// ‖dL/da‖_F (layerStats deltaNorm, against the norm of the file's dL_da /
// output dL_dz) and the global gradient norm (step().gradNorm).
//
// The second half checks gradient clipping on top of these nets: the raw
// gradients are the oracle's, so torch's clipping formulas applied to them in
// JS double give the expected update of a plain-SGD step with lr = 1
// (params_after = params − clipped gradient). Covers clip 'norm' (with and
// without clipping), 'value' and 'layer_norm' (per layer: W, b and the slope).
import { describe, test } from 'node:test';
import { loadOracle, loadBuilds, f32Tol, Checker, flat, l2, withNet } from './helpers/oracle.js';

const mlp = loadOracle('mlp_forward_backward.json');
const FWD = f32Tol(mlp, 'forward'), BWD = f32Tol(mlp, 'backward');
const builds = await loadBuilds();

function netConfig(c, extra = {}) {
  const hidden = c.layers.filter((l) => l.kind === 'hidden').map((l, i) => {
    const h = { units: l.out, activation: c.activation };
    if (c.activation === 'leaky_relu') h.slope = c.activation_params.negative_slope;
    if (c.activation === 'prelu') h.slope = c.activation_params.slopes_init[i];
    return h;
  });
  return {
    inputs: c.layer_sizes[0], outputs: c.layer_sizes.at(-1), batchSize: c.batch_size, hidden,
    loss: c.loss === 'mse' ? 'mse' : 'cross_entropy', ...extra,
  };
}
function setAll(net, c) {
  c.layers.forEach((l, i) => {
    const p = { W: flat(l.W), b: l.b };
    if (l.slope !== undefined) p.slope = l.slope;
    net.setParams(i, p);
  });
}
const yOf = (c) => (c.loss === 'mse' ? flat(c.targets) : c.labels);

for (const { name, gs } of builds) {
  describe(`oracle mlp_forward_backward.json [${name} build]`, () => {
    for (const c of mlp.cases) {
      test(`${c.id}: loss, logits, z/a per layer, dW/db/dslope, dX, norms, global norm`, async () => {
        await withNet(gs, netConfig(c), (net) => {
          setAll(net, c);
          const ck = new Checker(`mlp ${c.id} [${name}]`);
          const X = flat(c.X);
          ck.normwise('logits (eval forward)', net.forward(X), c.logits, FWD);
          const loss = net.backward(X, yOf(c), { inputGrad: true });
          ck.normwise('loss_value', [loss], [c.loss_value], FWD);
          const stats = net.layerStats();
          c.layers.forEach((l, i) => {
            const tag = `layers[${i}] (index ${l.index}, ${l.kind})`;
            const { pre, post } = net.activations(i);
            ck.normwise(`${tag}.z`, pre, l.z, FWD);
            if (l.kind === 'hidden') ck.normwise(`${tag}.a`, post, l.a, FWD);
            else ck.normwise(`${tag}.z = logits`, post, c.logits, FWD);
            const g = net.getGrads(i);
            ck.normwise(`${tag}.dL_dW`, g.W, l.dL_dW, BWD);
            ck.normwise(`${tag}.dL_db`, g.b, l.dL_db, BWD);
            if (l.dL_dslope !== undefined) {
              ck.ok(`${tag} has a slope gradient`, g.slope?.length === 1, 'getGrads().slope missing');
              ck.normwise(`${tag}.dL_dslope`, g.slope ?? [NaN], [l.dL_dslope], BWD);
            }
            ck.normwise(`${tag} ‖dL/da‖_F (layerStats.deltaNorm)`, [stats[i].deltaNorm], [l2(l.kind === 'hidden' ? l.dL_da : l.dL_dz)], BWD);
          });
          ck.normwise('dL_dW_fro_per_layer (layerStats.gradNormW)', stats.map((s) => s.gradNormW), c.dL_dW_fro_per_layer, BWD);
          ck.normwise('dL_db_l2_per_layer (layerStats.gradNormB)', stats.map((s) => s.gradNormB), c.dL_db_l2_per_layer, BWD);
          ck.normwise('dL_dX (inputGrad)', net.inputGrad(), c.dL_dX, BWD);
          const { gradNorm } = net.step();
          ck.normwise('global_grad_l2 (step().gradNorm, before clipping)', [gradNorm], [c.global_grad_l2], BWD);
          ck.done();
        });
      });
    }

    // ---- clipping on the oracle's raw gradients --------------------------------
    // Per layer, the gradient list in the core's parameter order: W, b, [slope].
    const layerGrads = (c) => c.layers.map((l) => [flat(l.dL_dW), l.dL_db, l.dL_dslope !== undefined ? [l.dL_dslope] : []]);
    const clipCases = [];
    for (const id of ['tanh_d3_ce', 'prelu_d3_mixed_slopes_ce', 'tanh_d3_mse']) {
      const c = mlp.cases.find((k) => k.id === id);
      const G = layerGrads(c);
      const total = c.global_grad_l2;
      const layerNorms = G.map((parts) => l2(parts.flat()));
      const allAbs = G.flat(2).map(Math.abs).sort((a, b) => a - b);
      const sortedNorms = [...layerNorms].sort((a, b) => a - b);
      // torch.nn.utils.clip_grad_norm_: factor = min(1, max/(total + 1e-6)), applied to all
      const byNorm = (max) => { const f = Math.min(1, max / (total + 1e-6)); return { factors: G.map(() => f), f }; };
      clipCases.push(
        { c, G, label: 'norm, max = 0.5·total (clips)', clip: { kind: 'norm', max: 0.5 * total }, ...byNorm(0.5 * total) },
        { c, G, label: 'norm, max = 2·total (factor 1)', clip: { kind: 'norm', max: 2 * total }, ...byNorm(2 * total) },
        // clip_grad_value_: clamp(g, −c, c), c = the median |g| so about half the entries clip
        { c, G, label: 'value, c = median |g|', clip: { kind: 'value', max: allAbs[allAbs.length >> 1] }, value: allAbs[allAbs.length >> 1] },
        // per-layer clip_grad_norm_, max between the smallest and largest layer norms
        {
          c, G, label: 'layer_norm, max = median layer norm', clip: { kind: 'layer_norm', max: sortedNorms[sortedNorms.length >> 1] },
          factors: layerNorms.map((n) => Math.min(1, sortedNorms[sortedNorms.length >> 1] / (n + 1e-6))),
        },
      );
    }
    for (const k of clipCases) {
      test(`clipping on ${k.c.id}: ${k.label} — applied SGD(lr=1) update vs torch's rule on the oracle gradients`, async () => {
        const c = k.c;
        await withNet(gs, netConfig(c, { optimizer: { kind: 'sgd', lr: 1 }, clip: k.clip }), (net) => {
          setAll(net, c);
          const ck = new Checker(`mlp clipping ${c.id} ${k.label} [${name}]`);
          const before = c.layers.map((_, i) => net.getParams(i));
          net.backward(flat(c.X), yOf(c));
          const { gradNorm, clipScale } = net.step();
          ck.normwise('gradNorm (before clipping)', [gradNorm], [c.global_grad_l2], BWD);
          if (k.f !== undefined) ck.normwise('clipScale', [clipScale], [k.f], BWD);
          const stats = net.layerStats();
          c.layers.forEach((l, i) => {
            const after = net.getParams(i);
            const [gW, gb, gs_] = k.G[i];
            const expect = (g) => (k.value !== undefined ? g.map((v) => Math.min(Math.max(v, -k.value), k.value)) : g.map((v) => v * k.factors[i]));
            const applied = (key) => Array.from(after[key], (p, j) => before[i][key][j] - p);
            ck.normwise(`layers[${i}] applied ΔW`, applied('W'), expect(gW), BWD);
            ck.normwise(`layers[${i}] applied Δb`, applied('b'), expect(gb), BWD);
            if (gs_.length) ck.normwise(`layers[${i}] applied Δslope`, applied('slope'), expect(gs_), BWD);
            if (k.clip.kind === 'layer_norm') ck.normwise(`layers[${i}] layerStats.clipScale`, [stats[i].clipScale], [k.factors[i]], BWD);
          });
          ck.done();
        });
      });
    }
  });
}
