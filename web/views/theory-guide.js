// theory-guide.js — the mean-field prediction the page draws over the
// measured gradients: which (σ_w², σ_b²) the current config's initialiser
// gives, whether the theory applies to this net at all, and the predicted
// per-layer decay √χ₁ of ‖δ‖ toward the input. Also the one main-thread
// copy of the wasm API, loaded lazily and used for theory only (gs.theory is
// synchronous; the lesson checks and the edge-of-chaos map need it without a
// round trip to the training worker).
//
// Mean field (Poole et al. 2016; Schoenholz et al. 2017): for weights with
// fan_in·Var(W) = σ_w² and biases with Var(b) = σ_b², going back one layer
// multiplies E‖δ‖² by χ₁ = σ_w²·E[φ′(√q*·z)²], so ‖δ‖ changes by √χ₁ per layer.
// It describes wide nets of one activation without normalisation; for batch
// norm, mixed activations or hand-set weights the guide says so and draws nothing.
//
// Owns no DOM (theory-worker.js imports it too). Used by
// views/gradient-profile.js (the dashed guide and the gain column),
// views/chaos-map.js and lesson-runner.js.

import { NET_DEFAULTS } from '../netconfig.js';

let api = null;
/**
 * The wasm API on the main thread (loaded once, ~100 kB), for the lesson
 * checks only: they call gs.theory synchronously at a few points (~2 ms).
 */
export function loadTheory() {
  api ??= import('../gradscope.js').then((m) => m.loadGradscope()).catch((e) => { api = null; throw e; });
  return api;
}

// Everything else (the map's grid, gs.criticalSw2 — 10–700 ms for some
// activations — and the profile guide) is asked of theory-worker.js, so no
// theory work makes a long task on the page. One worker per page, started on
// first use; requests answer in order.
let worker = null, nextId = 1;
const pending = new Map();
function ask(message) {
  if (!worker) {
    worker = new Worker(new URL('../theory-worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = ({ data }) => {
      const call = pending.get(data.id);
      if (!call) return;
      pending.delete(data.id);
      if (data.ok) call.resolve(data.result); else call.reject(new Error(data.error));
    };
    worker.onerror = (e) => {
      e.preventDefault?.();
      for (const c of pending.values()) c.reject(new Error(e.message || 'the theory worker stopped'));
      pending.clear(); worker.terminate(); worker = null;
    };
  }
  const id = nextId++;
  return new Promise((resolve, reject) => { pending.set(id, { resolve, reject }); worker.postMessage({ id, ...message }); });
}
/** predict(gs, config, options), computed in the theory worker. */
export const predictAsync = (config, options = {}) => ask({ kind: 'predict', config, options });
/** The edge-of-chaos map's samples for { activation, sb2, slope }: { crit, xMin, xMax, sw2, logChi, xi }. */
export const mapAsync = (args, samples) => ask({ kind: 'map', args, samples });

/** The activations of the hidden layers (per-layer list or `activation` for all). */
export const hiddenActivations = (config) => (config.layers ? config.layers.split(',') : Array(config.depth).fill(config.activation));

/** The leaky/PReLU slope the net uses (the config's, else the core's default). */
export const slopeOf = (config, activation = config.activation) => config.slope ?? NET_DEFAULTS.slope[activation] ?? 0;

/**
 * σ_w² = fan_in·Var(W) of a hidden-to-hidden (square, width × width) layer
 * under the config's initialiser (csrc/init.c), or null for zeros.
 */
export function sw2Of(config, activation = config.activation) {
  const s = config.initScale, n = config.width;
  switch (config.init) {
    case 'normal': return n * s * s;                       // std = s
    case 'uniform': return n * s * s / 3;                  // U(±s): Var = s²/3
    case 'xavier_normal':                                  // Var = gain²·2/(n+n)
    case 'xavier_uniform': return s * s;
    case 'orthogonal': return s * s;                       // orthonormal rows × gain
    case 'he_normal':
    case 'he_uniform': {                                   // Var = 2/((1+a²)·n)
      const a = activation === 'leaky_relu' || activation === 'prelu' ? slopeOf(config, activation) : 0;
      return 2 / (1 + a * a);
    }
    case 'lecun_normal': return 1;
    default: return null;                                  // zeros
  }
}

/** σ_b² of the config (biases N(0, biasStd²)). */
export const sb2Of = (config) => config.biasStd ** 2;

/**
 * Does the theory describe this net? Returns
 *   { applies: true, activation, sw2, sb2, slope }  or
 *   { applies: false, reason }  with reason an i18n key (theory.why.*).
 * customWeights: a lesson's setup replaced the initial weights.
 */
export function theoryInputs(config, { customWeights = false } = {}) {
  if (config.batchnorm) return { applies: false, reason: 'theory.why.batchnorm' };
  const acts = hiddenActivations(config);
  if (new Set(acts).size > 1) return { applies: false, reason: 'theory.why.mixed' };
  if (customWeights) return { applies: false, reason: 'theory.why.custom' };
  if (config.depth < 2) return { applies: false, reason: 'theory.why.shallow' };
  const activation = acts[0];
  const sw2 = sw2Of(config, activation);
  if (!(sw2 > 0)) return { applies: false, reason: 'theory.why.zeros' };
  return { applies: true, activation, sw2, sb2: sb2Of(config), slope: slopeOf(config, activation) };
}

/**
 * The whole prediction for a config: theoryInputs plus { qStar, chi1,
 * depthScale, perLayer = √χ₁ } when it applies. `gs` is the loaded API.
 */
export function predict(gs, config, options) {
  const inputs = theoryInputs(config, options);
  if (!inputs.applies) return inputs;
  try {
    const th = gs.theory({ activation: inputs.activation, sw2: inputs.sw2, sb2: inputs.sb2, slope: inputs.slope });
    return { ...inputs, ...th, perLayer: Math.sqrt(th.chi1) };
  } catch (e) {
    return { applies: false, reason: 'theory.why.range', error: e.message };
  }
}

/**
 * The dashed guide over hidden layers 0 … L−1 (L = layerCount − 1), anchored
 * at the last hidden layer's measured value: guide[l] = anchor·(√χ₁)^(L−1−l).
 * The output layer gets null (its δ is the loss gradient, not a φ′ product).
 */
export function guideValues(measured, layerCount, perLayer) {
  const L = layerCount - 1;
  const anchor = measured?.[L - 1];
  if (!(anchor > 0) || !(perLayer > 0)) return null;
  return Array.from({ length: layerCount }, (_, l) => (l < L ? anchor * perLayer ** (L - 1 - l) : null));
}
