// Lessons 5 and 6 — ReLU with fan-in Xavier (Var(W) = 1/n, LeCun normal) vs He
// (Var(W) = 2/n) in a 30-layer net (He et al. 2015): the forward variance at
// initialisation, and what that does to training.
import { defineLesson } from './define.js';
import { tr, makeConfig, hidden, tailMean, within } from './util.js';

const DEPTH = 30;
const SOURCE = 'Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun, Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet Classification, ICCV 2015, https://arxiv.org/abs/1502.01852';

/** Var(u_30)/Var(u_1) of one net at initialisation, u = the pre-activation (preactStd²). */
export function varianceRatio(record) {
  const L = hidden(record);
  return (L[L.length - 1].preactStd / L[0].preactStd) ** 2;
}

/** log₂ of varianceRatio for the first record of a run. */
export const log2VarianceRatio = (records) => Math.log2(varianceRatio(records[0]));

// Fan-in Xavier: each of the 29 layers after the first halves the variance → 2^−29,
// in every single net. He: the variance is kept in expectation over the random
// weights, which is what He et al. derive (Var(u_L) = Var(u_1)·Π ½·n·Var(w) = 1·Var(u_1)).
// One finite net drifts from it by a random factor (Var of ln‖h‖² ≈ 5·depth/width,
// Hanin & Rolnick 2018: 2^±2 at width 256), so the He claim is checked as the
// paper states it, on the mean over an ensemble of HE_NETS nets, while every
// single net must stay far from Xavier's collapse.
const XAVIER = [-34, -24];
const HE_MEAN = [0.5, 2];        // the "stays within [0.5, 2]", for the expectation
const HE_SINGLE_LOG2 = [-6, 6];  // each net: no decay like 2^−29 (measured within 2^±2 over 480 nets)
export const HE_NETS = 16;

const atInit = { dataset: 'spiral', depth: DEPTH, width: 256, activation: 'relu', biasStd: 0, batchSize: 32, lr: 0.01 };

export const reluHe = defineLesson({
  id: 'relu-he',
  title: tr('ReLU needs He initialisation: the forward signal', 'ReLU 需要 He 初始化：前向訊號'),
  text: tr(
    'Look at the pre-activation spread (std of u) layer by layer in a 30-layer ReLU net at initialisation. ' +
      'ReLU zeroes half of its inputs, so a layer with Var(W) = 1/n ("Xavier" with fan-in, the right choice for tanh) passes on only half the variance: after 29 such layers the last layer sees 2⁻²⁹ ≈ 2·10⁻⁹ of the first layer\'s variance, and the gradients shrink the same way. ' +
      'He et al. doubled the weight variance to 2/n, which keeps the variance constant on average. ' +
      'That is a statement about the average over random initialisations: one finite-width net still drifts by a random factor (larger for narrower or deeper nets), so the badge averages 16 nets, this one and the next 15 seeds, and checks that none of them decays. ' +
      'Cure: He (Kaiming) initialisation for ReLU-family activations.',
    '請看 30 層 ReLU 網路在初始化時，各層預激活值 u 的標準差。' +
      'ReLU 會把一半的輸入歸零，所以 Var(W) = 1/n 的層（以扇入計算的 Xavier，對 tanh 是正確的選擇）只會傳下一半的變異數：經過 29 層之後，最後一層只剩第一層變異數的 2⁻²⁹ ≈ 2·10⁻⁹，梯度也以相同方式縮小。' +
      'He 等人把權重變異數加倍為 2/n，使變異數在平均上保持不變。' +
      '這是對隨機初始化取平均的結論：單一個有限寬度的網路仍會隨機漂移一個倍數（網路越窄或越深，漂移越大），所以徽章取這個網路與接下來 15 個種子共 16 個網路的平均，並檢查沒有任何一個衰減。' +
      '解法：ReLU 類激活函數使用 He（Kaiming）權重初始化。'),
  claim: tr(
    'Through 30 ReLU layers the pre-activation variance shrinks ≈ 2⁻²⁹ with Var(W) = 1/n and, averaged over random initialisations, stays within [0.5, 2] of the first layer\'s with He\'s 2/n.',
    '經過 30 層 ReLU，Var(W) = 1/n 時預激活值變異數縮小約 2⁻²⁹，而使用 He 的 2/n 時，對隨機初始化取平均後維持在第一層的 [0.5, 2] 倍之內。'),
  source: SOURCE,
  steps: 0,
  variants: [
    {
      id: 'xavier', label: tr('Var(W) = 1/n (fan-in Xavier / LeCun)', 'Var(W) = 1/n（扇入 Xavier／LeCun）'),
      config: makeConfig({ ...atInit, init: 'lecun_normal' }),
      judge: (r) => { const v = log2VarianceRatio(r); return [{ name: 'log2VarianceRatio', value: v, ok: within(v, ...XAVIER), expect: `≈ −29 (2⁻²⁹), in [${XAVIER}]` }]; },
    },
    {
      id: 'he', label: tr('Var(W) = 2/n (He)', 'Var(W) = 2/n（He）'),
      config: makeConfig({ ...atInit, init: 'he_normal' }),
      nets: HE_NETS,
      judge: (records) => {
        const ratios = records.map(varianceRatio);
        const avg = ratios.reduce((a, b) => a + b, 0) / ratios.length;
        const logs = ratios.map(Math.log2), lo = Math.min(...logs), hi = Math.max(...logs);
        return [
          { name: 'meanVarianceRatio', value: avg, ok: within(avg, ...HE_MEAN), expect: `Var(u₃₀)/Var(u₁) averaged over ${records.length} nets ≈ 1, in [${HE_MEAN}]` },
          { name: 'worstSingleNetLog2', value: Math.abs(lo) > Math.abs(hi) ? lo : hi, ok: within(lo, ...HE_SINGLE_LOG2) && within(hi, ...HE_SINGLE_LOG2), expect: `every net's log₂ ratio in [${HE_SINGLE_LOG2}] (no 2⁻²⁹ decay; one net drifts ≈ 2^±2)` },
        ];
      },
    },
  ],
});

// Training: a 30-layer, 32-wide ReLU net on two Gaussian blobs, plain SGD.
const TAIL = 20;
const train = { dataset: 'gaussians', depth: DEPTH, width: 32, activation: 'relu', biasStd: 0, batchSize: 32, optimizer: 'sgd', lr: 0.005 };
const LN2 = Math.log(2);

export const reluHeTraining = defineLesson({
  id: 'relu-he-training',
  title: tr('ReLU needs He initialisation: training', 'ReLU 需要 He 初始化：訓練'),
  text: tr(
    'Train the same 30-layer ReLU net twice on two well-separated blobs, changing only the initial weight variance. ' +
      'With Var(W) = 1/n the signal reaching the output is about 10⁻⁹ of the input\'s, so its outputs barely differ from one point to the next: the loss stays close to ln 2 ≈ 0.693 (a coin toss), and the gradients reaching the early layers are far too small to change that. ' +
      'With He\'s Var(W) = 2/n the same net, same data and same learning rate learns the task within 400 steps. ' +
      'He et al. report the same for a 30-layer model: theirs converges, the Xavier-initialised one stalls.',
    '用同一個 30 層 ReLU 網路，在兩團分得很開的資料上訓練兩次，只改變初始權重的變異數。' +
      'Var(W) = 1/n 時，傳到輸出的訊號只有輸入的約 10⁻⁹，網路對不同資料點的輸出幾乎沒有差別：損失一直停在 ln 2 ≈ 0.693（等於擲硬幣）附近，而傳回前面幾層的梯度太小，無法改變這個狀況。' +
      '使用 He 的 Var(W) = 2/n，同樣的網路、資料與學習率在 400 步內就學會了。' +
      'He 等人在 30 層模型上也得到相同的結果：他們的初始化能收斂，Xavier 初始化則停滯不前。'),
  claim: tr(
    'With the same SGD settings, a 30-layer ReLU net initialised with Var(W) = 1/n stays near the chance loss ln 2, while He\'s 2/n trains it.',
    '在相同的 SGD 設定下，以 Var(W) = 1/n 初始化的 30 層 ReLU 網路停在隨機猜測的損失 ln 2 附近，而 He 的 2/n 能把它訓練起來。'),
  source: SOURCE,
  steps: 400,
  variants: [
    {
      id: 'xavier', label: tr('Var(W) = 1/n (fan-in Xavier / LeCun)', 'Var(W) = 1/n（扇入 Xavier／LeCun）'),
      config: makeConfig({ ...train, init: 'lecun_normal' }),
      judge: (r) => {
        const loss = tailMean(r, 'loss', TAIL);
        return [
          { name: 'finalLoss', value: loss, ok: loss >= 0.65, expect: `mean of the last ${TAIL} steps ≥ 0.65: still near ln 2 = ${LN2.toFixed(3)} (stalled)` },
        ];
      },
    },
    {
      id: 'he', label: tr('Var(W) = 2/n (He)', 'Var(W) = 2/n（He）'),
      config: makeConfig({ ...train, init: 'he_normal' }),
      judge: (r) => {
        const loss = tailMean(r, 'loss', TAIL), acc = tailMean(r, 'accuracy', TAIL);
        return [
          { name: 'finalLoss', value: loss, ok: loss <= 0.35, expect: `mean of the last ${TAIL} steps ≤ 0.35 (half of ln 2)` },
          { name: 'finalAccuracy', value: acc, ok: acc >= 0.9, expect: '≥ 0.9' },
        ];
      },
    },
  ],
});
