// theory.test.js — the mean-field overlay (gs.theory, gs.criticalSw2) against
// the reference values of the lessons issue, and against what the core
// measures in wide nets at initialisation.
// Run: node --test tests/theory.test.js
//
// Reference values (issue "Lessons that reproduce the classic results, …"):
//   ReLU χ₁ = σ_w²/2; leaky / PReLU with slope a: χ₁ = σ_w²(1 + a²)/2;
//   tanh, σ_b² = 0.05: χ₁ ≈ 0.759 at σ_w² = 1.0, 0.939 at 1.5, critical σ_w² ≈ 1.761;
//   sigmoid, σ_w² = 1, σ_b² = 1 (Nielsen's N(0, 1/n) weights, N(0, 1) biases): √χ₁ ≈ 0.205.
// All within 5 %.
//
// Measured: a net of width 256 and depth 20 at initialisation (weights
// N(0, σ_w²/256), biases N(0, σ_b²)) fed with 256-dimensional N(0, 1) inputs,
// so that the first layer has the same fan-in and σ_w² as the others. The
// growth of ln‖δ‖ per layer toward the input (δ = ∂L/∂a, deltaNorm; the
// least-squares slope over layers 3 … 19) must have the sign of ln χ₁, and
// the core's per-layer gain σ_w²·mean φ′² must match χ₁.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadGradscope, readRecord } from '../web/gradscope.js';
import { slope, mean } from '../web/lessons/util.js';

const gs = await loadGradscope();

const close = (actual, expected, rel, what) =>
  assert.ok(Math.abs(actual / expected - 1) <= rel, `${what}: got ${actual}, expected ${expected} within ${rel * 100} %`);

test('ReLU: χ₁ = σ_w²/2', () => {
  for (const sw2 of [0.5, 1, 2, 3, 4])
    for (const sb2 of [0, 0.05]) close(gs.theory({ activation: 'relu', sw2, sb2 }).chi1, sw2 / 2, 0.05, `relu σ_w² = ${sw2}, σ_b² = ${sb2}`);
});

test('Leaky ReLU and PReLU with slope a: χ₁ = σ_w²(1 + a²)/2', () => {
  for (const activation of ['leaky_relu', 'prelu'])
    for (const a of [0.01, 0.1, 0.25, 0.5])
      for (const sw2 of [1, 2, 3]) close(gs.theory({ activation, sw2, sb2: 0, slope: a }).chi1, sw2 * (1 + a * a) / 2, 0.05, `${activation} a = ${a}, σ_w² = ${sw2}`);
  // the defaults: leaky 0.01, PReLU 0.25
  close(gs.theory({ activation: 'leaky_relu', sw2: 2 }).chi1, 1 + 0.01 ** 2, 0.05, 'leaky default slope');
  close(gs.theory({ activation: 'prelu', sw2: 2 }).chi1, 1 + 0.25 ** 2, 0.05, 'prelu default slope');
});

test('tanh, σ_b² = 0.05: χ₁ ≈ 0.759 at σ_w² = 1.0, 0.939 at 1.5; critical σ_w² ≈ 1.761', () => {
  close(gs.theory({ activation: 'tanh', sw2: 1.0, sb2: 0.05 }).chi1, 0.759, 0.05, 'χ₁(1.0)');
  close(gs.theory({ activation: 'tanh', sw2: 1.5, sb2: 0.05 }).chi1, 0.939, 0.05, 'χ₁(1.5)');
  const crit = gs.criticalSw2({ activation: 'tanh', sb2: 0.05 });
  close(crit, 1.761, 0.05, 'critical σ_w²');
  close(gs.theory({ activation: 'tanh', sw2: crit, sb2: 0.05 }).chi1, 1, 1e-3, 'χ₁ at the critical σ_w²');
  assert.ok(gs.theory({ activation: 'tanh', sw2: 2.5, sb2: 0.05 }).chi1 > 1, 'σ_w² = 2.5 is chaotic (χ₁ > 1)');
});

test('sigmoid with σ_w² = 1, σ_b² = 1: √χ₁ ≈ 0.205 (Nielsen\'s ≈ 0.2 per layer)', () => {
  close(Math.sqrt(gs.theory({ activation: 'sigmoid', sw2: 1, sb2: 1 }).chi1), 0.205, 0.05, '√χ₁');
});

test('depth scale ξ = −1/ln χ₁', () => {
  for (const sw2 of [1.0, 1.5, 2.5]) {
    const { chi1, depthScale } = gs.theory({ activation: 'tanh', sw2, sb2: 0.05 });
    close(depthScale, -1 / Math.log(chi1), 1e-6, `ξ at σ_w² = ${sw2}`);
  }
});

// ---- measured in wide nets -------------------------------------------------

const WIDTH = 256, DEPTH = 20, ROWS = 64, SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const FIT = [2, DEPTH - 1];   // hidden layers 3 … 19 (index 2 … 18)

/** A seeded N(0, 1) matrix (mulberry32 + Box–Muller): independent of the core's RNG. */
function gaussian(seed, count) {
  let a = seed >>> 0;
  const u = () => { a = (a + 0x6D2B79F5) | 0; let t = Math.imul(a ^ (a >>> 15), 1 | a); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(u() || 2 ** -32)), th = 2 * Math.PI * u();
    out[i] = r * Math.cos(th);
    if (i + 1 < count) out[i + 1] = r * Math.sin(th);
  }
  return out;
}

/** The per-layer records at initialisation of a wide net with weights N(0, σ_w²/n) and biases N(0, σ_b²). */
function measureAtInit({ activation, sw2, sb2, seed }) {
  const X = gaussian(1000 + seed, ROWS * WIDTH);
  const y = Array.from({ length: ROWS }, (_, i) => i % 10);
  const data = gs.createDataset({ kind: 'arrays', X, y, features: WIDTH, classes: 10, trainShare: 1, seed });
  const net = gs.createNet({
    inputs: WIDTH, outputs: 10, batchSize: ROWS, seed,
    hidden: Array.from({ length: DEPTH }, () => ({ units: WIDTH, activation })),
    init: { kind: 'normal', std: Math.sqrt(sw2 / WIDTH) }, bias: { constant: 0, std: Math.sqrt(sb2) },
    optimizer: { kind: 'sgd', lr: 0.01 },
  });
  try {
    const run = net.trainSteps(data, 1);
    return readRecord(run.records, 0, net.layerCount).layers.slice(0, DEPTH);
  } finally { net.free(); data.free(); }
}
const growth = (layers, key) => -slope(layers.slice(...FIT).map((l) => Math.log(l[key])));
const gain = (layers) => mean(layers.slice(...FIT).map((l) => l.gain));

for (const sw2 of [1.0, 1.5, 2.5]) {
  test(`tanh σ_w² = ${sw2}, σ_b² = 0.05: the slope of ln‖δ‖ over depth has the sign of ln χ₁ (width ${WIDTH}, depth ${DEPTH}, ${SEEDS.length} seeds)`, () => {
    const { chi1 } = gs.theory({ activation: 'tanh', sw2, sb2: 0.05 });
    const predicted = 0.5 * Math.log(chi1);
    const runs = SEEDS.map((seed) => measureAtInit({ activation: 'tanh', sw2, sb2: 0.05, seed }));
    const byDelta = runs.map((l) => growth(l, 'deltaNorm'));
    const byBias = runs.map((l) => growth(l, 'gradNormB'));
    // every seed, with ‖∂L/∂a‖ (deltaNorm)
    for (const [i, g] of byDelta.entries()) assert.equal(Math.sign(g), Math.sign(predicted), `seed ${SEEDS[i]}: growth of ln‖δ‖ per layer ${g} vs ½ ln χ₁ = ${predicted}`);
    // the mean over seeds, with ‖∂L/∂b‖ (gradNormB) too
    assert.equal(Math.sign(mean(byBias)), Math.sign(predicted), `gradNormB: mean growth ${mean(byBias)} vs ½ ln χ₁ = ${predicted}`);
    // and the size: mean within 0.02 per layer of ½ ln χ₁
    assert.ok(Math.abs(mean(byDelta) - predicted) <= 0.02, `mean growth ${mean(byDelta)} vs ½ ln χ₁ = ${predicted}`);
  });
}

for (const [activation, sw2, sb2] of [['relu', 1, 0], ['relu', 2, 0], ['relu', 3, 0], ['tanh', 1.0, 0.05], ['tanh', 1.5, 0.05], ['tanh', 2.5, 0.05]]) {
  test(`${activation} σ_w² = ${sw2}: the measured gain σ_w²·mean φ′² matches χ₁ within 5 % in every seed`, () => {
    const { chi1 } = gs.theory({ activation, sw2, sb2 });
    for (const seed of SEEDS.slice(0, 4)) {
      const g = gain(measureAtInit({ activation, sw2, sb2, seed }));
      close(g, chi1, 0.05, `seed ${seed}: mean gain over layers ${FIT[0] + 1}–${FIT[1]}`);
    }
  });
}
