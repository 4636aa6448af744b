// Lessons 8 and 9 — exploding gradients at initialisation (ReLU with N(0,1)
// weights; tanh with σ_w² = 4), and gradient clipping keeping training finite
// (Pascanu et al. 2013).
import { defineLesson } from './define.js';
import { tr, makeConfig, hidden, slope, isFiniteRecord, tailMean, mean, within, theory } from './util.js';

/** σ_w² of a config with init 'normal' (std = initScale): σ_w² = fan_in·std². */
const sw2Of = (config) => config.width * config.initScale ** 2;

const RELU = { dataset: 'spiral', depth: 10, width: 64, activation: 'relu', init: 'normal', initScale: 1, biasStd: 0, batchSize: 64, lr: 0.01 };
// σ_w² = 4 through init 'normal' with std = √(σ_w²/fan_in) = 2/√128.
const TANH = { dataset: 'spiral', depth: 30, width: 128, activation: 'tanh', init: 'normal', initScale: 2 / Math.sqrt(128), biasStd: 0, batchSize: 64, lr: 0.01 };
const TANH_FIT_FROM = 5;   // the first layers still move toward the fixed point q* (2-D input)

export const exploding = defineLesson({
  id: 'exploding',
  title: tr('Exploding gradients', '梯度爆炸'),
  text: tr(
    'Now the per-layer factor is larger than 1, and ‖δ‖ grows geometrically toward the input. ' +
      'A ReLU layer multiplies the gradient\'s variance by σ_w²/2, where σ_w² = n·Var(W): N(0, 1) weights in a 64-wide net give σ_w² = 64, so ‖δ‖ grows by √32 ≈ 5.7 per layer, about 10⁷ over ten layers — and the forward activations grow the same way. ' +
      'In tanh, whose output is bounded, σ_w² = 4 makes the signal chaotic: mean-field theory predicts ‖δ‖ grows by √χ₁ ≈ 1.17 per layer, and the dashed guide shows it. ' +
      'Cures: a smaller initialisation (He for ReLU, Xavier for tanh), and gradient clipping to keep the updates bounded while training.',
    '現在每層的因子大於 1，‖δ‖ 往輸入端呈幾何級數成長。' +
      'ReLU 層把梯度的變異數乘上 σ_w²/2，其中 σ_w² = n·Var(W)：在 64 寬的網路中使用 N(0, 1) 權重得到 σ_w² = 64，因此 ‖δ‖ 每層成長 √32 ≈ 5.7 倍，十層約 10⁷ 倍——前向的激活值也以相同方式成長。' +
      '輸出有界的 tanh 在 σ_w² = 4 時訊號進入混沌：平均場理論預測 ‖δ‖ 每層成長 √χ₁ ≈ 1.17 倍，圖中的虛線即為此預測。' +
      '解法：較小的權重初始化（ReLU 用 He，tanh 用 Xavier），以及在訓練時用梯度裁剪限制更新的大小。'),
  claim: tr(
    '‖δ‖ grows toward the input by √(σ_w²/2) = 5.7 per layer for ReLU with N(0, 1) weights (width 64) and by √χ₁ ≈ 1.17 for tanh with σ_w² = 4.',
    '權重為 N(0, 1)（寬度 64）的 ReLU 網路中，‖δ‖ 往輸入端每層成長 √(σ_w²/2) = 5.7 倍；σ_w² = 4 的 tanh 網路則每層成長 √χ₁ ≈ 1.17 倍。'),
  source: 'He et al., ICCV 2015, https://arxiv.org/abs/1502.01852 (ReLU variance σ_w²/2 per layer); Poole et al., Exponential expressivity in deep neural networks through transient chaos, NeurIPS 2016, https://arxiv.org/abs/1606.05340 (χ₁); the deep_signal oracle in this repository (ReLU, N(0, 1): 5.7× per layer)',
  steps: 0,
  variants: [
    {
      id: 'relu', label: tr('ReLU, N(0, 1) weights', 'ReLU，N(0, 1) 權重'),
      config: makeConfig(RELU),
      judge: (r, ctx) => {
        const L = hidden(r[0]);
        const f = (L[0].deltaNorm / L[L.length - 1].deltaNorm) ** (1 / (L.length - 1));
        const pred = Math.sqrt(theory(ctx, { activation: 'relu', sw2: sw2Of(ctx.config) }).chi1);
        return [{ name: 'factorPerLayer', value: f, ok: within(f / pred, 0.85, 1.15), expect: `√(σ_w²/2) = ${pred.toFixed(2)} within 15 %` }];
      },
    },
    {
      id: 'tanh', label: tr('tanh, σ_w² = 4', 'tanh，σ_w² = 4'),
      config: makeConfig(TANH),
      judge: (r, ctx) => {
        const L = hidden(r[0]).slice(TANH_FIT_FROM, -1);
        const f = Math.exp(-slope(L.map((l) => Math.log(l.deltaNorm))));
        const pred = Math.sqrt(theory(ctx, { activation: 'tanh', sw2: sw2Of(ctx.config), sb2: ctx.config.biasStd ** 2 }).chi1);
        return [{ name: 'factorPerLayer', value: f, ok: within(f / pred, 0.92, 1.08), expect: `√χ₁ = ${pred.toFixed(3)} within 8 % (fit over layers ${TANH_FIT_FROM + 1}–${ctx.config.depth - 1})` }];
      },
    },
  ],
});

// Clipping: the exploding ReLU net, trained. Pascanu et al. found thresholds of
// about 0.5× to 10× the average gradient norm to work; a healthy (He-initialised)
// net of this shape has gradient norms of about 0.5–1, hence 0.5 and 10.
const CLIP_STEPS = 100;
const clipBase = { ...RELU, depth: 10, width: 64, lr: 0.01 };
const EARLY = 5;

function clippedJudge(records, ctx) {
  const finite = records.every(isFiniteRecord) ? 1 : 0;
  const max = ctx.config.clipMax;
  const worst = Math.max(...records.map((r) => r.global.gradNorm * r.global.clipScale / max));
  const first = mean(records.slice(0, 10).map((r) => r.global.loss)), last = tailMean(records, 'loss', 10);
  return [
    { name: 'steps', value: records.length, ok: records.length === CLIP_STEPS, expect: `${CLIP_STEPS}: every step ran` },
    { name: 'finite', value: finite, ok: finite === 1, expect: '1: no NaN/Inf' },
    { name: 'appliedOverMax', value: worst, ok: worst <= 1 + 1e-3, expect: '≤ 1: no applied gradient is longer than the threshold' },
    { name: 'lossLastOverFirst', value: last / first, ok: last < first, expect: '< 1: the loss (huge at first) goes down' },
  ];
}

export const clipping = defineLesson({
  id: 'clipping',
  title: tr('Gradient clipping keeps training finite', '梯度裁剪讓訓練保持有限'),
  text: tr(
    'Train the exploding ReLU net (N(0, 1) weights, 10 layers). Its first gradient has a norm of 10⁷ to 10⁸, so one SGD step throws the weights so far that the next forward pass overflows to Inf/NaN. ' +
      'Gradient clipping rescales the whole gradient whenever its norm exceeds a threshold, so no single update can be larger than learning rate × threshold. ' +
      'Pascanu et al. found thresholds from about half to ten times the average gradient norm to work; here 0.5 and 10 (a healthy, He-initialised net of this size has norms of about 0.5–1) both keep every step finite, and the loss comes down. ' +
      'Clipping bounds the damage of an explosion; it does not remove its cause — fix the initialisation too.',
    '訓練這個會梯度爆炸的 ReLU 網路（N(0, 1) 權重，10 層）。它的第一個梯度範數在 10⁷ 到 10⁸ 之間，一步 SGD 就把權重推得太遠，下一次前向傳播便溢位成 Inf／NaN。' +
      '梯度裁剪在梯度範數超過門檻時把整個梯度等比例縮小，因此任何一次更新都不會超過「學習率 × 門檻」。' +
      'Pascanu 等人發現，門檻取平均梯度範數的約一半到十倍都可行；這裡的 0.5 與 10（同樣大小、以 He 初始化的健康網路梯度範數約為 0.5 到 1）都讓每一步保持有限，損失也隨之下降。' +
      '梯度裁剪限制了爆炸造成的破壞，但沒有消除它的成因——權重初始化也要一併修正。'),
  claim: tr(
    'Without clipping the exploding net hits Inf/NaN within a few steps; with norm clipping at 0.5 or 10 all 100 steps stay finite and the loss decreases.',
    '不裁剪時，這個梯度爆炸的網路在幾步內就出現 Inf／NaN；以 0.5 或 10 為門檻做範數裁剪時，100 步全都保持有限，損失也下降。'),
  source: 'Razvan Pascanu, Tomas Mikolov, Yoshua Bengio, On the difficulty of training recurrent neural networks, ICML 2013, https://arxiv.org/abs/1211.5063',
  steps: CLIP_STEPS,
  variants: [
    {
      id: 'none', label: tr('no clipping', '不裁剪'),
      config: makeConfig({ ...clipBase, clip: 'none' }),
      judge: (r) => {
        const at = r.findIndex((x) => !isFiniteRecord(x));
        return [{ name: 'nonFiniteAtStep', value: at < 0 ? Infinity : at + 1, ok: at >= 0 && at < EARLY, expect: `≤ ${EARLY}: NaN/Inf within the first ${EARLY} steps` }];
      },
    },
    { id: 'clip0.5', label: tr('norm clipping at 0.5', '範數裁剪，門檻 0.5'), config: makeConfig({ ...clipBase, clip: 'norm', clipMax: 0.5 }), judge: clippedJudge },
    { id: 'clip10', label: tr('norm clipping at 10', '範數裁剪，門檻 10'), config: makeConfig({ ...clipBase, clip: 'norm', clipMax: 10 }), judge: clippedJudge },
  ],
});
