// determinism.test.js — reproducibility and build agreement.
// Run: node --test tests/determinism.test.js
//
//  (a) same config + seed → bit-identical params and stats records, run to run
//      (two nets in one module, and a net in a freshly instantiated module);
//  (b) the SIMD and scalar builds agree to float tolerance (they differ only in
//      the gemm kernels, which may sum in a different order);
//  (c) reset(seed) restores exactly the params (and optimiser state) of a fresh net;
//  (d) initialisers of one family draw the same standard variates, so two nets
//      with the same seed are exact rescalings, by the closed-form ratio of stds;
//  (e) datasets: seeded, balanced, split by round(trainShare·rows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadGradscope } from '../web/gradscope.js';

const BUILDS = [true, false];
const PARAM_KEYS = ['W', 'b', 'gamma', 'beta', 'slope', 'runningMean', 'runningVar'];
const DATA_KINDS = ['spiral', 'circles', 'xor', 'moons', 'gaussians'];

const cache = new Map();
async function load(simd) {
  if (!cache.has(simd)) cache.set(simd, await loadGradscope({ simd }));
  return cache.get(simd);
}

function allParams(net) {
  return Array.from({ length: net.layerCount }, (_, l) => net.getParams(l));
}
/** Byte-level equality of two typed arrays (so −0 ≠ 0 and NaN payloads count). */
function sameBits(a, b) {
  if (a.length !== b.length || a.constructor !== b.constructor) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength), y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
function assertSameParams(pa, pb, what) {
  assert.equal(pa.length, pb.length);
  pa.forEach((layer, l) => {
    assert.deepEqual(Object.keys(layer).sort(), Object.keys(pb[l]).sort(), `${what}: layer ${l} kinds`);
    for (const k of Object.keys(layer)) assert.ok(sameBits(layer[k], pb[l][k]), `${what}: layer ${l} ${k} differs`);
  });
}
function norm(v) { let s = 0; for (const x of v) s += x * x; return Math.sqrt(s); }
function diffNorm(a, b) { let s = 0; for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2; return Math.sqrt(s); }

// A config that touches most of the core: BN, PReLU, several activations, Adam, clipping.
const RICH = {
  inputs: 2, outputs: 3, batchSize: 24, seed: 11,
  hidden: [
    { units: 19, activation: 'tanh', batchnorm: true },
    { units: 16, activation: 'prelu' },
    { units: 9, activation: 'swish', batchnorm: true },
    { units: 13, activation: 'relu' },
  ],
  init: 'he_normal', bias: { constant: 0.01, std: 0.1 },
  optimizer: { kind: 'adam', lr: 0.01, weightDecay: 1e-4 },
  clip: { kind: 'norm', max: 5 },
};
const SPIRAL = { kind: 'spiral', rows: 300, classes: 3, noise: 0.1, seed: 5 };

for (const simd of BUILDS) {
  const build = simd ? 'simd' : 'scalar';

  // ---------------------------------------------------------------- (a)
  test(`[${build}] (a) same config and seed → bit-identical params and records after 50 trainSteps`, async () => {
    const gs = await load(simd);
    const fresh = await loadGradscope({ simd });   // a second instance: no shared C state at all
    const runs = [gs, gs, fresh].map((g) => {
      const net = g.createNet(structuredClone(RICH));
      const data = g.createDataset(SPIRAL);
      const run = net.trainSteps(data, 50);
      const out = { params: allParams(net), records: run.records, steps: run.steps };
      net.free(); data.free();
      return out;
    });
    for (const [i, r] of runs.entries()) assert.equal(r.steps, 50, `run ${i} ran every step`);
    // the run must actually have trained: params moved from their initial values
    const init = gs.createNet(structuredClone(RICH));
    assert.ok(!sameBits(init.getParams(0).W, runs[0].params[0].W), 'training changed the params');
    init.free();
    for (const i of [1, 2]) {
      assertSameParams(runs[0].params, runs[i].params, `run 0 vs run ${i}`);
      assert.ok(sameBits(runs[0].records, runs[i].records), `run 0 vs run ${i}: records arrays differ`);
    }
  });

  test(`[${build}] (a) single trainStep calls are reproducible too, and match a forward on identical params`, async () => {
    const gs = await load(simd);
    const make = () => gs.createNet({ inputs: 3, outputs: 2, batchSize: 8, seed: 3, depth: 3, width: 10, activation: 'elu', optimizer: { kind: 'sgd', lr: 0.05, momentum: 0.9, nesterov: true } });
    const X = Float32Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.7));
    const y = [0, 1, 1, 0, 1, 0, 0, 1];
    const a = make(), b = make();
    const la = [], lb = [];
    for (let s = 0; s < 30; s++) { la.push(a.trainStep(X, y).loss); lb.push(b.trainStep(X, y).loss); }
    assert.deepEqual(la, lb);
    assertSameParams(allParams(a), allParams(b), 'trainStep ×30');
    assert.ok(sameBits(a.forward(X), b.forward(X)), 'eval forward identical');
    a.free(); b.free();
  });

  // ---------------------------------------------------------------- (c)
  test(`[${build}] (c) reset(seed) brings back the initial params and optimiser state`, async () => {
    const gs = await load(simd);
    const net = gs.createNet(structuredClone(RICH));
    const p0 = allParams(net);
    const data = gs.createDataset(SPIRAL);
    const first = net.trainSteps(data, 20);
    assert.ok(!sameBits(p0[0].W, net.getParams(0).W), 'training moved W');
    net.reset();                        // default: the config's seed
    assertSameParams(p0, allParams(net), 'reset() vs fresh');
    // optimiser moments, Adam's t and BN running stats are cleared too: replaying
    // the same batches gives the same records, bit for bit
    data.split(0.8, SPIRAL.seed);       // rewinds the sampler
    const again = net.trainSteps(data, 20);
    assert.ok(sameBits(first.records, again.records), 'replay after reset() differs: some state survived the reset');
    net.reset(RICH.seed);
    assertSameParams(p0, allParams(net), 'reset(11) vs fresh');
    // reset(other seed) = a fresh net created with that seed
    net.reset(12345);
    const other = gs.createNet({ ...structuredClone(RICH), seed: 12345 });
    assertSameParams(allParams(other), allParams(net), 'reset(12345) vs createNet(seed 12345)');
    assert.ok(!sameBits(p0[0].W, net.getParams(0).W), 'a different seed gives different weights');
    net.free(); other.free(); data.free();
  });

  // ---------------------------------------------------------------- (d)
  test(`[${build}] (d) Gaussian initialisers are exact rescalings of each other (closed-form std ratio)`, async () => {
    const gs = await load(simd);
    const slope = 0.2;
    const hidden = [
      { units: 7, activation: 'relu' },
      { units: 11, activation: 'leaky_relu', slope },
      { units: 3, activation: 'tanh' },
      { units: 6, activation: 'prelu', slope: 0.3 },
    ];
    const base = { inputs: 5, outputs: 4, batchSize: 4, seed: 99, hidden, bias: { constant: 0.5, std: 0.3 } };
    const sizes = [5, 7, 11, 3, 6, 4];
    // a = the negative slope torch's kaiming init uses (leaky_relu / prelu), 0 otherwise
    const aOf = (l) => (l < hidden.length && (hidden[l].activation === 'leaky_relu' || hidden[l].activation === 'prelu') ? hidden[l].slope : 0);
    const gaussian = {
      'normal:1': () => 1,
      'normal:0.37': () => 0.37,
      xavier_normal: (I, O) => Math.sqrt(2 / (I + O)),
      'xavier_normal:2.5': (I, O) => 2.5 * Math.sqrt(2 / (I + O)),
      he_normal: (I, O, a) => Math.sqrt(2 / (1 + a * a)) / Math.sqrt(I),
      lecun_normal: (I) => 1 / Math.sqrt(I),
    };
    const uniform = {
      'uniform:1': () => 1,
      'uniform:0.2': () => 0.2,
      xavier_uniform: (I, O) => Math.sqrt(6 / (I + O)),
      'xavier_uniform:0.5': (I, O) => 0.5 * Math.sqrt(6 / (I + O)),
      he_uniform: (I, O, a) => Math.sqrt(2 / (1 + a * a)) * Math.sqrt(3 / I),
    };
    const bad = [];
    for (const [family, inits, ref] of [['gaussian', gaussian, 'normal:1'], ['uniform', uniform, 'uniform:1']]) {
      const refNet = gs.createNet({ ...base, init: ref });
      const refP = allParams(refNet);
      for (const [init, std] of Object.entries(inits)) {
        const net = gs.createNet({ ...base, init });
        const p = allParams(net);
        for (let l = 0; l < net.layerCount; l++) {
          const I = sizes[l], O = sizes[l + 1];
          const expected = std(I, O, aOf(l));   // ratio to the unit-scale init of the family
          let worst = 0;
          for (let k = 0; k < p[l].W.length; k++) {
            if (refP[l].W[k] === 0) continue;
            worst = Math.max(worst, Math.abs(p[l].W[k] / refP[l].W[k] / expected - 1));
          }
          // both values are float32 roundings of exact products: ≤ 2 half-ulps ≈ 1.2e-7
          if (!(worst <= 1e-6)) bad.push(`${family} ${init} layer ${l}: W/W_ref deviates from ${expected} by ${worst.toExponential(2)} relative`);
          // biases come from their own stream: the init kind must not change them
          if (!sameBits(p[l].b, refP[l].b)) bad.push(`${init} layer ${l}: biases depend on the weight init`);
        }
        net.free();
      }
      refNet.free();
    }
    assert.deepEqual(bad, [], bad.join('\n'));
  });

  test(`[${build}] (d) the unit-scale draws are standard: N(0,1) and U(−1,1) moments, biases = constant + std·N(0,1)`, async () => {
    const gs = await load(simd);
    const moments = (v) => {
      let m = 0; for (const x of v) m += x; m /= v.length;
      let s = 0; for (const x of v) s += (x - m) ** 2;
      return { mean: m, std: Math.sqrt(s / v.length), min: Math.min(...v), max: Math.max(...v) };
    };
    const n = 128 * 128;   // 16384 draws: the sample std of the std is ≈ 1/√(2n) ≈ 0.0055
    const g = gs.createNet({ inputs: 128, outputs: 2, batchSize: 1, hidden: [{ units: 128, activation: 'tanh' }], init: 'normal:1', bias: { constant: 0.5, std: 2 } });
    const W = g.getParams(0).W, b = g.getParams(0).b;
    assert.equal(W.length, n);
    const mw = moments(W);
    assert.ok(Math.abs(mw.mean) < 5 / Math.sqrt(n), `normal:1 mean ${mw.mean}`);
    assert.ok(Math.abs(mw.std - 1) < 0.03, `normal:1 std ${mw.std}`);
    const mb = moments(b);   // 128 biases ~ 0.5 + 2·N(0,1)
    assert.ok(Math.abs(mb.mean - 0.5) < 5 * 2 / Math.sqrt(128), `bias mean ${mb.mean}`);
    assert.ok(Math.abs(mb.std - 2) < 0.5, `bias std ${mb.std}`);
    g.free();
    const u = gs.createNet({ inputs: 128, outputs: 2, batchSize: 1, hidden: [{ units: 128, activation: 'tanh' }], init: 'uniform:1', bias: 0.25 });
    const mu = moments(u.getParams(0).W);
    assert.ok(mu.min >= -1 && mu.max <= 1, `uniform:1 range [${mu.min}, ${mu.max}]`);
    assert.ok(mu.min < -0.99 && mu.max > 0.99, 'uniform:1 fills its range');
    assert.ok(Math.abs(mu.mean) < 5 / Math.sqrt(3 * n), `uniform mean ${mu.mean}`);
    assert.ok(Math.abs(mu.std - 1 / Math.sqrt(3)) < 0.02, `uniform std ${mu.std} (1/√3 = 0.577)`);
    assert.ok(u.getParams(0).b.every((v) => v === 0.25), 'bias: 0.25 with std 0 is exactly the constant');
    u.free();
    // zeros and orthogonal
    const z = gs.createNet({ inputs: 6, outputs: 2, batchSize: 1, depth: 2, width: 9, init: 'zeros' });
    for (let l = 0; l < z.layerCount; l++) assert.ok(z.getParams(l).W.every((v) => v === 0), `zeros init layer ${l}`);
    z.free();
    const o = gs.createNet({ inputs: 6, outputs: 4, batchSize: 1, depth: 2, width: 9, init: 'orthogonal:1.5' });
    const shapes = [[9, 6], [9, 9], [4, 9]];
    shapes.forEach(([O, I], l) => {
      const W = o.getParams(l).W;
      // the smaller side is orthonormal·gain: W·Wᵀ = gain²·I (O ≤ I) or Wᵀ·W = gain²·I (O ≥ I)
      const k = Math.min(O, I);
      for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) {
        let s = 0;
        if (O <= I) for (let i = 0; i < I; i++) s += W[p * I + i] * W[q * I + i];
        else for (let j = 0; j < O; j++) s += W[j * I + p] * W[j * I + q];
        const want = p === q ? 2.25 : 0;
        assert.ok(Math.abs(s - want) < 1e-5, `orthogonal layer ${l}: (${p},${q}) = ${s}, want ${want}`);
      }
    });
    o.free();
  });

  // ---------------------------------------------------------------- (e)
  test(`[${build}] (e) datasets: same seed → identical arrays, different seed → different`, async () => {
    const gs = await load(simd);
    for (const kind of DATA_KINDS) {
      const spec = { kind, rows: 257, noise: 0.1, classes: kind === 'spiral' || kind === 'gaussians' ? 4 : 2, seed: 21 };
      const a = gs.createDataset(spec), b = gs.createDataset(spec), c = gs.createDataset({ ...spec, seed: 22 });
      const A = a.arrays(), B = b.arrays(), C = c.arrays();
      assert.ok(sameBits(A.X, B.X) && sameBits(A.y, B.y), `${kind}: same seed, different data`);
      assert.equal(a.trainRows, b.trainRows);
      let differing = 0;
      for (let i = 0; i < A.X.length; i++) differing += A.X[i] !== C.X[i];
      assert.ok(differing > 0.9 * A.X.length, `${kind}: seeds 21 and 22 share ${A.X.length - differing} of ${A.X.length} coordinates`);
      // same seed → same split: a fixed net sees the same test set
      const net = gs.createNet({ inputs: 2, outputs: a.classes, batchSize: 16, depth: 1, width: 5, seed: 1 });
      assert.deepEqual(net.evaluate(a, 'test'), net.evaluate(b, 'test'), `${kind}: same seed, different split`);
      net.free(); a.free(); b.free(); c.free();
    }
  });

  test(`[${build}] (e) datasets: class balance and trainRows = round(trainShare·rows)`, async () => {
    const gs = await load(simd);
    for (const kind of DATA_KINDS) {
      for (const [rows, classes] of [[400, 2], [401, 3], [10, 2], [999, 7]]) {
        const K = kind === 'spiral' || kind === 'gaussians' ? classes : 2;
        const d = gs.createDataset({ kind, rows, classes: K, seed: rows });
        const { y } = d.arrays();
        const counts = new Array(K).fill(0);
        for (const v of y) counts[v]++;
        assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `${kind} rows ${rows}: class counts ${counts}`);
        assert.equal(counts.reduce((s, v) => s + v, 0), rows);
        d.free();
      }
    }
    const cases = [[400, 0.8], [401, 0.8], [10, 0.25], [10, 0.35], [7, 0.5], [1000, 0.123], [3, 1], [100000, 0.7], [99, 0.01]];
    for (const [rows, trainShare] of cases) {
      const d = gs.createDataset({ kind: 'circles', rows, trainShare, seed: 3 });
      const want = Math.round(trainShare * rows);
      assert.equal(d.trainRows, want, `rows ${rows}, trainShare ${trainShare}: trainRows ${d.trainRows}, want ${want}`);
      assert.equal(d.testRows, rows - want);
      // the splits the core evaluates over have exactly those sizes
      const net = gs.createNet({ inputs: 2, outputs: 2, batchSize: 64, depth: 1, width: 3 });
      assert.equal(net.evaluate(d, 'train').rows, want);
      assert.equal(net.evaluate(d, 'test').rows, rows - want);
      net.free(); d.free();
    }
    // a share so small that it rounds to 0 still leaves one training row
    const tiny = gs.createDataset({ kind: 'xor', rows: 10, trainShare: 0.01, seed: 1 });
    assert.equal(tiny.trainRows, 1);
    tiny.free();
    // arrays: same seed → same split (seen through the test-set loss of a fixed net)
    const X = Float32Array.from({ length: 200 }, (_, i) => Math.cos(i * 0.37));
    const y = Array.from({ length: 100 }, (_, i) => i % 3);
    const net = gs.createNet({ inputs: 2, outputs: 3, batchSize: 16, depth: 1, width: 4 });
    const e1 = net.evaluate(gs.createDataset({ kind: 'arrays', X, y, features: 2, seed: 9 }));
    const e2 = net.evaluate(gs.createDataset({ kind: 'arrays', X, y, features: 2, seed: 9 }));
    const e3 = net.evaluate(gs.createDataset({ kind: 'arrays', X, y, features: 2, seed: 10 }));
    assert.deepEqual(e1, e2);
    assert.notDeepEqual(e1, e3);
    net.free();
  });
}

// -------------------------------------------------------------------- (b)
test('(b) SIMD and scalar builds: identical initial params; gradients within 1e-4 normwise on the same params and batch', async () => {
  const [v, s] = [await load(true), await load(false)];
  assert.equal(v.simd, true); assert.equal(s.simd, false);
  const configs = [
    structuredClone(RICH),
    { inputs: 13, outputs: 7, batchSize: 29, seed: 4, hidden: [{ units: 37, activation: 'sigmoid' }, { units: 64, activation: 'selu' }, { units: 5, activation: 'elu', batchnorm: true }], loss: 'mse' },
    { inputs: 64, outputs: 10, batchSize: 33, seed: 8, depth: 3, width: 50, activation: 'leaky_relu' },
  ];
  const bad = [];
  for (const cfg of configs) {
    const nv = v.createNet(structuredClone(cfg)), ns = s.createNet(structuredClone(cfg));
    // init involves no gemm: the two builds must draw the same parameters
    assertSameParams(allParams(nv), allParams(ns), 'initial params, simd vs scalar');
    // random params so that we do not depend on that either, copied to both nets
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296) * 2 - 1;
    for (let l = 0; l < ns.layerCount; l++) {
      const p = ns.getParams(l), set = {};
      for (const k of ['W', 'b', 'gamma', 'beta']) if (p[k]) set[k] = Array.from(p[k], () => rnd() * (k === 'W' ? 1.5 / Math.sqrt(ns.sizes[l]) : 0.5) + (k === 'gamma' ? 1 : 0));
      nv.setParams(l, set); ns.setParams(l, set);
    }
    const B = cfg.batchSize, I = cfg.inputs, O = cfg.outputs;
    const X = Float32Array.from({ length: B * I }, () => 2 * rnd());
    const y = cfg.loss === 'mse' ? Float32Array.from({ length: B * O }, () => rnd()) : Array.from({ length: B }, (_, i) => i % O);
    const lv = nv.backward(X, y, { inputGrad: true }), ls = ns.backward(X, y, { inputGrad: true });
    if (!(Math.abs(lv - ls) <= 1e-5 * Math.abs(ls))) bad.push(`loss ${lv} vs ${ls}`);
    // Normwise per layer (W, b, γ, β, slope concatenated) and for ∂L/∂X. Not per
    // tensor: the bias of a BN layer has an exact gradient of 0 (BN subtracts the
    // batch mean), so both builds hold only rounding noise there — checked below.
    const tensors = [['inputGrad', nv.inputGrad(), ns.inputGrad()]];
    for (let l = 0; l < ns.layerCount; l++) {
      const gv = nv.getGrads(l), gsc = ns.getGrads(l);
      const cat = (g) => Float64Array.from(Object.keys(gsc).flatMap((k) => Array.from(g[k])));
      tensors.push([`layer ${l} (${Object.keys(gsc).join(',')})`, cat(gv), cat(gsc)]);
      if (gsc.gamma) {
        for (const [which, g] of [['simd', gv], ['scalar', gsc]]) {
          const r = norm(g.b) / norm(cat(g));
          if (!(r <= 1e-5)) bad.push(`${which}: layer ${l} is batch-normalised, yet ‖∂L/∂b‖ = ${r.toExponential(2)}·‖∂L/∂θ_l‖ (exact value 0)`);
        }
      }
    }
    for (const [name, a, b] of tensors) {
      const rel = diffNorm(a, b) / (norm(b) || 1);
      if (!(rel <= 1e-4)) bad.push(`${ns.sizes.join('-')} ${name}: ‖g_simd − g_scalar‖/‖g_scalar‖ = ${rel.toExponential(2)}`);
    }
    // eval forward too
    const fv = nv.forward(X), fs = ns.forward(X);
    const rel = diffNorm(fv, fs) / norm(fs);
    if (!(rel <= 1e-5)) bad.push(`${ns.sizes.join('-')} forward outputs differ by ${rel.toExponential(2)}`);
    nv.free(); ns.free();
  }
  assert.deepEqual(bad, [], bad.join('\n'));
});

test('(b) SIMD and scalar builds: losses over 20 trainSteps within 1e-4 relative', async () => {
  const [v, s] = [await load(true), await load(false)];
  const cfgs = [
    { inputs: 2, outputs: 3, batchSize: 30, seed: 2, hidden: [{ units: 37, activation: 'tanh' }, { units: 21, activation: 'tanh', batchnorm: true }, { units: 17, activation: 'sigmoid' }], optimizer: { kind: 'sgd', lr: 0.1, momentum: 0.9 } },
    { inputs: 2, outputs: 3, batchSize: 32, seed: 5, depth: 4, width: 32, activation: 'relu', init: 'he_normal', optimizer: { kind: 'sgd', lr: 0.05 } },
  ];
  const bad = [];
  for (const cfg of cfgs) {
    const nv = v.createNet(structuredClone(cfg)), ns = s.createNet(structuredClone(cfg));
    const dv = v.createDataset(SPIRAL), ds = s.createDataset(SPIRAL);
    assert.ok(sameBits(dv.arrays().X, ds.arrays().X), 'datasets are generated without gemm: identical across builds');
    const rv = nv.trainSteps(dv, 20), rs = ns.trainSteps(ds, 20);
    assert.equal(rv.steps, 20); assert.equal(rs.steps, 20);
    for (let i = 0; i < 20; i++) {
      const a = rv.records[i * rv.stride], b = rs.records[i * rs.stride];   // GLOBAL_STATS[0] = loss
      assert.ok(Number.isFinite(b) && b > 0);
      if (!(Math.abs(a - b) <= 1e-4 * Math.abs(b))) bad.push(`${ns.sizes.join('-')} step ${i}: loss simd ${a} vs scalar ${b}`);
    }
    nv.free(); ns.free(); dv.free(); ds.free();
  }
  assert.deepEqual(bad, [], bad.join('\n'));
});
