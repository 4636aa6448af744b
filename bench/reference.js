// reference.js — the first loss of a bench config in float64 (plain JS), and
// how sensitive that loss is to float32-sized noise. Used by training.js to
// judge the loss agreement fairly: a deep relu + batch-norm net amplifies
// rounding noise by orders of magnitude (mean-field chaos), so two correct
// float32 implementations can differ by more than 1e-4 there.
//
// sensitivity = |loss(X·(1 + 1e-7·u)) − loss(X)| / loss(X), u uniform in [−1, 1]:
// the relative change one float32 rounding of the input causes.

import { makeRng } from './stats.js';

const BN_EPS = 1e-5;

/** Mean softmax cross-entropy of the net `params` on X (float64 throughout). */
export function lossF64(spec, params, X, y) {
  const B = spec.batch;
  let h = Float64Array.from(X);
  params.forEach((p, l) => {
    const z = new Float64Array(B * p.O);
    for (let r = 0; r < B; r++) {
      for (let o = 0; o < p.O; o++) {
        let s = p.b[o];
        for (let i = 0; i < p.I; i++) s += h[r * p.I + i] * p.W[o * p.I + i];
        z[r * p.O + o] = s;
      }
    }
    if (p.gamma) {
      for (let o = 0; o < p.O; o++) {
        let m = 0, v = 0;
        for (let r = 0; r < B; r++) m += z[r * p.O + o];
        m /= B;
        for (let r = 0; r < B; r++) v += (z[r * p.O + o] - m) ** 2;
        v /= B;
        for (let r = 0; r < B; r++) z[r * p.O + o] = p.gamma[o] * (z[r * p.O + o] - m) / Math.sqrt(v + BN_EPS) + p.beta[o];
      }
    }
    h = l < params.length - 1 ? z.map(spec.activation === 'relu' ? (u) => Math.max(0, u) : Math.tanh) : z;
  });
  const O = spec.outputs;
  let loss = 0;
  for (let r = 0; r < B; r++) {
    const row = h.subarray(r * O, r * O + O);
    const mx = Math.max(...row);
    let s = 0;
    for (const v of row) s += Math.exp(v - mx);
    loss += mx + Math.log(s) - row[y[r]];
  }
  return loss / B;
}

/** { loss, sensitivity } of the first step's loss. */
export function referenceLoss(spec, params, batch) {
  const loss = lossF64(spec, params, batch.X, batch.y);
  const rand = makeRng(99);
  const noisy = Float64Array.from(batch.X, (v) => v * (1 + 1e-7 * (rand() * 2 - 1)));
  return { loss, sensitivity: Math.abs(lossF64(spec, params, noisy, batch.y) - loss) / Math.abs(loss) };
}
