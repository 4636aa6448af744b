// worker.js — the training worker: owns the wasm core, the net and the
// dataset, and runs training in ~10 ms chunks so it can still hear the page
// between chunks (pause, new learning rate). The page never touches wasm.
//
// It sends statistics as packed Float64Array records (GLOBAL_STATS then
// LAYER_STATS per layer, exactly the layout gradscope.js's trainSteps
// returns) in *transferred* ArrayBuffers: copies of the stats ring, never a
// view of wasm memory, so nothing is cloned and nothing detaches.
//
// It does not draw, format or keep history: that is the page's job.

import { loadGradscope } from './gradscope.js';
import { toNetConfig, toDatasetSpec, datasetShape } from './config.js';
import { LIMITS, GLOBAL_STATS, LAYER_STATS } from './limits.js';
import { REQUEST, EVENT, EXPLODING_GRAD_NORM } from './protocol.js';
import { lessonById, lessonRuns } from './lessons/index.js';

/** A lesson run's setup(net, gs) (CONFIG { setup: { lesson, variant } }), or null. */
const lessonSetup = (ref) => (ref ? lessonRuns(lessonById(String(ref.lesson)) ?? { variants: [] })[ref.variant | 0]?.setup ?? null : null);

const G = GLOBAL_STATS.length, P = LAYER_STATS.length;
const gi = Object.fromEntries(GLOBAL_STATS.map((k, i) => [k, i]));
const li = Object.fromEntries(LAYER_STATS.map((k, i) => [k, i]));

const CHUNK_MS = 25;          // one training chunk; messages are handled between chunks
const EVAL_EVERY_MS = 250;    // full train/test evaluation at most this often
const BOUNDARY_EVERY_MS = 400;// decision-boundary grid at most this often
const BOUNDARY_SIZE = 40;     // grid cells per side
// Pause between chunks by speed: 1 slow (one step at a time, visibly), 4 flat out.
const SPEEDS = { 1: { maxSteps: 1, idleMs: 120 }, 2: { maxSteps: 4, idleMs: 30 }, 3: { maxSteps: 256, idleMs: 4 }, 4: { maxSteps: 1e9, idleMs: 0 } };

/** Scan records for the first divergence: a non-finite value, or (unclipped) an exploding norm. */
function findDivergence(records, steps, layerCount, clipped) {
  const stride = G + layerCount * P;
  for (let i = 0; i < steps; i++) {
    const b = i * stride;
    const layer = records[b + gi.nonFiniteLayer];
    if (layer >= 0) {
      // The non-finite step was not applied: `step` counts applied updates, so this is minibatch step + 1.
      return { index: i, kind: 'nonfinite', step: records[b + gi.step] + 1, layer, phase: records[b + gi.nonFinitePhase] };
    }
    const norm = records[b + gi.gradNorm];
    if (!clipped && norm > EXPLODING_GRAD_NORM) {
      let worst = 0;   // the layer whose ‖∂L/∂W‖ is largest is where the explosion is worst
      for (let l = 1; l < layerCount; l++) if (records[b + G + l * P + li.gradNormW] > records[b + G + worst * P + li.gradNormW]) worst = l;
      return { index: i, kind: 'exploding', step: records[b + gi.step], layer: worst, gradNorm: norm };
    }
  }
  return null;
}

/** The trainer: all mutable state lives in this closure, one per worker. */
function createTrainer(gs, postMessage) {
  let config = null, net = null, data = null;
  let run = 0;   // the page's generation number for this net: stamped on every stream message
  const post = (message, transfer) => postMessage({ ...message, run }, transfer);
  let running = false, timer = 0, speed = SPEEDS[4];
  let until = Infinity;   // PLAY { until }: stop (FINISHED) when the net reaches this step
  let lastEvalMs = -Infinity, lastBoundaryMs = -Infinity, stepsPerCall = 1;
  let gridX = null, extent = null;

  function free() { net?.free(); data?.free(); net = data = null; }

  let setupRef = null;   // the lesson setup applied after createNet (kept for RESET)
  let userData = null;   // the learner's data set for dataset 'csv' ({ X, y, features, classes }), kept for RESET
  async function build(next, nextRun, nextSetup = null, nextUserData = null) {
    pause();
    const own = next.dataset === 'csv' ? nextUserData : null;
    const spec = toDatasetSpec(next, own);
    const nextData = spec.kind === 'digits' ? await gs.loadDigits({ trainShare: spec.trainShare, seed: spec.seed }) : gs.createDataset(spec);
    let nextNet;
    try { nextNet = gs.createNet(toNetConfig(next, own)); lessonSetup(nextSetup)?.(nextNet, gs); } catch (e) { nextNet?.free(); nextData.free(); throw e; }
    setupRef = nextSetup;
    userData = own;
    free();
    config = next; data = nextData; net = nextNet; run = nextRun;
    lastEvalMs = lastBoundaryMs = -Infinity; stepsPerCall = 1;
    sendDataset();
    sendViews(true);
    return { layerCount: net.layerCount, trainRows: data.trainRows, testRows: data.testRows, simd: gs.simd, netBytes: net.bytes, step: 0 };
  }

  function sendDataset() {
    const { X, y } = data.arrays();
    const shape = datasetShape(config, userData);
    gridX = null;
    if (shape.features === 2) {
      let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
      for (let r = 0; r < data.rows; r++) {
        x0 = Math.min(x0, X[2 * r]); x1 = Math.max(x1, X[2 * r]);
        y0 = Math.min(y0, X[2 * r + 1]); y1 = Math.max(y1, X[2 * r + 1]);
      }
      const padX = 0.1 * (x1 - x0 || 1), padY = 0.1 * (y1 - y0 || 1);
      extent = [x0 - padX, x1 + padX, y0 - padY, y1 + padY];
      // The learner's own points: the plane always holds [−1, 1]² too, so
      // points added by clicking do not make the picture jump.
      if (config.dataset === 'csv') extent = [Math.min(extent[0], -1.2), Math.max(extent[1], 1.2), Math.min(extent[2], -1.2), Math.max(extent[3], 1.2)];
      // Cell centres, row-major from the top (y1) down, as a canvas draws them.
      const n = BOUNDARY_SIZE;
      gridX = new Float32Array(n * n * 2);
      for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
        gridX[2 * (r * n + c)] = extent[0] + (c + 0.5) / n * (extent[1] - extent[0]);
        gridX[2 * (r * n + c) + 1] = extent[3] - (r + 0.5) / n * (extent[3] - extent[2]);
      }
      // Which rows are test rows (1) — the page draws them hollow.
      const test = new Uint8Array(data.rows);
      for (const r of data.splitRows('test')) test[r] = 1;
      post({ type: EVENT.DATASET, X: X.buffer, y: y.buffer, test: test.buffer, rows: data.rows, trainRows: data.trainRows, features: 2, classes: shape.classes, extent }, [X.buffer, y.buffer, test.buffer]);
    } else {
      post({ type: EVENT.DATASET, X: null, y: null, rows: data.rows, trainRows: data.trainRows, features: shape.features, classes: shape.classes });
    }
  }

  /** Softmax of logits row by row, in place. */
  function softmaxRows(out, classes) {
    for (let r = 0; r < out.length / classes; r++) {
      let m = -Infinity, s = 0;
      for (let k = 0; k < classes; k++) m = Math.max(m, out[r * classes + k]);
      for (let k = 0; k < classes; k++) { out[r * classes + k] = Math.exp(out[r * classes + k] - m); s += out[r * classes + k]; }
      for (let k = 0; k < classes; k++) out[r * classes + k] /= s;
    }
    return out;
  }

  /** Evaluation, boundary grid and confusion matrix, each at most every so often (always when forced). */
  function sendViews(force) {
    const now = performance.now();
    let evals = null;
    if (force || now - lastEvalMs >= EVAL_EVERY_MS) {
      lastEvalMs = now;
      const train = net.evaluate(data, 'train');
      const test = data.testRows > 0 ? net.evaluate(data, 'test') : { loss: NaN, accuracy: NaN };
      const g = net.globals();
      evals = { step: g.step, trainLoss: train.loss, trainAcc: train.accuracy, testLoss: test.loss, testAcc: test.accuracy };
      if (config.dataset === 'digits') sendConfusion();
    }
    if (gridX && (force || now - lastBoundaryMs >= BOUNDARY_EVERY_MS)) {
      lastBoundaryMs = now;
      const classes = datasetShape(config, userData).classes;
      const probs = net.predict(gridX);
      if (config.loss === 'cross_entropy') softmaxRows(probs, classes);
      post({ type: EVENT.BOUNDARY, size: BOUNDARY_SIZE, extent, classes, probs: probs.buffer }, [probs.buffer]);
    }
    return evals;
  }

  /** The confusion matrix of the test split (digits the net never trained on); the training split only if there is no test split. */
  function sendConfusion() {
    const { X, y } = data.arrays();
    const split = data.testRows > 0 ? 'test' : 'train';
    const rows = data.splitRows(split), F = data.features, classes = 10;
    const subset = new Float32Array(rows.length * F);
    rows.forEach((r, i) => subset.set(X.subarray(r * F, (r + 1) * F), i * F));
    const out = net.predict(subset);
    const counts = new Int32Array(classes * classes);
    for (let i = 0; i < rows.length; i++) {
      let best = 0;
      for (let k = 1; k < classes; k++) if (out[i * classes + k] > out[i * classes + best]) best = k;
      counts[y[rows[i]] * classes + best]++;   // row: true digit, column: predicted
    }
    post({ type: EVENT.CONFUSION, classes, counts: counts.buffer, split }, [counts.buffer]);
  }

  /**
   * Run up to `maxSteps` steps for at most `budgetMs`, then post one packed
   * stats message. Returns the number of steps run and whether it diverged.
   */
  function runChunk(maxSteps, budgetMs, forceViews) {
    const t0 = performance.now();
    const parts = [];
    let steps = 0, diverged = null, stride = 0;
    while (steps < maxSteps) {
      const k = Math.max(1, Math.min(stepsPerCall, maxSteps - steps, LIMITS.stepsPerCall.max));
      const c0 = performance.now();
      const r = net.trainSteps(data, k);
      stride = r.stride;
      const d = findDivergence(r.records, r.steps, net.layerCount, config.clip !== 'none');
      const keep = d ? d.index + 1 : r.steps;
      parts.push(r.records.subarray(0, keep * r.stride));
      steps += keep;
      if (d) { diverged = d; break; }
      // Aim for calls of ~2 ms so a chunk ends close to its budget.
      const callMs = performance.now() - c0;
      stepsPerCall = Math.max(1, Math.min(LIMITS.stepsPerCall.max, Math.round(k * 2 / Math.max(callMs, 0.05))));
      if (performance.now() - t0 >= budgetMs) break;
    }
    const packed = new Float64Array(steps * stride);
    let at = 0;
    for (const p of parts) { packed.set(p, at); at += p.length; }
    const evals = steps > 0 ? sendViews(forceViews || !!diverged) : null;
    post({ type: EVENT.STATS, records: packed.buffer, steps, stride, layerCount: net.layerCount, evals }, [packed.buffer]);
    if (diverged) {
      pause();
      delete diverged.index;
      post({ type: EVENT.DIVERGED, ...diverged });
    }
    return { steps, diverged };
  }

  function loop() {
    timer = 0;
    if (!running) return;
    try {
      const left = until - net.globals().step;
      const r = runChunk(Math.min(speed.maxSteps, left), CHUNK_MS, left <= speed.maxSteps);
      if (running && !r.diverged && net.globals().step >= until) {
        post({ type: EVENT.FINISHED, step: net.globals().step });
        pause();
        return;
      }
    } catch (e) {
      pause();
      post({ type: EVENT.FAILED, error: String(e?.message ?? e) });
      return;
    }
    if (running) timer = setTimeout(loop, speed.idleMs);
  }

  function play({ until: target } = {}) {
    if (!net) throw new Error('no net yet: send a config first');
    until = target === undefined || target === null ? Infinity : Number(target);
    if (!(until >= 0)) until = Infinity;
    if (net.globals().step >= until) {   // already there: nothing to run
      post({ type: EVENT.FINISHED, step: net.globals().step });
      return { running };
    }
    if (!running) { running = true; post({ type: EVENT.STATE, running }); timer = setTimeout(loop, 0); }
    return { running };
  }
  function pause() {
    if (timer) { clearTimeout(timer); timer = 0; }
    if (running) { running = false; post({ type: EVENT.STATE, running }); }
    return { running: false };
  }
  function need() { if (!net) throw new Error('no net yet: send a config first'); }

  /** Exactly `count` minibatches (fewer only if the run diverges), in chunks that post stats as they go. */
  function steps(count) {
    need(); pause();
    let left = Math.max(0, Math.floor(count)), done = 0;
    while (left > 0) {
      const r = runChunk(left, 50, left <= LIMITS.stepsPerCall.max);
      done += r.steps; left -= r.steps;
      if (r.diverged) return { steps: done, step: net.globals().step, diverged: true };
      if (r.steps === 0) break;
    }
    return { steps: done, step: net.globals().step, diverged: false };
  }

  return {
    [REQUEST.CONFIG]: ({ config: next, run: nextRun = 0, setup = null, data: own = null }) => build(next, nextRun, setup, own),
    [REQUEST.PLAY]: play,
    [REQUEST.PAUSE]: pause,
    [REQUEST.STEP]: () => { need(); pause(); const r = runChunk(1, Infinity, true); return { steps: r.steps, step: net.globals().step }; },
    [REQUEST.EPOCH]: () => { need(); const r = steps(Math.ceil(data.trainRows / net.config.batchSize)); return { steps: r.steps, step: r.step }; },
    [REQUEST.STEPS]: ({ steps: count }) => steps(Number(count) || 0),
    [REQUEST.RESET]: ({ run: nextRun = run }) => build(config, nextRun, setupRef, userData),
    [REQUEST.SET_LR]: ({ lr }) => { need(); net.setLearningRate(lr); config = { ...config, lr }; return { lr }; },
    [REQUEST.SET_SPEED]: ({ speed: s }) => { speed = SPEEDS[s] ?? SPEEDS[4]; return { speed: s }; },
  };
}

// ---- wiring: one trainer per worker, requests answered in arrival order ----
const post = (message, transfer = []) => self.postMessage(message, transfer);
const ready = loadGradscope().then((gs) => createTrainer(gs, post));
let queue = Promise.resolve();   // requests run one after another (CONFIG is async)

self.onmessage = (event) => {
  const { id, type, ...payload } = event.data ?? {};
  queue = queue.then(async () => {
    try {
      const trainer = await ready;
      const handler = Object.hasOwn(trainer, type) ? trainer[type] : null;
      if (!handler) throw new Error(`unknown request ${String(type).slice(0, 40)}`);
      const result = await handler(payload);
      post({ type: EVENT.REPLY, id, ok: true, result });
    } catch (e) {
      post({ type: EVENT.REPLY, id, ok: false, error: String(e?.message ?? e) });
    }
  });
};
