// gradscope.js — the JS API over the C core: load the wasm, create nets and
// datasets, train, read statistics. Works unchanged in Node ≥ 20 and browsers.
//
//   const gs = await loadGradscope();            // { simd: 'auto' | true | false }
//   const net = gs.createNet({ inputs: 2, outputs: 2, depth: 20, width: 64, activation: 'sigmoid' });
//   const data = gs.createDataset({ kind: 'spiral', rows: 400, seed: 1 });
//   const run = net.trainSteps(data, 100);       // k steps entirely inside wasm
//
// Only numbers and pointers cross the boundary. Arrays handed back are
// copies (Float32Array / Float64Array), never views of wasm memory, so they
// stay valid whatever the net does next. A C status code becomes an Error
// carrying the core's message (which names the field and its range); the
// module stays usable after any error.

import { instantiateCore } from './loader.js';
import { normalizeNetConfig, netConfigToArray, intIn, numIn, oneOf, fail } from './netconfig.js';
import { LIMITS, DATASETS, ACTIVATIONS, GLOBAL_STATS, LAYER_STATS, NONFINITE_PHASES } from './limits.js';

export { LIMITS, GLOBAL_STATS, LAYER_STATS, NONFINITE_PHASES };
export { normalizeNetConfig } from './netconfig.js';

// Parameter kinds, in the order of the C enum GS_P_*.
const PARAM_KINDS = ['W', 'b', 'gamma', 'beta', 'slope', 'runningMean', 'runningVar'];
const G = GLOBAL_STATS.length, P = LAYER_STATS.length;
const gIndex = Object.fromEntries(GLOBAL_STATS.map((k, i) => [k, i]));

/** Load the core. Resolves to an object with createNet, createDataset, loadDigits. */
export async function loadGradscope(options = {}) {
  const { instance, simd } = await instantiateCore(options);
  return new Gradscope(instance.exports, simd);
}

class Gradscope {
  constructor(exports, simd) {
    this.exports = exports;   // raw C functions, for tests and tools
    this.simd = simd;
    this.limits = LIMITS;
    this.globalStats = GLOBAL_STATS;
    this.layerStats = LAYER_STATS;
  }

  // ---- memory helpers (views are made fresh each time: memory may grow) ----
  f32(ptr, len) { return new Float32Array(this.exports.memory.buffer, ptr, len); }
  f64(ptr, len) { return new Float64Array(this.exports.memory.buffer, ptr, len); }
  i32(ptr, len) { return new Int32Array(this.exports.memory.buffer, ptr, len); }
  lastError() {
    const ptr = this.exports.gs_last_error();
    const bytes = new Uint8Array(this.exports.memory.buffer, ptr, 512);
    return new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0)));
  }
  /** Throw the core's message for a failed call (status < 0 or NULL pointer). */
  check(status) {
    if (typeof status === 'number' && status < 0) throw new Error(this.lastError());
    return status;
  }
  checkPtr(ptr) {
    if (!ptr) throw new Error(this.lastError());
    return ptr;
  }
  /** Run fn with `bytes` of scratch memory; it is freed afterwards. */
  withScratch(bytes, fn) {
    const ptr = this.checkPtr(this.exports.malloc(Math.max(bytes, 8)));
    try { return fn(ptr); } finally { this.exports.free(ptr); }
  }

  /** Create a net; throws an Error naming the field for any invalid config. */
  createNet(config) {
    const normalized = normalizeNetConfig(config);
    const flat = netConfigToArray(normalized);
    const ptr = this.withScratch(flat.byteLength, (cfg) => {
      this.f64(cfg, flat.length).set(flat);
      return this.checkPtr(this.exports.gs_create(cfg, flat.length));
    });
    return new Net(this, ptr, normalized);
  }

  /**
   * A dataset inside wasm, from which trainSteps samples minibatches.
   *   { kind: 'spiral' | 'circles' | 'xor' | 'moons' | 'gaussians', rows, noise, classes, trainShare, seed }
   *   { kind: 'arrays', X, y, features, classes, trainShare, seed }   (X rows × features, y labels)
   */
  createDataset(spec) {
    if (spec === null || typeof spec !== 'object') fail('dataset must be an object like { kind: "spiral", rows: 400 }');
    const kind = oneOf(spec.kind, DATASETS, 'dataset.kind');
    const trainShare = numIn(spec.trainShare ?? 0.8, 0, 1, 'dataset.trainShare', { minOpen: true });
    const seed = intIn(spec.seed ?? 1, { min: 0, max: 4294967295 }, 'dataset.seed');
    let ptr;
    if (kind === 'arrays') {
      const features = intIn(spec.features, LIMITS.inputs, 'dataset.features');
      const y = spec.y;
      if (!y || typeof y.length !== 'number') fail('dataset.y must be an array of integer labels');
      const rows = intIn(y.length, LIMITS.datasetRows, 'dataset.y.length');
      const classes = intIn(spec.classes ?? 1 + Math.max(...y), LIMITS.outputs, 'dataset.classes');
      if (!spec.X || spec.X.length !== rows * features) fail(`dataset.X must hold rows × features = ${rows * features} numbers, got ${spec.X?.length}`);
      ptr = this.checkPtr(this.exports.gs_data_alloc(rows, features, classes));
      this.f32(this.exports.gs_data_x(ptr), rows * features).set(spec.X);
      const labels = this.i32(this.exports.gs_data_y(ptr), rows);
      for (let r = 0; r < rows; r++) {
        const v = y[r];
        if (!Number.isInteger(v)) { this.exports.gs_data_destroy(ptr); fail(`dataset.y[${r}] must be an integer in 0..${classes - 1}, got ${v}`); }
        labels[r] = v;
      }
      const status = this.exports.gs_data_split(ptr, trainShare, seed);
      if (status < 0) { const msg = this.lastError(); this.exports.gs_data_destroy(ptr); throw new Error(`dataset.${msg}`); }
    } else {
      const rows = intIn(spec.rows ?? 400, LIMITS.datasetRows, 'dataset.rows');
      const noise = numIn(spec.noise ?? 0.05, 0, 1, 'dataset.noise');
      const classes = intIn(spec.classes ?? 2, { min: 2, max: 10 }, 'dataset.classes');
      ptr = this.checkPtr(this.exports.gs_data_generate(DATASETS.indexOf(kind), rows, noise, classes, trainShare, seed));
    }
    return new Dataset(this, ptr, kind);
  }

  /**
   * Mean-field theory (csrc/theory.c) for weights N(0, sw2/fan_in), biases N(0, sb2):
   * { qStar, chi1, depthScale } — χ₁ < 1 ordered (gradients vanish by χ₁ per
   * layer in ‖δ‖²), > 1 chaotic (explode); depthScale ξ = −1/ln χ₁.
   */
  theory({ activation, sw2, sb2 = 0, slope } = {}) {
    const act = ACTIVATIONS.indexOf(oneOf(activation, ACTIVATIONS, 'activation'));
    const a = slope ?? (activation === 'prelu' ? 0.25 : activation === 'leaky_relu' ? 0.01 : 0);
    return this.withScratch(24, (out) => {
      this.check(this.exports.gs_theory(act, a, sw2, sb2, out));
      const [qStar, chi1, depthScale] = this.f64(out, 3);
      return { qStar, chi1, depthScale };
    });
  }
  /** The σ_w² where χ₁ = 1 (edge of chaos), or NaN when there is none in (0, 20]. */
  criticalSw2({ activation, sb2 = 0, slope } = {}) {
    const act = ACTIVATIONS.indexOf(oneOf(activation, ACTIVATIONS, 'activation'));
    const a = slope ?? (activation === 'prelu' ? 0.25 : activation === 'leaky_relu' ? 0.01 : 0);
    numIn(sb2, 0, 100, 'sb2');
    return this.exports.gs_theory_critical_sw2(act, a, sb2);
  }

  /** The 8×8 handwritten digits (UCI, CC BY 4.0), pixels scaled to [0, 1]. */
  async loadDigits({ trainShare = 0.8, seed = 1 } = {}) {
    const { loadDigitsArrays } = await import('./digits.js');
    const { X, y } = await loadDigitsArrays();
    return this.createDataset({ kind: 'arrays', X, y, features: 64, classes: 10, trainShare, seed });
  }
}

class Dataset {
  constructor(gs, ptr, kind) {
    this.gs = gs; this.ptr = ptr; this.kind = kind;
    const info = (w) => gs.exports.gs_data_info(ptr, w);
    this.rows = info(0); this.features = info(1); this.classes = info(2); this.trainRows = info(3);
    this.testRows = this.rows - this.trainRows;
  }
  alive() { if (!this.ptr) fail('this dataset was freed'); return this.ptr; }
  /** Copies of all rows (X: rows × features) and labels. */
  arrays() {
    const p = this.alive();
    return { X: this.gs.f32(this.gs.exports.gs_data_x(p), this.rows * this.features).slice(), y: this.gs.i32(this.gs.exports.gs_data_y(p), this.rows).slice() };
  }
  /** Row indices (Int32Array copy) of the 'train' or 'test' split, in split order. */
  splitRows(split) {
    oneOf(split, ['train', 'test'], 'split');
    const order = this.gs.i32(this.gs.exports.gs_data_order(this.alive()), this.rows);
    return split === 'train' ? order.slice(0, this.trainRows) : order.slice(this.trainRows);
  }
  /** Re-split and rewind the sampler (same seed → same batches). */
  split(trainShare, seed) {
    this.gs.check(this.gs.exports.gs_data_split(this.alive(), trainShare, seed));
    this.trainRows = this.gs.exports.gs_data_info(this.ptr, 3); this.testRows = this.rows - this.trainRows;
  }
  free() { if (this.ptr) { this.gs.exports.gs_data_destroy(this.ptr); this.ptr = 0; } }
}

class Net {
  constructor(gs, ptr, config) {
    this.gs = gs; this.ptr = ptr; this.config = config;
    this.layerCount = gs.exports.gs_layer_count(ptr);
    this.bytes = gs.exports.gs_net_bytes(ptr);
    this.sizes = [config.inputs, ...config.hidden.map((h) => h.units), config.outputs];
    this.lastRows = 0;   // rows of the latest forward (what activations() and inputGrad() return)
  }
  get e() { return this.gs.exports; }
  alive() { if (!this.ptr) fail('this net was freed'); return this.ptr; }
  layerIndex(l) { return intIn(l, { min: 0, max: this.layerCount - 1 }, 'layer'); }

  /** Set any subset of { W, b, gamma, beta, slope, runningMean, runningVar } of layer l. */
  setParams(l, values) {
    this.alive(); this.layerIndex(l);
    for (const [key, v] of Object.entries(values)) {
      const kind = PARAM_KINDS.indexOf(key);
      if (kind < 0) fail(`setParams: ${key} is not a parameter (allowed: ${PARAM_KINDS.join(', ')})`);
      const len = this.e.gs_param_len(this.ptr, l, kind);
      if (len === 0) fail(`setParams: layer ${l} has no ${key}`);
      const arr = typeof v === 'number' ? [v] : v;
      if (!arr || arr.length !== len) fail(`setParams: ${key} of layer ${l} must hold ${len} numbers, got ${arr?.length}`);
      for (let i = 0; i < len; i++) if (!Number.isFinite(arr[i])) fail(`setParams: ${key}[${i}] of layer ${l} must be a finite number, got ${arr[i]}`);
      this.gs.f32(this.e.gs_param(this.ptr, l, kind), len).set(arr);
    }
  }
  #read(l, getter, kinds) {
    this.alive(); this.layerIndex(l);
    const out = {};
    for (const key of kinds) {
      const kind = PARAM_KINDS.indexOf(key), len = this.e.gs_param_len(this.ptr, l, kind);
      if (len > 0) out[key] = this.gs.f32(getter(this.ptr, l, kind), len).slice();
    }
    return out;
  }
  /** { W, b, gamma?, beta?, slope?, runningMean?, runningVar? } as Float32Array copies. */
  getParams(l) { return this.#read(l, this.e.gs_param, PARAM_KINDS); }
  /** { W, b, gamma?, beta?, slope? } of the latest backward. */
  getGrads(l) { return this.#read(l, this.e.gs_grad, PARAM_KINDS.slice(0, 5)); }

  #loadX(X) {
    const I = this.config.inputs;
    if (!X || typeof X.length !== 'number' || X.length === 0 || X.length % I !== 0)
      fail(`X must hold rows × inputs numbers (inputs = ${I}), got ${X?.length}`);
    const rows = X.length / I;
    intIn(rows, { min: 1, max: this.config.batchSize }, 'X rows (X.length / inputs)');
    this.gs.f32(this.e.gs_input(this.ptr), X.length).set(X);
    this.lastRows = rows;
    return rows;
  }
  #loadY(y, rows) {
    if (this.config.loss === 'cross_entropy') {
      if (!y || y.length !== rows) fail(`y must hold ${rows} integer labels (one per row of X), got ${y?.length}`);
      const labels = this.gs.i32(this.e.gs_labels(this.ptr), rows);
      for (let r = 0; r < rows; r++) {
        if (!Number.isInteger(y[r])) fail(`y[${r}] must be an integer in 0..${this.config.outputs - 1}, got ${y[r]}`);
        labels[r] = y[r];
      }
    } else {
      const O = this.config.outputs;
      if (!y || y.length !== rows * O) fail(`y must hold rows × outputs = ${rows * O} targets for mse, got ${y?.length}`);
      this.gs.f32(this.e.gs_targets(this.ptr), rows * O).set(y);
    }
  }

  /** Outputs (logits for cross_entropy) for X; training: true uses batch statistics and moves BN running stats. */
  forward(X, { training = false } = {}) {
    this.alive();
    const rows = this.#loadX(X);
    this.gs.check(this.e.gs_forward(this.ptr, rows, training ? 1 : 0));
    return this.gs.f32(this.e.gs_output(this.ptr), rows * this.config.outputs).slice();
  }
  /** Eval-mode outputs for any number of rows (run in chunks of batchSize). */
  predict(X) {
    const I = this.config.inputs, O = this.config.outputs, B = this.config.batchSize;
    if (!X || X.length % I !== 0) fail(`X must hold rows × inputs numbers (inputs = ${I}), got ${X?.length}`);
    const rows = X.length / I, out = new Float32Array(rows * O);
    for (let at = 0; at < rows; at += B) {
      const n = Math.min(B, rows - at);
      out.set(this.forward(X.subarray ? X.subarray(at * I, (at + n) * I) : X.slice(at * I, (at + n) * I)), at * O);
    }
    return out;
  }
  /** Training-mode forward + backward; returns the loss. No update. */
  backward(X, y, { inputGrad = false } = {}) {
    this.alive();
    const rows = this.#loadX(X);
    this.#loadY(y, rows);
    const status = this.e.gs_backward(this.ptr, rows, inputGrad ? 1 : 0);
    if (status < 0 && status !== -3) this.gs.check(status);   // -3: non-finite, reported in stats
    return this.globals().loss;
  }
  /** ∂L/∂X of the latest backward({ inputGrad: true }). */
  inputGrad() { return this.gs.f32(this.e.gs_input_grad(this.alive()), this.lastRows * this.config.inputs).slice(); }
  /** u (input of φ) and a (output) of layer l from the latest forward: B×units copies. */
  activations(l) {
    this.alive(); this.layerIndex(l);
    const len = this.lastRows * this.sizes[l + 1];
    return { pre: this.gs.f32(this.e.gs_preact(this.ptr, l), len).slice(), post: this.gs.f32(this.e.gs_act(this.ptr, l), len).slice() };
  }
  /** Clip + optimiser update from the current gradients → { gradNorm, clipScale }. */
  step() {
    this.gs.check(this.e.gs_step(this.alive()));
    const g = this.globals();
    return { gradNorm: g.gradNorm, clipScale: g.clipScale };
  }
  /** backward + step → { loss, gradNorm, clipScale } (a non-finite step is reported, not applied). */
  trainStep(X, y) {
    const loss = this.backward(X, y);
    const g = this.globals();
    if (g.nonFiniteLayer >= 0) return { loss, gradNorm: NaN, clipScale: NaN, nonFinite: this.nonFinite(g) };
    return { loss, ...this.step() };
  }
  setLearningRate(lr) { this.gs.check(this.e.gs_set_lr(this.alive(), lr)); this.config.optimizer.lr = lr; }
  /** Fresh initial parameters from `seed` (default: the config's), optimiser state cleared. */
  reset(seed = this.config.seed) {
    intIn(seed, { min: 0, max: 4294967295 }, 'seed');
    this.gs.check(this.e.gs_reinit(this.alive(), seed));
  }

  /** Global statistics of the latest step: { loss, accuracy, gradNorm, clipScale, nonFiniteLayer, nonFinitePhase, step }. */
  globals() {
    const v = this.gs.f64(this.e.gs_global_stats(this.alive()), G);
    return Object.fromEntries(GLOBAL_STATS.map((k, i) => [k, v[i]]));
  }
  nonFinite(g = this.globals()) {
    return g.nonFiniteLayer < 0 ? null : { layer: g.nonFiniteLayer, phase: NONFINITE_PHASES[g.nonFinitePhase], step: g.step };
  }
  /** One object per layer (hidden layers, then the output layer) for the latest backward / step. */
  layerStats() {
    const v = this.gs.f64(this.e.gs_layer_stats(this.alive()), this.layerCount * P);
    return Array.from({ length: this.layerCount }, (_, l) => Object.fromEntries(LAYER_STATS.map((k, i) => [k, v[l * P + i]])));
  }

  /**
   * k training steps on minibatches sampled from `data`, entirely inside wasm.
   * Returns { steps, records, stride, nonFinite }: records is a Float64Array
   * of `steps` records, each GLOBAL_STATS then layerCount × LAYER_STATS
   * (use readRecord to unpack one). Stops early at the first NaN/Inf.
   */
  trainSteps(data, k) {
    this.alive();
    intIn(k, LIMITS.stepsPerCall, 'steps');
    const steps = this.gs.check(this.e.gs_train_steps(this.ptr, data.alive(), k));
    const stride = G + this.layerCount * P;
    const records = this.gs.f64(this.e.gs_ring(this.ptr), steps * stride).slice();
    this.lastRows = Math.min(this.config.batchSize, data.trainRows);
    const last = readGlobals(records, steps - 1, this.layerCount);   // not the per-layer part: 50 layers × P objects per call cost ~0.1 ms
    return { steps, records, stride, last, nonFinite: last.nonFiniteLayer >= 0 ? this.nonFinite(last) : null };
  }
  /** Eval-mode mean loss and accuracy over the 'train' or 'test' split. */
  evaluate(data, split = 'test') {
    oneOf(split, ['train', 'test'], 'split');
    return this.gs.withScratch(16, (out) => {
      const count = this.gs.check(this.e.gs_evaluate(this.alive(), data.alive(), split === 'train' ? 0 : 1, out));
      const v = this.gs.f64(out, 2);
      return { loss: v[0], accuracy: v[1], rows: count };
    });
  }
  free() { if (this.ptr) { this.e.gs_destroy(this.ptr); this.ptr = 0; } }
}

/** Unpack record `i` of a trainSteps result into { global, layers }. */
export function readRecord(records, i, layerCount) {
  const stride = G + layerCount * P, base = i * stride;
  const global = readGlobals(records, i, layerCount);
  const layers = Array.from({ length: layerCount }, (_, l) => {
    const o = {};
    LAYER_STATS.forEach((k, j) => { o[k] = records[base + G + l * P + j]; });
    return o;
  });
  return { global, layers };
}
/** The global statistics of record `i` of a trainSteps result. */
function readGlobals(records, i, layerCount) {
  const base = i * (G + layerCount * P), global = {};
  GLOBAL_STATS.forEach((k, j) => { global[k] = records[base + j]; });
  return global;
}
export const statIndex = { global: gIndex, layer: Object.fromEntries(LAYER_STATS.map((k, i) => [k, i])) };
