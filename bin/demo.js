#!/usr/bin/env node
// demo.js — the smallest look at the phenomenon, headless: a 20-layer sigmoid
// net with Xavier init next to the same net with ReLU + He, on the spiral,
// printing each layer's ‖∂L/∂W‖ at step 0 and after training.
import { loadGradscope } from '../web/gradscope.js';

const gs = await loadGradscope();
const fmt = (v) => v.toExponential(2).padStart(10);

for (const [activation, init] of [['sigmoid', 'xavier_normal'], ['relu', 'he_normal']]) {
  const data = gs.createDataset({ kind: 'spiral', rows: 600, noise: 0.1, seed: 1 });
  const net = gs.createNet({ inputs: 2, outputs: 2, depth: 20, width: 32, activation, init, batchSize: 32, seed: 1, optimizer: { kind: 'sgd', lr: 0.1 } });
  const first = net.trainSteps(data, 1);
  for (let i = 0; i < 8; i++) net.trainSteps(data, 250);
  const last = net.layerStats();
  const { accuracy } = net.evaluate(data, 'test');
  console.log(`\n20 × 32 ${activation}, ${init} (${gs.simd ? 'SIMD' : 'scalar'} build) — test accuracy after 2001 steps: ${(accuracy * 100).toFixed(1)} %`);
  console.log('layer    ‖∂L/∂W‖ step 0   ‖∂L/∂W‖ step 2001');
  const step0 = Array.from({ length: net.layerCount }, (_, l) => first.records[gs.globalStats.length + l * gs.layerStats.length]);
  for (let l = 0; l < net.layerCount; l++) console.log(`${String(l + 1).padStart(5)}   ${fmt(step0[l])}       ${fmt(last[l].gradNormW)}`);
  net.free(); data.free();
}
