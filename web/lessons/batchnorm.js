// Lessons 10 and 11 — batch normalisation (Ioffe & Szegedy 2015): it makes a
// 10-layer sigmoid net trainable, tolerates a 30× learning rate, and is
// invariant to the scale of the weights.
import { defineLesson } from './define.js';
import { tr, makeConfig, hidden, tailMean, isFiniteRecord, within } from './util.js';

const SOURCE = 'Sergey Ioffe, Christian Szegedy, Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift, ICML 2015, https://arxiv.org/abs/1502.03167';
const DEPTH = 10, TAIL = 20, LN10 = Math.log(10);
const base = { dataset: 'digits', depth: DEPTH, width: 32, activation: 'sigmoid', init: 'xavier_normal', biasStd: 0, batchSize: 32, optimizer: 'sgd', lr: 0.1 };

const firstOverLastW = (records) => { const L = hidden(records[0]); return L[0].gradNormW / L[DEPTH - 1].gradNormW; };

function trainsJudge(maxLoss, minAcc) {
  return (r) => {
    const ratio = firstOverLastW(r), loss = tailMean(r, 'loss', TAIL), acc = tailMean(r, 'accuracy', TAIL);
    const finite = r.every(isFiniteRecord) ? 1 : 0;
    return [
      { name: 'gradWFirstOverLast', value: ratio, ok: within(ratio, 0.1, 10), expect: '‖∂L/∂W₁‖/‖∂L/∂W₁₀‖ at step 1 within [0.1, 10]: every layer gets gradient' },
      { name: 'finite', value: finite, ok: finite === 1, expect: '1: no NaN/Inf' },
      { name: 'finalLoss', value: loss, ok: loss <= maxLoss, expect: `mean of the last ${TAIL} steps ≤ ${maxLoss} (chance: ln 10 = 2.30)` },
      { name: 'finalAccuracy', value: acc, ok: acc >= minAcc, expect: `≥ ${minAcc} (chance: 0.1)` },
    ];
  };
}

export const batchnorm = defineLesson({
  id: 'batchnorm',
  title: tr('Batch normalisation rescues a deep sigmoid net', '批量正規化拯救深層 sigmoid 網路'),
  text: tr(
    'A 10-layer sigmoid net with Xavier initialisation, trained on the digits. Without batch normalisation the first layer\'s weight gradient is about a millionth of the last layer\'s, and after 300 steps the loss is still at chance (ln 10 ≈ 2.30). ' +
      'Batch normalisation standardises each unit\'s input over the batch before the sigmoid, so every layer works in the sigmoid\'s steep middle and passes back a gradient of similar size: the same net now learns. ' +
      'Because the normalisation also undoes any growth in the weights\' scale, it tolerates much larger learning rates: here 30× (3.0 instead of 0.1) still trains. ' +
      'Ioffe and Szegedy trained their Inception network with a 30× learning rate in this way, and with batch normalisation even a sigmoid version of it could be trained.',
    '一個使用 Xavier 權重初始化的 10 層 sigmoid 網路，在手寫數字上訓練。沒有批量正規化時，第一層的權重梯度只有最後一層的約百萬分之一，訓練 300 步後損失仍停在隨機猜測的水準（ln 10 ≈ 2.30）。' +
      '批量正規化在進入 sigmoid 之前，把每個神經元的輸入在批次內標準化，使每一層都在 sigmoid 陡峭的中段工作，並傳回大小相近的梯度：同一個網路現在學得起來了。' +
      '由於正規化也抵消了權重尺度的任何增長，它能容忍大得多的學習率：這裡用 30 倍（3.0 而非 0.1）仍然能訓練。' +
      'Ioffe 與 Szegedy 就是這樣以 30 倍的學習率訓練 Inception 網路，而且有了批量正規化，連使用 sigmoid 的版本也能訓練。'),
  claim: tr(
    'Batch normalisation makes a 10-layer sigmoid net that is stuck at chance trainable, and it still trains with a 30× learning rate.',
    '批量正規化讓原本停在隨機猜測水準的 10 層 sigmoid 網路可以訓練，而且在 30 倍的學習率下仍能訓練。'),
  source: SOURCE,
  steps: 300,
  variants: [
    {
      id: 'plain', label: tr('no batch normalisation, learning rate 0.1', '無批量正規化，學習率 0.1'),
      config: makeConfig(base),
      judge: (r) => {
        const ratio = firstOverLastW(r), loss = tailMean(r, 'loss', TAIL), acc = tailMean(r, 'accuracy', TAIL);
        return [
          { name: 'gradWFirstOverLast', value: ratio, ok: ratio < 1e-4, expect: '< 1e-4 at step 1: the first layers get almost no gradient' },
          { name: 'finalLoss', value: loss, ok: loss >= 0.9 * LN10, expect: `≥ 0.9·ln 10 = ${(0.9 * LN10).toFixed(2)}: stuck near chance` },
          { name: 'finalAccuracy', value: acc, ok: acc <= 0.25, expect: '≤ 0.25 (chance: 0.1)' },
        ];
      },
    },
    { id: 'bn', label: tr('batch normalisation, learning rate 0.1', '批量正規化，學習率 0.1'), config: makeConfig({ ...base, batchnorm: true }), judge: trainsJudge(1.0, 0.8) },
    { id: 'bn30x', label: tr('batch normalisation, learning rate 3.0 (30×)', '批量正規化，學習率 3.0（30 倍）'), config: makeConfig({ ...base, batchnorm: true, lr: 3 }), judge: trainsJudge(1.5, 0.5) },
  ],
});

// Scale invariance: with BN after every hidden dense layer, W → 10·W leaves
// BN(W·a) unchanged, hence the loss, and divides ∂L/∂W by 10 (Ioffe & Szegedy §3.3).
const SCALE = 10;
/** Multiply the weights of every hidden (batch-normalised) layer by `factor`; the output layer is left alone. */
export const scaleHiddenWeights = (factor) => (net) => {
  for (let l = 0; l < net.layerCount - 1; l++) {
    const W = net.getParams(l).W;
    for (let i = 0; i < W.length; i++) W[i] *= factor;
    net.setParams(l, { W });
  }
};

export const batchnormScale = defineLesson({
  id: 'batchnorm-scale',
  title: tr('Batch normalisation ignores the scale of the weights', '批量正規化不受權重尺度影響'),
  text: tr(
    'Two copies of the same batch-normalised net on the same batch; in the second, every hidden layer\'s weights are multiplied by 10. ' +
      'Batch normalisation divides each unit\'s input by its standard deviation over the batch, so the factor 10 cancels: the outputs and the loss are the same. ' +
      'The weight gradients are not: ∂L/∂(10·W) = (1/10)·∂L/∂W, so every hidden layer\'s ‖∂L/∂W‖ is 10 times smaller. ' +
      'Larger weights thus get smaller gradients, which keeps the effective step size in check — one reason batch normalisation tolerates large learning rates.',
    '同一個批量正規化網路的兩份副本，在同一個批次上；第二份把每個隱藏層的權重都乘上 10。' +
      '批量正規化把每個神經元的輸入除以它在批次內的標準差，所以 10 倍被抵消：輸出與損失都一樣。' +
      '權重梯度則不同：∂L/∂(10·W) = (1/10)·∂L/∂W，所以每個隱藏層的 ‖∂L/∂W‖ 都小了 10 倍。' +
      '權重越大、梯度就越小，有效步長因此受到控制——這是批量正規化能容忍大學習率的原因之一。'),
  claim: tr(
    'With batch normalisation, scaling W by 10 leaves the loss unchanged and divides every hidden layer\'s ‖∂L/∂W‖ by 10.',
    '使用批量正規化時，把 W 乘以 10 不改變損失，並使每個隱藏層的 ‖∂L/∂W‖ 除以 10。'),
  source: `${SOURCE} (§3.3)`,
  steps: 0,
  variants: [
    { id: 'w', label: tr('weights W', '權重 W'), config: makeConfig({ ...base, batchnorm: true }), judge: () => [] },
    { id: 'w10', label: tr('weights 10·W', '權重 10·W'), config: makeConfig({ ...base, batchnorm: true }), setup: scaleHiddenWeights(SCALE), judge: () => [] },
  ],
  compare: ([a, b]) => {
    const ra = a[0], rb = b[0];
    const dLoss = Math.abs(rb.global.loss - ra.global.loss) / ra.global.loss;
    const ratios = hidden(ra).map((l, i) => l.gradNormW / hidden(rb)[i].gradNormW);
    const outRatio = ra.layers.at(-1).gradNormW / rb.layers.at(-1).gradNormW;
    return [
      { name: 'lossRelativeChange', value: dLoss, ok: dLoss <= 1e-4, expect: '≤ 1e-4: the same loss (float32 rounding only)' },
      { name: 'minHiddenGradWRatio', value: Math.min(...ratios), ok: Math.min(...ratios) >= SCALE * 0.99, expect: `‖∂L/∂W‖ ÷ ‖∂L/∂(10W)‖ ≥ ${SCALE * 0.99} in every hidden layer` },
      { name: 'maxHiddenGradWRatio', value: Math.max(...ratios), ok: Math.max(...ratios) <= SCALE * 1.01, expect: `≤ ${SCALE * 1.01} in every hidden layer (= ${SCALE})` },
      { name: 'outputGradWRatio', value: outRatio, ok: within(outRatio, 0.999, 1.001), expect: '1: the output layer (not normalised, not scaled) sees the same inputs' },
    ];
  },
});
