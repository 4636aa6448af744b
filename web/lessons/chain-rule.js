// Lesson 2 — the mechanism, on a chain of one sigmoid unit per layer
// (Nielsen ch. 5, "What's causing the vanishing gradient problem?" and
// "The exploding gradient problem").
import { defineLesson } from './define.js';
import { tr, makeConfig, hidden, ratiosTowardInput, within } from './util.js';

const DEPTH = 6;
const config = makeConfig({ dataset: 'spiral', depth: DEPTH, width: 1, activation: 'sigmoid', init: 'xavier_normal', biasStd: 0, batchSize: 32, lr: 0.1 });

/**
 * Every hidden unit gets weight w and a bias that puts its input z at exactly 0,
 * where σ(0) = 1/2 and σ′(0) = 1/4. The first layer ignores the data (W = 0,
 * b = 0, so z = 0 for every row); layer l > 1 gets z = w·σ(0) + b = w/2 − w/2 = 0.
 * The output layer reads the last unit with weights (1, −1).
 */
export const chainSetup = (w) => (net) => {
  net.setParams(0, { W: new Float32Array(net.sizes[0]), b: [0] });
  for (let l = 1; l < DEPTH; l++) net.setParams(l, { W: [w], b: [-w / 2] });
  net.setParams(DEPTH, { W: [1, -1], b: [0, 0] });
};

// Every factor is computed from float32 gradients; w/4 is exact in float32 for
// these w, so the only error is the rounding of each stored gradient (~6e-8).
const REL_TOL = 1e-5;

const judgeFor = (w) => (records) => {
  const g = hidden(records[0]).map((l) => l.gradNormB);
  const factors = ratiosTowardInput(g);
  const expect = w / 4;
  return [
    ...factors.map((f, i) => ({ name: `factor${i + 1}`, value: f, ok: Math.abs(f / expect - 1) <= REL_TOL, expect: `‖δ${i + 1}‖/‖δ${i + 2}‖ = w·σ′(0) = ${w}·1/4 = ${expect} (exact up to float32, ±${REL_TOL})` })),
    { name: 'overall', value: g[0] / g[DEPTH - 1], ok: within(g[0] / g[DEPTH - 1], (expect ** (DEPTH - 1)) * (1 - 1e-4), (expect ** (DEPTH - 1)) * (1 + 1e-4)), expect: `(${expect})^${DEPTH - 1} = ${expect ** (DEPTH - 1)}` },
  ];
};

export default defineLesson({
  id: 'chain-rule',
  title: tr('The chain rule, one unit per layer', '連鎖律：每層只有一個神經元'),
  text: tr(
    'Here every layer has a single sigmoid unit, so backpropagation is a plain product: going back one layer multiplies the gradient by w·σ′(z). ' +
      'The weights are set to w and each bias is chosen so that z = 0, where σ′ takes its largest value, 1/4. ' +
      'With w = 100 every layer multiplies the gradient by exactly 25: it explodes toward the input. ' +
      'With w = 1 the factor is 1/4, and it stays below 1 whenever |w| < 4: the gradient vanishes. ' +
      'A sigmoid chain is balanced only on a knife edge — which is why deep nets need initialisation, activations or normalisation that keep this factor near 1.',
    '這裡每一層只有一個 sigmoid 神經元，所以反向傳播就是單純的連乘：每往回一層，梯度就乘上 w·σ′(z)。' +
      '權重都設為 w，偏差則選成讓 z = 0，此時 σ′ 取得最大值 1/4。' +
      'w = 100 時，每一層都把梯度恰好放大 25 倍：梯度往輸入端爆炸。' +
      'w = 1 時因子是 1/4；只要 |w| < 4，因子就小於 1：梯度消失。' +
      'sigmoid 串鏈只有在刀鋒般的條件下才會平衡——這就是為什麼深層網路需要讓這個因子接近 1 的權重初始化、激活函數或正規化。'),
  claim: tr(
    'Each layer multiplies the gradient by w·σ′(z): exactly 25 with w = 100 and z = 0 (explosion), 1/4 with w = 1 (vanishing).',
    '每一層都把梯度乘上 w·σ′(z)：w = 100 且 z = 0 時恰為 25（爆炸），w = 1 時為 1/4（消失）。'),
  source: 'Michael Nielsen, Neural Networks and Deep Learning, ch. 5, "What\'s causing the vanishing gradient problem?" and "The exploding gradient problem" (2015), http://neuralnetworksanddeeplearning.com/chap5.html',
  steps: 0,
  variants: [
    { id: 'w100', label: tr('w = 100: factor 25 (explodes)', 'w = 100：因子 25（爆炸）'), config, setup: chainSetup(100), judge: judgeFor(100) },
    { id: 'w1', label: tr('w = 1: factor 1/4 (vanishes)', 'w = 1：因子 1/4（消失）'), config, setup: chainSetup(1), judge: judgeFor(1) },
  ],
});
