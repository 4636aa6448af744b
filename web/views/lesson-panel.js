// lesson-panel.js — the lesson beside the charts: a picker (free play or one
// of the lessons), and for the chosen lesson its title, text, claim and
// source in the page's language, a pass / fail / pending badge, one line per
// variant (its own badge, and a button to watch that run), and the check's
// measured-vs-expected output. It only displays: lesson-runner.js decides
// what the badge says and what the buttons do.
//
//   const panel = new LessonPanel(section, t, lang, { pick(id), show(variant), runLesson(), restore() }, { fixed });
// fixed: no picker (an embedded lesson: the course author chose it).
//   panel.show({ lesson, variant, state, result, variants, progress });

import { applyStrings } from '../i18n.js';
import { LESSONS } from '../lessons/index.js';

const el = (tag, cls, i18n) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (i18n) e.dataset.i18n = i18n;
  return e;
};

const BADGE_ICON = { pass: '✓', fail: '✗', pending: '…', running: '…', off: '–', error: '!' };

export class LessonPanel {
  constructor(root, t, lang, actions, { fixed = false } = {}) {
    this.root = root;
    this.t = t; this.lang = lang;
    this.actions = actions;
    root.classList.add('panel', 'panel-wide', 'lesson-panel');
    root.setAttribute('aria-labelledby', 'lesson-heading');

    const bar = el('div', 'lesson-bar');
    const label = el('label', 'lesson-pick-label', 'lesson.pick');
    label.htmlFor = 'lesson-select';
    this.select = el('select');
    this.select.id = 'lesson-select';
    this.select.addEventListener('change', () => actions.pick(this.select.value || null));
    this.badge = el('span', 'lesson-badge');
    this.badge.id = 'lesson-badge';
    this.badge.setAttribute('role', 'status');
    this.badge.setAttribute('aria-live', 'polite');
    bar.append(label, this.select, this.badge);
    label.hidden = this.select.hidden = fixed;

    this.body = el('div', 'lesson-body');
    this.body.hidden = true;
    this.title = el('h2', 'lesson-title');
    this.title.id = 'lesson-heading';
    this.text = el('p', 'lesson-text');
    const claimRow = el('p', 'lesson-claim');
    this.claimLabel = el('strong', null, 'lesson.claim');
    this.claim = el('span');
    claimRow.append(this.claimLabel, ' ', this.claim);
    this.variantsTitle = el('p', 'lesson-variants-title', 'lesson.variants');
    this.variants = el('ul', 'lesson-variants');
    this.note = el('p', 'lesson-note');
    this.note.hidden = true;
    const actionsRow = el('div', 'button-row lesson-actions');
    this.runButton = el('button', 'lesson-run', 'lesson.run');
    this.runButton.type = 'button';
    this.runButton.addEventListener('click', () => actions.runLesson());
    this.restoreButton = el('button', 'lesson-restore', 'lesson.restore');
    this.restoreButton.type = 'button';
    this.restoreButton.addEventListener('click', () => actions.restore());
    actionsRow.append(this.runButton, this.restoreButton);
    const sourceRow = el('p', 'lesson-source');
    sourceRow.append(el('strong', null, 'lesson.source'), ' ');
    this.source = el('span');
    this.source.lang = 'en';   // citations are quoted as published
    sourceRow.append(this.source);
    this.details = el('details', 'lesson-details');
    this.details.append(el('summary', null, 'lesson.details'));
    this.detailsText = el('pre');
    this.detailsText.lang = 'en';
    this.details.append(this.detailsText);
    this.body.append(this.title, this.text, claimRow, this.variantsTitle, this.variants, this.note, actionsRow, sourceRow, this.details);

    root.append(bar, this.body);
    this.view = null;
    this.relabel(t, lang);
  }

  relabel(t, lang) {
    this.t = t; this.lang = lang;
    applyStrings(this.root, t);
    const chosen = this.select.value;
    const none = el('option'); none.value = ''; none.textContent = t('lesson.none');
    this.select.replaceChildren(none, ...LESSONS.map((l) => { const o = el('option'); o.value = l.id; o.textContent = l.title[lang] ?? l.title.en; return o; }));
    this.select.value = chosen;
    if (this.view) this.show(this.view);
    else this.#badge('none');
  }

  /**
   * view: { lesson, variant, state: 'pass'|'fail'|'pending'|'running'|'off'|'error',
   *         result (the lesson check's), progress: { have, need },
   *         variants: [{ label, state, live, fromHidden }], running (the page trains), note? (i18n key) }
   * or null for free play.
   */
  show(view) {
    this.view = view;
    const { t, lang } = this;
    if (!view) {
      this.select.value = '';
      this.body.hidden = true;
      this.root.classList.remove('lesson-active');
      this.#badge('none');
      return;
    }
    const L = view.lesson;
    this.root.classList.add('lesson-active');
    this.select.value = L.id;
    this.body.hidden = false;
    this.title.textContent = L.title[lang] ?? L.title.en;
    this.text.textContent = L.text[lang] ?? L.text.en;
    this.claim.textContent = L.claim[lang] ?? L.claim.en;
    this.source.textContent = L.source;
    this.#badge(view.state, view.progress);

    const rows = view.variants ?? [];
    this.variantsTitle.hidden = rows.length < 2;
    this.variants.hidden = rows.length < 2;
    this.variants.replaceChildren(...(rows.length < 2 ? [] : rows.map((v, i) => {
      const li = el('li', `lesson-variant state-${v.state}`);
      li.dataset.variant = String(i);
      const mark = el('span', 'lesson-variant-badge');
      mark.textContent = BADGE_ICON[v.state] ?? '';
      mark.setAttribute('aria-label', t(`lesson.state.${v.state}`));
      mark.title = t(`lesson.state.${v.state}`);
      const name = el('span', 'lesson-variant-label');
      name.textContent = v.label[lang] ?? v.label.en;
      li.append(mark, ' ', name, ' ');
      const where = el('span', 'lesson-variant-where');
      where.textContent = v.live ? t('lesson.shownHere') : t('lesson.headless');
      li.append(where);
      if (!v.live) {
        const b = el('button', 'lesson-show');
        b.type = 'button';
        b.textContent = t('lesson.showRun');
        b.addEventListener('click', () => this.actions.show(i));
        li.append(' ', b);
      }
      return li;
    })));

    this.note.hidden = !view.note;
    if (view.note) this.note.textContent = t(view.note, view.noteParams ?? {});
    this.runButton.hidden = !(view.state === 'pending' && !view.running);
    this.restoreButton.hidden = view.state !== 'off';
    this.detailsText.textContent = view.result?.details ?? '';
    this.details.hidden = !view.result?.details;
  }

  #badge(state, progress) {
    const b = this.badge;
    b.dataset.state = state;
    b.hidden = state === 'none';
    if (state === 'none') { b.textContent = ''; return; }
    const text = this.t(`lesson.state.${state}`);
    const extra = state === 'pending' && progress ? ` ${this.t('lesson.progress', { have: progress.have, need: progress.need })}` : '';
    b.textContent = `${BADGE_ICON[state] ?? ''} ${text}${extra}`;
  }
}
