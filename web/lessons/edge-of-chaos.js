// Lesson 12 — the edge of chaos (Poole et al. 2016; Schoenholz et al. 2017):
// tanh at σ_w² = 1.0, 1.5, 1.76, 2.5 with σ_b² = 0.05. The measured per-layer
// growth of ‖δ‖ has the sign of ln χ₁ from the mean-field theory.
import { defineLesson } from './define.js';
import { tr, makeConfig, hidden, slope, mean, within, theory } from './util.js';

const WIDTH = 256, DEPTH = 50, SB2 = 0.05;
// Layers 1–5 still move toward the fixed point q* (the input is 2-D); the last
// hidden layer is coupled to the 2-unit output. Fit over layers 6 … depth−1.
const FIT_FROM = 5;
const ABS_TOL = 0.05;     // |measured − predicted| growth of ln‖δ‖ per layer
const SIGN_MARGIN = 0.02; // predictions closer to 0 than this count as critical
const GAIN_TOL = 0.06;    // relative, for the measured gain σ_w²·mean φ′² vs χ₁

export const sw2Of = (config) => config.width * config.initScale ** 2;
export const sb2Of = (config) => config.biasStd ** 2;

/**
 * Growth of ln‖δ‖ per layer toward the input (δ = ∂L/∂a, deltaNorm): minus the
 * least-squares slope of ln‖δ_l‖ over l. Mean-field prediction: ½·ln χ₁
 * (negative: ordered, gradients vanish; positive: chaotic, they explode).
 */
export function deltaGrowth(records, from = FIT_FROM) {
  const L = hidden(records[0]).slice(from, -1);
  return -slope(L.map((l) => Math.log(l.deltaNorm)));
}
export const meanGain = (records, from = FIT_FROM) => mean(hidden(records[0]).slice(from, -1).map((l) => l.gain));

function judge(records, ctx) {
  const { config } = ctx;
  const th = theory(ctx, { activation: config.activation, sw2: sw2Of(config), sb2: sb2Of(config) });
  const pred = 0.5 * Math.log(th.chi1);
  const g = deltaGrowth(records), gain = meanGain(records);
  const phase = pred <= -SIGN_MARGIN ? 'ordered' : pred >= SIGN_MARGIN ? 'chaotic' : 'critical';
  const conditions = [
    { name: 'growthPerLayer', value: g, ok: Math.abs(g - pred) <= ABS_TOL, expect: `½·ln χ₁ = ${pred.toFixed(3)} ± ${ABS_TOL}` },
    { name: 'gain', value: gain, ok: within(gain / th.chi1, 1 - GAIN_TOL, 1 + GAIN_TOL), expect: `mean measured σ_w²·φ′² ≈ χ₁ = ${th.chi1.toFixed(3)} within ${GAIN_TOL * 100} %` },
  ];
  if (phase !== 'critical') conditions.push({ name: 'sign', value: Math.sign(g), ok: Math.sign(g) === Math.sign(pred), expect: `${Math.sign(pred)} (${phase}: ‖δ‖ ${pred < 0 ? 'vanishes' : 'explodes'} toward the input)` });
  return conditions;
}

const variant = (text, en, zh) => ({
  id: `sw2-${text}`,
  label: tr(`σ_w² = ${text} (${en})`, `σ_w² = ${text}（${zh}）`),
  // σ_w² through init 'normal' with std = √(σ_w²/fan_in); σ_b² through biasStd = √σ_b².
  config: makeConfig({ dataset: 'spiral', depth: DEPTH, width: WIDTH, activation: 'tanh', init: 'normal', initScale: Math.sqrt(Number(text) / WIDTH), biasStd: Math.sqrt(SB2), batchSize: 16, lr: 0.01 }),
  judge,
});

export default defineLesson({
  id: 'edge-of-chaos',
  title: tr('The edge of chaos', '混沌邊緣'),
  text: tr(
    'Mean-field theory follows one number per layer: χ₁ = σ_w²·E[φ′(u)²], the factor by which ‖δ‖² changes going back one layer in a wide net. ' +
      'For tanh with bias variance σ_b² = 0.05 it gives χ₁ ≈ 0.759 at σ_w² = 1.0 and 0.939 at 1.5 (ordered phase: gradients vanish), 1 at σ_w² ≈ 1.76 (the edge of chaos), and above 1 at 2.5 (chaotic phase: gradients explode). ' +
      'Compare the slope of ‖δ‖ on the log-scale gradient chart with the dashed prediction, and the measured gain σ_w²·mean(φ′²) with χ₁: near the edge, signals and gradients travel through many more layers (the depth scale ξ = −1/ln χ₁ diverges). ' +
      'Drag the dot on the edge-of-chaos map to move σ_w² and watch the slope change sign.',
    '平均場理論對每一層只追蹤一個數：χ₁ = σ_w²·E[φ′(u)²]，也就是在寬網路中每往回一層 ‖δ‖² 改變的倍數。' +
      '對偏差變異數 σ_b² = 0.05 的 tanh 網路，σ_w² = 1.0 時 χ₁ ≈ 0.759，1.5 時為 0.939（有序相：梯度消失）；σ_w² ≈ 1.76 時為 1（混沌邊緣）；2.5 時大於 1（混沌相：梯度爆炸）。' +
      '請在對數刻度的梯度圖上比較 ‖δ‖ 的斜率與虛線預測，並比較實測增益 σ_w²·mean(φ′²) 與 χ₁：在邊緣附近，訊號與梯度能穿過多得多的層（深度尺度 ξ = −1/ln χ₁ 趨於無限大）。' +
      '拖曳混沌邊緣圖上的點來改變 σ_w²，看斜率如何變號。'),
  claim: tr(
    'The measured per-layer growth of ln‖δ‖ toward the input has the sign of ln χ₁: negative at σ_w² = 1.0 and 1.5, about 0 at 1.76, positive at 2.5.',
    '實測的 ln‖δ‖ 往輸入端的每層增長與 ln χ₁ 同號：σ_w² = 1.0 與 1.5 時為負，1.76 時約為 0，2.5 時為正。'),
  source: 'Ben Poole et al., Exponential expressivity in deep neural networks through transient chaos, NeurIPS 2016, https://arxiv.org/abs/1606.05340; Samuel S. Schoenholz et al., Deep Information Propagation, ICLR 2017, https://arxiv.org/abs/1611.01232',
  steps: 0,
  variants: [
    variant('1.0', 'ordered', '有序'),
    variant('1.5', 'ordered', '有序'),
    variant('1.76', 'critical', '臨界'),
    variant('2.5', 'chaotic', '混沌'),
  ],
});
