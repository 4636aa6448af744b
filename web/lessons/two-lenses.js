// Lesson 4 — two lenses on the same gradients: ‖∂L/∂W‖ per layer looks flat
// while ‖δ‖ = ‖∂L/∂a‖ vanishes (tanh with N(0, 0.01²) weights).
import { defineLesson } from './define.js';
import { tr, makeConfig, hidden, within } from './util.js';

const DEPTH = 10;
const config = makeConfig({ dataset: 'digits', depth: DEPTH, width: 64, activation: 'tanh', init: 'normal', initScale: 0.01, biasStd: 0, batchSize: 128, lr: 0.1 });

function judge(records) {
  const L = hidden(records[0]);
  const w = L[0].gradNormW / L[DEPTH - 1].gradNormW;
  const d = L[0].deltaNorm / L[DEPTH - 1].deltaNorm;
  const level = L[0].gradNormW;
  return [
    { name: 'gradWFirstOverLast', value: w, ok: within(w, 1 / 3, 3), expect: '‖∂L/∂W₁‖/‖∂L/∂W₁₀‖ within [1/3, 3]: the weight-gradient profile looks flat' },
    { name: 'deltaFirstOverLast', value: d, ok: d < 1e-6, expect: '‖δ₁‖/‖δ₁₀‖ < 1e-6: the backpropagated gradient vanishes' },
    { name: 'gradWFirst', value: level, ok: level < 1e-6, expect: '< 1e-6: flat, but flat at a tiny level' },
  ];
}

export default defineLesson({
  id: 'two-lenses',
  title: tr('Two lenses: ‖∂L/∂W‖ looks flat while ‖δ‖ vanishes', '兩種視角：‖∂L/∂W‖ 看似平坦，‖δ‖ 卻在消失'),
  text: tr(
    'Switch the gradient chart between ‖∂L/∂W‖ (the weight gradient) and ‖δ‖ (the gradient flowing back into each layer). ' +
      'In this tanh net with N(0, 0.01²) weights, ‖δ‖ shrinks about 12× per layer toward the input, yet ‖∂L/∂W‖ is nearly the same in every layer. ' +
      'The reason: ∂L/∂W of a layer is δ times that layer\'s input, and the inputs shrink going forward by the same factor as δ shrinks going back, so the two cancel. ' +
      'A flat weight-gradient profile is therefore no proof of health: here it is flat at about 10⁻¹¹ and nothing learns. ' +
      'Cure: Xavier initialisation, which keeps both the forward signal and δ near constant.',
    '把梯度圖在 ‖∂L/∂W‖（權重梯度）與 ‖δ‖（流回每一層的梯度）之間切換。' +
      '在這個權重為 N(0, 0.01²) 的 tanh 網路中，‖δ‖ 往輸入端每層縮小約 12 倍，但 ‖∂L/∂W‖ 在每一層幾乎一樣大。' +
      '原因是：一層的 ∂L/∂W 等於 δ 乘上該層的輸入，而輸入在前向傳播時縮小的倍數，正好與 δ 在反向傳播時縮小的倍數相同，兩者互相抵消。' +
      '所以權重梯度的剖面平坦並不代表網路健康：這裡它平坦地停在約 10⁻¹¹，什麼也學不到。' +
      '解法：Xavier 權重初始化，讓前向訊號與 δ 都大致維持不變。'),
  claim: tr(
    'With tiny weights ‖∂L/∂W‖ is about equal in every layer while ‖δ‖ falls by more than a million from the last hidden layer to the first.',
    '權重極小時，各層的 ‖∂L/∂W‖ 大致相等，而 ‖δ‖ 從最後一個隱藏層到第一層縮小超過一百萬倍。'),
  source: 'Glorot & Bengio, AISTATS 2010, https://proceedings.mlr.press/v9/glorot10a.html (weight gradients vs back-propagated gradients); the deep_signal oracle in this repository (tanh, N(0, 0.01²))',
  steps: 0,
  config,
  judge,
});
