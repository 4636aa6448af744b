// Lesson 3 — weight initialisation for tanh (Glorot & Bengio 2010): too small,
// too large, the old U(±1/√n) heuristic, and Glorot's normalised init.
import { defineLesson } from './define.js';
import { tr, makeConfig, hidden, mean, within } from './util.js';

const WIDTH = 64, DEPTH = 10;   // digits have 64 inputs, so every hidden layer has fan-in 64
const base = { dataset: 'digits', depth: DEPTH, width: WIDTH, activation: 'tanh', biasStd: 0, batchSize: 128, lr: 0.1 };

/**
 * Per-layer ratio of the back-propagated gradient's variance, toward the input:
 * (‖δ_1‖ / ‖δ_D‖)^(2/(D−1)), the geometric mean over the D−1 steps between the
 * first and the last hidden layer, with δ = ∂L/∂a (deltaNorm). Glorot & Bengio's
 * analysis: n·Var(W)·E[tanh′²] per layer — 1/3 for U(±1/√n) (Var = 1/(3n)),
 * ≈ 1 for their normalised init (Var = 2/(n_in + n_out) = 1/n here).
 */
export function varianceRatio(records) {
  const L = hidden(records[0]);
  return (L[0].deltaNorm / L[L.length - 1].deltaNorm) ** (2 / (L.length - 1));
}

const OLD = [0.25, 0.42], GLOROT = [0.7, 1.1];
const smallExpect = (0.01 * Math.sqrt(WIDTH)) ** 2;   // n·σ² = 64·10⁻⁴ = 0.0064: tanh is linear there

export default defineLesson({
  id: 'init-tanh',
  title: tr('Initialising a tanh net: too small, too large, Xavier', 'tanh 網路的權重初始化：太小、太大與 Xavier'),
  text: tr(
    'Compare how the backpropagated gradient ‖δ‖ changes from layer to layer in four 10-layer tanh nets that differ only in the scale of their initial weights. ' +
      'Going back one layer multiplies its variance by about n·Var(W)·E[tanh′²]. ' +
      'The once-common U(−1/√n, 1/√n) gives n·Var(W) = 1/3, so the gradient variance shrinks about 3× per layer; Glorot and Bengio\'s normalised ("Xavier") init, Var(W) = 2/(n_in + n_out), keeps it close to 1. ' +
      'Far too small (N(0, 0.01²)) multiplies by n·0.01² = 0.0064 per layer: forward signals and gradients both die. Far too large (N(0, 1)) drives most units into saturation at ±1. ' +
      'Cure: Xavier initialisation for tanh and sigmoid.',
    '比較四個只有初始權重尺度不同的 10 層 tanh 網路，看反向傳播的梯度 ‖δ‖ 如何逐層變化。' +
      '每往回一層，梯度的變異數大約乘上 n·Var(W)·E[tanh′²]。' +
      '過去常用的 U(−1/√n, 1/√n) 使 n·Var(W) = 1/3，所以梯度變異數每層縮小約 3 倍；Glorot 與 Bengio 的正規化（Xavier）初始化 Var(W) = 2/(n_in + n_out) 則讓它保持在 1 附近。' +
      '太小（N(0, 0.01²)）時每層乘上 n·0.01² = 0.0064：前向訊號與梯度一起消失。太大（N(0, 1)）時大多數神經元飽和在 ±1。' +
      '解法：tanh 與 sigmoid 使用 Xavier 權重初始化。'),
  claim: tr(
    'With U(±1/√n) the gradient variance shrinks by ≈ 1/3 per layer; with Glorot\'s init the ratio stays near 1.',
    '使用 U(±1/√n) 時，梯度變異數每層縮小為約 1/3；使用 Glorot 初始化時，比值保持在 1 附近。'),
  source: 'Xavier Glorot, Yoshua Bengio, Understanding the difficulty of training deep feedforward neural networks, AISTATS 2010, https://proceedings.mlr.press/v9/glorot10a.html',
  steps: 0,
  variants: [
    {
      id: 'old', label: tr('U(±1/√n): the old heuristic', 'U(±1/√n)：過去的經驗法則'),
      config: makeConfig({ ...base, init: 'uniform', initScale: 1 / Math.sqrt(WIDTH) }),
      judge: (r) => { const v = varianceRatio(r); return [{ name: 'varianceRatio', value: v, ok: within(v, ...OLD), expect: `≈ 1/3 per layer, in [${OLD}]` }]; },
    },
    {
      id: 'glorot', label: tr('Xavier (Glorot) uniform', 'Xavier（Glorot）均勻'),
      config: makeConfig({ ...base, init: 'xavier_uniform', initScale: 1 }),
      judge: (r) => { const v = varianceRatio(r); return [{ name: 'varianceRatio', value: v, ok: within(v, ...GLOROT), expect: `≈ 1 per layer (tanh′² < 1 pulls it slightly below), in [${GLOROT}]` }]; },
    },
    {
      id: 'small', label: tr('N(0, 0.01²): too small', 'N(0, 0.01²)：太小'),
      config: makeConfig({ ...base, init: 'normal', initScale: 0.01 }),
      judge: (r) => {
        const v = varianceRatio(r), last = hidden(r[0]).at(-1).actStd;
        return [
          { name: 'varianceRatio', value: v, ok: within(v, smallExpect / 2, smallExpect * 2), expect: `≈ n·0.01² = ${smallExpect} per layer, within 2×` },
          { name: 'lastActStd', value: last, ok: last < 1e-6, expect: '< 1e-6: the forward signal dies too' },
        ];
      },
    },
    {
      id: 'large', label: tr('N(0, 1): too large', 'N(0, 1)：太大'),
      config: makeConfig({ ...base, init: 'normal', initScale: 1 }),
      judge: (r) => { const s = mean(hidden(r[0]).map((l) => l.saturated)); return [{ name: 'saturated', value: s, ok: s >= 0.5, expect: '≥ 0.5 of the outputs saturated (|tanh| > 0.99)' }]; },
    },
  ],
  compare: ([old, glorot]) => {
    const q = varianceRatio(glorot) / varianceRatio(old);
    return [{ name: 'glorotOverOld', value: q, ok: q >= 2, expect: '≥ 2: Glorot keeps ≈ 3× more gradient variance per layer' }];
  },
});
