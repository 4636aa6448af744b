// divergence.js — the panel that replaces a grey "NaN": when training
// diverges it says at which step and in which layer, in plain words, and
// offers one-click replays from the same seed with one fix each.

import { formatNumber, layerName } from '../format.js';
import { NONFINITE_PHASES } from '../limits.js';
import { applyStrings } from '../i18n.js';

// Each fix is a change to the config; the composer rebuilds the run with it.
export const REPLAY_FIXES = Object.freeze({
  clip: (c) => ({ ...c, clip: 'norm', clipMax: 1 }),
  lr: (c) => ({ ...c, lr: Math.max(1e-6, c.lr / 10) }),
  batchnorm: (c) => ({ ...c, batchnorm: true }),
});

export class DivergenceView {
  /** onReplay(fixName) is called when a replay button is pressed. */
  constructor(root, t, onReplay) {
    this.t = t;
    this.root = root;
    root.classList.add('divergence');
    root.setAttribute('role', 'alert');
    const h = document.createElement('h2');
    h.dataset.i18n = 'diverge.title';
    this.text = document.createElement('p');
    this.text.className = 'divergence-text';
    const tryText = document.createElement('p');
    tryText.dataset.i18n = 'diverge.try';
    const buttons = document.createElement('div');
    buttons.className = 'button-row';
    for (const [fix, key] of [['clip', 'diverge.replayClip'], ['lr', 'diverge.replayLr'], ['batchnorm', 'diverge.replayBn']]) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = `replay replay-${fix}`;
      b.dataset.fix = fix;
      b.dataset.i18n = key;
      b.addEventListener('click', () => onReplay(fix));
      buttons.append(b);
    }
    root.append(h, this.text, tryText, buttons);
    applyStrings(root, t);
    this.info = null;
    this.hide();
  }

  relabel(t) {
    this.t = t;
    applyStrings(this.root, t);
    if (this.info) this.show(this.info, this.layerCount);
  }

  /** info: { kind: 'nonfinite' | 'exploding', step, layer, phase?, gradNorm? } from the worker. */
  show(info, layerCount) {
    this.info = info; this.layerCount = layerCount;
    const t = this.t, layer = layerName(info.layer, layerCount, t);
    this.text.textContent = info.kind === 'nonfinite'
      ? t('diverge.nonfinite', { step: info.step, layer, phase: t(`diverge.phase.${NONFINITE_PHASES[info.phase] ?? 'none'}`) })
      : t('diverge.exploding', { step: info.step, layer, norm: formatNumber(info.gradNorm) });
    this.root.hidden = false;
    this.root.dataset.step = String(info.step);
    this.root.dataset.layer = String(info.layer);
  }

  hide() { this.root.hidden = true; this.info = null; }
}
