// PyTorch oracle: init_stats.json — the core's initialisers against torch's
// target statistics (the file holds statistics, not samples).
//
// For every init in `theory` that the core supports and every fan pair, a net
// is created whose first hidden layer has fan_in = inputs and fan_out = units;
// getParams(0).W is the sample. The acceptance rule is the file's
// recommended_tolerances.sampled_std:
//   |s/std − 1| < 5·rel_se (rel_se = 0.7071/√n normal, 0.4472/√n uniform; s is the
//   unbiased sample std as in empirical_check), |mean| < 5·std/√n, and for uniform
//   inits max|w| ≤ bound (as float32) and max|w| > 0.99·bound when n ≥ 1000.
// Orthogonal: init { kind: 'orthogonal', gain } for the shapes of orthogonal_check;
// W Wᵀ (rows ≤ cols) or Wᵀ W (rows > cols) must be gain²·I to 1e-5 (float32 rule).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadOracle, loadBuilds, Checker, withNet } from './helpers/oracle.js';

const init = loadOracle('init_stats.json');
const builds = await loadBuilds();
const ORTHO_TOL = 1e-5;   // recommended_tolerances.orthogonal, float32
assert.match(init.recommended_tolerances.orthogonal, /1e-5 \(float32\)/, 'orthogonal tolerance in init_stats.json changed');

// torch init name → core config (hidden layer 0's activation decides the Kaiming gain).
const MAP = {
  xavier_uniform: () => ({ init: { kind: 'xavier_uniform', gain: 1 }, layer: { activation: 'tanh' } }),
  xavier_normal: () => ({ init: { kind: 'xavier_normal', gain: 1 }, layer: { activation: 'tanh' } }),
  kaiming_uniform_relu_fan_in: () => ({ init: 'he_uniform', layer: { activation: 'relu' } }),
  'kaiming_uniform_leaky_relu0.01_fan_in': () => ({ init: 'he_uniform', layer: { activation: 'leaky_relu', slope: 0.01 } }),
  kaiming_normal_relu_fan_in: () => ({ init: 'he_normal', layer: { activation: 'relu' } }),
  'kaiming_normal_leaky_relu0.01_fan_in': () => ({ init: 'he_normal', layer: { activation: 'leaky_relu', slope: 0.01 } }),
  lecun_normal: () => ({ init: 'lecun_normal', layer: { activation: 'linear' } }),
  torch_linear_default: (p) => ({ init: { kind: 'uniform', limit: 1 / Math.sqrt(p.fan_in) }, layer: { activation: 'linear' } }),
  'normal_std0.01': () => ({ init: { kind: 'normal', std: 0.01 }, layer: { activation: 'tanh' } }),
  normal_std1: () => ({ init: { kind: 'normal', std: 1 }, layer: { activation: 'tanh' } }),
  zeros: () => ({ init: 'zeros', layer: { activation: 'tanh' } }),
};
const UNSUPPORTED = { kaiming_normal_relu_fan_out: 'the core\'s He inits use fan_in only (no mode = fan_out)' };

function sampleW(gs, fanIn, fanOut, initCfg, layer) {
  return withNet(gs, { inputs: fanIn, outputs: 1, batchSize: 1, seed: 1, init: initCfg, hidden: [{ units: fanOut, ...layer }] },
    (net) => Float64Array.from(net.getParams(0).W));
}

for (const { name, gs } of builds) {
  describe(`oracle init_stats.json [${name} build]`, () => {
    for (const th of init.theory) {
      const map = MAP[th.init];
      if (!map) {
        test.skip(`${th.init}: ${UNSUPPORTED[th.init] ?? 'not supported by the core'}`);
        continue;
      }
      for (const p of th.by_fan_pair) {
        test(`${th.init} fan_in ${p.fan_in} fan_out ${p.fan_out}: sample std/mean${p.uniform_bound ? '/bound' : ''} vs torch (std ${p.std})`, async () => {
          const { init: initCfg, layer } = map(p);
          const W = await sampleW(gs, p.fan_in, p.fan_out, initCfg, layer);
          const n = W.length;
          const ck = new Checker(`init ${th.init} (${p.fan_in}, ${p.fan_out}) [${name}]`);
          ck.ok('weight_shape [out, in]', n === p.weight_shape[0] * p.weight_shape[1], `n = ${n}, shape ${p.weight_shape}`);
          if (th.distribution === 'constant') {
            ck.ok('all weights are 0', W.every((w) => w === 0), `non-zero: ${W.filter((w) => w !== 0).slice(0, 5)}`);
            ck.done();
            return;
          }
          let mean = 0;
          for (const w of W) mean += w;
          mean /= n;
          let ss = 0, maxAbs = 0;
          for (const w of W) { ss += (w - mean) ** 2; maxAbs = Math.max(maxAbs, Math.abs(w)); }
          const s = Math.sqrt(ss / (n - 1));
          const relSe = (th.distribution === 'uniform' ? 0.4472 : 0.7071) / Math.sqrt(n);
          const z = (s / p.std - 1) / relSe;
          ck.ok(`|s/std − 1| < 5·rel_se`, Math.abs(s / p.std - 1) < 5 * relSe,
            `s = ${s}, std = ${p.std}: |s/std − 1| = ${Math.abs(s / p.std - 1).toExponential(3)} ≥ allowed ${(5 * relSe).toExponential(3)} (${z.toFixed(2)} standard errors)`);
          ck.ok(`|mean| < 5·std/√n`, Math.abs(mean) < 5 * p.std / Math.sqrt(n),
            `mean = ${mean.toExponential(3)}, allowed ${(5 * p.std / Math.sqrt(n)).toExponential(3)}`);
          if (th.distribution === 'uniform') {
            const bound = p.uniform_bound;
            ck.ok('max|w| ≤ bound', maxAbs <= Math.fround(bound), `max|w| = ${maxAbs}, bound = ${bound}`);
            if (n >= 1000) ck.ok('max|w| > 0.99·bound (n ≥ 1000)', maxAbs > 0.99 * bound, `max|w| = ${maxAbs}, 0.99·bound = ${0.99 * bound}`);
          }
          ck.done();
        });
      }
    }

    for (const o of init.orthogonal_check) {
      const [rows, cols] = o.shape;
      test(`orthogonal ${rows}×${cols} gain ${o.gain}: ${o.check} to ${ORTHO_TOL}`, async () => {
        const W = await sampleW(gs, cols, rows, { kind: 'orthogonal', gain: o.gain }, { activation: 'linear' });
        const ck = new Checker(`orthogonal ${rows}×${cols} gain ${o.gain} [${name}]`);
        ck.ok('shape', W.length === rows * cols, `n = ${W.length}`);
        // Gram matrix of the rows (rows ≤ cols) or of the columns (rows > cols), in double
        const wide = rows <= cols, k = wide ? rows : cols, len = wide ? cols : rows;
        const at = (a, i) => (wide ? W[a * cols + i] : W[i * cols + a]);
        let dev = 0, where = '';
        for (let a = 0; a < k; a++) {
          for (let b = a; b < k; b++) {
            let s = 0;
            for (let i = 0; i < len; i++) s += at(a, i) * at(b, i);
            const d = Math.abs(s - (a === b ? o.gain * o.gain : 0));
            if (d > dev) { dev = d; where = `[${a}][${b}]`; }
          }
        }
        ck.ok(`max|${wide ? 'W Wᵀ' : 'Wᵀ W'} − gain²·I| < ${ORTHO_TOL}`, dev < ORTHO_TOL, `max deviation ${dev.toExponential(3)} at ${where}, allowed ${ORTHO_TOL}`);
        let ss = 0;
        for (const w of W) ss += w * w;
        const rms = Math.sqrt(ss / W.length);
        ck.normwise('entry_rms = gain·√(min(r,c)/(r·c))', [rms], [o.entry_rms_theory], { rtol: 1e-5, atol: 0 });
        ck.done();
      });
    }
  });
}
