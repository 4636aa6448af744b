// gradient-flow.js — view 1: every layer's gradient size over training, one
// line per layer on a log axis, first layer dark → last layer light.
//
// Two lenses (Glorot & Bengio 2010 §4.2: a deep tanh net can look flat in
// one and vanish 200× in the other):
//   'B'  ‖∂L/∂b_l‖ = ‖δ_l‖ summed over the batch — Nielsen's "speed of learning"
//   'W'  ‖∂L/∂W_l‖_F — the size of the weight gradient
// Each line is a MinMaxSeries, so a long run stays cheap and spikes stay.

import { buildPanel, fillTable, baseOptions, makeChart, layerColor, MinMaxSeries, positive } from './chart-kit.js';
import { formatExact, layerName } from '../format.js';
import { gIndex, lIndex } from '../history.js';
import { GLOBAL_STATS, LAYER_STATS } from '../limits.js';

const G = GLOBAL_STATS.length, P = LAYER_STATS.length;

export class GradientFlowView {
  constructor(root, t, onLens) {
    this.t = t;
    this.parts = buildPanel(root, t, 'flow');
    this.lens = 'B';
    // Lens switch: a labelled <select> (keyboard and screen readers for free).
    const label = document.createElement('label');
    label.textContent = t('ui.lens');
    const select = document.createElement('select');
    select.id = `${root.id}-lens`;
    label.htmlFor = select.id;
    for (const [value, key] of [['B', 'ui.lensB'], ['W', 'ui.lensW']]) {
      const o = document.createElement('option'); o.value = value; o.textContent = t(key); select.append(o);
    }
    select.addEventListener('change', () => { this.setLens(select.value); onLens?.(select.value); });
    this.lensSelect = select;
    // Colour bar legend: first layer → last layer.
    const legend = document.createElement('div');
    legend.className = 'colorbar-legend';
    const from = document.createElement('span'), bar = document.createElement('span'), to = document.createElement('span');
    bar.className = 'colorbar';
    this.legend = { from, bar, to };
    legend.append(from, bar, to);
    this.parts.tools.append(label, select, legend);

    this.chart = makeChart(this.parts.canvas, {
      type: 'line',
      data: { datasets: [] },
      options: baseOptions({ xTitle: t('axis.step'), yLog: true }),
    });
    this.parts.details.addEventListener('toggle', () => this.#fillTable());
    this.reset(1);
  }

  /** Forget everything; a net with layerCount layers follows. */
  reset(layerCount) {
    this.layerCount = layerCount;
    this.series = { B: [], W: [] };
    for (let l = 0; l < layerCount; l++) { this.series.B.push(new MinMaxSeries(100, positive)); this.series.W.push(new MinMaxSeries(100, positive)); }
    this.latest = null;   // { step, W: [...], B: [...] } of the last record
    this.chart.data.datasets = Array.from({ length: layerCount }, (_, l) => ({
      label: layerName(l, layerCount, this.t), data: [], borderWidth: 1, borderColor: layerColor(l, layerCount), backgroundColor: layerColor(l, layerCount),
    }));
    const stops = [0, 0.25, 0.5, 0.75, 1].map((f) => layerColor(Math.round(f * (layerCount - 1)), layerCount));
    this.legend.bar.style.background = `linear-gradient(to right, ${stops.join(', ')})`;
    this.legend.from.textContent = layerName(0, layerCount, this.t);
    this.legend.to.textContent = layerName(layerCount - 1, layerCount, this.t);
    this.dirty = true;
  }

  setLens(lens) {
    this.lens = lens === 'W' ? 'W' : 'B';
    this.lensSelect.value = this.lens;
    this.dirty = true;
  }

  /** Feed a packed stats batch { records, steps, stride }. */
  append({ records, steps, stride }) {
    for (let i = 0; i < steps; i++) {
      const b = i * stride, step = records[b + gIndex.step];
      if (records[b + gIndex.nonFiniteLayer] >= 0) continue;   // non-finite steps never reach a chart
      for (let l = 0; l < this.layerCount; l++) {
        const o = b + G + l * P;
        this.series.W[l].push(step, records[o + lIndex.gradNormW]);
        this.series.B[l].push(step, records[o + lIndex.gradNormB]);
      }
      this.latest = { step, index: i, records, stride };
    }
    if (steps > 0) this.dirty = true;
  }

  draw() {
    if (!this.dirty) return;
    this.dirty = false;
    const lines = this.series[this.lens];
    this.chart.data.datasets.forEach((d, l) => { d.data = lines[l].points(); });
    this.chart.update('none');
    if (this.parts.details.open) this.#fillTable();
  }

  #fillTable() {
    const t = this.t, rows = [];
    if (this.latest) {
      const { index, records, stride } = this.latest;
      for (let l = 0; l < this.layerCount; l++) {
        const o = index * stride + G + l * P;
        rows.push([layerName(l, this.layerCount, t), formatExact(records[o + lIndex.gradNormB]), formatExact(records[o + lIndex.gradNormW])]);
      }
    }
    const step = this.latest ? this.latest.step : 0;
    fillTable(this.parts.table, [`${t('axis.layer')} (${t('axis.step')} ${step})`, t('ui.lensB'), t('ui.lensW')], rows);
  }
}
