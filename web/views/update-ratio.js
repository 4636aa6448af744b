// update-ratio.js — view 6a: ‖ΔW_l‖ / ‖W_l‖ per layer at the latest step, on
// a log axis, with the 10⁻³ rule of thumb (Karpathy, CS231n "ratio of
// weights:updates") drawn across. Layers far below it are not learning;
// far above, training is unstable.

import { buildPanel, fillTable, baseOptions, makeChart, layerColor, positive, OKABE_ITO } from './chart-kit.js';
import { formatExact, layerName } from '../format.js';
import { gIndex, lIndex } from '../history.js';
import { GLOBAL_STATS, LAYER_STATS } from '../limits.js';

const G = GLOBAL_STATS.length, P = LAYER_STATS.length;
const HEALTHY_RATIO = 1e-3;

export class UpdateRatioView {
  constructor(root, t) {
    this.t = t;
    this.parts = buildPanel(root, t, 'ratio');
    const layerTick = (v) => (Number.isInteger(v) && v >= 1 && v <= this.layerCount ? layerName(v - 1, this.layerCount, t) : '');
    const options = baseOptions({ xTitle: t('axis.layer'), yLog: true, xTick: layerTick });
    options.interaction = { mode: 'index', intersect: false, axis: 'x' };
    options.scales.x.offset = true;
    options.plugins.tooltip.callbacks.title = (items) => (items.length ? layerTick(items[0].parsed.x) : '');
    this.chart = makeChart(this.parts.canvas, {
      type: 'bar',
      data: { datasets: [
        { type: 'line', label: t('view.ratio.healthy'), data: [], borderColor: OKABE_ITO[5], borderDash: [5, 4], borderWidth: 1.5, pointRadius: 0, order: 0 },
        { label: t('view.ratio.ratio'), data: [], backgroundColor: [], order: 1 },
      ] },
      options,
    });
    this.parts.details.addEventListener('toggle', () => this.#fillTable());
    this.reset(1);
  }

  reset(layerCount) {
    this.layerCount = layerCount;
    this.ratios = null; this.step = 0;
    this.chart.data.datasets[1].backgroundColor = Array.from({ length: layerCount }, (_, l) => layerColor(l, layerCount));
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
    const [ref, bars] = this.chart.data.datasets;
    ref.data = [{ x: 0.5, y: HEALTHY_RATIO }, { x: this.layerCount + 0.5, y: HEALTHY_RATIO }];
    bars.data = (this.ratios ?? []).map((y, l) => ({ x: l + 1, y: positive(y) ? y : null }));
    this.chart.update('none');
    if (this.parts.details.open) this.#fillTable();
  }

  #fillTable() {
    const t = this.t;
    fillTable(this.parts.table, [`${t('axis.layer')} (${t('axis.step')} ${this.step})`, t('view.ratio.ratio')],
      (this.ratios ?? []).map((r, l) => [layerName(l, this.layerCount, t), formatExact(r)]));
  }
}
