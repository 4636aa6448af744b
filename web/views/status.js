// status.js — the one-line readout: step counter, latest minibatch loss and
// the latest accuracy. Updated at most once per frame like a chart.

import { formatNumber, formatPercent } from '../format.js';
import { gIndex } from '../history.js';

export class StatusView {
  constructor(root, t) {
    this.t = t;
    this.root = root;
    this.step = document.createElement('output');
    this.step.className = 'step-counter';
    this.step.id = 'step-counter';
    this.text = document.createElement('span');
    root.append(this.step, this.text);
    this.reset();
  }

  reset() { this.last = null; this.acc = NaN; this.dirty = true; }

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
    this.step.value = String(step);
    this.step.textContent = String(step);
    this.text.textContent = this.last
      ? this.t('ui.status', { step, loss: formatNumber(this.last.loss), acc: formatPercent(this.acc) })
      : this.t('ui.statusIdle');
  }
}
