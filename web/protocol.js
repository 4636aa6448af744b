// protocol.js — every message name the page and the training worker exchange,
// in one module (the habit of ffmpeg.wasm's const.ts), so a typo is an
// import error instead of a silently dropped message.
//
// Requests (page → worker) carry an `id`; the worker answers each with one
// REPLY { id, ok, result | error }. Streams (worker → page) carry no id: they
// are events the trainer client re-dispatches.

/** Requests: the page asks, the worker answers once. */
export const REQUEST = Object.freeze({
  CONFIG: 'config',     // { config, setup?, data? } (data { X, y, features, classes }: the learner's set for dataset 'csv') → build dataset + net (paused, step 0); setup { lesson, variant }: apply that lesson run's setup(net, gs)
  PLAY: 'play',         // start the training loop; { until } stops it when the net reaches that step (FINISHED)
  PAUSE: 'pause',       // stop it after the current chunk
  STEP: 'step',         // exactly one minibatch
  EPOCH: 'epoch',       // ceil(trainRows / batchSize) minibatches
  STEPS: 'steps',       // { steps } exactly that many minibatches (compare mode's lock-step tick) → { steps, step, diverged }
  RESET: 'reset',       // rebuild from the same config and seed: same weights, same batches
  SET_LR: 'setLr',      // { lr } — takes effect at the next step, keeps the run
  SET_SPEED: 'setSpeed' // { speed } — 1 (slow) … 4 (as fast as the worker can)
});

/** Streams: the worker tells, the page listens. */
export const EVENT = Object.freeze({
  REPLY: 'reply',        // { id, ok, result?, error? }
  STATS: 'stats',        // { records: ArrayBuffer(Float64), steps, stride, layerCount, evals? }
  DATASET: 'dataset',    // { X: ArrayBuffer(Float32), y: ArrayBuffer(Int32), test: ArrayBuffer(Uint8, 1 = test row), trainRows, features, classes }
  BOUNDARY: 'boundary',  // { size, extent: [x0, x1, y0, y1], classes, probs: ArrayBuffer(Float32) }
  CONFUSION: 'confusion',// { classes, counts: ArrayBuffer(Int32), split: 'test' | 'train' } (digits; rows = true, columns = predicted)
  STATE: 'state',        // { running }
  FINISHED: 'finished',  // { step } — a PLAY { until } reached its step (sent before STATE { running: false })
  DIVERGED: 'diverged',  // { kind: 'nonfinite' | 'exploding', step, layer, phase?, gradNorm? }
  FAILED: 'failed',      // { error } — an exception outside any request (the loop)
});

// Above this pre-clip total gradient norm an unclipped run counts as
// exploding: the next update would move weights by ~lr × 1e6.
export const EXPLODING_GRAD_NORM = 1e6;
