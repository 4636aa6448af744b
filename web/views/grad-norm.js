// grad-norm.js — view 6b: the total gradient norm ‖∇L‖ over training, measured
// *before* clipping (so you see what clipping is protecting you from), with
// the clipping threshold drawn as a dashed line when clipping is on.

import { buildPanel, fillTable, baseOptions, makeChart, MinMaxSeries, positive, OKABE_ITO } from './chart-kit.js';
import { formatExact } from '../format.js';
import { gIndex } from '../history.js';

export class GradNormView {
  constructor(root, t) {
    this.t = t;
    this.parts = buildPanel(root, t, 'norm');
    const options = baseOptions({ xTitle: t('axis.step'), yLog: true });
    options.plugins.legend = { display: true, position: 'top', labels: { boxWidth: 12 } };
    this.chart = makeChart(this.parts.canvas, {
      type: 'line',
      data: { datasets: [
        { label: t('view.norm.norm'), data: [], borderColor: OKABE_ITO[0], backgroundColor: OKABE_ITO[0] },
        { label: t('view.norm.threshold'), data: [], borderColor: OKABE_ITO[5], backgroundColor: OKABE_ITO[5], borderDash: [6, 4], pointRadius: 0, pointHitRadius: 0 },
      ] },
      options,
    });
    this.parts.details.addEventListener('toggle', () => this.#fillTable());
    this.threshold = null;
    this.reset();
  }

  reset() { this.series = new MinMaxSeries(300, positive); this.lastClip = null; this.dirty = true; }

  /** The clipping threshold to draw, or null when clipping is off. */
  setThreshold(value) { this.threshold = value; this.dirty = true; }

  append({ records, steps, stride }) {
    for (let i = 0; i < steps; i++) {
      const b = i * stride;
      this.series.push(records[b + gIndex.step], records[b + gIndex.gradNorm]);
      if (Number.isFinite(records[b + gIndex.clipScale])) this.lastClip = records[b + gIndex.clipScale];
    }
    if (steps > 0) this.dirty = true;
  }

  draw() {
    if (!this.dirty) return;
    this.dirty = false;
    const [norm, threshold] = this.chart.data.datasets;
    norm.data = this.series.points();
    const last = this.series.last;
    threshold.data = this.threshold && positive(this.threshold) ? [{ x: Math.min(1, last?.x ?? 1), y: this.threshold }, { x: Math.max(2, last?.x ?? 2), y: this.threshold }] : [];
    this.chart.update('none');
    if (this.parts.details.open) this.#fillTable();
  }

  #fillTable() {
    const t = this.t, last = this.series.last;
    fillTable(this.parts.table, [t('axis.step'), t('view.norm.norm'), t('view.norm.threshold'), t('view.norm.clipScale')],
      last ? [[String(last.x), formatExact(last.y), this.threshold ? formatExact(this.threshold) : '—', formatExact(this.lastClip)]] : []);
  }
}
