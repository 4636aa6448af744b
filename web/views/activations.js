// activations.js — view 3: what each layer outputs at the latest step.
//   Top: a band of mean ± std per layer (x = layer). A band collapsing to a
//        thin line means the layer's units all say the same thing; a band
//        pinned at 0 or 1 (sigmoid) means saturation.
//   Bottom: two meters per layer — saturated % (sigmoid outside
//        [0.01, 0.99], |tanh| > 0.99: φ′ ≈ 0 so gradients die there) and
//        dead % (units whose derivative is 0 for the whole batch, e.g. ReLU).

import { buildPanel, fillTable, baseOptions, makeChart, viridis, setEmpty, hiddenPoints, OKABE_ITO } from './chart-kit.js';
import { applyStrings } from '../i18n.js';
import { formatExact, formatPercent, layerName } from '../format.js';
import { gIndex, lIndex } from '../history.js';
import { GLOBAL_STATS, LAYER_STATS } from '../limits.js';

const G = GLOBAL_STATS.length, P = LAYER_STATS.length;

export class ActivationsView {
  constructor(root, t) {
    this.t = t;
    this.root = root;
    this.parts = buildPanel(root, t, 'act');
    const layerTick = (v) => (Number.isInteger(v) && v >= 1 && v <= this.layerCount ? layerName(v - 1, this.layerCount, this.t) : '');
    const band = baseOptions({ xTitle: t('axis.layer'), xTick: layerTick });
    band.interaction = { mode: 'index', intersect: false, axis: 'x' };
    band.plugins.tooltip.callbacks.title = (items) => (items.length ? layerTick(items[0].parsed.x) : '');
    band.elements.point.radius = 2;
    const fillColor = viridis(0.5).replace('rgb', 'rgba').replace(')', ', 0.25)');
    this.band = makeChart(this.parts.canvas, {
      type: 'line',
      data: { datasets: [
        { label: '', data: [], borderColor: viridis(0.5), borderWidth: 1, backgroundColor: fillColor, fill: '+1' },
        { label: '', data: [], borderColor: viridis(0.5), borderWidth: 1, backgroundColor: fillColor, fill: false },
        { label: '', data: [], borderColor: viridis(0.1), borderWidth: 2, backgroundColor: viridis(0.1), fill: false },
      ] },
      options: band,
    });
    // Second chart: the meters.
    const box = document.createElement('div');
    box.className = 'chart-box chart-box-short';
    const canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-describedby', `${root.id}-meters`);
    box.append(canvas);
    this.parts.box.after(box);
    const meters = baseOptions({ xTitle: t('axis.layer'), xTick: layerTick, yTick: (v) => `${v} %` });
    meters.interaction = { mode: 'index', intersect: false, axis: 'x' };
    meters.scales.y.min = 0; meters.scales.y.max = 100;
    meters.scales.x.offset = true;
    meters.plugins.legend = { display: true, position: 'top', labels: { boxWidth: 12 } };
    meters.plugins.tooltip.callbacks.title = band.plugins.tooltip.callbacks.title;
    meters.plugins.tooltip.callbacks.label = (item) => `${item.dataset.label}: ${formatExact(item.parsed.y)} %`;
    // Two bars per layer, side by side, drawn by chart-kit's bar plugin; the
    // datasets hold their points, undrawn, for the legend and the tooltips.
    this.meters = makeChart(canvas, {
      type: 'line',
      data: { datasets: [
        { ...hiddenPoints, label: '', data: [], backgroundColor: OKABE_ITO[1], borderColor: OKABE_ITO[1] },
        { ...hiddenPoints, label: '', data: [], backgroundColor: OKABE_ITO[0], borderColor: OKABE_ITO[0] },
      ] },
      options: meters,
    });
    this.meters.$bars = [
      { data: [], color: OKABE_ITO[1], width: 0.36, shift: -0.2 },
      { data: [], color: OKABE_ITO[0], width: 0.36, shift: 0.2 },
    ];
    this.charts = [this.band, this.meters];
    // One line that says what the meters show, so all-zero bars do not look broken.
    this.summary = document.createElement('p');
    this.summary.className = 'panel-summary';
    this.summary.id = `${root.id}-meters`;
    box.after(this.summary);
    this.parts.details.addEventListener('toggle', () => this.#fillTable());
    this.relabel(t);
    this.reset(1);
  }

  relabel(t) {
    this.t = t;
    applyStrings(this.root, t);
    const [hi, lo, mean] = this.band.data.datasets;
    hi.label = `${t('view.act.mean')} + ${t('view.act.std')}`; lo.label = `${t('view.act.mean')} − ${t('view.act.std')}`; mean.label = t('view.act.mean');
    this.meters.data.datasets[0].label = t('view.act.saturated'); this.meters.data.datasets[1].label = t('view.act.dead');
    for (const c of this.charts) c.options.scales.x.title.text = t('axis.layer');
    this.meters.canvas.setAttribute('aria-label', `${t('view.act.saturated')}, ${t('view.act.dead')}`);
    this.dirty = true;
  }

  reset(layerCount) {
    this.layerCount = layerCount;
    this.layers = null; this.step = 0;
    for (const c of this.charts) { c.options.scales.x.min = 0.5; c.options.scales.x.max = layerCount + 0.5; }
    this.dirty = true;
  }

  append({ records, steps, stride }) {
    for (let i = steps - 1; i >= 0; i--) {
      const b = i * stride;
      if (records[b + gIndex.nonFiniteLayer] >= 0) continue;
      this.step = records[b + gIndex.step];
      this.layers = Array.from({ length: this.layerCount }, (_, l) => {
        const o = b + G + l * P;
        return { mean: records[o + lIndex.actMean], std: records[o + lIndex.actStd], saturated: records[o + lIndex.saturated], dead: records[o + lIndex.dead] };
      });
      this.dirty = true;
      break;
    }
  }

  draw() {
    if (!this.dirty) return;
    this.dirty = false;
    const L = this.layers ?? [];
    // Only finite numbers reach the charts.
    const pts = (f) => L.map((s, l) => ({ x: l + 1, y: f(s) })).filter((p) => Number.isFinite(p.y));
    const [hi, lo, mean] = this.band.data.datasets;
    hi.data = pts((s) => s.mean + s.std);
    lo.data = pts((s) => s.mean - s.std);
    mean.data = pts((s) => s.mean);
    this.meters.data.datasets[0].data = this.meters.$bars[0].data = pts((s) => 100 * s.saturated);
    this.meters.data.datasets[1].data = this.meters.$bars[1].data = pts((s) => 100 * s.dead);
    setEmpty(this.parts, !this.layers);
    this.summary.textContent = this.layers ? this.#summary(L) : '';
    this.band.update('none');
    this.meters.update('none');
    if (this.parts.details.open) this.#fillTable();
  }

  /** "Most saturated: layer 3 (45 %) · most dead: none". */
  #summary(L) {
    const t = this.t, worst = (k) => L.reduce((best, s, l) => (s[k] > (best ? L[best.l][k] : 0) ? { l } : best), null);
    const say = (k, key) => { const w = worst(k); return t(key, { what: w ? `${layerName(w.l, this.layerCount, t)} (${formatPercent(L[w.l][k])})` : t('view.act.none') }); };
    return `${say('saturated', 'view.act.mostSaturated')} · ${say('dead', 'view.act.mostDead')}`;
  }

  #fillTable() {
    const t = this.t;
    const rows = (this.layers ?? []).map((s, l) => [layerName(l, this.layerCount, t), formatExact(s.mean), formatExact(s.std), formatPercent(s.saturated), formatPercent(s.dead)]);
    fillTable(this.parts.table, [`${t('axis.layer')} (${t('axis.step')} ${this.step})`, t('view.act.mean'), t('view.act.std'), t('view.act.saturated'), t('view.act.dead')], rows);
  }
}
