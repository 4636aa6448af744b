// update-ratio.js — view 6a: ‖ΔW_l‖ / ‖W_l‖ per layer at the latest step, on
// a log axis, with the 10⁻³ rule of thumb (Karpathy, CS231n "ratio of
// weights:updates") drawn across. Layers far below it are not learning;
// far above, training is unstable.

import { buildPanel, fillTable, baseOptions, makeChart, layerColor, positive, setEmpty, hiddenPoints, viridis, OKABE_ITO } from './chart-kit.js';
import { applyStrings } from '../i18n.js';
import { formatExact, layerName } from '../format.js';
import { gIndex, lIndex } from '../history.js';
import { GLOBAL_STATS, LAYER_STATS } from '../limits.js';

const G = GLOBAL_STATS.length, P = LAYER_STATS.length;
const HEALTHY_RATIO = 1e-3;

export class UpdateRatioView {
  constructor(root, t) {
    this.t = t;
    this.root = root;
    this.parts = buildPanel(root, t, 'ratio');
    const layerTick = (v) => (Number.isInteger(v) && v >= 1 && v <= this.layerCount ? layerName(v - 1, this.layerCount, this.t) : '');
    const options = baseOptions({ xTitle: t('axis.layer'), yLog: true, xTick: layerTick });
    options.interaction = { mode: 'index', intersect: false, axis: 'x' };
    options.scales.x.offset = true;
    options.plugins.tooltip.callbacks.title = (items) => (items.length ? layerTick(items[0].parsed.x) : '');
    options.plugins.tooltip.callbacks.label = (item) => (item.datasetIndex === 2 ? `${item.dataset.label}: 0` : `${item.dataset.label}: ${formatExact(item.parsed.y)}`);
    options.plugins.legend = { display: true, position: 'top', labels: { boxWidth: 12, filter: (item, data) => data.datasets[item.datasetIndex].data.length > 0 } };
    // The swatch of a bar is its layer's colour (the points of dataset 1 are not drawn).
    options.plugins.tooltip.callbacks.labelColor = (item) => {
      const c = item.datasetIndex === 1 ? this.colors[item.dataIndex] : OKABE_ITO[5];
      return { borderColor: c, backgroundColor: c };
    };
    // The bars are drawn by chart-kit's bar plugin (chart.$bars); dataset 1
    // holds their points, undrawn, for the axis, the legend and the tooltips.
    this.chart = makeChart(this.parts.canvas, {
      type: 'line',
      data: { datasets: [
        { type: 'line', label: '', data: [], borderColor: OKABE_ITO[5], backgroundColor: OKABE_ITO[5], borderDash: [5, 4], borderWidth: 1.5, pointRadius: 0, order: 0 },
        // the legend's swatch: the middle of the layer colour scale
        { ...hiddenPoints, label: '', data: [], backgroundColor: viridis(0.45), borderColor: viridis(0.45), order: 1 },
        // Layers whose weights did not move at all (ΔW below float32 precision): a marker on the floor.
        { type: 'line', label: '', data: [], showLine: false, pointStyle: 'crossRot', pointRadius: 6, pointBorderWidth: 2, borderColor: OKABE_ITO[5], backgroundColor: OKABE_ITO[5], order: 0 },
      ] },
      options,
    });
    this.chart.$bars = [{ data: [], color: [], width: 0.72 }];
    this.parts.details.addEventListener('toggle', () => this.#fillTable());
    this.relabel(t);
    this.reset(1);
  }

  relabel(t) {
    this.t = t;
    applyStrings(this.root, t);
    const [ref, bars, frozen] = this.chart.data.datasets;
    ref.label = t('view.ratio.healthy'); bars.label = t('view.ratio.ratio'); frozen.label = t('view.ratio.frozen');
    this.chart.options.scales.x.title.text = t('axis.layer');
    this.dirty = true;
  }

  reset(layerCount) {
    this.layerCount = layerCount;
    this.ratios = null; this.step = 0;
    this.colors = Array.from({ length: layerCount }, (_, l) => layerColor(l, layerCount));
    this.chart.$bars[0].color = this.colors;
    this.chart.options.scales.x.min = 0.5; this.chart.options.scales.x.max = layerCount + 0.5;
    this.dirty = true;
  }

  append({ records, steps, stride }) {
    for (let i = steps - 1; i >= 0; i--) {
      const b = i * stride;
      if (records[b + gIndex.nonFiniteLayer] >= 0) continue;
      this.step = records[b + gIndex.step];
      this.ratios = Array.from({ length: this.layerCount }, (_, l) => records[b + G + l * P + lIndex.updateRatio]);
      this.dirty = true;
      break;
    }
  }

  draw() {
    if (!this.dirty) return;
    this.dirty = false;
    const [ref, bars, frozen] = this.chart.data.datasets;
    const ratios = this.ratios ?? [];
    ref.data = [{ x: 0.5, y: HEALTHY_RATIO }, { x: this.layerCount + 0.5, y: HEALTHY_RATIO }];
    bars.data = this.chart.$bars[0].data = ratios.map((y, l) => ({ x: l + 1, y: positive(y) ? y : null }));
    // A fixed floor a decade under the smallest bar, so frozen layers have somewhere to sit.
    const smallest = Math.min(HEALTHY_RATIO, ...ratios.filter(positive));
    const floor = 10 ** (Math.floor(Math.log10(smallest)) - 1);
    this.chart.options.scales.y.min = ratios.some((y) => y === 0) ? floor : undefined;
    frozen.data = ratios.map((y, l) => (y === 0 ? { x: l + 1, y: floor } : null)).filter(Boolean);
    setEmpty(this.parts, !this.ratios);
    this.chart.update('none');
    if (this.parts.details.open) this.#fillTable();
  }

  #fillTable() {
    const t = this.t;
    fillTable(this.parts.table, [`${t('axis.layer')} (${t('axis.step')} ${this.step})`, t('view.ratio.ratio')],
      (this.ratios ?? []).map((r, l) => [layerName(l, this.layerCount, t), r === 0 ? `0 (${t('view.ratio.frozen')})` : formatExact(r)]));
  }
}
