// data-panel.js — "Your data": the part of the settings form shown when the
// dataset is 'csv'. Paste CSV text or open a file, pick a normalisation,
// press "Use this data"; or pick a class and click the decision-boundary plot
// to add points (Shift+click removes the nearest). Errors from csv.js are
// shown as they are (they start with the line number) and nothing is
// applied. A summary says what is loaded; "Download data" writes it back as
// CSV (the way to keep a data set too large for a link).
//
// It owns these controls only; the playground owns the data (onLoad /
// onClear / onDownload) and the worker.

import { NORMALIZE_MODES } from '../csv.js';
import { applyStrings } from '../i18n.js';

const MAX_CLICK_CLASSES = 10;
const TEXTAREA_MAX_CHARS = 200_000;   // larger files are read but not echoed into the text box

export class DataPanel {
  /** actions: { load(text, normalize), clear(), download() } */
  constructor(root, t, actions) {
    this.t = t;
    this.root = root;
    root.className = 'data-panel';
    root.id = 'data-panel';
    const make = (tag, props = {}) => Object.assign(document.createElement(tag), props);
    const label = (key, forId) => { const l = make('label', { htmlFor: forId }); l.dataset.i18n = key; return l; };
    const text = (tag, key, cls) => { const e = make(tag, cls ? { className: cls } : {}); e.dataset.i18n = key; return e; };

    const help = text('p', 'data.help', 'data-help');
    this.textarea = make('textarea', { id: 'data-text', rows: 5, spellcheck: false, autocomplete: 'off', wrap: 'off' });
    this.textarea.setAttribute('aria-describedby', 'data-error');
    this.file = make('input', { id: 'data-file', type: 'file', accept: '.csv,.tsv,.txt,text/csv,text/plain' });
    this.normalize = make('select', { id: 'data-normalize' });
    for (const mode of NORMALIZE_MODES) { const o = make('option', { value: mode }); o.dataset.i18n = `data.normalize.${mode}`; this.normalize.append(o); }
    this.useButton = text('button', 'data.use', 'data-use');
    this.useButton.type = 'button';
    this.error = make('p', { id: 'data-error', className: 'control-error data-error' });
    this.error.setAttribute('role', 'alert');
    this.summary = make('p', { id: 'data-summary', className: 'data-summary' });

    this.classPick = make('select', { id: 'data-class' });
    for (let k = 0; k < MAX_CLICK_CLASSES; k++) { const o = make('option', { value: String(k) }); o.dataset.i18n = 'data.classN'; o.dataset.k = String(k); this.classPick.append(o); }
    const clickHelp = text('p', 'data.clickHelp', 'data-help');
    const clear = text('button', 'data.clear', 'data-clear');
    clear.type = 'button';
    this.downloadButton = text('button', 'data.download', 'data-download');
    this.downloadButton.type = 'button';

    const row = (...children) => { const d = make('div', { className: 'data-row' }); d.append(...children); return d; };
    root.append(
      help,
      label('data.paste', 'data-text'), this.textarea,
      row(label('data.open', 'data-file'), this.file),
      row(label('data.normalize', 'data-normalize'), this.normalize),
      row(this.useButton),
      this.error, this.summary,
      row(label('data.clickClass', 'data-class'), this.classPick),
      clickHelp,
      row(clear, this.downloadButton),
    );

    this.useButton.addEventListener('click', () => actions.load(this.textarea.value, this.normalize.value));
    this.file.addEventListener('change', async () => {
      const f = this.file.files?.[0];
      if (!f) return;
      const content = await f.text();
      this.textarea.value = content.length <= TEXTAREA_MAX_CHARS ? content : '';
      actions.load(content, this.normalize.value);
    });
    clear.addEventListener('click', () => actions.clear());
    this.downloadButton.addEventListener('click', () => actions.download());
    this.relabel(t);
  }

  /** The class new clicked points get. */
  get clickClass() { return Number(this.classPick.value) || 0; }

  relabel(t) {
    this.t = t;
    applyStrings(this.root, t);
    for (const o of this.classPick.options) o.textContent = t('data.classN', { k: o.dataset.k });
    if (this.errorSource) this.error.textContent = this.errorSource(t);
    if (this.summarySource) this.summary.textContent = this.summarySource(t);
  }

  /** message: (t) => string, or null. */
  showError(message) {
    this.errorSource = message;
    this.error.textContent = message ? message(this.t) : '';
  }

  /** data: { rows, features, classes } or null. */
  showData(data) {
    this.summarySource = (t) => (data && data.rows > 0 ? t('data.summary', { rows: data.rows, features: data.features, classes: data.classes }) : t('data.none'));
    this.summary.textContent = this.summarySource(this.t);
    this.downloadButton.disabled = !(data && data.rows > 0);
  }

  setVisible(visible) { this.root.hidden = !visible; }
}
