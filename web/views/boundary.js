// boundary.js — view 5a: the decision boundary of a 2-D dataset. The worker
// runs net.predict on a grid (it owns the net) and sends class
// probabilities; here each cell gets its predicted class's colour (Okabe–Ito),
// paler where the net is unsure, and the data points are drawn on top:
// training points filled, test points hollow (the net never trained on them).
// No Chart.js: a plain canvas, redrawn once per frame at most.
//
// With the learner's own 2-D data (setEditable(true)) the plane is also an
// input: a click calls onPick({ x, y, remove }) in data coordinates (Shift
// = remove the nearest point), it is drawn before any net exists (the
// points on a white plane), and the data table lists every point.

import { buildPanel, fillTable, classColor } from './chart-kit.js';
import { formatPercent, formatExact } from '../format.js';
import { applyStrings } from '../i18n.js';

const hexRgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

export class BoundaryView {
  constructor(root, t) {
    this.t = t;
    this.root = root;
    this.parts = buildPanel(root, t, 'boundary');
    this.parts.box.classList.add('chart-box-square');
    // Key: filled = train, hollow = test.
    const key = document.createElement('div');
    key.className = 'point-key';
    for (const [cls, k] of [['dot dot-train', 'view.boundary.train'], ['dot dot-test', 'view.boundary.test']]) {
      const item = document.createElement('span'), dot = document.createElement('span'), label = document.createElement('span');
      dot.className = cls; dot.setAttribute('aria-hidden', 'true'); label.dataset.i18n = k;
      item.append(dot, label);
      key.append(item);
    }
    this.parts.tools.append(key);
    applyStrings(this.parts.tools, t);
    this.summary = document.createElement('p');
    this.summary.className = 'panel-summary';
    this.parts.details.before(this.summary);
    this.cell = document.createElement('canvas');   // the grid at one pixel per cell, scaled up when drawn
    this.parts.canvas.addEventListener('mousemove', (e) => this.#hover(e));
    this.parts.canvas.addEventListener('click', (e) => this.#click(e));
    // The points of the learner's own data, one row each (shown with setEditable(true)).
    this.pointsTable = document.createElement('table');
    this.pointsTable.className = 'points-table';
    const caption = document.createElement('caption');
    caption.dataset.i18n = 'view.boundary.points';
    this.pointsTable.append(caption, document.createElement('thead'), document.createElement('tbody'));
    this.pointsTable.hidden = true;
    this.parts.details.append(this.pointsTable);
    this.parts.details.addEventListener('toggle', () => { if (this.parts.details.open) { this.#fillTable(); this.#fillPoints(); } });
    this.editable = false;
    this.extent = null;
    this.parts.canvas.addEventListener('mouseleave', () => { this.parts.canvas.title = ''; });
    new ResizeObserver(() => { this.dirty = true; this.onResize?.(); }).observe(this.parts.box);
    this.reset();
  }

  reset() { this.grid = null; this.points = null; this.extent = null; this.dirty = true; }

  /** The learner's own 2-D data: clicks add points, every point is listed. */
  setEditable(editable) {
    this.editable = editable;
    this.root.classList.toggle('boundary-editable', editable);
    this.pointsTable.hidden = !editable;
    this.dirty = true;
  }

  relabel(t) { this.t = t; applyStrings(this.root, t); this.dirty = true; }

  /** Data points { X: Float32Array (rows×2), y: Int32Array, test: Uint8Array (1 = test row) }. */
  setData({ X, y, test, extent }) {
    const ys = y ? new Int32Array(y) : null;
    this.points = X ? { X: new Float32Array(X), y: ys, test: test ? new Uint8Array(test) : new Uint8Array(ys.length) } : null;
    if (extent) this.extent = extent;
    this.dirty = true;
    if (this.parts.details.open) this.#fillPoints();
  }

  /** The plane in data coordinates: the grid's, else the dataset's, else [−1.2, 1.2]². */
  #extent() { return this.grid?.extent ?? this.extent ?? [-1.2, 1.2, -1.2, 1.2]; }

  /** A grid message { size, extent, classes, probs }. */
  setGrid({ size, extent, classes, probs }) { this.grid = { size, extent, classes, probs: new Float32Array(probs) }; this.dirty = true; }

  draw() {
    if (!this.dirty) return;
    this.dirty = false;
    const canvas = this.parts.canvas, box = this.parts.box;
    const side = Math.max(50, Math.floor(Math.min(box.clientWidth, box.clientHeight || box.clientWidth)));
    const dpr = globalThis.devicePixelRatio || 1;
    if (canvas.width !== Math.round(side * dpr)) { canvas.width = Math.round(side * dpr); canvas.height = Math.round(side * dpr); }
    canvas.style.width = `${side}px`; canvas.style.height = `${side}px`;
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, side, side);
    const g = this.grid;
    this.parts.empty.hidden = true;
    if (!g && !this.editable) return;
    if (!g) { this.#drawPoints(ctx, side); this.summary.textContent = this.t('view.boundary.clickHelp'); return; }
    // Heat map: predicted class colour, mixed with white by (1 − confidence).
    const n = g.size, image = new ImageData(n, n);
    let sure = 0;
    for (let c = 0; c < n * n; c++) {
      let best = 0;
      for (let k = 1; k < g.classes; k++) if (g.probs[c * g.classes + k] > g.probs[c * g.classes + best]) best = k;
      const p = g.probs[c * g.classes + best];
      const conf = Number.isFinite(p) ? Math.max(0, Math.min(1, (p - 1 / g.classes) / (1 - 1 / g.classes))) : 0;
      if (p > 0.9) sure++;
      const rgb = hexRgb(classColor(best)), a = 0.15 + 0.5 * conf;
      image.data[4 * c] = Math.round(255 + a * (rgb[0] - 255));
      image.data[4 * c + 1] = Math.round(255 + a * (rgb[1] - 255));
      image.data[4 * c + 2] = Math.round(255 + a * (rgb[2] - 255));
      image.data[4 * c + 3] = 255;
    }
    this.cell.width = n; this.cell.height = n;
    this.cell.getContext('2d').putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.cell, 0, 0, side, side);
    // Points: training rows filled in their class colour with a white outline;
    // test rows hollow (a class-coloured ring on a pale centre), drawn last so
    // they are never hidden under training points.
    this.#drawPoints(ctx, side);
    this.sure = sure / (n * n);
    this.summary.textContent = this.t('view.boundary.summary', { classes: g.classes, sure: formatPercent(this.sure) });
    if (this.parts.details.open) this.#fillTable();
  }

  #drawPoints(ctx, side) {
    const [x0, x1, y0, y1] = this.#extent();
    if (this.points) {
      const { X, y, test } = this.points, r = side < 300 ? 2.4 : 3.2;
      const at = (i) => [(X[2 * i] - x0) / (x1 - x0) * side, (y1 - X[2 * i + 1]) / (y1 - y0) * side];
      ctx.lineWidth = 1; ctx.strokeStyle = '#fff';
      for (let i = 0; i < y.length; i++) {
        if (test[i]) continue;
        const [px, py] = at(i);
        ctx.beginPath(); ctx.arc(px, py, r, 0, 2 * Math.PI);
        ctx.fillStyle = classColor(y[i]); ctx.fill(); ctx.stroke();
      }
      ctx.lineWidth = 1.6; ctx.fillStyle = 'rgba(255, 255, 255, 0.75)';
      for (let i = 0; i < y.length; i++) {
        if (!test[i]) continue;
        const [px, py] = at(i);
        ctx.beginPath(); ctx.arc(px, py, r, 0, 2 * Math.PI);
        ctx.strokeStyle = classColor(y[i]); ctx.fill(); ctx.stroke();
      }
    }
  }

  #click(e) {
    if (!this.editable || !this.onPick) return;
    const rect = this.parts.canvas.getBoundingClientRect();
    const [x0, x1, y0, y1] = this.#extent();
    const x = x0 + (e.clientX - rect.left) / rect.width * (x1 - x0);
    const y = y1 - (e.clientY - rect.top) / rect.height * (y1 - y0);
    this.onPick({ x, y, remove: e.shiftKey });
  }

  #fillPoints() {
    if (!this.editable) return;
    const t = this.t, p = this.points, rows = [];
    const n = p ? Math.min(p.y.length, 2000) : 0;
    for (let i = 0; i < n; i++) rows.push([String(i + 1), formatExact(p.X[2 * i]), formatExact(p.X[2 * i + 1]), String(p.y[i]), t(p.test[i] ? 'view.boundary.test' : 'view.boundary.train')]);
    fillTable(this.pointsTable, ['#', 'x₁', 'x₂', t('view.boundary.class'), t('view.boundary.split')], rows);
  }

  #hover(e) {
    const g = this.grid;
    if (!g) return;
    const rect = this.parts.canvas.getBoundingClientRect();
    const c = Math.min(g.size - 1, Math.floor((e.clientX - rect.left) / rect.width * g.size));
    const r = Math.min(g.size - 1, Math.floor((e.clientY - rect.top) / rect.height * g.size));
    const cell = r * g.size + c;
    const probs = Array.from({ length: g.classes }, (_, k) => `${k}: ${formatPercent(g.probs[cell * g.classes + k])}`);
    this.parts.canvas.title = probs.join('  ');
  }

  #fillTable() {
    const g = this.grid;
    if (!g) return;
    // Per class: share of the plane it wins, and its points.
    const wins = new Array(g.classes).fill(0), train = new Array(g.classes).fill(0), test = new Array(g.classes).fill(0);
    for (let c = 0; c < g.size * g.size; c++) {
      let best = 0;
      for (let k = 1; k < g.classes; k++) if (g.probs[c * g.classes + k] > g.probs[c * g.classes + best]) best = k;
      wins[best]++;
    }
    if (this.points) this.points.y.forEach((k, i) => { (this.points.test[i] ? test : train)[k]++; });
    const t = this.t;
    fillTable(this.parts.table, [t('view.boundary.class'), t('view.boundary.plane'), t('view.boundary.train'), t('view.boundary.test')],
      wins.map((w, k) => [String(k), formatPercent(w / (g.size * g.size)), String(train[k]), String(test[k])]));
  }

  /** A PNG of the canvas. */
  toDataURL() { return this.parts.canvas.toDataURL('image/png'); }

  setVisible(visible) { this.root.hidden = !visible; }
}
