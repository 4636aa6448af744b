// badinput.test.js — every bad input is refused with an Error whose message
// names the field and its allowed range (never a WebAssembly.RuntimeError, i.e.
// never a trap inside the core), and the module keeps working afterwards.
// Also: the C core re-validates what JS already checked (JS bypassed), the heap
// budget refuses oversized nets up front, and NaN/Inf during training is
// reported, not propagated into the parameters.
// Run: node --test tests/badinput.test.js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadGradscope } from '../web/gradscope.js';
import { normalizeNetConfig, netConfigToArray, CFG_HEADER, CFG_LAYER_FIELDS } from '../web/netconfig.js';

const BUILDS = [true, false];
const cache = new Map();
async function load(simd) {
  if (!cache.has(simd)) cache.set(simd, await loadGradscope({ simd }));
  return cache.get(simd);
}

/**
 * fn must throw a plain Error (not a RuntimeError trap, not a TypeError from
 * JS glue) whose message equals `want` (string) or matches it (RegExp).
 */
function expectError(fn, want, label = String(want)) {
  let thrown = null;
  try { fn(); } catch (e) { thrown = e; }
  assert.ok(thrown, `${label}: expected an Error, nothing was thrown`);
  assert.ok(!(thrown instanceof WebAssembly.RuntimeError), `${label}: the core trapped: ${thrown.message}`);
  assert.equal(thrown.constructor, Error, `${label}: expected a plain Error, got ${thrown.constructor.name}: ${thrown.message}`);
  if (typeof want === 'string') assert.equal(thrown.message, want, label);
  else assert.match(thrown.message, want, label);
  return thrown;
}

// ---- "the module keeps working": a small, fixed training run whose records
// must be bit-identical before and after any error (so no error left state behind)
const PROBE_NET = { inputs: 2, outputs: 2, batchSize: 16, seed: 3, depth: 2, width: 8, activation: 'tanh', optimizer: { kind: 'adam', lr: 0.01 } };
const PROBE_DATA = { kind: 'moons', rows: 64, seed: 4 };
function probe(gs) {
  const net = gs.createNet(structuredClone(PROBE_NET));
  const data = gs.createDataset(PROBE_DATA);
  const run = net.trainSteps(data, 5);
  const one = net.trainStep(new Float32Array([0.1, 0.2, -0.3, 0.4]), [0, 1]);
  const ev = net.evaluate(data, 'test');
  const out = { records: Array.from(run.records), loss: one.loss, ev };
  net.free(); data.free();
  return out;
}
const reference = new Map();
function assertStillWorks(gs, label) {
  if (!reference.has(gs)) reference.set(gs, probe(gs));
  const now = probe(gs);
  assert.ok(now.records.every((v) => !Number.isNaN(v)), `${label}: probe run has NaN stats`);
  assert.deepEqual(now, reference.get(gs), `${label}: after the error the module trains differently`);
}

const BASE = { inputs: 3, outputs: 3, batchSize: 8, depth: 2, width: 5 };

for (const simd of BUILDS) {
  const build = simd ? 'simd' : 'scalar';

  test(`[${build}] bad net configs are refused with the field and its range`, async () => {
    const gs = await load(simd);
    assertStillWorks(gs, 'before');
    const cases = [
      [{ ...BASE, depth: 0 }, 'depth must be an integer in 1..100, got 0'],
      [{ ...BASE, depth: 101 }, 'depth must be an integer in 1..100, got 101'],
      [{ ...BASE, depth: 2.5 }, 'depth must be an integer in 1..100, got 2.5'],
      [{ ...BASE, width: 1e9 }, 'width must be an integer in 1..1024, got 1000000000'],
      [{ ...BASE, depth: undefined, width: undefined, hidden: [{ units: 4 }, { units: 4 }, { units: 0 }] }, 'hidden[2].units must be an integer in 1..1024, got 0'],
      [{ ...BASE, depth: undefined, width: undefined, hidden: [{ units: 4 }, { units: 4, activation: 'gelu' }] }, /^hidden\[1\]\.activation must be one of linear, sigmoid, tanh, relu, leaky_relu, prelu, elu, selu, swish, got "gelu"$/],
      [{ ...BASE, optimizer: { lr: NaN } }, 'optimizer.lr must be a number in (0, 10], got NaN'],
      [{ ...BASE, optimizer: { lr: 0 } }, 'optimizer.lr must be a number in (0, 10], got 0'],
      [{ ...BASE, optimizer: { lr: 11 } }, 'optimizer.lr must be a number in (0, 10], got 11'],
      [{ ...BASE, optimizer: { kind: 'adam', lr: -1e-3 } }, 'optimizer.lr must be a number in (0, 10], got -0.001'],
      [{ ...BASE, activation: 'softsign' }, /^hidden\[0\]\.activation must be one of .*got "softsign"$/],
      [{ ...BASE, init: 'glorot' }, /^init\.kind must be one of zeros, normal, .*orthogonal, got "glorot"$/],
      [{ ...BASE, init: { kind: 'normal', std: -1 } }, 'init.std must be a number in [0, 100], got -1'],
      [{ ...BASE, loss: 'hinge' }, 'loss must be one of cross_entropy, mse, got "hinge"'],
      [{ ...BASE, learningRate: 0.1 }, /^learningRate is not a config field \(allowed: .*\)$/],
      [{ ...BASE, clip: { kind: 'norm', max: 0 } }, 'clip.max must be a number in (0, 1000000], got 0'],
      [{ ...BASE, optimizer: { momentum: 1 } }, 'optimizer.momentum must be a number in [0, 1), got 1'],
      [{ ...BASE, inputs: 0 }, 'inputs must be an integer in 1..1024, got 0'],
      [{ ...BASE, batchSize: 1025 }, 'batchSize must be an integer in 1..1024, got 1025'],
      [{ ...BASE, seed: -1 }, 'seed must be an integer in 0..4294967295, got -1'],
    ];
    for (const [cfg, want] of cases) {
      expectError(() => gs.createNet(cfg), want, JSON.stringify(cfg));
      assertStillWorks(gs, JSON.stringify(cfg));
    }
  });

  test(`[${build}] the C core re-validates a flat config (JS bypassed) with the same messages`, async () => {
    const gs = await load(simd);
    const good = netConfigToArray(normalizeNetConfig({ ...BASE, depth: undefined, width: undefined, hidden: [{ units: 4 }, { units: 4 }, { units: 4 }] }));
    const F = { inputs: 0, outputs: 1, batch: 2, seed: 3, loss: 4, init: 5, initScale: 6, opt: 9, lr: 10, momentum: 11, nesterov: 12, clip: 17, clipMax: 18, depth: 19 };
    const rawCreate = (flat) => gs.withScratch(flat.byteLength, (p) => {
      gs.f64(p, flat.length).set(flat);
      const net = gs.checkPtr(gs.exports.gs_create(p, flat.length));
      gs.exports.gs_destroy(net);
      return net;
    });
    rawCreate(good);   // the unmodified array is accepted
    const mutate = (edits) => { const f = Float64Array.from(good); for (const [i, v] of edits) f[i] = v; return f; };
    const L = (l, field) => CFG_HEADER + l * CFG_LAYER_FIELDS + field;
    const cases = [
      [mutate([[L(2, 0), 0]]), 'hidden[2].units must be an integer in 1..1024, got 0'],
      [mutate([[L(0, 0), 1025]]), 'hidden[0].units must be an integer in 1..1024, got 1025'],
      [mutate([[L(1, 1), 9]]), 'hidden[1].activation must be an integer in 0..8, got 9'],
      [mutate([[L(1, 2), NaN]]), /^hidden\[1\]\.slope must be a number in -10\.\.10, got nan$/i],
      [mutate([[L(0, 3), 2]]), 'hidden[0].batchnorm must be an integer in 0..1, got 2'],
      [mutate([[F.lr, NaN]]), /^optimizer\.lr must be a number in \(0, 10\], got nan$/i],
      [mutate([[F.lr, 0]]), 'optimizer.lr must be a number in (0, 10], got 0'],
      [mutate([[F.lr, 11]]), 'optimizer.lr must be a number in (0, 10], got 11'],
      [mutate([[F.momentum, 1]]), 'optimizer.momentum must be a number in [0, 1), got 1'],
      [mutate([[F.loss, 2]]), 'loss must be an integer in 0..1, got 2'],
      [mutate([[F.init, 9]]), 'init must be an integer in 0..8, got 9'],
      [mutate([[F.init, 1], [F.initScale, Infinity]]), /^init\.std must be a number in 0\.\.100, got inf$/i],
      [mutate([[F.clip, 1], [F.clipMax, 0]]), 'clip.max must be a number in (0, 1e6], got 0'],
      [mutate([[F.inputs, 1025]]), 'inputs must be an integer in 1..1024, got 1025'],
      [mutate([[F.batch, 0]]), 'batchSize must be an integer in 1..1024, got 0'],
      [mutate([[F.nesterov, 1], [F.momentum, 0]]), 'optimizer.nesterov needs optimizer.momentum in (0, 1), got 0'],
      [mutate([[F.depth, 0]]), 'depth must be an integer in 1..100, got 0'],
      [mutate([[F.depth, 101]]), 'depth must be an integer in 1..100, got 101'],
      [mutate([[F.depth, 2]]), 'config must have 28 fields for depth 2, got 32'],
      [good.slice(0, 5), 'config must have at least 20 fields, got 5'],
    ];
    for (const [flat, want] of cases) {
      expectError(() => rawCreate(flat), want, `raw ${want}`);
      assertStillWorks(gs, `raw ${want}`);
    }
    // a NULL config pointer
    expectError(() => gs.checkPtr(gs.exports.gs_create(0, 24)), 'config is NULL');
    assertStillWorks(gs, 'NULL config');
  });

  test(`[${build}] bad batches: X length, NaN, labels, targets, rows > batchSize`, async () => {
    const gs = await load(simd);
    const net = gs.createNet({ ...BASE });
    const mse = gs.createNet({ ...BASE, loss: 'mse' });
    const X1 = [0.1, 0.2, 0.3], X2 = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    const cases = [
      [() => net.forward([1, 2, 3, 4]), 'X must hold rows × inputs numbers (inputs = 3), got 4'],
      [() => net.backward([1, 2], [0]), 'X must hold rows × inputs numbers (inputs = 3), got 2'],
      [() => net.forward([]), 'X must hold rows × inputs numbers (inputs = 3), got 0'],
      [() => net.forward(null), 'X must hold rows × inputs numbers (inputs = 3), got undefined'],
      [() => net.forward([1, NaN, 3]), 'X[0][1] must be a finite number'],
      [() => net.backward([...X1, 1, Infinity, 3], [0, 1]), 'X[1][1] must be a finite number'],
      [() => net.trainStep([...X1, -Infinity, 0, 0], [0, 1]), 'X[1][0] must be a finite number'],
      [() => net.backward(X1, [-1]), 'y[0] must be an integer in 0..2, got -1'],
      [() => net.backward(X2, [0, 3]), 'y[1] must be an integer in 0..2, got 3'],
      [() => net.backward(X1, [1.5]), 'y[0] must be an integer in 0..2, got 1.5'],
      [() => net.backward(X1, ['1']), /^y\[0\] must be an integer in 0\.\.2, got "?1"?$/],
      [() => net.backward(X2, [0]), 'y must hold 2 integer labels (one per row of X), got 1'],
      [() => net.backward(X1, undefined), 'y must hold 1 integer labels (one per row of X), got undefined'],
      [() => mse.backward(X1, [1, 2]), 'y must hold rows × outputs = 3 targets for mse, got 2'],
      [() => mse.backward(X2, [1, 2, 3, 4]), 'y must hold rows × outputs = 6 targets for mse, got 4'],
      [() => mse.backward(X1, [1, NaN, 2]), 'y[0][1] must be a finite number'],
      [() => net.forward(new Float32Array(27)), 'X rows (X.length / inputs) must be an integer in 1..8, got 9'],
      [() => net.predict([1, 2]), 'X must hold rows × inputs numbers (inputs = 3), got 2'],
    ];
    for (const [fn, want] of cases) {
      expectError(fn, want);
      assertStillWorks(gs, want);
    }
    // the net that saw the errors still computes the same thing as a fresh one
    const fresh = gs.createNet({ ...BASE });
    assert.deepEqual(net.forward(X2), fresh.forward(X2));
    assert.equal(net.backward(X2, [0, 2]), fresh.backward(X2, [0, 2]));
    net.free(); mse.free(); fresh.free();
  });

  test(`[${build}] bad parameter access and call order`, async () => {
    const gs = await load(simd);
    const net = gs.createNet({ ...BASE });   // layers 0..2
    const cases = [
      [() => net.getParams(3), 'layer must be an integer in 0..2, got 3'],
      [() => net.getParams(-1), 'layer must be an integer in 0..2, got -1'],
      [() => net.getGrads(1.5), 'layer must be an integer in 0..2, got 1.5'],
      [() => net.activations(7), 'layer must be an integer in 0..2, got 7'],
      [() => net.setParams(0, { W: [1, 2] }), 'setParams: W of layer 0 must hold 15 numbers, got 2'],
      [() => net.setParams(2, { b: new Float32Array(4) }), 'setParams: b of layer 2 must hold 3 numbers, got 4'],
      [() => net.setParams(0, { gamma: [1, 1, 1, 1, 1] }), 'setParams: layer 0 has no gamma'],
      [() => net.setParams(0, { b: [0, 0, NaN, 0, 0] }), 'setParams: b[2] of layer 0 must be a finite number, got NaN'],
      [() => net.setParams(0, { V: [1] }), /^setParams: V is not a parameter \(allowed: W, b, gamma, beta, slope, runningMean, runningVar\)$/],
      [() => net.setParams(5, { b: [0] }), 'layer must be an integer in 0..2, got 5'],
      [() => net.step(), 'step() needs gradients: call backward() first'],
      [() => net.setLearningRate(0), 'optimizer.lr must be a number in (0, 10], got 0'],
      [() => net.setLearningRate(NaN), /^optimizer\.lr must be a number in \(0, 10\], got nan$/i],   // C's %g prints "nan"
      [() => net.reset(-5), 'seed must be an integer in 0..4294967295, got -5'],
    ];
    for (const [fn, want] of cases) {
      expectError(fn, want);
      assertStillWorks(gs, want);
    }
    // setParams checks each key before writing it: the rejected b is not written
    const before = net.getParams(0);
    expectError(() => net.setParams(0, { W: new Float32Array(15).fill(2), b: [1, 2] }), 'setParams: b of layer 0 must hold 5 numbers, got 2');
    assert.ok(net.getParams(0).b.every((v, i) => v === before.b[i]), 'the rejected b was not written');
    // step() is allowed once per backward
    net.backward([1, 2, 3], [0]);
    net.step();
    expectError(() => net.step(), 'step() needs gradients: call backward() first');
    assertStillWorks(gs, 'double step');
    net.free();
  });

  test(`[${build}] bad trainSteps / evaluate / datasets`, async () => {
    const gs = await load(simd);
    const net = gs.createNet({ ...BASE });
    const d3 = gs.createDataset({ kind: 'spiral', rows: 60, classes: 3 });
    const d2 = gs.createDataset({ kind: 'spiral', rows: 60 });
    const cases = [
      [() => net.trainSteps(d3, 0), 'steps must be an integer in 1..256, got 0'],
      [() => net.trainSteps(d3, 257), 'steps must be an integer in 1..256, got 257'],
      [() => net.trainSteps(d3, 2.5), 'steps must be an integer in 1..256, got 2.5'],
      [() => net.evaluate(d2), "inputs must equal the dataset's features (2), got 3"],
      [() => net.trainSteps(d2, 5), "inputs must equal the dataset's features (2), got 3"],
      [() => net.evaluate(d3, 'validation'), 'split must be one of train, test, got "validation"'],
      [() => gs.createDataset({ kind: 'spiral', rows: 100001 }), 'dataset.rows must be an integer in 1..100000, got 100001'],
      [() => gs.createDataset({ kind: 'spiral', rows: 0 }), 'dataset.rows must be an integer in 1..100000, got 0'],
      [() => gs.createDataset({ kind: 'spiral', rows: 50, classes: 11 }), 'dataset.classes must be an integer in 2..10, got 11'],
      [() => gs.createDataset({ kind: 'spiral', rows: 50, noise: 2 }), 'dataset.noise must be a number in [0, 1], got 2'],
      [() => gs.createDataset({ kind: 'spiral', rows: 50, trainShare: 0 }), 'dataset.trainShare must be a number in (0, 1], got 0'],
      [() => gs.createDataset({ kind: 'swirl', rows: 50 }), 'dataset.kind must be one of spiral, circles, xor, moons, gaussians, arrays, got "swirl"'],
      [() => gs.createDataset({ kind: 'arrays', X: [1, 2, 3, 4], y: [0, 3], features: 2, classes: 3 }), 'dataset.y[1] must be an integer in 0..2, got 3'],
      [() => gs.createDataset({ kind: 'arrays', X: [1, 2, 3, 4], y: [-1, 0], features: 2, classes: 3 }), 'dataset.y[0] must be an integer in 0..2, got -1'],
      [() => gs.createDataset({ kind: 'arrays', X: [1, 2, 3, 4], y: [0, 0.5], features: 2, classes: 3 }), 'dataset.y[1] must be an integer in 0..2, got 0.5'],
      [() => gs.createDataset({ kind: 'arrays', X: [1, 2, 3], y: [0, 1], features: 2 }), 'dataset.X must hold rows × features = 4 numbers, got 3'],
      [() => gs.createDataset({ kind: 'arrays', X: [1, NaN, 3, 4], y: [0, 1], features: 2 }), 'dataset.x[0][1] must be a finite number'],
      [() => gs.createDataset(null), 'dataset must be an object like { kind: "spiral", rows: 400 }'],
    ];
    for (const [fn, want] of cases) {
      expectError(fn, want);
      assertStillWorks(gs, want);
    }
    // raw C: a dataset over its heap budget, and bad generator arguments
    const e = gs.exports;
    expectError(() => gs.checkPtr(e.gs_data_alloc(100000, 1024, 2)), /^dataset needs ([\d.]+) MiB, over the 256 MiB budget$/);
    expectError(() => gs.checkPtr(e.gs_data_generate(5, 100, 0.1, 2, 0.8, 1)), /^dataset must be one of spiral, circles, xor, moons, gaussians \(0\.\.4\), got 5$/);
    expectError(() => gs.checkPtr(e.gs_data_generate(-1, 100, 0.1, 2, 0.8, 1)), /got -1$/);
    expectError(() => gs.check(e.gs_data_split(d3.ptr, 1.5, 1)), 'trainShare must be a number in (0, 1], got 1.5');
    expectError(() => gs.check(e.gs_data_info(d3.ptr, 4)), 'what must be an integer in 0..3, got 4');
    const net23 = gs.createNet({ inputs: 2, outputs: 3, batchSize: 8, depth: 1, width: 4 });
    expectError(() => gs.withScratch(16, (out) => gs.check(e.gs_evaluate(net23.ptr, d3.ptr, 2, out))), 'split must be 0 (train) or 1 (test), got 2');
    expectError(() => gs.check(e.gs_evaluate(net23.ptr, d3.ptr, 1, 0)), 'out is NULL');
    expectError(() => gs.check(e.gs_train_steps(net23.ptr, d3.ptr, 257)), 'steps must be an integer in 1..256, got 257');
    net23.free();
    expectError(() => gs.check(e.gs_forward(net.ptr, 0, 0)), 'rows must be an integer in 1..8 (batchSize), got 0');
    expectError(() => gs.check(e.gs_forward(net.ptr, 9, 0)), 'rows must be an integer in 1..8 (batchSize), got 9');
    expectError(() => gs.check(e.gs_param_len(net.ptr, 0, 7)), 'kind must be an integer in 0..6, got 7');
    expectError(() => gs.check(e.gs_train_steps(net.ptr, 0, 5)), 'dataset is NULL');
    for (const fn of ['gs_forward', 'gs_backward', 'gs_step', 'gs_reinit', 'gs_layer_count']) {
      expectError(() => gs.check(e[fn](0, 1, 0)), 'net is NULL', `${fn}(NULL)`);
    }
    assertStillWorks(gs, 'raw C calls');
    net.free(); d3.free(); d2.free();
  });

  test(`[${build}] use after free()`, async () => {
    const gs = await load(simd);
    const net = gs.createNet({ ...BASE });
    const data = gs.createDataset({ kind: 'spiral', rows: 40, classes: 3 });
    net.free();
    net.free();   // a second free is a no-op
    for (const [name, fn] of [
      ['forward', () => net.forward([1, 2, 3])], ['backward', () => net.backward([1, 2, 3], [0])],
      ['trainStep', () => net.trainStep([1, 2, 3], [0])], ['trainSteps', () => net.trainSteps(data, 3)],
      ['step', () => net.step()], ['getParams', () => net.getParams(0)], ['getGrads', () => net.getGrads(0)],
      ['setParams', () => net.setParams(0, { b: [0, 0, 0, 0, 0] })], ['layerStats', () => net.layerStats()],
      ['globals', () => net.globals()], ['inputGrad', () => net.inputGrad()], ['activations', () => net.activations(0)],
      ['reset', () => net.reset()], ['evaluate', () => net.evaluate(data)], ['predict', () => net.predict([1, 2, 3])],
      ['setLearningRate', () => net.setLearningRate(0.1)],
    ]) {
      expectError(fn, 'this net was freed', name);
    }
    assertStillWorks(gs, 'net freed');
    const alive = gs.createNet({ ...BASE });
    data.free();
    data.free();
    expectError(() => alive.trainSteps(data, 2), 'this dataset was freed');
    expectError(() => alive.evaluate(data), 'this dataset was freed');
    expectError(() => data.arrays(), 'this dataset was freed');
    expectError(() => data.split(0.5, 1), 'this dataset was freed');
    assertStillWorks(gs, 'dataset freed');
    alive.free();
  });

  test(`[${build}] a net over the heap budget is refused up front, with the MiB it needed`, async () => {
    const gs = await load(simd);
    assertStillWorks(gs, 'warm-up');
    const bytesBefore = gs.exports.memory.buffer.byteLength;
    // depth 100 × width 1024, SGD: params + grads alone are 2 × 4 bytes per parameter
    const params = (I, widths, O) => {
      let n = 0, fan = I;
      for (const w of widths) { n += fan * w + w; fan = w; }
      return n + fan * O + O;
    };
    const cases = [
      [{ inputs: 2, outputs: 2, depth: 100, width: 1024 }, 2],
      [{ inputs: 2, outputs: 2, depth: 100, width: 512, optimizer: 'adam' }, 4],   // + Adam's two moments
    ];
    for (const [cfg, arrays] of cases) {
      const e = expectError(() => gs.createNet(cfg), /^this net needs ([\d.]+) MiB, over the 256 MiB budget of one net/, JSON.stringify(cfg));
      const mib = Number(e.message.match(/needs ([\d.]+) MiB/)[1]);
      const lower = (arrays * 4 * params(cfg.inputs, Array(cfg.depth).fill(cfg.width), cfg.outputs)) / 2 ** 20;
      assert.ok(mib >= lower, `${JSON.stringify(cfg)}: says ${mib} MiB, but params/grads/moments alone need ${lower.toFixed(1)} MiB`);
      assert.ok(mib <= lower * 1.25, `${JSON.stringify(cfg)}: says ${mib} MiB, far above the ${lower.toFixed(1)} MiB of its parameter arrays`);
    }
    // refused before allocating: the wasm memory did not grow
    assert.equal(gs.exports.memory.buffer.byteLength, bytesBefore, 'memory grew while refusing an oversized net');
    assertStillWorks(gs, 'after budget errors');
    // the same shape with SGD instead of Adam fits (the budget counts what is allocated)
    const sgd = gs.createNet({ inputs: 2, outputs: 2, depth: 100, width: 512, batchSize: 4, init: 'uniform' });
    assert.ok(sgd.bytes <= 256 * 2 ** 20, `net.bytes ${sgd.bytes}`);
    assert.ok(sgd.bytes >= 2 * 4 * params(2, Array(100).fill(512), 2));
    sgd.free();
    assertStillWorks(gs, 'after a big net');
  });

  test(`[${build}] a huge but valid chain: nets under budget until the wasm heap runs out, then recovery`, async () => {
    // Every net here is valid and under the 256 MiB budget; together they exceed the
    // 2 GiB maximum wasm memory. The allocation that fails must come back as an Error
    // (malloc returns NULL), not a trap, and freeing them must make the module usable.
    const gs = await loadGradscope({ simd });   // a private instance: its memory grows to 2 GiB
    // ≈ 200 MiB each: half parameters + gradients, half batch caches (batch 1024).
    // init 'uniform' only for speed: the core draws every weight even for 'zeros',
    // and a uniform draw is ~10× cheaper than a Gaussian one.
    const BIG = { inputs: 2, outputs: 2, depth: 12, width: 1024, batchSize: 1024, init: 'uniform:0.05' };
    assertStillWorks(gs, 'warm-up');
    const nets = [];
    let refused = null;
    for (let i = 0; i < 20 && !refused; i++) {
      try { nets.push(gs.createNet(BIG)); }
      catch (e) { refused = e; }
    }
    assert.ok(refused, `20 nets of ~200 MiB fitted into a 2 GiB heap (${nets.length} made)`);
    assert.ok(!(refused instanceof WebAssembly.RuntimeError), `trap instead of an Error: ${refused.message}`);
    assert.match(refused.message, /^out of memory: this net needs [\d.]+ MiB$/);
    assert.ok(nets.length >= 5 && nets.length <= 11, `${nets.length} nets of ~200 MiB before running out of 2 GiB`);
    // the nets that were made are intact and usable
    const last = nets.at(-1);
    const loss = last.backward([0.1, 0.2], [1]);
    assert.ok(Number.isFinite(loss));
    for (const n of nets) n.free();
    assertStillWorks(gs, 'after freeing the big nets');
    // the freed space is reusable: as many nets fit again
    const again = [];
    for (let i = 0; i < nets.length; i++) again.push(gs.createNet(BIG));
    for (const n of again) n.free();
    assertStillWorks(gs, 'after a second round');
  });

  test(`[${build}] a long chain of errors interleaved with valid calls leaks no memory`, async () => {
    const gs = await loadGradscope({ simd });
    const run = (i) => {
      const net = gs.createNet({ inputs: 4, outputs: 3, batchSize: 16, depth: 3, width: 24 });
      try { net.backward(new Float32Array(8).fill(i), [0, 5]); } catch { /* label out of range */ }
      try { net.forward([1, NaN, 0, 0]); } catch { /* NaN */ }
      try { gs.createDataset({ kind: 'arrays', X: new Float32Array(2000), y: Array.from({ length: 1000 }, (_, r) => (r === 999 ? 9 : 0)), features: 2, classes: 3 }); } catch { /* label ≥ classes: the half-built dataset must be freed */ }
      try { gs.createNet({ inputs: 4, outputs: 3, depth: 3, width: 24, hidden: [] }); } catch { /* bad config */ }
      try { net.step(); } catch { /* no gradients */ }
      const l = net.trainStep(new Float32Array(8).fill(0.01 * i), [0, 2]).loss;
      assert.ok(Number.isFinite(l));
      net.free();
    };
    for (let i = 0; i < 50; i++) run(i);
    const settled = gs.exports.memory.buffer.byteLength;
    for (let i = 0; i < 3000; i++) run(i);
    // ~8 KiB leaked per iteration would add 24 MiB and force the memory to grow
    assert.equal(gs.exports.memory.buffer.byteLength, settled, 'wasm memory grew over 3000 error/valid cycles: something leaks');
    assertStillWorks(gs, 'after 3000 cycles');
  });

  test(`[${build}] exploding config (relu, normal:10, lr 10, depth 20): trainSteps stops at the first NaN/Inf, params stay finite`, async () => {
    const gs = await load(simd);
    const cfg = { inputs: 2, outputs: 2, batchSize: 32, seed: 1, depth: 20, width: 16, activation: 'relu', init: 'normal:10', optimizer: { kind: 'sgd', lr: 10 } };
    const net = gs.createNet(structuredClone(cfg));
    const data = gs.createDataset({ kind: 'spiral', rows: 400, seed: 1 });
    const run = net.trainSteps(data, 100);
    assert.ok(run.steps >= 1 && run.steps < 100, `stopped early (${run.steps} steps)`);
    assert.ok(run.nonFinite, 'nonFinite is reported');
    const { layer, phase, step } = run.nonFinite;
    assert.ok(Number.isInteger(layer) && layer >= 0 && layer < net.layerCount, `layer ${layer}`);
    assert.ok(['forward', 'loss', 'backward'].includes(phase), `phase ${phase}`);
    // the offending step's update is not applied: the step counter is the number of applied updates
    assert.equal(step, run.steps - 1, 'nonFinite.step counts the updates applied before the bad step');
    for (let l = 0; l < net.layerCount; l++) {
      const p = net.getParams(l);
      for (const k of Object.keys(p)) assert.ok(p[k].every(Number.isFinite), `layer ${l} ${k} holds NaN/Inf`);
    }
    // and they are exactly the params after the last good step (replayed on a twin)
    const twin = gs.createNet(structuredClone(cfg));
    if (run.steps > 1) twin.trainSteps(gs.createDataset({ kind: 'spiral', rows: 400, seed: 1 }), run.steps - 1);
    for (let l = 0; l < net.layerCount; l++) assert.deepEqual(net.getParams(l), twin.getParams(l), `layer ${l} differs from the last finite params`);
    // the records of earlier steps are clean, the last one carries the report
    for (let s = 0; s < run.steps - 1; s++) assert.equal(run.records[s * run.stride + 4], -1, `record ${s} has nonFiniteLayer set`);
    assert.equal(run.records[(run.steps - 1) * run.stride + 4], layer);
    // the single-step API refuses to apply it too
    const one = twin.trainStep(new Float32Array(64).fill(1), new Array(32).fill(0));
    if (one.nonFinite) {
      assert.ok(Number.isNaN(one.gradNorm));
      expectError(() => twin.step(), /^step\(\) refused: the gradients hold NaN\/Inf \(layer \d+\)$/);
    }
    net.free(); twin.free(); data.free();
    assertStillWorks(gs, 'after explosion');
  });

  test(`[${build}] vanishing config (tanh, normal:0.01, depth 30): tiny but non-zero gradNormW, accumulated in double`, async () => {
    const gs = await load(simd);
    const net = gs.createNet({ inputs: 2, outputs: 2, batchSize: 32, seed: 2, depth: 30, width: 64, activation: 'tanh', init: 'normal:0.01' });
    const data = gs.createDataset({ kind: 'spiral', rows: 64, seed: 2 });
    const { X, y } = data.arrays();
    net.backward(X.subarray(0, 64), Array.from(y.subarray(0, 32)));
    const stats = net.layerStats();
    assert.equal(stats.length, 31);
    for (let l = 0; l < net.layerCount; l++) {
      const g = net.getGrads(l).W;
      let sq = 0, sq32 = 0;
      for (const v of g) { sq += v * v; sq32 = Math.fround(sq32 + Math.fround(v * v)); }
      const ref = Math.sqrt(sq);   // the same norm, in double, from the raw float32 gradients
      assert.ok(stats[l].gradNormW > 0, `layer ${l}: gradNormW is 0`);
      assert.ok(Math.abs(stats[l].gradNormW - ref) <= 1e-9 * ref, `layer ${l}: gradNormW ${stats[l].gradNormW}, recomputed ${ref}`);
      if (l === 0) {
        // the point of the test: these gradients are so small that float32 squares underflow
        assert.ok(ref < 1e-20, `layer 0 gradient norm ${ref} is not in the vanishing regime`);
        assert.equal(sq32, 0, 'float32 accumulation would have underflowed to 0');
      }
    }
    net.free(); data.free();
  });
}
