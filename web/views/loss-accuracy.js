// loss-accuracy.js — view 4: minibatch loss every step (noisy, decimated
// with min-max so spikes stay), the whole-split train and test loss, and
// train/test accuracy on a second axis (0–100 %).

import { buildPanel, fillTable, baseOptions, makeChart, MinMaxSeries, positive, OKABE_ITO } from './chart-kit.js';
import { formatExact, formatPercent } from '../format.js';
import { gIndex } from '../history.js';

export class LossAccuracyView {
  constructor(root, t) {
    this.t = t;
    this.parts = buildPanel(root, t, 'loss');
    const options = baseOptions({ xTitle: t('axis.step'), yLog: true });
    options.scales.acc = { type: 'linear', position: 'right', min: 0, max: 1, grid: { drawOnChartArea: false }, ticks: { callback: (v) => `${Math.round(v * 100)} %` } };
    options.plugins.legend = { display: true, position: 'top', labels: { boxWidth: 12 } };
    options.plugins.tooltip.callbacks.label = (item) => `${item.dataset.label}: ${item.dataset.yAxisID === 'acc' ? formatPercent(item.parsed.y) : formatExact(item.parsed.y)}`;
    this.chart = makeChart(this.parts.canvas, {
      type: 'line',
      data: { datasets: [
        { label: t('view.loss.batch'), data: [], borderColor: 'rgba(120, 120, 120, 0.55)', backgroundColor: 'rgba(120, 120, 120, 0.55)', borderWidth: 1 },
        { label: t('view.loss.train'), data: [], borderColor: OKABE_ITO[0], backgroundColor: OKABE_ITO[0], borderWidth: 2 },
        { label: t('view.loss.test'), data: [], borderColor: OKABE_ITO[5], backgroundColor: OKABE_ITO[5], borderWidth: 2, borderDash: [6, 3] },
        { label: t('view.loss.trainAcc'), data: [], borderColor: OKABE_ITO[2], backgroundColor: OKABE_ITO[2], borderWidth: 2, yAxisID: 'acc' },
        { label: t('view.loss.testAcc'), data: [], borderColor: OKABE_ITO[3], backgroundColor: OKABE_ITO[3], borderWidth: 2, borderDash: [6, 3], yAxisID: 'acc' },
      ] },
      options,
    });
    this.parts.details.addEventListener('toggle', () => this.#fillTable());
    this.reset();
  }

  reset() {
    this.batch = new MinMaxSeries(300, positive);
    this.evalSeries = { trainLoss: new MinMaxSeries(300, positive), testLoss: new MinMaxSeries(300, positive), trainAcc: new MinMaxSeries(300), testAcc: new MinMaxSeries(300) };
    this.lastEval = null;
    this.dirty = true;
  }

  append({ records, steps, stride, evals }) {
    for (let i = 0; i < steps; i++) {
      const b = i * stride;
      if (records[b + gIndex.nonFiniteLayer] >= 0) continue;
      this.batch.push(records[b + gIndex.step], records[b + gIndex.loss]);
    }
    if (evals) this.addEval(evals);
    if (steps > 0) this.dirty = true;
  }

  /** A whole-split evaluation { step, trainLoss, trainAcc, testLoss, testAcc }. */
  addEval(e) {
    for (const k of Object.keys(this.evalSeries)) this.evalSeries[k].push(e.step, e[k]);
    this.lastEval = e;
    this.dirty = true;
  }

  draw() {
    if (!this.dirty) return;
    this.dirty = false;
    const [batch, trainLoss, testLoss, trainAcc, testAcc] = this.chart.data.datasets;
    batch.data = this.batch.points();
    trainLoss.data = this.evalSeries.trainLoss.points();
    testLoss.data = this.evalSeries.testLoss.points();
    trainAcc.data = this.evalSeries.trainAcc.points();
    testAcc.data = this.evalSeries.testAcc.points();
    this.chart.update('none');
    if (this.parts.details.open) this.#fillTable();
  }

  #fillTable() {
    const t = this.t, e = this.lastEval;
    const rows = e ? [[t('view.loss.train'), formatExact(e.trainLoss)], [t('view.loss.test'), formatExact(e.testLoss)],
      [t('view.loss.trainAcc'), formatPercent(e.trainAcc)], [t('view.loss.testAcc'), formatPercent(e.testAcc)],
      [t('view.loss.batch'), this.batch.last ? formatExact(this.batch.last.y) : '—']] : [];
    fillTable(this.parts.table, [`${t('axis.step')} ${e ? e.step : 0}`, ''], rows);
  }
}
