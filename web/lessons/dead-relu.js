// Lesson 7 — dead ReLUs after a too-large learning rate, and Leaky ReLU / PReLU
// keeping every unit alive.
import { defineLesson } from './define.js';
import { tr, makeConfig, hidden, mean, isFiniteRecord } from './util.js';

// lr 3 is ~30× a sensible rate for this net. Norm clipping at 1 keeps every
// number finite, so what the learner sees is units dying, not overflow.
const base = { dataset: 'spiral', depth: 6, width: 32, init: 'he_normal', biasStd: 0, batchSize: 32, optimizer: 'sgd', lr: 3, clip: 'norm', clipMax: 1 };

/** Mean over hidden layers of the fraction of units with φ′ = 0 on every row of the batch. */
export const deadFraction = (record) => mean(hidden(record).map((l) => l.dead));

function aliveJudge(records) {
  const maxDead = Math.max(...records.flatMap((r) => hidden(r).map((l) => l.dead)));
  const finite = records.every(isFiniteRecord) ? 1 : 0;
  const lastGrad = Math.min(...hidden(records.at(-1)).map((l) => l.gradNormW));
  return [
    { name: 'maxDead', value: maxDead, ok: maxDead === 0, expect: '0 in every layer at every step (the derivative is never 0)' },
    { name: 'minLayerGradNormW', value: lastGrad, ok: lastGrad > 0, expect: '> 0: every layer still receives gradient at the last step' },
    { name: 'finite', value: finite, ok: finite === 1, expect: '1 (no NaN/Inf)' },
  ];
}

export default defineLesson({
  id: 'dead-relu',
  title: tr('Dead ReLUs and how Leaky ReLU / PReLU avoid them', '死亡 ReLU，以及 Leaky ReLU／PReLU 如何避免'),
  text: tr(
    'Watch the "dead" fraction: units whose derivative is 0 for every example in the batch. ' +
      'A ReLU unit whose input is negative for every example outputs 0 and passes back no gradient, so nothing can revive it. ' +
      'With a learning rate far too large (3 here), a few big updates push many units into that state: the dead fraction climbs from its starting level to roughly half of the units. ' +
      'CS231n warns that as much as 40 % of a network can end up dead when the learning rate is set too high. ' +
      'Leaky ReLU (slope 0.01 for negative inputs) and PReLU (a learned slope, starting at 0.25) never have a zero derivative, so with the same learning rate no unit dies and every layer keeps receiving gradient. ' +
      'Cures: a smaller learning rate, or Leaky ReLU / PReLU.',
    '請看「死亡」比例：對批次中每一個樣本導數都為 0 的神經元所占的比例。' +
      'ReLU 神經元的輸入若對每個樣本都是負的，它就只輸出 0，也傳不回任何梯度，因此再也無法復活（"Dead Neuron"）。' +
      '學習率太大時（這裡是 3），幾次大幅更新就會把許多神經元推進這個狀態：死亡比例從起始水準上升到大約一半的神經元。' +
      'CS231n 課程筆記提醒：學習率設得太高時，網路中可能多達 40 % 的神經元會死亡。' +
      'Leaky ReLU（負輸入的斜率為 0.01）與 PReLU（可學習的斜率，起始為 0.25）的導數永遠不為 0，所以在相同的學習率下沒有神經元會死亡，每一層都持續收到梯度。' +
      '解法：降低學習率，或改用 Leaky ReLU／PReLU。'),
  claim: tr(
    'A too-large learning rate kills a large share of ReLU units (dead fraction ≥ 0.35, up from its start), while Leaky ReLU and PReLU keep the dead fraction at exactly 0.',
    '學習率太大會使很大比例的 ReLU 神經元死亡（死亡比例 ≥ 0.35，且高於起始值），而 Leaky ReLU 與 PReLU 的死亡比例始終為 0。'),
  source: 'Stanford CS231n notes, Neural Networks Part 1 (dying ReLUs), https://cs231n.github.io/neural-networks-1/; Maas, Hannun, Ng, Rectifier Nonlinearities Improve Neural Network Acoustic Models, ICML 2013 (Leaky ReLU); He et al., ICCV 2015, https://arxiv.org/abs/1502.01852 (PReLU)',
  steps: 300,
  variants: [
    {
      id: 'relu', label: tr('ReLU, learning rate 3', 'ReLU，學習率 3'),
      config: makeConfig({ ...base, activation: 'relu' }),
      judge: (r) => {
        const start = deadFraction(r[0]), end = deadFraction(r.at(-1));
        return [
          { name: 'deadAtStart', value: start, ok: true, expect: 'the share dead on the first batch (for reference)' },
          { name: 'deadAtEnd', value: end, ok: end >= 0.35 && end >= start + 0.15, expect: '≥ 0.35 and ≥ the start + 0.15' },
        ];
      },
    },
    { id: 'leaky', label: tr('Leaky ReLU (slope 0.01), learning rate 3', 'Leaky ReLU（斜率 0.01），學習率 3'), config: makeConfig({ ...base, activation: 'leaky_relu' }), judge: aliveJudge },
    { id: 'prelu', label: tr('PReLU (slope starts at 0.25), learning rate 3', 'PReLU（斜率起始 0.25），學習率 3'), config: makeConfig({ ...base, activation: 'prelu' }), judge: aliveJudge },
  ],
});
