// sweep-worker.js — one sweep worker thread: owns one wasm core and runs
// jobs (one config, one seed) one at a time. A job is a fresh dataset and
// net from the playground config, exactly as `gradscope train` and the page
// build them, so a sweep cell can be replayed with `gradscope train`.
//
// Per job: one trainSteps(data, 1) whose record 0 holds the gradients of
// the initial weights (the step-0 first/last layer ratios), then the rest of
// `steps` in chunks of ≤ 256, then the train loss and test accuracy. With
// steps = 0 the loss is that of the initial weights (evaluated first).

import { parentPort } from 'node:worker_threads';
import { loadGradscope, readRecord, LIMITS } from '../../web/gradscope.js';
import { createRun } from './playground-config.js';
import { TO_WORKER, FROM_WORKER } from './sweep-protocol.js';

let gs = null;
let ownData = null;   // { X, y, features, classes } for dataset csv (sent once, with INIT)

const ratio = (layers, stat) => Math.log10(layers[0][stat] / layers[layers.length - 1][stat]);

async function runJob({ config, steps }) {
  const { data, net } = await createRun(gs, config, ownData);
  try {
    const atInit = steps === 0 ? net.evaluate(data, 'train') : null;
    const first = net.trainSteps(data, 1);
    const record0 = readRecord(first.records, 0, net.layerCount);
    let nonFinite = first.nonFinite, done = first.steps;
    while (!nonFinite && done < steps) {
      const r = net.trainSteps(data, Math.min(LIMITS.stepsPerCall.max, steps - done));
      done += r.steps;
      nonFinite = r.nonFinite;
    }
    const end = atInit ?? net.evaluate(data, 'train');
    const test = atInit || data.testRows === 0 ? null : net.evaluate(data, 'test');
    const divergedStep = nonFinite ? nonFinite.step + 1 : null;   // the non-finite step was not applied
    return {
      log10RatioW: ratio(record0.layers, 'gradNormW'),
      log10RatioB: ratio(record0.layers, 'gradNormB'),
      finalLoss: end.loss,
      trainAccuracy: end.accuracy,
      testAccuracy: test ? test.accuracy : NaN,
      diverged: !!nonFinite || !Number.isFinite(end.loss),
      divergedStep,
    };
  } finally {
    net.free(); data.free();
  }
}

parentPort.on('message', async (message) => {
  if (message.type === TO_WORKER.INIT) {
    gs = await loadGradscope({ simd: message.simd });
    ownData = message.data ?? null;
    parentPort.postMessage({ type: FROM_WORKER.READY, build: gs.simd ? 'simd' : 'scalar' });
  } else if (message.type === TO_WORKER.JOB) {
    try {
      parentPort.postMessage({ type: FROM_WORKER.RESULT, id: message.id, result: await runJob(message) });
    } catch (e) {
      parentPort.postMessage({ type: FROM_WORKER.FAILED, id: message.id, error: String(e?.message ?? e) });
    }
  }
});
