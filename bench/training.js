// training.js — part (b) of the bench: ms per training step, the same step
// computed by every peer from the same initial parameters on the same batch.
//
// Owns: the step configs, the shared batch, the loss agreement check, the
// interleaved timing rounds, and a split of one gradscope step into phases.
// Does not own the peers (peers/*.js) or the ratios and targets (report.js).
//
// A step: forward over B rows → softmax cross-entropy (10 classes) → backward →
// [clip by global norm] → SGD, lr 0.01, no momentum. Inputs = width. Every
// peer starts from gradscope's initial parameters (getParams), so the first
// loss must agree to float rounding, and the second loss (after one update)
// checks the gradients and the update too.

import { summarize, timeMs, repsFor, makeRng } from './stats.js';
import { createGradscopePeer, initialParams } from './peers/gradscope.js';
import { createTfPeer, useBackend } from './peers/tfjs.js';
import { createConvnetPeer, convnetSupports } from './peers/convnetjs.js';
import { referenceLoss } from './reference.js';

export const OUTPUTS = 10, LR = 0.01;
// Small enough that clipping is active on every step of the run (the check prints the first clip scale).
export const CLIP_MAX = 0.05;
// First loss, relative to gradscope SIMD: max(1e-4, 10 × the config's float64 sensitivity to
// one float32 rounding of the input — see reference.js). The loss after one step is reported too.
export const LOSS_TOLERANCE = 1e-4;
export const SENSITIVITY_FACTOR = 10;

const BASES = [
  { depth: 10, width: 256, batch: 128, activation: 'tanh' },
  { depth: 10, width: 256, batch: 128, activation: 'relu' },
  { depth: 50, width: 64, batch: 64, activation: 'tanh' },
  { depth: 50, width: 64, batch: 64, activation: 'relu' },
];
const VARIANTS = [
  { tag: '', batchnorm: false, clipMax: 0 },
  { tag: ' +BN', batchnorm: true, clipMax: 0 },
  { tag: ' +clip', batchnorm: false, clipMax: CLIP_MAX },
];

export const CONFIGS = VARIANTS.flatMap((v) => BASES.map((b) => ({
  id: `${b.depth}×${b.width} b${b.batch} ${b.activation}${v.tag}`,
  base: `${b.depth}×${b.width} b${b.batch} ${b.activation}`,
  variant: v.tag.trim() || 'plain',
  ...b, batchnorm: v.batchnorm, clipMax: v.clipMax, inputs: b.width, outputs: OUTPUTS, lr: LR,
})));

export const IMPLS = ['gradscope-simd', 'gradscope-scalar', 'tfjs-wasm', 'tfjs-cpu', 'convnetjs'];

const OP_INDEX = { xwt: 0, dyw: 1, dytx: 2 };

/**
 * The matmul floor as a runnable peer: exactly the kernel calls one step
 * makes (stepMatmuls: shapes, order, packing included) through the raw hook
 * gs_kernel_run of the SIMD build, on buffers that stay warm. Timed in the
 * same interleaved rounds as the real step, so a clock change (this machine's
 * turbo moves ±10 % between minutes) moves both alike; step ÷ floor is then
 * a ratio of samples from the same round.
 */
function createFloorPeer(gs, spec) {
  const e = gs.exports, mm = stepMatmuls(spec);
  const floats = Math.max(...mm.map((m) => Math.max(m.B * m.I, m.B * m.O, m.I * m.O)));
  const work = Math.max(...mm.map((m) => Number(e.gs_kernel_work_floats(m.B, m.I, m.O))));
  const sizes = [floats, floats, floats, Math.max(...mm.map((m) => m.O)), work];
  const ptrs = sizes.map((n) => gs.checkPtr(e.malloc(n * 4 + 64)));
  const [out, a, b, bias, scratch] = ptrs;
  const rand = makeRng(7);
  for (let k = 0; k < 4; k++) gs.f32(ptrs[k], sizes[k]).forEach((_, i, v) => { v[i] = rand() - 0.5; });
  const once = () => {
    for (const m of mm) e.gs_kernel_run(OP_INDEX[m.op], 1, out, a, b, m.op === 'xwt' ? bias : 0, m.B, m.I, m.O, scratch);
  };
  return {
    flops: mm.reduce((t, m) => t + m.flops, 0),
    steps(n) { for (let i = 0; i < n; i++) once(); },
    dispose() { for (const p of ptrs) e.free(p); },
  };
}

/** The matmuls of one step: [{ op, B, I, O, flops }] (forward 2BIO; dW 2BIO; dX 2BIO except layer 0). */
export function stepMatmuls(spec) {
  const sizes = [spec.inputs, ...Array(spec.depth).fill(spec.width), spec.outputs];
  const out = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const B = spec.batch, I = sizes[l], O = sizes[l + 1], flops = 2 * B * I * O;
    out.push({ op: 'xwt', B, I, O, flops, phase: 'forward' });
    out.push({ op: 'dytx', B, I, O, flops, phase: 'backward' });
    if (l > 0) out.push({ op: 'dyw', B, I, O, flops, phase: 'backward' });
  }
  return out;
}

function makeBatch(spec, seed) {
  const rand = makeRng(seed);
  const X = new Float32Array(spec.batch * spec.inputs);
  for (let k = 0; k < X.length; k++) X[k] = (rand() * 2 - 1) * Math.sqrt(3);   // unit variance
  const y = Int32Array.from({ length: spec.batch }, () => Math.floor(rand() * spec.outputs));
  return { X, y };
}

async function makePeer(impl, gs, spec, batch, params) {
  switch (impl) {
    case 'gradscope-simd': return createGradscopePeer(gs.simd, impl, spec, batch, params);
    case 'gradscope-scalar': return createGradscopePeer(gs.scalar, impl, spec, batch, params);
    case 'tfjs-wasm': return createTfPeer('wasm', impl, spec, batch, params);
    case 'tfjs-cpu': return createTfPeer('cpu', impl, spec, batch, params);
    case 'convnetjs': return convnetSupports(spec) ? createConvnetPeer(impl, spec, batch, params) : null;
    default: throw new Error(`unknown impl ${impl}`);
  }
}

/** Split one gradscope step into phases by timing the core's entry points,
 * interleaved in each round with trainSteps itself; phases are per-round
 * differences (medians), so a noisy neighbour shifts all four together. */
function profileStep(peer, spec, rounds, targetMs, cores) {
  const { net } = peer, e = net.gs.exports, p = net.ptr, B = spec.batch;
  const { X, y } = peer.data.arrays();
  net.backward(X.subarray(0, B * spec.inputs), y.subarray(0, B));   // puts the batch in the net's input block
  const calls = {
    forward: () => e.gs_forward(p, B, 1),                    // training-mode forward (BN batch stats)
    backward: () => e.gs_backward(p, B, 0),                  // forward + loss + backward + per-layer stats
    trainStep: () => e.gs_train_step(p, B),                  // + clip + SGD
    trainSteps: () => peer.steps(1),                         // + batch gather, stats ring, JS copy-out
  };
  const reps = {};
  for (const [k, fn] of Object.entries(calls)) { fn(); reps[k] = repsFor(timeMs(fn), targetMs / 4, 2000); }
  const diffs = { forwardMs: [], backwardMs: [], optimizerMs: [], trainStepsOverheadMs: [], stepMs: [] };
  for (let r = 0; r < rounds; r++) {
    cores.check();   // before a round: its four timings are differenced
    const t = {};
    for (const [k, fn] of Object.entries(calls)) t[k] = timeMs(() => { for (let i = 0; i < reps[k]; i++) fn(); }) / reps[k];
    diffs.forwardMs.push(t.forward);
    diffs.backwardMs.push(t.backward - t.forward);
    diffs.optimizerMs.push(t.trainStep - t.backward);
    diffs.trainStepsOverheadMs.push(t.trainSteps - t.trainStep);
    diffs.stepMs.push(t.trainSteps);
  }
  return Object.fromEntries(Object.entries(diffs).map(([k, v]) => [k, summarize(v).median]));
}

/**
 * Run part (b). gs = { simd, scalar } (loaded gradscope modules).
 * Returns { configs: [{ ...spec, lossCheck, clipScale, results: { impl: summary | null }, profile }], tfjs }.
 */
export async function runTraining(gs, { rounds = 7, targetMs = 80, impls = IMPLS, configs = CONFIGS, cores = { check() {} }, log = () => {} } = {}) {
  const tfjs = {};
  if (impls.includes('tfjs-wasm')) tfjs.wasm = await useBackend('wasm');
  if (impls.includes('tfjs-cpu')) tfjs.cpu = await useBackend('cpu');
  if (tfjs.wasm) log(`tfjs-wasm: SIMD support ${tfjs.wasm.hasSimdSupport}, threads ${tfjs.wasm.hasThreads}, binary read: ${tfjs.wasm.wasmFilesRead.join(', ') || '(none seen)'}`);

  // ---- set up every (config, impl) case and check the losses agree ----------
  const rows = [];
  for (const [ci, spec] of configs.entries()) {
    const params = initialParams(gs.simd, spec);
    const batch = makeBatch(spec, 1000 + ci);
    const row = { ...spec, lossCheck: {}, results: {}, peers: {}, reference: referenceLoss(spec, params, batch) };
    row.reference.tolerance = Math.max(LOSS_TOLERANCE, SENSITIVITY_FACTOR * row.reference.sensitivity);
    for (const impl of impls) {
      const peer = await makePeer(impl, gs, spec, batch, params);
      if (!peer) { row.results[impl] = null; continue; }
      await peer.activate?.();
      const losses = peer.losses(2);
      row.peers[impl] = peer;
      row.lossCheck[impl] = { losses };
      if (impl === 'gradscope-simd') row.clipScale = spec.clipMax ? peer.clipScale() : 1;
    }
    const ref = row.lossCheck['gradscope-simd']?.losses;
    for (const [impl, c] of Object.entries(row.lossCheck)) {
      c.relFirst = ref ? Math.abs(c.losses[0] - ref[0]) / Math.abs(ref[0]) : NaN;
      c.relSecond = ref ? Math.abs(c.losses[1] - ref[1]) / Math.abs(ref[1]) : NaN;
      c.relToF64 = Math.abs(c.losses[0] - row.reference.loss) / Math.abs(row.reference.loss);
      c.ok = c.relFirst <= row.reference.tolerance;
    }
    log(`loss check ${spec.id}: ` + Object.entries(row.lossCheck).map(([impl, c]) =>
      `${impl} ${c.losses[0].toFixed(6)}→${c.losses[1].toFixed(6)} (Δrel ${c.relFirst.toExponential(1)}, ${c.relSecond.toExponential(1)})${c.ok ? '' : ' MISMATCH'}`).join('; ')
      + `; float64 ${row.reference.loss.toFixed(6)}, sensitivity ${row.reference.sensitivity.toExponential(1)}, tolerance ${row.reference.tolerance.toExponential(1)}`
      + (spec.clipMax ? `; first clip scale ${row.clipScale.toFixed(3)}` : ''));
    rows.push(row);
  }

  // ---- calibrate: warm up, then pick steps per measurement -----------------
  // The floor case runs right after its gradscope-simd case in every round,
  // so each step ÷ floor ratio compares two samples taken within ~0.2 s of
  // each other: this VM's speed changes from minute to minute (and by ±20 %
  // between one peer's sample and another's seconds later), which moved the
  // ratio by several % when the two samples were a whole row of peers apart.
  const cases = [];
  for (const row of rows) {
    for (const [impl, peer] of Object.entries(row.peers)) {
      await peer.activate?.();
      const gsPeer = impl.startsWith('gradscope');
      if (gsPeer) peer.steps(16);   // peers already ran 2 steps in the loss check; slow ones need no more warm-up
      const probe = gsPeer ? 8 : 1;
      const perStep = timeMs(() => peer.steps(probe)) / probe;
      cases.push({ row, impl, peer, reps: repsFor(perStep, targetMs), samples: [] });
      if (impl === 'gradscope-simd') {
        const floor = createFloorPeer(gs.simd, row);
        floor.steps(16);
        cases.push({ row, impl: 'floor', peer: floor, reps: repsFor(timeMs(() => floor.steps(8)) / 8, targetMs), samples: [] });
      }
    }
  }

  // ---- interleaved rounds: every case once per round ------------------------
  for (let r = 0; r < rounds; r++) {
    const start = Date.now();
    for (const c of cases) {
      if (c.impl !== 'floor') cores.check();   // a floor sample stays on its step sample's vCPU
      await c.peer.activate?.();
      c.samples.push(timeMs(() => c.peer.steps(c.reps)) / c.reps);
    }
    log(`training round ${r + 1}/${rounds}: ${((Date.now() - start) / 1000).toFixed(1)} s`);
  }
  for (const c of cases) {
    if (c.impl !== 'floor') { c.row.results[c.impl] = { ...summarize(c.samples), stepsPerSample: c.reps }; continue; }
    // step ÷ floor per round (both sampled in that round), then the median
    const step = cases.find((x) => x.row === c.row && x.impl === 'gradscope-simd');
    c.row.floor = { ...summarize(c.samples), gflops: c.peer.flops / (summarize(c.samples).median * 1e6),
      ratio: summarize(step.samples.map((t, i) => t / c.samples[i])) };
    c.peer.dispose();
  }

  // ---- where a gradscope step's time goes -----------------------------------
  for (const row of rows) {
    for (const impl of ['gradscope-simd']) {
      const peer = row.peers[impl];
      if (!peer) continue;
      (row.profile ??= {})[impl] = profileStep(peer, row, Math.max(rounds, 5), targetMs, cores);
    }
  }

  for (const row of rows) { for (const peer of Object.values(row.peers)) peer.dispose(); delete row.peers; }
  return { configs: rows, tfjs };
}
