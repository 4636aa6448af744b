// chart-kit.js — what every chart view shares: the panel skeleton (title,
// description, canvas, accessible data table), Chart.js options that keep
// redraws cheap, the layer colour scale, spike-keeping decimation (a mean
// line through a min–max band), and relabelling when the language changes.
//
// Chart.js comes from web/vendor/chart.umd.min.js (a classic script that
// defines globalThis.Chart), served by us: no CDN, no network.

import { formatExact, formatLogTick, formatNumber } from '../format.js';
import { applyStrings } from '../i18n.js';

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
  h.dataset.i18n = `view.${key}.title`;
  h.id = `${root.id}-title`;
  root.setAttribute('aria-labelledby', h.id);
  const desc = document.createElement('p');
  desc.className = 'panel-desc';
  desc.id = `${root.id}-desc`;
  desc.dataset.i18n = `view.${key}.desc`;
  const tools = document.createElement('div');
  tools.className = 'panel-tools';
  const box = document.createElement('div');
  box.className = 'chart-box';
  let cv = null;
  if (canvas) {
    cv = document.createElement('canvas');
    cv.setAttribute('role', 'img');
    // Named and described by the visible heading and text: follows the language for free.
    cv.setAttribute('aria-labelledby', h.id);
    cv.setAttribute('aria-describedby', desc.id);
    box.append(cv);
  }
  // Shown over the chart until the first step arrives, so no panel is a blank box.
  const empty = document.createElement('p');
  empty.className = 'chart-empty';
  empty.dataset.i18n = 'ui.empty';
  box.append(empty);
  const details = document.createElement('details');
  details.className = 'data-table';
  const summary = document.createElement('summary');
  summary.dataset.i18n = 'ui.table';
  const table = document.createElement('table');
  const caption = document.createElement('caption');
  caption.dataset.i18n = `view.${key}.title`;
  table.append(caption, document.createElement('thead'), document.createElement('tbody'));
  details.append(summary, table);
  root.append(h, desc, tools, box, details);
  applyStrings(root, t);
  return { root, tools, box, canvas: cv, details, table, empty };
}

/** Show or hide the "press Play" overlay of a panel. */
export function setEmpty(parts, isEmpty) { parts.empty.hidden = !isEmpty; }

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
      // Our own bucketing (BandSeries, MinMaxSeries) feeds Chart.js already-decimated data.
      decimation: { enabled: false },
      tooltip: {
        animation: false,
        callbacks: {
          title: (items) => (items.length ? `${items[0].chart.options.scales.x.title.text ?? ''} ${xTick ? xTick(items[0].parsed.x) : items[0].parsed.x}` : ''),
          label: tooltipLabel ?? ((item) => `${item.dataset.label}: ${formatExact(item.parsed.y)}`),
        },
      },
    },
    scales: {
      // sampleSize: measure a few tick labels, not all of them (label measuring dominates update cost).
      // Not on a log axis: it keeps only its labelled ticks (logAxisTicks), few and of unequal
      // width (1000 beside 10⁴) — a sample that missed the widest label clipped it.
      // Step axes (no xTick) run from 0 to the last step (at least 10), ticks at round steps only;
      // layer axes keep their fixed 0.5 … L + 0.5 range.
      x: xTick
        ? { type: 'linear', title: { display: !!xTitle, text: xTitle }, ticks: { maxRotation: 0, autoSkip: true, sampleSize: 6, callback: xTick } }
        : { type: 'linear', bounds: 'data', min: 0, suggestedMax: 10, title: { display: !!xTitle, text: xTitle }, ticks: { maxRotation: 0, autoSkip: true, sampleSize: 6, includeBounds: false, precision: 0, callback: stepTick } },
      y: yLog
        ? { type: 'logarithmic', afterBuildTicks: logAxisTicks, title: { display: !!yTitle, text: yTitle }, ticks: { autoSkip: true, callback: yTick ?? logTick } }
        : { type: 'linear', title: { display: !!yTitle, text: yTitle }, ticks: { sampleSize: 6, ...(yTick ? { callback: yTick } : {}) } },
    },
  };
}

// Step-axis labels: round steps; the axis end (the latest step) only when it
// is not crowding the round tick before it.
const stepFormat = new Intl.NumberFormat('en');
function stepTick(value, index, ticks) {
  const n = ticks.length;
  if (n > 2 && index === n - 1 && value - ticks[n - 2].value < 0.75 * (ticks[1].value - ticks[0].value)) return '';
  return stepFormat.format(value);
}

// Ticks of a log axis. Spanning a decade or more, it keeps only its powers
// of ten: Chart.js also makes the 2…9 ticks of every decade, unlabelled
// (logTick), which cost label measuring and skipping on every update (70
// ticks for 10⁻¹…10⁷). Narrower (a loss between 0.63 and 0.9), it gets five
// ticks evenly spaced on the log scale at two significant digits: Chart.js's
// own ticks there crowd at the bottom (0.63, 0.65, 0.67, 0.69 … 0.9), and its
// label skipping assumes evenly spaced ticks, so it does not thin them.
export function logAxisTicks(scale) {
  const { min, max } = scale;
  if (!(min > 0 && max > min)) return;
  if (max / min >= 10) {
    scale.ticks = scale.ticks.filter(({ value }) => { const e = Math.log10(value); return Math.abs(e - Math.round(e)) < 1e-9; });
    return;
  }
  const values = [];
  for (let i = 0; i <= 4; i++) {
    const v = Number((min * (max / min) ** (i / 4)).toPrecision(2));
    if (v >= min && v <= max && !values.includes(v)) values.push(v);
  }
  if (values.length >= 2) scale.ticks = values.map((value) => ({ value }));
}

// Log-axis labels: powers of ten when the axis spans a decade or more; on a
// narrower axis (a loss between 0.6 and 0.8) the in-between ticks, so an
// axis is never left without numbers.
function logTick(value) {
  if (this.max / this.min >= 10) return formatLogTick(value);
  return formatNumber(value, 2);
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

// Bands: a faint polygon per series between the bucket minimum and maximum,
// drawn under the lines. A view sets chart.$bands = [{ datasetIndex, color,
// x: [], lo: [], hi: [], yAxisID? }]; a band follows its line's visibility,
// and the y axis grows to hold every band, so a spike is never clipped.
const bandPlugin = {
  id: 'bands',
  afterDataLimits(chart, { scale }) {
    for (const b of chart.$bands ?? []) {
      if ((b.yAxisID ?? 'y') !== scale.id || !chart.isDatasetVisible(b.datasetIndex)) continue;
      for (let i = 0; i < b.lo.length; i++) {
        if (b.lo[i] < scale.min) scale.min = b.lo[i];
        if (b.hi[i] > scale.max) scale.max = b.hi[i];
      }
    }
  },
  beforeDatasetsDraw(chart) {
    const bands = chart.$bands;
    if (!bands?.length) return;
    const { ctx, chartArea: area, scales } = chart;
    ctx.save();
    ctx.beginPath(); ctx.rect(area.left, area.top, area.width, area.height); ctx.clip();
    for (const b of bands) {
      if (b.x.length === 0 || !chart.isDatasetVisible(b.datasetIndex)) continue;
      const xs = scales.x, ys = scales[b.yAxisID ?? 'y'];
      ctx.beginPath();
      // A one-bucket band is a short vertical bar, so a lone spike still shows.
      const half = b.x.length === 1 ? 1.5 : 0;
      for (let i = 0; i < b.x.length; i++) ctx.lineTo(xs.getPixelForValue(b.x[i]) - (i === 0 ? half : 0), ys.getPixelForValue(b.hi[i]));
      for (let i = b.x.length - 1; i >= 0; i--) ctx.lineTo(xs.getPixelForValue(b.x[i]) + (i === b.x.length - 1 ? half : 0), ys.getPixelForValue(b.lo[i]));
      ctx.closePath();
      ctx.fillStyle = b.color;
      ctx.fill();
    }
    ctx.restore();
  },
};

// Lines drawn by hand: a view sets chart.$lines = [{ color, points: [{ x, y }] }]
// and every series is stroked as one polyline (a lone point as a dot), above
// the bands. Chart.js charges a fixed cost per dataset on every update (30–100
// ms for the 51 layers of a 50-layer net, measured), so a chart with many
// series keeps ONE dataset of points for the axes and the tooltips (drawn
// invisibly) and lets this plugin draw the lines.
const linePlugin = {
  id: 'lines',
  afterDatasetsDraw(chart) {
    const lines = chart.$lines;
    if (!lines?.length) return;
    const { ctx, chartArea: area, scales: { x: xs, y: ys } } = chart;
    ctx.save();
    ctx.beginPath(); ctx.rect(area.left, area.top, area.width, area.height); ctx.clip();
    ctx.lineWidth = chart.$lineWidth ?? 1.75;
    ctx.lineJoin = 'round';
    for (const { color, points } of lines) {
      if (!points.length) continue;
      ctx.strokeStyle = color; ctx.fillStyle = color;
      if (points.length === 1) {
        ctx.beginPath(); ctx.arc(xs.getPixelForValue(points[0].x), ys.getPixelForValue(points[0].y), 3, 0, 2 * Math.PI); ctx.fill();
        continue;
      }
      ctx.beginPath();
      for (let i = 0; i < points.length; i++) {
        const px = xs.getPixelForValue(points[i].x), py = ys.getPixelForValue(points[i].y);
        if (i === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
      }
      ctx.stroke();
    }
    ctx.restore();
  },
};

// Bars drawn by hand, one per layer: a view sets chart.$bars = [{ data,
// color, border?, width, shift? }] where data are the {x, y} points of a
// dataset (y null: no bar), color one colour or one per point, width the bar
// width and shift its centre offset, both as fractions of the distance
// between x and x + 1. Why not Chart.js bars: each bar element resolves its
// options through Chart.js's option proxies on every update (per-layer
// colours are not shareable) and is drawn inside its own save()/restore();
// measured, the four per-layer charts of a 50-layer net spent 3–10 ms a
// redraw each, and their first redraw while training took 50–60 ms of wall
// time on a 2-core machine. The points stay a Chart.js dataset, drawn
// invisibly, for the axis range and the tooltips; these rectangles cost a
// fillRect each.
const barPlugin = {
  id: 'bars',
  // A log axis has no zero to grow from: its floor goes to the decade under
  // the smallest bar (as Chart.js's own bars do), so the smallest bar shows.
  afterDataLimits(chart, { scale }) {
    if (scale.id !== 'y' || scale.type !== 'logarithmic' || !chart.$bars?.length) return;
    let lo = Infinity;
    for (const { data } of chart.$bars) for (const p of data) if (p?.y > 0 && p.y < lo) lo = p.y;
    if (lo === Infinity) return;
    const floor = 10 ** Math.floor(Math.log10(lo) - 1e-9);
    if (floor < scale.min) scale.min = floor;
  },
  beforeDatasetsDraw(chart) {
    const bars = chart.$bars;
    if (!bars?.length) return;
    const { ctx, chartArea: area, scales: { x: xs, y: ys } } = chart;
    const slot = Math.abs(xs.getPixelForValue(1) - xs.getPixelForValue(0));
    // Bars grow from the floor of a log axis, from 0 on a linear one.
    const base = ys.type === 'logarithmic' ? area.bottom : Math.min(area.bottom, Math.max(area.top, ys.getPixelForValue(0)));
    ctx.save();
    ctx.beginPath(); ctx.rect(area.left, area.top, area.width, area.height); ctx.clip();
    for (const { data, color, border, width, shift = 0 } of bars) {
      const w = width * slot;
      ctx.lineWidth = 1;
      if (border) ctx.strokeStyle = border;
      if (typeof color === 'string') ctx.fillStyle = color;
      for (let i = 0; i < data.length; i++) {
        const p = data[i];
        if (p == null || p.y == null) continue;
        const left = xs.getPixelForValue(p.x + shift) - w / 2, top = Math.max(area.top - 1, ys.getPixelForValue(p.y));
        if (!(top < base)) continue;   // nothing to draw (at or under the floor, or not a number)
        if (typeof color !== 'string') ctx.fillStyle = color[i] ?? color[0];
        ctx.fillRect(left, top, w, base - top);
        if (border) ctx.strokeRect(left + 0.5, top + 0.5, w - 1, base - top - 0.5);
      }
    }
    ctx.restore();
  },
};

/**
 * Dataset options for points that stand in for hand-drawn bars (chart.$bars)
 * or lines: not drawn, but they set the axis range and answer the tooltip.
 */
export const hiddenPoints = { type: 'line', showLine: false, pointRadius: 0, pointHoverRadius: 0, pointHitRadius: 4, borderColor: 'rgba(0, 0, 0, 0)', backgroundColor: 'rgba(0, 0, 0, 0)' };

/** `rgb(r, g, b)` or `#rrggbb` with an alpha. */
export function withAlpha(color, alpha) {
  if (color.startsWith('#')) { const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16)); return `rgba(${r}, ${g}, ${b}, ${alpha})`; }
  return color.replace(/^rgb\(/, 'rgba(').replace(/\)$/, `, ${alpha})`);
}

/** The Chart.js charts a view holds (its own properties). */
export const chartsOf = (view) => Object.values(view).filter((v) => globalThis.Chart && v instanceof globalThis.Chart);

/**
 * Draw a chart once with a few made-up points, then with its own data again,
 * in one task, so no frame ever shows the made-up ones. Why: V8 compiles a
 * function when it first runs, and a chart's first draw with data runs code
 * its empty draws never did (elements, lines, bands, bars): it took 2–3× a
 * usual draw (measured, 10–25 ms), and when training starts, with one core
 * training, that first draw was the page's one task over 50 ms. The page
 * warms its charts in idle time before the first step.
 */
export function warmUp(chart) {
  const points = [{ x: 1, y: 1 }, { x: 2, y: 10 }, { x: 3, y: 2 }];
  const saved = { data: chart.data.datasets.map((d) => d.data), lines: chart.$lines, bands: chart.$bands, bars: chart.$bars };
  try {
    for (const d of chart.data.datasets) d.data = points;
    chart.$lines = [{ color: '#000', points }];
    chart.$bands = [{ datasetIndex: 0, color: 'rgba(0, 0, 0, 0.1)', x: [1, 2, 3], lo: [1, 1, 1], hi: [2, 10, 3] }];
    if (saved.bars) chart.$bars = saved.bars.map((b) => ({ ...b, data: points }));
    chart.update('none');
  } finally {
    chart.data.datasets.forEach((d, i) => { d.data = saved.data[i]; });
    chart.$lines = saved.lines; chart.$bands = saved.bands; chart.$bars = saved.bars;
    chart.update('none');
  }
}

/** Create a chart once. */
export function makeChart(canvas, config) {
  const Chart = globalThis.Chart;
  if (!Chart) throw new Error('Chart.js was not loaded (web/vendor/chart.umd.min.js; run node scripts/build-site.js)');
  // Chart text in our own font stack (it lists CJK fonts for zh-Hant): the
  // canvas inherits it from style.css — inside a <grad-scope> from :host, so a
  // course page's fonts do not reach the charts.
  Chart.defaults.font.family = getComputedStyle(canvas.isConnected ? canvas : document.documentElement).fontFamily;
  return new Chart(canvas, { ...config, plugins: [whiteBackground, bandPlugin, barPlugin, linePlugin, sharedAxisPlugin] });
}

// Shared log y axis (compare mode): charts that set chart.$sharedAxis = group
// (a SharedLogAxis) take the group's range — whole decades around every
// member's data and bands — after their own limits (so after the bands').
const sharedAxisPlugin = {
  id: 'sharedAxis',
  afterDataLimits(chart, { scale }) {
    const range = scale.id === 'y' ? chart.$sharedAxis?.range() : null;
    if (range) { scale.min = range[0]; scale.max = range[1]; }
  },
};

/** A group of log-y charts that show the same range (every member's data and bands, in whole decades). */
export class SharedLogAxis {
  constructor() { this.charts = new Set(); }
  add(chart) { this.charts.add(chart); chart.$sharedAxis = this; }
  delete(chart) { this.charts.delete(chart); if (chart.$sharedAxis === this) chart.$sharedAxis = null; }
  range() {
    let lo = Infinity, hi = -Infinity;
    const see = (v) => { if (v > 0 && v < Infinity) { if (v < lo) lo = v; if (v > hi) hi = v; } };
    for (const chart of this.charts) {
      chart.data.datasets.forEach((d, i) => {
        if (!chart.isDatasetVisible(i)) return;
        for (const p of d.data) if (p) see(p.y);
      });
      for (const b of chart.$bands ?? []) { for (const v of b.lo) see(v); for (const v of b.hi) see(v); }
    }
    if (!(lo <= hi)) return null;
    const a = 10 ** Math.floor(Math.log10(lo)), b = 10 ** Math.ceil(Math.log10(hi));
    return [a, b > a ? b : a * 10];
  }
  /** Redraw the members whose axis no longer shows the group's range. */
  sync() {
    const range = this.range();
    if (!range) return;
    for (const chart of this.charts) {
      const y = chart.scales?.y;
      if (y && (y.min !== range[0] || y.max !== range[1])) chart.update('none');
    }
  }
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

/**
 * A noisy per-step series for a chart: steps fall into buckets of `width`
 * steps; each bucket keeps its count, the sum of its values (of log10 values
 * on a log axis, so the line is the bucket's geometric mean), its minimum
 * and its maximum. The line goes through the bucket means — readable, no
 * min/max "fence" — and the band from minimum to maximum keeps every spike
 * visible. When the bucket count passes 2 × target, neighbours merge and
 * `width` doubles, so memory and draw cost stay bounded; setTarget ties the
 * target to the chart's pixel width (≈ one bucket per few pixels), which is
 * the light smoothing: a longer run or a narrower chart averages more steps
 * per bucket. Only finite values that `accept` admits enter.
 */
export class BandSeries {
  constructor(target = 100, { log = false, accept = log ? positive : Number.isFinite } = {}) {
    this.target = target; this.log = log; this.accept = accept;
    this.reset();
  }
  reset() {
    this.width = 1;
    this.key = []; this.n = []; this.sumX = []; this.sum = []; this.min = []; this.max = [];
    this.last = null;   // latest accepted { x, y }
  }
  get length() { return this.key.length; }
  /** About `target` buckets (between target and 2 × target); merges at once if there are too many. */
  setTarget(target) {
    this.target = Math.max(8, Math.round(target));
    while (this.key.length > 2 * this.target) this.#merge();
  }
  push(x, y) {
    if (!this.accept(y)) return;
    this.last = { x, y };
    const v = this.log ? Math.log10(y) : y;
    const k = Math.floor(x / this.width), n = this.key.length - 1;
    if (n >= 0 && this.key[n] === k) {
      this.n[n]++; this.sumX[n] += x; this.sum[n] += v;
      if (y < this.min[n]) this.min[n] = y;
      if (y > this.max[n]) this.max[n] = y;
      return;
    }
    this.key.push(k); this.n.push(1); this.sumX.push(x); this.sum.push(v); this.min.push(y); this.max.push(y);
    if (this.key.length > 2 * this.target) this.#merge();
  }
  #merge() {
    this.width *= 2;
    let out = -1;
    for (let i = 0; i < this.key.length; i++) {
      const k = Math.floor(this.key[i] / 2);
      if (out >= 0 && this.key[out] === k) {
        this.n[out] += this.n[i]; this.sumX[out] += this.sumX[i]; this.sum[out] += this.sum[i];
        if (this.min[i] < this.min[out]) this.min[out] = this.min[i];
        if (this.max[i] > this.max[out]) this.max[out] = this.max[i];
      } else {
        out++;
        this.key[out] = k; this.n[out] = this.n[i]; this.sumX[out] = this.sumX[i]; this.sum[out] = this.sum[i]; this.min[out] = this.min[i]; this.max[out] = this.max[i];
      }
    }
    for (const a of [this.key, this.n, this.sumX, this.sum, this.min, this.max]) a.length = out + 1;
  }
  /**
   * { line, band }: line = Chart.js points { x, y, lo, hi, n, from, to } through
   * the bucket means (fresh array: assign it to dataset.data); band = { x, lo, hi }
   * arrays for the band plugin.
   */
  render() {
    const count = this.key.length, line = new Array(count);
    const band = { x: new Array(count), lo: this.min.slice(), hi: this.max.slice() };
    for (let i = 0; i < count; i++) {
      const x = this.sumX[i] / this.n[i], m = this.sum[i] / this.n[i];
      line[i] = { x, y: this.log ? 10 ** m : m, lo: this.min[i], hi: this.max[i], n: this.n[i], from: this.key[i] * this.width, to: (this.key[i] + 1) * this.width - 1 };
      band.x[i] = x;
    }
    return { line, band };
  }
}

/** A lone point gets a dot (a one-point line draws nothing); longer lines have none. */
export const dotWhenAlone = (ctx) => (ctx.dataset.data.length === 1 ? 3 : 0);
