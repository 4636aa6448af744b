// chart-kit.js — what every chart view shares: the panel skeleton (title,
// description, canvas, accessible data table), Chart.js options that keep
// redraws cheap, the layer colour scale, and spike-keeping decimation.
//
// Chart.js comes from web/vendor/chart.umd.min.js (a classic script that
// defines globalThis.Chart), served by us: no CDN, no network.

import { formatExact, formatLogTick } from '../format.js';

// ---- colours ---------------------------------------------------------------
// Viridis (matplotlib's perceptually uniform, colour-blind-safe sequential
// scale): layer 1 is dark purple, the last layer yellow-green. We stop at
// 0.9 because the final yellow is unreadable on white.
const VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
export function viridis(t) {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x)), f = x - i;
  const c = VIRIDIS[i].map((v, k) => Math.round(v + f * (VIRIDIS[i + 1][k] - v)));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}
/** The colour of layer l of layerCount (first dark, last light). */
export const layerColor = (l, layerCount) => viridis(layerCount <= 1 ? 0 : 0.9 * l / (layerCount - 1));
/** Okabe–Ito: eight hues distinguishable with any colour vision (for classes and series). */
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
export const classColor = (k) => OKABE_ITO[k % OKABE_ITO.length];

// ---- panel skeleton ---------------------------------------------------------
/**
 * Fill `root` (a <section>) with a heading, a description, a chart box and a
 * <details> data table. Returns the parts. Text comes from i18n keys.
 */
export function buildPanel(root, t, key, { canvas = true } = {}) {
  root.classList.add('panel');
  const h = document.createElement('h2');
  h.textContent = t(`view.${key}.title`);
  h.id = `${root.id}-title`;
  root.setAttribute('aria-labelledby', h.id);
  const desc = document.createElement('p');
  desc.className = 'panel-desc';
  desc.textContent = t(`view.${key}.desc`);
  const tools = document.createElement('div');
  tools.className = 'panel-tools';
  const box = document.createElement('div');
  box.className = 'chart-box';
  let cv = null;
  if (canvas) {
    cv = document.createElement('canvas');
    cv.setAttribute('role', 'img');
    cv.setAttribute('aria-label', `${t(`view.${key}.title`)}. ${t(`view.${key}.desc`)}`);
    box.append(cv);
  }
  const details = document.createElement('details');
  details.className = 'data-table';
  const summary = document.createElement('summary');
  summary.textContent = t('ui.table');
  const table = document.createElement('table');
  const caption = document.createElement('caption');
  caption.textContent = t(`view.${key}.title`);
  table.append(caption, document.createElement('thead'), document.createElement('tbody'));
  details.append(summary, table);
  root.append(h, desc, tools, box, details);
  return { root, tools, box, canvas: cv, details, table };
}

/** Replace a table's head and body (text only: textContent, never HTML). */
export function fillTable(table, headers, rows) {
  const thead = table.tHead, tbody = table.tBodies[0];
  const headRow = document.createElement('tr');
  for (const h of headers) { const th = document.createElement('th'); th.scope = 'col'; th.textContent = h; headRow.append(th); }
  thead.replaceChildren(headRow);
  tbody.replaceChildren(...rows.map((cells) => {
    const tr = document.createElement('tr');
    cells.forEach((c, i) => {
      const td = document.createElement(i === 0 ? 'th' : 'td');
      if (i === 0) td.scope = 'row';
      td.textContent = c;
      tr.append(td);
    });
    return tr;
  }));
}

// ---- Chart.js options ---------------------------------------------------------
/**
 * Options every chart uses: no animation, no parsing (we hand Chart.js its
 * internal {x, y} format), no responsive animation, tooltips with exact values.
 */
export function baseOptions({ xTitle, yTitle, yLog = false, xTick, yTick, tooltipLabel } = {}) {
  return {
    animation: false,
    parsing: false,
    normalized: true,
    responsive: true,
    maintainAspectRatio: false,
    resizeDelay: 50,
    interaction: { mode: 'nearest', intersect: false, axis: 'xy' },
    elements: { point: { radius: 0, hitRadius: 4, hoverRadius: 3 }, line: { borderWidth: 1.5, tension: 0 } },
    datasets: { line: { spanGaps: true } },
    plugins: {
      legend: { display: false },
      // Our own min-max bucketing feeds Chart.js already-decimated data; this stays as a safety net.
      decimation: { enabled: true, algorithm: 'min-max' },
      tooltip: {
        animation: false,
        callbacks: {
          title: (items) => (items.length ? `${xTitle ?? ''} ${xTick ? xTick(items[0].parsed.x) : items[0].parsed.x}` : ''),
          label: tooltipLabel ?? ((item) => `${item.dataset.label}: ${formatExact(item.parsed.y)}`),
        },
      },
    },
    scales: {
      // sampleSize: measure a few tick labels, not all of them (label measuring dominates update cost).
      x: { type: 'linear', title: { display: !!xTitle, text: xTitle }, ticks: { maxRotation: 0, autoSkip: true, sampleSize: 6, ...(xTick ? { callback: xTick } : {}) } },
      y: yLog
        ? { type: 'logarithmic', title: { display: !!yTitle, text: yTitle }, ticks: { autoSkip: true, sampleSize: 6, callback: yTick ?? formatLogTick } }
        : { type: 'linear', title: { display: !!yTitle, text: yTitle }, ticks: { sampleSize: 6, ...(yTick ? { callback: yTick } : {}) } },
    },
  };
}

// Paint the canvas white before each draw, so exported PNGs are not transparent.
const whiteBackground = {
  id: 'whiteBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** Create a chart once. */
export function makeChart(canvas, config) {
  const Chart = globalThis.Chart;
  if (!Chart) throw new Error('Chart.js was not loaded (web/vendor/chart.umd.min.js; run node scripts/build-site.js)');
  return new Chart(canvas, { ...config, plugins: [whiteBackground] });
}

// ---- decimation that keeps spikes ------------------------------------------------
/**
 * A series decimated as it grows: points fall into buckets of `width`
 * steps; each bucket keeps only its minimum and its maximum point. When the
 * bucket count passes 2 × target, neighbours merge and `width` doubles. So
 * memory and draw cost stay bounded, and a one-step spike is never averaged
 * away (it is some bucket's max). Only finite values that `accept` admits
 * (log axes: > 0) enter — a non-finite stat never reaches a chart.
 */
export class MinMaxSeries {
  constructor(target = 200, accept = (y) => Number.isFinite(y)) {
    this.target = target; this.accept = accept;
    this.reset();
  }
  reset() {
    this.width = 1;
    this.key = []; this.minX = []; this.minY = []; this.maxX = []; this.maxY = [];
    this.last = null;   // latest accepted { x, y }
  }
  push(x, y) {
    if (!this.accept(y)) return;
    this.last = { x, y };
    const k = Math.floor(x / this.width), n = this.key.length;
    if (n && this.key[n - 1] === k) {
      if (y < this.minY[n - 1]) { this.minY[n - 1] = y; this.minX[n - 1] = x; }
      if (y > this.maxY[n - 1]) { this.maxY[n - 1] = y; this.maxX[n - 1] = x; }
      return;
    }
    this.key.push(k); this.minX.push(x); this.minY.push(y); this.maxX.push(x); this.maxY.push(y);
    if (this.key.length > 2 * this.target) this.#merge();
  }
  #merge() {
    this.width *= 2;
    let out = -1;
    for (let i = 0; i < this.key.length; i++) {
      const k = Math.floor(this.key[i] / 2);
      if (out >= 0 && this.key[out] === k) {
        if (this.minY[i] < this.minY[out]) { this.minY[out] = this.minY[i]; this.minX[out] = this.minX[i]; }
        if (this.maxY[i] > this.maxY[out]) { this.maxY[out] = this.maxY[i]; this.maxX[out] = this.maxX[i]; }
      } else {
        out++;
        this.key[out] = k; this.minX[out] = this.minX[i]; this.minY[out] = this.minY[i]; this.maxX[out] = this.maxX[i]; this.maxY[out] = this.maxY[i];
      }
    }
    for (const a of [this.key, this.minX, this.minY, this.maxX, this.maxY]) a.length = out + 1;
  }
  /** Chart.js points {x, y}, in x order (a fresh array: assign it to dataset.data). */
  points() {
    const out = [];
    for (let i = 0; i < this.key.length; i++) {
      if (this.minX[i] === this.maxX[i]) out.push({ x: this.minX[i], y: this.minY[i] });
      else if (this.minX[i] < this.maxX[i]) out.push({ x: this.minX[i], y: this.minY[i] }, { x: this.maxX[i], y: this.maxY[i] });
      else out.push({ x: this.maxX[i], y: this.maxY[i] }, { x: this.minX[i], y: this.minY[i] });
    }
    return out;
  }
}

export const positive = (y) => Number.isFinite(y) && y > 0;
