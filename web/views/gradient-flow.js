// gradient-flow.js — view 1: every layer's gradient size over training, one
// line per layer on a log axis, first layer dark → last layer light.
//
// Two lenses (Glorot & Bengio 2010 §4.2: a deep tanh net can look flat in
// one and vanish 200× in the other):
//   'B'  ‖∂L/∂b_l‖ = ‖δ_l‖ summed over the batch — Nielsen's "speed of learning"
//   'W'  ‖∂L/∂W_l‖_F — the size of the weight gradient
// Each layer is a BandSeries: the line is the geometric mean of each bucket
// of steps (per-step norms jump by 10× from batch to batch, but they jump
// together, so the means stack up layer by layer, clearly apart), and a
// faint band spans the bucket's min…max so spikes stay visible.

import { buildPanel, fillTable, baseOptions, makeChart, layerColor, withAlpha, BandSeries, setEmpty } from './chart-kit.js';
import { formatExact, layerName } from '../format.js';
import { applyStrings } from '../i18n.js';
import { gIndex, lIndex } from '../history.js';
import { GLOBAL_STATS, LAYER_STATS } from '../limits.js';

const G = GLOBAL_STATS.length, P = LAYER_STATS.length;
const PX_PER_BUCKET = 8;   // about one bucket per 8 px of plot width (≈ 60–120 points per layer)
// Performance, measured by timing Chart.prototype.update: Chart.js charges a
// fixed cost per dataset on every update, so one dataset per layer (51 for a
// 50-layer net) cost 30–100 ms a redraw and the page stuttered. So the lines
// are drawn by chart-kit's line plugin (chart.$lines), and Chart.js keeps one
// dataset of all layers' points, undrawn, for the axes and the tooltips. The
// points of all layers together are capped too.
const MAX_POINTS = 2400;
const LENSES = [['B', 'ui.lensB', 'axis.gradB'], ['W', 'ui.lensW', 'axis.gradW']];

/** The two points (x min, y min) and (x max, y max) of a point list: the same axis ranges. */
function corners(points) {
  if (points.length < 2) return points;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const p of points) {
    if (p.x < x0) x0 = p.x; if (p.x > x1) x1 = p.x;
    if (p.y > 0 && p.y < y0) y0 = p.y; if (p.y > y1) y1 = p.y;   // the axis is log: positive values only
  }
  return y0 <= y1 ? [{ x: x0, y: y0 }, { x: x1, y: y1 }] : [];
}

export class GradientFlowView {
  constructor(root, t, onLens) {
    this.t = t;
    this.root = root;
    this.parts = buildPanel(root, t, 'flow');
    this.lens = 'B';
    // Lens switch: a labelled <select> (keyboard and screen readers for free).
    const label = document.createElement('label');
    label.dataset.i18n = 'ui.lens';
    const select = document.createElement('select');
    select.id = `${root.id}-lens`;
    label.htmlFor = select.id;
    for (const [value, key] of LENSES) {
      const o = document.createElement('option'); o.value = value; o.dataset.i18n = key; select.append(o);
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
    applyStrings(this.parts.tools, t);

    const options = baseOptions({ xTitle: t('axis.step'), yTitle: t('axis.gradB'), yLog: true });
    options.elements.point.radius = 0;          // the line plugin draws lines and lone dots
    options.elements.point.hoverRadius = 3;
    options.normalized = false;                 // layers one after another: x is not sorted
    options.plugins.tooltip.callbacks.label = (item) => this.#tooltip(item);
    // the one dataset is transparent: the swatch takes the hovered layer's colour
    options.plugins.tooltip.callbacks.labelColor = (item) => { const c = this.colors[item.raw?.l ?? 0]; return { borderColor: c, backgroundColor: c }; };
    this.chart = makeChart(this.parts.canvas, { type: 'line', data: { datasets: [] }, options });
    this.parts.details.addEventListener('toggle', () => this.#fillTable());
    // The tooltips need every point in the dataset, and Chart.js updates an
    // element per point on every redraw (~5 ms for 2400 points, while one core
    // trains). So the dataset holds them only while the pointer is over the
    // chart; otherwise just the two corner points that give the axes the same
    // range.
    this.hovering = false;
    this.parts.canvas.addEventListener('pointerenter', () => { this.hovering = true; this.dirty = true; this.draw(); });
    this.parts.canvas.addEventListener('pointerleave', () => { this.hovering = false; this.dirty = true; });
    this.reset(1);
  }

  /** Forget everything; a net with layerCount layers follows. */
  reset(layerCount) {
    this.layerCount = layerCount;
    const target = this.#target();
    this.series = { B: [], W: [] };
    for (let l = 0; l < layerCount; l++) {
      this.series.B.push(new BandSeries(target, { log: true }));
      this.series.W.push(new BandSeries(target, { log: true }));
    }
    this.latest = null;   // { step, index, records, stride } of the last record
    this.colors = Array.from({ length: layerCount }, (_, l) => layerColor(l, layerCount));
    // One dataset for the axes and the tooltips: no line, invisible points.
    this.chart.data.datasets = [{ label: '', data: [], showLine: false, borderColor: 'rgba(0, 0, 0, 0)', backgroundColor: 'rgba(0, 0, 0, 0)', pointHoverBackgroundColor: '#222', pointHoverBorderColor: '#222' }];
    this.chart.$lines = this.colors.map((color) => ({ color, points: [] }));
    // Bands fainter the more layers overlap, so twenty of them stay a wash, not a blot.
    const alpha = Math.max(0.05, Math.min(0.18, 1.2 / layerCount));
    this.chart.$bands = Array.from({ length: layerCount }, (_, l) => ({ datasetIndex: 0, color: withAlpha(this.colors[l], alpha), x: [], lo: [], hi: [] }));
    const stops = [0, 0.25, 0.5, 0.75, 1].map((f) => layerColor(Math.round(f * (layerCount - 1)), layerCount));
    this.legend.bar.style.background = `linear-gradient(to right, ${stops.join(', ')})`;
    this.#labels();
    this.dirty = true;
  }

  /** The language changed: every string again, data untouched. */
  relabel(t) {
    this.t = t;
    applyStrings(this.root, t);
    this.chart.options.scales.x.title.text = t('axis.step');
    this.#labels();
    this.dirty = true;
  }

  #labels() {
    const t = this.t, n = this.layerCount;
    this.legend.from.textContent = layerName(0, n, t);
    this.legend.to.textContent = layerName(n - 1, n, t);
    this.chart.options.scales.y.title.text = t(LENSES.find(([v]) => v === this.lens)[2]);
  }

  setLens(lens) {
    this.lens = lens === 'W' ? 'W' : 'B';
    this.lensSelect.value = this.lens;
    this.#labels();
    this.dirty = true;
  }

  /** Buckets for the current plot width. */
  #target() {
    const width = this.chart?.chartArea?.width || this.parts.box.clientWidth || 600;
    return Math.max(8, Math.min(width / PX_PER_BUCKET, MAX_POINTS / this.layerCount));
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
    const lines = this.series[this.lens], target = this.#target();
    const points = [];
    for (let l = 0; l < this.layerCount; l++) {
      lines[l].setTarget(target);
      const { line, band } = lines[l].render();
      for (const p of line) { p.l = l; points.push(p); }
      this.chart.$lines[l].points = line;
      Object.assign(this.chart.$bands[l], band);
    }
    this.chart.data.datasets[0].data = this.hovering ? points : corners(points);
    setEmpty(this.parts, !this.latest);
    this.chart.update('none');
    if (this.parts.details.open) this.#fillTable();
  }

  #tooltip(item) {
    const p = item.raw, t = this.t;
    const head = `${layerName(p.l ?? 0, this.layerCount, t)}: ${formatExact(p.y)}`;
    return p.n > 1 ? `${head}  (${t('ui.bucket', { n: p.n, lo: formatExact(p.lo), hi: formatExact(p.hi) })})` : head;
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
