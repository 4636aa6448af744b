// Lesson 1 — the textbook vanishing gradient (Nielsen ch. 5), on the 8×8 digits.
import { defineLesson } from './define.js';
import { tr, makeConfig, hidden, ratiosTowardInput, geoMean, within } from './util.js';

// Nielsen's setting: weights N(0, 1/n_in) (= LeCun normal), biases N(0, 1),
// sigmoid, 30 units per hidden layer, the gradient over 1000 training images.
const base = { dataset: 'digits', width: 30, activation: 'sigmoid', init: 'lecun_normal', biasStd: 1, batchSize: 1000, loss: 'cross_entropy', lr: 0.1 };

// Ratio ‖δ_l‖ / ‖δ_{l+1}‖ of consecutive hidden layers: Nielsen measured 0.21, 0.21
// (3 hidden) and 0.18, 0.24, 0.25 (4 hidden); mean-field theory gives √χ₁ ≈ 0.205.
const RATIO_EACH = [0.08, 0.4];
const RATIO_MEAN = [0.14, 0.28];

function judge(records) {
  const g = hidden(records[0]).map((l) => l.gradNormB);
  const ratios = ratiosTowardInput(g);
  const m = geoMean(ratios);
  const n = g.length;
  return [
    ...ratios.map((r, i) => ({ name: `ratio${i + 1}to${i + 2}`, value: r, ok: within(r, ...RATIO_EACH), expect: `‖δ${i + 1}‖/‖δ${i + 2}‖ in [${RATIO_EACH}] (≈ 0.2)` })),
    { name: 'meanRatio', value: m, ok: within(m, ...RATIO_MEAN), expect: `geometric mean in [${RATIO_MEAN}] (Nielsen ≈ 0.2; √χ₁ = 0.205)` },
    { name: 'firstOverLast', value: g[0] / g[n - 1], ok: g[0] / g[n - 1] < 0.35 ** (n - 1), expect: `< 0.35^${n - 1}: the first hidden layer learns far slower than the last` },
  ];
}

export default defineLesson({
  id: 'vanishing-sigmoid',
  title: tr('Vanishing gradients in a deep sigmoid net', '深層 sigmoid 網路的梯度消失'),
  text: tr(
    'Look at ‖δ‖ (the gradient of the loss with respect to each hidden layer\'s biases) in the gradient-profile chart. ' +
      'With weights drawn from N(0, 1/n) and biases from N(0, 1), each hidden layer gets roughly one fifth of the gradient of the layer above it, so the first layer learns roughly 25 times more slowly than the last with three hidden layers, and 100 times or more with four. ' +
      'Nielsen measured exactly this on MNIST: 0.012, 0.060, 0.283 for three hidden layers and 0.003, 0.017, 0.070, 0.285 for four. ' +
      'The cause is the chain rule: going back one layer multiplies the gradient by w·σ′(z), and σ′ is never larger than 1/4. ' +
      'Cures: an activation whose derivative is 1 where it is active (ReLU with He initialisation), or batch normalisation.',
    '請看梯度剖面圖中的 ‖δ‖（損失對每個隱藏層偏差的梯度）。' +
      '權重取自 N(0, 1/n)、偏差取自 N(0, 1) 時，每個隱藏層得到的梯度大約只有上一層的五分之一，所以三個隱藏層時第一層的學習速度比最後一層慢了約 25 倍，四個隱藏層時則慢了 100 倍以上。' +
      'Nielsen 在 MNIST 上量到的正是這個現象：三個隱藏層時為 0.012、0.060、0.283，四個隱藏層時為 0.003、0.017、0.070、0.285。' +
      '原因在於連鎖律：每往回傳一層，梯度就乘上 w·σ′(z)，而 σ′ 最大也只有 1/4。' +
      '解法：改用在作用區導數為 1 的激活函數（ReLU 搭配 He 權重初始化），或使用批量正規化。'),
  claim: tr(
    'In a sigmoid net with N(0, 1/n) weights and N(0, 1) biases, each hidden layer\'s ‖δ‖ is about 0.2× that of the next layer.',
    '在權重為 N(0, 1/n)、偏差為 N(0, 1) 的 sigmoid 網路中，每個隱藏層的 ‖δ‖ 約為下一層的 0.2 倍。'),
  source: 'Michael Nielsen, Neural Networks and Deep Learning, ch. 5 "Why are deep neural networks hard to train?" (2015), http://neuralnetworksanddeeplearning.com/chap5.html',
  steps: 0,
  variants: [
    { id: 'hidden3', label: tr('3 hidden layers [64, 30, 30, 30, 10]', '3 個隱藏層 [64, 30, 30, 30, 10]'), config: makeConfig({ ...base, depth: 3 }), judge },
    { id: 'hidden4', label: tr('4 hidden layers [64, 30, 30, 30, 30, 10]', '4 個隱藏層 [64, 30, 30, 30, 30, 10]'), config: makeConfig({ ...base, depth: 4 }), judge },
  ],
});
