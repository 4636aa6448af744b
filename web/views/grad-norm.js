// grad-norm.js — view 6b: the total gradient norm ‖∇L‖ over training, measured
// *before* clipping (so you see what clipping is protecting you from), with
// the clipping threshold drawn as a dashed line when clipping is on. The norm
// is a BandSeries: a geometric-mean line and a faint min…max band (spikes stay).

import { buildPanel, fillTable, baseOptions, makeChart, BandSeries, positive, withAlpha, dotWhenAlone, setEmpty, OKABE_ITO } from './chart-kit.js';
import { formatExact } from '../format.js';
import { applyStrings } from '../i18n.js';
import { gIndex } from '../history.js';

const PX_PER_BUCKET = 5;

export class GradNormView {
  constructor(root, t) {
    this.t = t;
    this.root = root;
    this.parts = buildPanel(root, t, 'norm');
    const options = baseOptions({ xTitle: t('axis.step'), yLog: true });
    options.elements.point.radius = dotWhenAlone;
    // The threshold's legend entry only when clipping is on.
    options.plugins.legend = { display: true, position: 'top', labels: { boxWidth: 12, filter: (item, data) => data.datasets[item.datasetIndex].data.length > 0 || item.datasetIndex === 0 } };
    options.plugins.tooltip.callbacks.label = (item) => {
      const p = item.raw, head = `${item.dataset.label}: ${formatExact(p.y)}`;
      return p.n > 1 ? `${head}  (${this.t('ui.bucket', { n: p.n, lo: formatExact(p.lo), hi: formatExact(p.hi) })})` : head;
    };
    this.chart = makeChart(this.parts.canvas, {
      type: 'line',
      data: { datasets: [
        { label: '', data: [], borderColor: OKABE_ITO[0], backgroundColor: OKABE_ITO[0], borderWidth: 1.75 },
        { label: '', data: [], borderColor: OKABE_ITO[5], backgroundColor: OKABE_ITO[5], borderDash: [6, 4], pointRadius: 0, pointHitRadius: 0 },
      ] },
      options,
    });
    this.chart.$bands = [{ datasetIndex: 0, color: withAlpha(OKABE_ITO[0], 0.18), x: [], lo: [], hi: [] }];
    this.parts.details.addEventListener('toggle', () => this.#fillTable());
    this.threshold = null;
    this.relabel(t);
    this.reset();
  }

  reset() { this.series = new BandSeries(this.#target(), { log: true }); this.lastClip = null; this.dirty = true; }

  relabel(t) {
    this.t = t;
    applyStrings(this.root, t);
    const [norm, threshold] = this.chart.data.datasets;
    norm.label = t('view.norm.norm'); threshold.label = t('view.norm.threshold');
    this.chart.options.scales.x.title.text = t('axis.step');
    this.dirty = true;
  }

  #target() { return (this.chart?.chartArea?.width || this.parts.box.clientWidth || 400) / PX_PER_BUCKET; }

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
    this.series.setTarget(this.#target());
    const { line, band } = this.series.render();
    norm.data = line;
    Object.assign(this.chart.$bands[0], band);
    const x0 = line.length ? Math.min(band.x[0], 1) : 0, x1 = line.length ? band.x[band.x.length - 1] : 1;
    threshold.data = this.threshold && positive(this.threshold) ? [{ x: x0, y: this.threshold }, { x: Math.max(x1, x0 + 1), y: this.threshold }] : [];
    setEmpty(this.parts, line.length === 0);
    this.chart.update('none');
    if (this.parts.details.open) this.#fillTable();
  }

  #fillTable() {
    const t = this.t, last = this.series.last;
    fillTable(this.parts.table, [t('axis.step'), t('view.norm.norm'), t('view.norm.threshold'), t('view.norm.clipScale')],
      last ? [[String(last.x), formatExact(last.y), this.threshold ? formatExact(this.threshold) : '—', formatExact(this.lastClip)]] : []);
  }
}
