// confusion.js — view 5b (digits): the confusion matrix of the TEST split
// (digits the net never trained on) as a table, shaded by row share, so
// "which digits get mixed up" is readable at a glance and by a screen reader
// (it *is* the table alternative). Its caption names the split and its size.

import { buildPanel } from './chart-kit.js';
import { formatPercent } from '../format.js';
import { applyStrings } from '../i18n.js';

export class ConfusionView {
  constructor(root, t) {
    this.t = t;
    this.root = root;
    this.parts = buildPanel(root, t, 'confusion', { canvas: false });
    this.parts.details.open = true;
    this.parts.details.hidden = true;
    this.table = document.createElement('table');
    this.table.className = 'confusion';
    this.parts.box.append(this.table);
    this.parts.box.classList.add('chart-box-auto');
    this.reset();
  }

  reset() { this.counts = null; this.dirty = true; }

  relabel(t) { this.t = t; applyStrings(this.root, t); this.dirty = true; }

  /** { classes, counts, split: 'test' | 'train' } — 'train' only when the test split is empty. */
  set({ classes, counts, split }) { this.classes = classes; this.counts = new Int32Array(counts); this.split = split; this.dirty = true; }

  draw() {
    if (!this.dirty) return;
    this.dirty = false;
    const t = this.t, K = this.classes, counts = this.counts;
    const head = document.createElement('tr');
    const corner = document.createElement('th');
    corner.textContent = `${t('view.confusion.true')} \\ ${t('view.confusion.pred')}`;
    head.append(corner);
    const caption = document.createElement('caption');
    this.parts.empty.hidden = !!counts;
    if (!counts) { caption.textContent = t('view.confusion.captionIdle'); this.table.replaceChildren(caption, head); return; }
    for (let k = 0; k < K; k++) { const th = document.createElement('th'); th.scope = 'col'; th.textContent = String(k); head.append(th); }
    const rows = [head];
    let right = 0, total = 0;
    for (let r = 0; r < K; r++) {
      const tr = document.createElement('tr');
      const th = document.createElement('th'); th.scope = 'row'; th.textContent = String(r); tr.append(th);
      let rowTotal = 0;
      for (let c = 0; c < K; c++) rowTotal += counts[r * K + c];
      for (let c = 0; c < K; c++) {
        const v = counts[r * K + c], td = document.createElement('td');
        td.textContent = String(v);
        // Shade in steps of 10 % of the row (classes in style.css; no inline styles).
        const level = rowTotal ? Math.min(10, Math.round(10 * v / rowTotal)) : 0;
        td.className = `${r === c ? 'diag' : 'off'} shade-${level}`;
        tr.append(td);
        total += v; if (r === c) right += v;
      }
      rows.push(tr);
    }
    caption.textContent = t(this.split === 'train' ? 'view.confusion.captionTrain' : 'view.confusion.caption', { n: total, acc: formatPercent(total ? right / total : NaN) });
    this.table.replaceChildren(caption, ...rows);
  }

  setVisible(visible) { this.root.hidden = !visible; }
}
