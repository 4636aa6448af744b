// theory-worker.js — mean-field theory off the main thread, for the page's
// edge-of-chaos map and the profile chart's guide. A single gs.theory call
// is ~0.1–5 ms, but gs.criticalSw2 bisects over fixed points and takes
// 10–700 ms for some activations (ReLU, tanh with σ_b² = 0): far over the
// 50 ms a main-thread task may take, so none of it runs on the page.
//   { id, kind: 'predict', config, options }  →  { id, ok, result: predict(...) }
//   { id, kind: 'map', args, samples }        →  { id, ok, result: { crit, xMin, xMax, sw2, logChi, xi } }

import { loadGradscope } from './gradscope.js';
import { predict } from './views/theory-guide.js';

const ready = loadGradscope();

function map(gs, args, samples) {
  const crit = gs.criticalSw2(args);
  // σ_w² from 0.5 to 4, widened when the edge of chaos lies further right (tanh with large σ_b²).
  const xMin = 0.5, xMax = Number.isFinite(crit) && crit > 3.4 ? Math.min(20, Math.ceil(crit * 1.3)) : 4;
  const sw2 = new Float64Array(samples), logChi = new Float64Array(samples), xi = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    sw2[i] = xMin + (xMax - xMin) * i / (samples - 1);
    const th = gs.theory({ ...args, sw2: sw2[i] });
    logChi[i] = Math.log(th.chi1);
    xi[i] = th.depthScale;
  }
  return { crit, xMin, xMax, sw2, logChi, xi };
}

self.onmessage = async (event) => {
  const { id, kind, config, options, args, samples } = event.data ?? {};
  try {
    const gs = await ready;
    const result = kind === 'predict' ? predict(gs, config, options) : kind === 'map' ? map(gs, args, samples) : null;
    if (!result) throw new Error(`unknown request ${String(kind).slice(0, 40)}`);
    self.postMessage({ id, ok: true, result });
  } catch (e) {
    self.postMessage({ id, ok: false, error: String(e?.message ?? e) });
  }
};
