// gradient-profile.js — view 2: the gradient size of every layer at the
// latest step as bars on a log axis, with step 1 kept as a pale ghost so a
// learner sees how the profile changed. Same lens as the flow view.

import { buildPanel, fillTable, baseOptions, makeChart, layerColor, positive, setEmpty } from './chart-kit.js';
import { applyStrings } from '../i18n.js';
import { formatExact, layerName } from '../format.js';
import { gIndex, lIndex } from '../history.js';
import { GLOBAL_STATS, LAYER_STATS } from '../limits.js';

const G = GLOBAL_STATS.length, P = LAYER_STATS.length;

/** Per-layer values of one record as { W: [], B: [] }. */
function profileOf(records, i, stride, layerCount) {
  const W = [], B = [];
  for (let l = 0; l < layerCount; l++) {
    W.push(records[i * stride + G + l * P + lIndex.gradNormW]);
    B.push(records[i * stride + G + l * P + lIndex.gradNormB]);
  }
  return { W, B };
}

export class GradientProfileView {
  constructor(root, t) {
    this.t = t;
    this.root = root;
    this.parts = buildPanel(root, t, 'profile');
    const layerTick = (v) => (Number.isInteger(v) && v >= 1 && v <= this.layerCount ? layerName(v - 1, this.layerCount, this.t) : '');
    const options = baseOptions({ xTitle: t('axis.layer'), yLog: true, xTick: layerTick });
    options.interaction = { mode: 'index', intersect: false, axis: 'x' };
    options.scales.x.offset = true;
    options.plugins.tooltip.callbacks.title = (items) => (items.length ? layerTick(items[0].parsed.x) : '');
    this.chart = makeChart(this.parts.canvas, {
      type: 'bar',
      data: { datasets: [
        { label: '', data: [], backgroundColor: 'rgba(120, 120, 120, 0.28)', borderColor: 'rgba(90, 90, 90, 0.6)', borderWidth: 1, grouped: false, barPercentage: 1, categoryPercentage: 0.9, order: 2 },
        { label: '', data: [], backgroundColor: [], grouped: false, barPercentage: 0.55, categoryPercentage: 0.9, order: 1 },
      ] },
      options,
    });
    this.parts.details.addEventListener('toggle', () => this.#fillTable());
    this.lens = 'B';
    this.relabel(t);
    this.reset(1);
  }

  relabel(t) {
    this.t = t;
    applyStrings(this.root, t);
    const [ghost, now] = this.chart.data.datasets;
    ghost.label = t('view.profile.ghost'); now.label = t('view.profile.now');
    this.chart.options.scales.x.title.text = t('axis.layer');
    this.dirty = true;
  }

  reset(layerCount) {
    this.layerCount = layerCount;
    this.ghost = null; this.now = null; this.step = 0;
    this.chart.data.datasets[1].backgroundColor = Array.from({ length: layerCount }, (_, l) => layerColor(l, layerCount));
    this.chart.options.scales.x.min = 0.5; this.chart.options.scales.x.max = layerCount + 0.5;
    this.dirty = true;
  }

  setLens(lens) { this.lens = lens === 'W' ? 'W' : 'B'; this.dirty = true; }

  append({ records, steps, stride }) {
    for (let i = steps - 1; i >= 0; i--) {   // the latest finite record
      if (records[i * stride + gIndex.nonFiniteLayer] >= 0) continue;
      this.now = profileOf(records, i, stride, this.layerCount);
      this.step = records[i * stride + gIndex.step];
      break;
    }
    if (!this.ghost && steps > 0 && records[gIndex.step] === 1 && records[gIndex.nonFiniteLayer] < 0) this.ghost = profileOf(records, 0, stride, this.layerCount);
    if (steps > 0) this.dirty = true;
  }

  draw() {
    if (!this.dirty) return;
    this.dirty = false;
    const bars = (p) => (p ? p[this.lens].map((y, l) => ({ x: l + 1, y: positive(y) ? y : null })) : []);
    this.chart.data.datasets[0].data = bars(this.ghost);
    this.chart.data.datasets[1].data = bars(this.now);
    setEmpty(this.parts, !this.now);
    this.chart.update('none');
    if (this.parts.details.open) this.#fillTable();
  }

  #fillTable() {
    const t = this.t, lensKey = this.lens === 'W' ? 'ui.lensW' : 'ui.lensB';
    const rows = Array.from({ length: this.layerCount }, (_, l) => [
      layerName(l, this.layerCount, t),
      this.now ? formatExact(this.now[this.lens][l]) : '—',
      this.ghost ? formatExact(this.ghost[this.lens][l]) : '—',
    ]);
    fillTable(this.parts.table, [t('axis.layer'), `${t(lensKey)} — ${t('view.profile.now')} (${this.step})`, `${t(lensKey)} — ${t('view.profile.ghost')}`], rows);
  }
}
