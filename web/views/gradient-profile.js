// gradient-profile.js — view 2: the gradient size of every layer at the
// latest step as bars on a log axis, with step 1 kept as a pale ghost so a
// learner sees how the profile changed. Same lens as the flow view.
// In the ‖δ‖ lens a dashed line is the mean-field prediction (theory-guide.js):
// √χ₁ per layer toward the input, anchored at the last hidden layer; the data
// table puts each layer's measured gain σ_w²·mean φ′² beside χ₁.

import { buildPanel, fillTable, baseOptions, makeChart, layerColor, positive, setEmpty, hiddenPoints } from './chart-kit.js';
import { applyStrings } from '../i18n.js';
import { formatExact, formatNumber, layerName } from '../format.js';
import { gIndex, lIndex } from '../history.js';
import { GLOBAL_STATS, LAYER_STATS } from '../limits.js';
import { predictAsync, guideValues } from './theory-guide.js';

const G = GLOBAL_STATS.length, P = LAYER_STATS.length;
const GHOST_FILL = 'rgba(120, 120, 120, 0.28)', GHOST_BORDER = 'rgba(90, 90, 90, 0.6)', GUIDE_COLOR = '#D55E00';

/** Per-layer values of one record as { W: [], B: [] }. */
function profileOf(records, i, stride, layerCount) {
  const W = [], B = [], gain = [];
  for (let l = 0; l < layerCount; l++) {
    W.push(records[i * stride + G + l * P + lIndex.gradNormW]);
    B.push(records[i * stride + G + l * P + lIndex.gradNormB]);
    gain.push(records[i * stride + G + l * P + lIndex.gain]);
  }
  return { W, B, gain };
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
    // Hover: the layer's measured gain beside the mean-field χ₁.
    options.plugins.tooltip.callbacks.footer = (items) => {
      const l = items.length ? items[0].parsed.x - 1 : -1;
      if (!this.now || l < 0 || l >= this.layerCount - 1) return '';
      const chi = this.theory?.applies ? ` · ${this.t('theory.chi1')}: ${formatNumber(this.theory.chi1, 4)}` : '';
      return `${this.t('theory.gain')}: ${formatNumber(this.now.gain[l], 4)}${chi}`;
    };
    options.plugins.tooltip.itemSort = (a, b) => b.datasetIndex - a.datasetIndex;   // guide, now, step 1
    // The tooltip's colour swatch: grey for the ghost, the layer's colour for now.
    options.plugins.tooltip.callbacks.labelColor = (item) => {
      const c = [GHOST_FILL, this.colors[item.dataIndex] ?? GHOST_FILL, GUIDE_COLOR][item.datasetIndex];
      return { borderColor: c, backgroundColor: c };
    };
    // The bars are drawn by chart-kit's bar plugin (chart.$bars); datasets 0
    // and 1 hold their points, undrawn, for the axis and the tooltips.
    this.chart = makeChart(this.parts.canvas, {
      type: 'line',
      data: { datasets: [
        { ...hiddenPoints, label: '', data: [] },
        { ...hiddenPoints, label: '', data: [] },
        { label: '', data: [], borderColor: GUIDE_COLOR, borderWidth: 2, borderDash: [6, 4], pointRadius: 2, pointBackgroundColor: GUIDE_COLOR, fill: false },
      ] },
      options,
    });
    this.chart.$bars = [
      { data: [], color: GHOST_FILL, border: GHOST_BORDER, width: 0.9 },   // step 1: wide, pale
      { data: [], color: [], width: 0.5 },                                 // now: narrower, in the layer's colour
    ];
    this.parts.details.addEventListener('toggle', () => this.#fillTable());
    this.lens = 'B';
    this.theory = null;   // predict(): { applies, perLayer, chi1, sw2, sb2 } or { applies: false, reason }
    this.theoryNote = document.createElement('p');
    this.theoryNote.className = 'panel-summary theory-note';
    this.parts.box.after(this.theoryNote);
    this.relabel(t);
    this.reset(1);
  }

  relabel(t) {
    this.t = t;
    applyStrings(this.root, t);
    const [ghost, now, guide] = this.chart.data.datasets;
    ghost.label = t('view.profile.ghost'); now.label = t('view.profile.now'); guide.label = t('theory.guide');
    this.chart.options.scales.x.title.text = t('axis.layer');
    this.dirty = true;
  }

  reset(layerCount) {
    this.layerCount = layerCount;
    this.ghost = null; this.now = null; this.step = 0;
    this.colors = Array.from({ length: layerCount }, (_, l) => layerColor(l, layerCount));
    this.chart.$bars[1].color = this.colors;
    this.chart.options.scales.x.min = 0.5; this.chart.options.scales.x.max = layerCount + 0.5;
    this.dirty = true;
  }

  setLens(lens) { this.lens = lens === 'W' ? 'W' : 'B'; this.dirty = true; }

  /**
   * The config of the new net: compute the mean-field guide (in the theory
   * worker) and ask for a redraw through onDirty. customWeights: a lesson's
   * setup replaced the init.
   */
  setConfig(config, { customWeights = false } = {}) {
    const token = this.theoryToken = {};
    this.theory = null;
    this.dirty = true;
    predictAsync(config, { customWeights }).then((theory) => {
      if (token !== this.theoryToken) return;
      this.theory = theory;
      this.dirty = true;
      this.onDirty?.();
    }).catch(() => {});
  }

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
    this.chart.data.datasets[0].data = this.chart.$bars[0].data = bars(this.ghost);
    this.chart.data.datasets[1].data = this.chart.$bars[1].data = bars(this.now);
    const guide = this.lens === 'B' && this.theory?.applies ? guideValues(this.now?.B, this.layerCount, this.theory.perLayer) : null;
    this.chart.data.datasets[2].data = guide ? guide.map((y, l) => ({ x: l + 1, y: positive(y) ? y : null })).filter((p) => p.y !== null) : [];
    this.#theoryNote();
    setEmpty(this.parts, !this.now);
    this.chart.update('none');
    if (this.parts.details.open) this.#fillTable();
  }

  #theoryNote() {
    const t = this.t, th = this.theory;
    let text = '';
    if (th?.applies) {
      text = t('theory.note', { perLayer: formatNumber(th.perLayer, 3), chi1: formatNumber(th.chi1, 3), sw2: formatNumber(th.sw2, 3), sb2: formatNumber(th.sb2, 3) });
      if (this.lens !== 'B') text += ` ${t('theory.lensNote')}`;
    } else if (th) text = `${t('theory.none')} ${t(th.reason)}`;
    this.theoryNote.textContent = text;
    this.theoryNote.hidden = !text;
  }

  #fillTable() {
    const t = this.t, lensKey = this.lens === 'W' ? 'ui.lensW' : 'ui.lensB';
    const th = this.theory?.applies ? this.theory : null;
    const guide = th && this.lens === 'B' ? guideValues(this.now?.B, this.layerCount, th.perLayer) : null;
    const hiddenLayer = (l) => l < this.layerCount - 1;
    const rows = Array.from({ length: this.layerCount }, (_, l) => [
      layerName(l, this.layerCount, t),
      this.now ? formatExact(this.now[this.lens][l]) : '—',
      this.ghost ? formatExact(this.ghost[this.lens][l]) : '—',
      guide?.[l] ? formatExact(guide[l]) : '—',
      this.now && hiddenLayer(l) ? formatExact(this.now.gain[l]) : '—',
      th && hiddenLayer(l) ? formatExact(th.chi1) : '—',
    ]);
    fillTable(this.parts.table, [t('axis.layer'), `${t(lensKey)} — ${t('view.profile.now')} (${this.step})`, `${t(lensKey)} — ${t('view.profile.ghost')}`,
      t('theory.guide'), t('theory.gain'), t('theory.chi1')], rows);
  }
}
