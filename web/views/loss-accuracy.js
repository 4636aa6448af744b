// loss-accuracy.js — view 4: the minibatch loss every step (noisy: a
// geometric-mean line through a faint min…max band, so spikes stay), the
// whole-split train and test loss, and train/test accuracy on a second axis
// (0–100 %).

import { buildPanel, fillTable, baseOptions, makeChart, MinMaxSeries, BandSeries, positive, withAlpha, dotWhenAlone, setEmpty, OKABE_ITO } from './chart-kit.js';
import { formatExact, formatPercent } from '../format.js';
import { applyStrings } from '../i18n.js';
import { gIndex } from '../history.js';

const PX_PER_BUCKET = 5;
const LABELS = ['view.loss.batch', 'view.loss.train', 'view.loss.test', 'view.loss.trainAcc', 'view.loss.testAcc'];

export class LossAccuracyView {
  constructor(root, t) {
    this.t = t;
    this.root = root;
    this.parts = buildPanel(root, t, 'loss');
    const options = baseOptions({ xTitle: t('axis.step'), yLog: true });
    options.elements.point.radius = dotWhenAlone;
    options.scales.acc = { type: 'linear', position: 'right', min: 0, max: 1, grid: { drawOnChartArea: false }, ticks: { callback: (v) => `${Math.round(v * 100)} %` } };
    options.plugins.legend = { display: true, position: 'top', labels: { boxWidth: 10, boxHeight: 10, padding: 6, font: { size: 11 } } };
    options.plugins.tooltip.callbacks.label = (item) => {
      const p = item.raw, acc = item.dataset.yAxisID === 'acc';
      const head = `${item.dataset.label}: ${acc ? formatPercent(p.y) : formatExact(p.y)}`;
      return p.n > 1 ? `${head}  (${this.t('ui.bucket', { n: p.n, lo: formatExact(p.lo), hi: formatExact(p.hi) })})` : head;
    };
    const grey = 'rgb(110, 110, 110)';
    this.chart = makeChart(this.parts.canvas, {
      type: 'line',
      data: { datasets: [
        { label: '', data: [], borderColor: grey, backgroundColor: grey, borderWidth: 1.25 },
        { label: '', data: [], borderColor: OKABE_ITO[0], backgroundColor: OKABE_ITO[0], borderWidth: 2 },
        { label: '', data: [], borderColor: OKABE_ITO[5], backgroundColor: OKABE_ITO[5], borderWidth: 2, borderDash: [6, 3] },
        { label: '', data: [], borderColor: OKABE_ITO[2], backgroundColor: OKABE_ITO[2], borderWidth: 2, yAxisID: 'acc' },
        { label: '', data: [], borderColor: OKABE_ITO[3], backgroundColor: OKABE_ITO[3], borderWidth: 2, borderDash: [6, 3], yAxisID: 'acc' },
      ] },
      options,
    });
    this.chart.$bands = [{ datasetIndex: 0, color: withAlpha(grey, 0.16), x: [], lo: [], hi: [] }];
    this.parts.details.addEventListener('toggle', () => this.#fillTable());
    this.relabel(t);
    this.reset();
  }

  reset() {
    this.batch = new BandSeries(this.#target(), { log: true });
    this.evalSeries = { trainLoss: new MinMaxSeries(300, positive), testLoss: new MinMaxSeries(300, positive), trainAcc: new MinMaxSeries(300), testAcc: new MinMaxSeries(300) };
    this.lastEval = null;
    this.dirty = true;
  }

  relabel(t) {
    this.t = t;
    applyStrings(this.root, t);
    this.chart.data.datasets.forEach((d, i) => { d.label = t(LABELS[i]); });
    this.chart.options.scales.x.title.text = t('axis.step');
    this.dirty = true;
  }

  #target() { return (this.chart?.chartArea?.width || this.parts.box.clientWidth || 400) / PX_PER_BUCKET; }

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
    this.batch.setTarget(this.#target());
    const { line, band } = this.batch.render();
    batch.data = line;
    Object.assign(this.chart.$bands[0], band);
    trainLoss.data = this.evalSeries.trainLoss.points();
    testLoss.data = this.evalSeries.testLoss.points();
    trainAcc.data = this.evalSeries.trainAcc.points();
    testAcc.data = this.evalSeries.testAcc.points();
    setEmpty(this.parts, line.length === 0);
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
