// The one table of numeric limits and enumerations shared by every layer of
// gradscope. The C core gets the same numbers through csrc/generated/limits.h,
// which build.sh writes from this file (scripts/gen-limits.js), so a limit is
// changed here and nowhere else. config.js (page, CLI, element) validates
// against it first; the C core enforces it again, so the wasm never trusts JS.

export const LIMITS = Object.freeze({
  depth: { min: 1, max: 100 },          // hidden layers
  units: { min: 1, max: 1024 },         // width of one hidden layer
  inputs: { min: 1, max: 1024 },        // features per example
  outputs: { min: 1, max: 1024 },       // classes (cross-entropy) or targets (mse)
  batchSize: { min: 1, max: 1024 },
  lr: { min: 0, max: 10 },              // learning rate in (0, 10]
  stepsPerCall: { min: 1, max: 256 },   // k in trainSteps(k): the size of the stats ring
  datasetRows: { min: 1, max: 100000 },
  netHeapMb: 256,                       // heap budget of one net in MiB (params, grads, moments, caches)
  dataHeapMb: 256,                      // heap budget of one dataset in MiB
});

// Enumerations: the position in each list is the integer the C core uses.
export const ACTIVATIONS = Object.freeze(['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'prelu', 'elu', 'selu', 'swish']);
export const INITS = Object.freeze(['zeros', 'normal', 'uniform', 'xavier_uniform', 'xavier_normal', 'he_uniform', 'he_normal', 'lecun_normal', 'orthogonal']);
export const LOSSES = Object.freeze(['cross_entropy', 'mse']);
export const OPTIMIZERS = Object.freeze(['sgd', 'adam']);
export const CLIPS = Object.freeze(['none', 'norm', 'value', 'layer_norm']);
export const DATASETS = Object.freeze(['spiral', 'circles', 'xor', 'moons', 'gaussians', 'arrays']);

// Statistics the core writes for every training step. The order is the
// memory layout of one record of the stats ring (doubles).
export const GLOBAL_STATS = Object.freeze(['loss', 'accuracy', 'gradNorm', 'clipScale', 'nonFiniteLayer', 'nonFinitePhase', 'step']);
export const LAYER_STATS = Object.freeze([
  'gradNormW',    // ‖∂L/∂W_l‖_F
  'gradNormB',    // ‖∂L/∂b_l‖_2 (= ‖δ_l‖ summed over the batch)
  'deltaNorm',    // ‖∂L/∂a_l‖_F over the batch (the logits' gradient for the output layer)
  'actMean',      // mean of the layer's output over rows × units
  'actStd',       // population std of the same
  'saturated',    // fraction of outputs in a flat tail (sigmoid outside [0.01,0.99], |tanh| > 0.99)
  'dead',         // fraction of units whose derivative is 0 on every row of the batch
  'weightNorm',   // ‖W_l‖_F after the step
  'updateRatio',  // ‖ΔW_l‖_F / ‖W_l‖_F of the last update
  'gain',         // measured σ_w²·mean(φ′(u)²): the mean-field per-layer gradient gain
  'clipScale',    // factor applied to this layer's gradients by clipping
  'preactStd',    // population std of the activation's input u
  'slope',        // PReLU slope (leaky slope for leaky_relu; 0 otherwise)
]);
// Where a non-finite value first appeared (nonFinitePhase).
export const NONFINITE_PHASES = Object.freeze(['none', 'forward', 'loss', 'backward', 'update']);
