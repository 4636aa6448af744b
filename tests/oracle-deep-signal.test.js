// PyTorch oracle: deep_signal.json — gradient and activation statistics at
// initialisation of deep MLPs (the vanishing/exploding phenomenon itself).
//
// The protocol of the file, with OUR random numbers (SCHEMA §8: the tolerance is
// statistical because the RNG differs): for seeds s = 0..19, X ~ N(0,1) 64×64
// and labels uniform in 0..9 from a seeded xorshift128+/Box–Muller generator
// (tests/helpers/oracle.js), a net 64 → depth × 64 → 10 with CE loss, all biases
// 0, every layer (output included) initialised by the config's scheme with the
// core's seed s; one backward. Per layer, from layerStats():
//   dW_fro ↔ gradNormW, db_l2 ↔ gradNormB (depth+1 entries),
//   delta_fro ↔ deltaNorm = ‖dL/da_l‖_F, activation_std ↔ actStd (hidden layers),
//   preactivation_std ↔ preactStd (depth+1 entries).
// Acceptance (recommended_tolerances.rule): per layer,
//   |mean over seeds of log10(ours) − log10_mean| ≤ 0.25 + 3·log10_sd/√n;
// the classification by the file's rule must match; per_layer_factor within
// 10^0.05 (≈12%).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadOracle, loadBuilds, Checker, TestRng, withNet } from './helpers/oracle.js';

const deep = loadOracle('deep_signal.json');
const builds = await loadBuilds();
const SEEDS = 20, WIDTH = 64, BATCH = 64, CLASSES = 10;

const INIT = {
  normal: (std) => ({ kind: 'normal', std }),
  xavier_normal: () => 'xavier_normal',
  kaiming_normal: () => 'he_normal',   // fan_in, relu gain √2 (the output layer's a = 0 too)
};

// Test data per seed, shared by every config (as in the file: the seed fixes X and labels).
const DATA = Array.from({ length: SEEDS }, (_, s) => {
  const rng = new TestRng(0x5eed0000 + s);
  const X = Array.from({ length: BATCH * WIDTH }, () => rng.normal());
  const y = Array.from({ length: BATCH }, () => rng.below(CLASSES));
  return { X, y };
});

function classify(rW, rDelta, sW) {
  const hi = Math.max(rW, rDelta, sW), lo = Math.min(rW, rDelta, sW);
  if (hi >= 3) return 'exploding';
  if (lo <= -3) return 'vanishing';
  if (hi >= 1) return 'mildly exploding';
  if (lo <= -1) return 'mildly vanishing';
  return 'stable';
}
/** least-squares slope of vals[first-1 .. last-1] against the 1-based layer index */
function slope(vals, first, last) {
  const xs = [], ys = [];
  for (let i = first; i <= last; i++) { xs.push(i); ys.push(vals[i - 1]); }
  const mx = xs.reduce((a, b) => a + b) / xs.length, my = ys.reduce((a, b) => a + b) / ys.length;
  let num = 0, den = 0;
  xs.forEach((x, k) => { num += (x - mx) * (ys[k] - my); den += (x - mx) ** 2; });
  return num / den;
}
const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;

for (const { name, gs } of builds) {
  describe(`oracle deep_signal.json [${name} build]`, () => {
    for (const cfg of deep.configs) {
      test(`${cfg.id}: per-layer log10 geometric means over ${SEEDS} seeds, classification "${cfg.classification}"`, async () => {
        assert.ok(INIT[cfg.init], `init ${cfg.init} not mapped`);
        const depth = cfg.depth_hidden;
        const fields = { dW_fro: [], db_l2: [], delta_fro: [], activation_std: [], preactivation_std: [] };
        const nonPositive = [];
        for (let s = 0; s < SEEDS; s++) {
          await withNet(gs, {
            inputs: WIDTH, outputs: CLASSES, batchSize: BATCH, seed: s,
            hidden: Array.from({ length: depth }, () => ({ units: WIDTH, activation: cfg.activation })),
            init: INIT[cfg.init](cfg.init_std), bias: 0,
          }, (net) => {
            net.backward(DATA[s].X, DATA[s].y);
            const st = net.layerStats();
            const take = (key, stat, count) => {
              const v = st.slice(0, count).map((x) => x[stat]);
              v.forEach((x, l) => { if (!(x > 0 && Number.isFinite(x))) nonPositive.push(`seed ${s} ${key}[${l}] = ${x}`); });
              fields[key].push(v.map(Math.log10));
            };
            take('dW_fro', 'gradNormW', depth + 1);
            take('db_l2', 'gradNormB', depth + 1);
            take('delta_fro', 'deltaNorm', depth);
            take('activation_std', 'actStd', depth);
            take('preactivation_std', 'preactStd', depth + 1);
          });
        }
        const ck = new Checker(`deep_signal ${cfg.id} [${name}]`);
        ck.ok('every statistic is finite and > 0', nonPositive.length === 0, nonPositive.slice(0, 5).join('; '));
        const ours = {};
        for (const [key, perSeed] of Object.entries(fields)) {
          const ref = cfg[key];
          ours[key] = ref.log10_mean.map((_, l) => mean(perSeed.map((v) => v[l])));
          const bad = [];
          let worst = 0;
          ref.log10_mean.forEach((m, l) => {
            const tol = 0.25 + 3 * ref.log10_sd[l] / Math.sqrt(SEEDS);
            const err = Math.abs(ours[key][l] - m);
            worst = Math.max(worst, err / tol);
            if (!(err <= tol)) bad.push(`layer ${l + 1}: ours ${ours[key][l].toFixed(3)} vs ${m.toFixed(3)}, |Δ| ${err.toFixed(3)} > ${tol.toFixed(3)}`);
          });
          ck.ok(`${key}: |log10 geo-mean − log10_mean| ≤ 0.25 + 3·log10_sd/√n per layer`, bad.length === 0,
            `${bad.length} layer(s) out (worst ${worst.toFixed(2)}× the tolerance): ${bad.slice(0, 4).join('; ')}`);
        }
        // classification: r_W, r_δ from per-seed ratios (first / last hidden), s_W = log10 geo-mean ‖dW_1‖
        const rW = mean(fields.dW_fro.map((v) => v[0] - v[depth - 1]));
        const rDelta = mean(fields.delta_fro.map((v) => v[0] - v[depth - 1]));
        const sW = ours.dW_fro[0];
        const cls = classify(rW, rDelta, sW);
        ck.ok('classification', cls === cfg.classification,
          `ours "${cls}" (r_W ${rW.toFixed(2)}, r_δ ${rDelta.toFixed(2)}, s_W ${sW.toFixed(2)}) vs oracle "${cfg.classification}"`);
        // per-layer factors, fit over hidden layers 2..depth
        const factors = {
          dW_fro_toward_input: 10 ** -slope(ours.dW_fro, 2, depth),
          delta_fro_toward_input: 10 ** -slope(ours.delta_fro, 2, depth),
          activation_std_toward_output: 10 ** slope(ours.activation_std, 2, depth),
        };
        for (const [k, f] of Object.entries(factors)) {
          const r = cfg.per_layer_factor[k];
          ck.ok(`per_layer_factor.${k} within 10^0.05`, Math.abs(Math.log10(f / r)) <= 0.05,
            `ours ${f.toFixed(4)} vs ${r} (|log10 ratio| ${Math.abs(Math.log10(f / r)).toFixed(4)} > 0.05)`);
        }
        ck.done();
      });
    }
  });
}
