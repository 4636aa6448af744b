// toolbar.js — the run controls (play/pause, step, epoch, reset, speed), the
// share button, and a "More" menu (a <details>) holding the less-used
// actions: exports and the language. Buttons only call the actions the
// composer passes in; the toolbar knows nothing about the worker or charts.
// Compact on purpose: on a 360 px phone it is two rows, so the first chart
// starts above the fold.
//
// Keyboard: every control is a real <button>/<select>/<summary>; Escape
// closes the More menu (focus returns to its summary); shortcuts Space (play /
// pause), N (step), E (epoch), R (reset) work when focus is not in a field.

import { LANGUAGES, applyStrings } from '../i18n.js';

// 16×16 icons, drawn with currentColor; decorative (the text is the name).
const ICONS = {
  play: 'M4 2.5v11l9-5.5z',
  pause: 'M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z',
  step: 'M3 2.5v11l7.5-5.5zM11 2.5h2.5v11H11z',
  epoch: 'M1.5 2.5v11l6.5-5.5zM8 2.5v11l6.5-5.5z',
  reset: 'M8 2.2a5.8 5.8 0 1 0 5.6 7.3l-1.9-.5A3.9 3.9 0 1 1 8 4.1c1.1 0 2 .4 2.7 1.1L8.8 7.1H14V1.9l-1.9 1.9A5.8 5.8 0 0 0 8 2.2z',
  link: 'M6.6 9.4a.9.9 0 0 1 0-1.3l2.8-2.8a.9.9 0 1 1 1.3 1.3L7.9 9.4a.9.9 0 0 1-1.3 0zM4.4 13.4a2.6 2.6 0 0 1-1.8-4.5l1.9-1.9 1.3 1.3-1.9 1.9a.8.8 0 0 0 1.1 1.1l1.9-1.9 1.3 1.3-1.9 1.9a2.6 2.6 0 0 1-1.9.8zM10.2 9l-1.3-1.3 1.9-1.9a.8.8 0 0 0-1.1-1.1L7.8 6.6 6.5 5.3l1.9-1.9a2.6 2.6 0 0 1 3.7 3.7z',
  more: 'M2 6.5h3v3H2zM6.5 6.5h3v3h-3zM11 6.5h3v3h-3z',
  compare: 'M1.5 2.5h5.5v11H1.5zM9 2.5h5.5v11H9zM3 4v8h2.5V4zM10.5 4v8H13V4z',
};

function icon(name) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', 'icon');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', ICONS[name]);
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

export class Toolbar {
  /**
   * actions: { play, pause, step, epoch, reset, speed(s), share, compare, exportCsv, exportJson, exportConfig, exportPng, language(lang) }
   * share: false drops the share button (embeds); keyTarget is where the
   * shortcuts listen (the document for the page, the playground's own root
   * when embedded, so two embeds never both react); signal removes the
   * listeners on the document when the playground is destroyed.
   */
  constructor(root, t, actions, { lang, speed = 4, share: withShare = true, compare: withCompare = false, keyTarget = document, signal } = {}) {
    this.t = t;
    this.root = root;
    root.classList.add('toolbar');
    const button = (key, action, cls, iconName) => {
      const b = document.createElement('button');
      b.type = 'button'; b.className = cls;
      const label = document.createElement('span');
      label.className = 'label';
      label.dataset.i18n = key;
      if (iconName) b.append(icon(iconName));
      b.append(label);
      b.addEventListener('click', action);
      return b;
    };
    this.playButton = button('ui.play', () => (this.running ? actions.pause() : actions.play()), 'play primary', 'play');
    this.playButton.setAttribute('aria-pressed', 'false');
    const run = document.createElement('div');
    run.className = 'button-row run-controls';
    run.append(this.playButton, button('ui.step', actions.step, 'step', 'step'), button('ui.epoch', actions.epoch, 'epoch', 'epoch'), button('ui.reset', actions.reset, 'reset', 'reset'));

    const speedLabel = document.createElement('label');
    speedLabel.className = 'inline-field speed-field';
    const speedText = document.createElement('span');
    speedText.className = 'speed-text';
    speedText.dataset.i18n = 'ui.speed';
    const speedSelect = document.createElement('select');
    speedSelect.id = 'speed';
    for (const s of [1, 2, 3, 4]) { const o = document.createElement('option'); o.value = String(s); o.dataset.i18n = `ui.speed.${s}`; speedSelect.append(o); }
    speedSelect.value = String(speed);
    speedSelect.addEventListener('change', () => actions.speed(Number(speedSelect.value)));
    speedLabel.append(speedText, speedSelect);

    const share = document.createElement('div');
    share.className = 'button-row share-row';
    this.shareMessage = document.createElement('span');
    this.shareMessage.className = 'share-message';
    this.shareMessage.setAttribute('aria-live', 'polite');
    share.append(button('ui.share', actions.share, 'share', 'link'));
    // Compare: copy the current run into B (up to D) — the page only (compare.js).
    if (withCompare) share.append(button('ui.compare', () => actions.compare(), 'compare-open', 'compare'));
    share.append(this.shareMessage);
    if (!withShare) share.hidden = true;

    // ---- the More menu: exports and language ----
    const more = document.createElement('details');
    more.className = 'more';
    const summary = document.createElement('summary');
    const summaryText = document.createElement('span');
    summaryText.dataset.i18n = 'ui.more';
    summary.append(icon('more'), summaryText);
    const menu = document.createElement('div');
    menu.className = 'more-menu';
    const exp = document.createElement('div');
    exp.className = 'button-row export';
    exp.setAttribute('role', 'group');
    const expLabel = document.createElement('span');
    expLabel.className = 'menu-label';
    expLabel.id = 'export-label';
    expLabel.dataset.i18n = 'ui.export';
    exp.setAttribute('aria-labelledby', expLabel.id);
    const close = (fn) => () => { fn(); more.open = false; };
    exp.append(expLabel, button('ui.exportCsv', close(actions.exportCsv), 'export-csv'), button('ui.exportJson', close(actions.exportJson), 'export-json'),
      button('ui.exportConfig', close(actions.exportConfig), 'export-config'), button('ui.exportPng', close(actions.exportPng), 'export-png'));

    const langLabel = document.createElement('label');
    langLabel.className = 'inline-field language-field';
    const langText = document.createElement('span');
    langText.className = 'menu-label';
    langText.dataset.i18n = 'ui.language';
    const langSelect = document.createElement('select');
    langSelect.id = 'language';
    for (const [code, { name }] of Object.entries(LANGUAGES)) { const o = document.createElement('option'); o.value = code; o.textContent = name; o.lang = code; langSelect.append(o); }
    langSelect.value = lang;
    langSelect.addEventListener('change', () => actions.language(langSelect.value));
    this.langSelect = langSelect;
    langLabel.append(langText, langSelect);
    menu.append(exp, langLabel);
    more.append(summary, menu);

    // Escape closes the menu; a click elsewhere closes it.
    more.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && more.open) { e.stopPropagation(); more.open = false; summary.focus(); }
    });
    document.addEventListener('click', (e) => { if (more.open && !e.composedPath().includes(more)) more.open = false; }, { signal });
    this.more = more;

    root.append(run, speedLabel, share, more);
    applyStrings(root, t);
    this.running = false;
    this.#playLabel();

    keyTarget.addEventListener('keydown', (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
      const target = e.target;
      if (target.closest?.('input, select, textarea, [contenteditable="true"]')) return;
      if (e.key === ' ' && target.closest?.('button, summary, a')) return;   // Space activates the focused button
      const key = e.key.toLowerCase();
      const act = { ' ': () => (this.running ? actions.pause() : actions.play()), n: actions.step, e: actions.epoch, r: actions.reset }[key];
      if (act) { e.preventDefault(); act(); }
    }, { signal });
  }

  /** The language changed. */
  relabel(t, lang) {
    this.t = t;
    applyStrings(this.root, t);
    this.langSelect.value = lang;
    this.shareMessage.textContent = '';
    this.#playLabel();
  }

  setRunning(running) {
    this.running = running;
    this.#playLabel();
  }

  #playLabel() {
    const label = this.playButton.querySelector('.label');
    label.dataset.i18n = this.running ? 'ui.pause' : 'ui.play';
    label.textContent = this.t(label.dataset.i18n);
    this.playButton.querySelector('svg').replaceWith(icon(this.running ? 'pause' : 'play'));
    this.playButton.setAttribute('aria-pressed', String(this.running));
  }

  flash(message) { this.shareMessage.textContent = message; }
}
