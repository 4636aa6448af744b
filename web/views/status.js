// status.js — the one-line readout: "Step 1335 · loss 0.69 · accuracy 51 %".
// The step number appears once, in the <output id="step-counter"> that tests
// and screen readers read; the rest follows the language. Updated at most
// once per frame like a chart.

import { formatNumber, formatPercent } from '../format.js';
import { gIndex } from '../history.js';

export class StatusView {
  constructor(root, t) {
    this.t = t;
    this.root = root;
    this.label = document.createElement('span');
    this.label.className = 'step-label';
    this.step = document.createElement('output');
    this.step.className = 'step-counter';
    this.step.id = 'step-counter';
    this.text = document.createElement('span');
    this.text.className = 'status-text';
    root.append(this.label, this.step, this.text);
    this.reset();
  }

  reset() { this.last = null; this.acc = NaN; this.dirty = true; }

  /** A few text nodes: the scheduler draws it every frame, ahead of the charts. */
  get cheap() { return true; }

  relabel(t) { this.t = t; this.dirty = true; }

  append({ records, steps, stride, evals }) {
    if (steps > 0) {
      const b = (steps - 1) * stride;
      this.last = { step: records[b + gIndex.step], loss: records[b + gIndex.loss] };
    }
    if (evals) this.acc = evals.testAcc >= 0 ? evals.testAcc : evals.trainAcc;
    this.dirty = true;
  }

  draw() {
    if (!this.dirty) return;
    this.dirty = false;
    const step = this.last ? this.last.step : 0;
    this.label.textContent = this.t('ui.stepLabel');
    this.step.value = String(step);
    this.step.textContent = String(step);
    this.text.textContent = this.last
      ? this.t('ui.status', { loss: formatNumber(this.last.loss), acc: formatPercent(this.acc) })
      : this.t('ui.statusIdle');
  }
}
