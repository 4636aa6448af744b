// toolbar.js — the run controls (play/pause, step, epoch, reset, speed),
// share, export and language. Buttons only call the actions the composer
// passes in; the toolbar knows nothing about the worker or the charts.
//
// Keyboard: every control is a real <button>/<select>; shortcuts Space (play
// / pause), N (step), E (epoch), R (reset) work when focus is not in a field.

import { LANGUAGES } from '../i18n.js';

export class Toolbar {
  /** actions: { play, pause, step, epoch, reset, speed(s), share, exportCsv, exportJson, exportConfig, exportPng, language(lang) } */
  constructor(root, t, actions, { lang, speed = 4 }) {
    this.t = t;
    root.classList.add('toolbar');
    const button = (key, action, cls) => {
      const b = document.createElement('button');
      b.type = 'button'; b.textContent = t(key); b.className = cls;
      b.addEventListener('click', action);
      return b;
    };
    this.playButton = button('ui.play', () => (this.running ? actions.pause() : actions.play()), 'play primary');
    this.playButton.setAttribute('aria-pressed', 'false');
    const run = document.createElement('div');
    run.className = 'button-row run-controls';
    run.append(this.playButton, button('ui.step', actions.step, 'step'), button('ui.epoch', actions.epoch, 'epoch'), button('ui.reset', actions.reset, 'reset'));

    const speedLabel = document.createElement('label');
    speedLabel.className = 'inline-field';
    speedLabel.textContent = t('ui.speed');
    const speedSelect = document.createElement('select');
    speedSelect.id = 'speed';
    for (const s of [1, 2, 3, 4]) { const o = document.createElement('option'); o.value = String(s); o.textContent = t(`ui.speed.${s}`); speedSelect.append(o); }
    speedSelect.value = String(speed);
    speedSelect.addEventListener('change', () => actions.speed(Number(speedSelect.value)));
    speedLabel.append(speedSelect);

    const share = document.createElement('div');
    share.className = 'button-row';
    this.shareMessage = document.createElement('span');
    this.shareMessage.className = 'share-message';
    this.shareMessage.setAttribute('aria-live', 'polite');
    share.append(button('ui.share', actions.share, 'share'), this.shareMessage);

    const exp = document.createElement('div');
    exp.className = 'button-row export';
    exp.setAttribute('role', 'group');
    exp.setAttribute('aria-label', t('ui.export'));
    const expLabel = document.createElement('span');
    expLabel.textContent = `${t('ui.export')}:`;
    exp.append(expLabel, button('ui.exportCsv', actions.exportCsv, 'export-csv'), button('ui.exportJson', actions.exportJson, 'export-json'),
      button('ui.exportConfig', actions.exportConfig, 'export-config'), button('ui.exportPng', actions.exportPng, 'export-png'));

    const langLabel = document.createElement('label');
    langLabel.className = 'inline-field';
    langLabel.textContent = t('ui.language');
    const langSelect = document.createElement('select');
    langSelect.id = 'language';
    for (const [code, { name }] of Object.entries(LANGUAGES)) { const o = document.createElement('option'); o.value = code; o.textContent = name; o.lang = code; langSelect.append(o); }
    langSelect.value = lang;
    langSelect.addEventListener('change', () => actions.language(langSelect.value));
    langLabel.append(langSelect);

    root.append(run, speedLabel, share, exp, langLabel);
    this.running = false;

    document.addEventListener('keydown', (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
      const target = e.target;
      if (target.closest?.('input, select, textarea, [contenteditable="true"]')) return;
      if (e.key === ' ' && target.closest?.('button, summary, a')) return;   // Space activates the focused button
      const key = e.key.toLowerCase();
      const act = { ' ': () => (this.running ? actions.pause() : actions.play()), n: actions.step, e: actions.epoch, r: actions.reset }[key];
      if (act) { e.preventDefault(); act(); }
    });
  }

  setRunning(running) {
    this.running = running;
    this.playButton.textContent = this.t(running ? 'ui.pause' : 'ui.play');
    this.playButton.setAttribute('aria-pressed', String(running));
  }

  flash(message) { this.shareMessage.textContent = message; }
}
