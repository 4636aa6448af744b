// element.js — the <grad-scope> custom element: the playground, embeddable
// in any page with one line (same origin as this file: browsers only run
// workers from the page's own origin; for another origin use the iframe mode):
//
//   <script type="module" src="/gradscope/element.js"></script>
//   <grad-scope depth="20" activation="sigmoid" init="normal:1" views="flow,profile,loss"
//               controls="activation,init" locked="depth" steps="500" autoplay></grad-scope>
//
// Attributes mirror config.js SCHEMA (any spelling: initScale, initscale,
// init-scale; init="normal:1" = initialiser and scale), plus lesson, lang,
// views, controls, locked, autoplay, steps and height (embed-options.js).
// A bad value keeps its default and shows a small notice inside the element;
// nothing throws. Changing an attribute reconfigures the element live.
//
// Each element has a shadow root (page styles do not leak in, ours do not
// leak out: the shadow root links style.css — no inline style anywhere, so
// the element runs under a strict CSP) and its own training worker, which
// is terminated when the element leaves the document.
//
// Events (on the element; not composed):
//   'step'      detail { step, loss, accuracy, gradNorm, trainAccuracy, testAccuracy, layers: [{ gradNormW, gradNormB, … }] }
//               at most every STEP_EVENT_MS while training (the last step always arrives)
//   'diverged'  detail { step, layer, phase, kind, gradNorm }
//   'finished'  detail { step } — the `steps` cap (or a run(n)) was reached
//   'ready'     detail { config } — a net was built (paused at step 0)
// Methods: play(), pause(), step(), run(n) → Promise<{ step, finished }>, stats(), and the
// properties config (current playground config) and ready (Promise of the first net).

import { mountPlayground } from './playground.js';
import { OBSERVED_ATTRIBUTES, EMBED_OPTIONS, configFromEntries, readOptions, lessonConfig, keyOf } from './embed-options.js';
import { LANGUAGES } from './i18n.js';

const STYLE_URL = new URL('./style.css', import.meta.url).href;
const PAGE_URL = new URL('./index.html', import.meta.url).href;
export const STEP_EVENT_MS = 200;

const sameList = (a, b) => (a === null || b === null ? a === b : a.length === b.length && a.every((x, i) => x === b[i]));
const sameConfig = (a, b) => Object.keys(a).every((k) => a[k] === b[k]);

export class GradScopeElement extends HTMLElement {
  static get observedAttributes() { return OBSERVED_ATTRIBUTES; }

  #shadow; #frame; #noticeBox; #mountBox;
  #pg = null;            // the mounted playground
  #lessons = null;       // its LessonController (lesson="…"): the lesson text and live badge
  #shape = null;         // { views, controls, locked } it was mounted with
  #updating = false; #again = false; #queued = false;
  #readyResolve; #readyPromise;
  #lastStepAt = 0; #stepTimer = 0; #pendingStep = null;

  constructor() {
    super();
    this.#shadow = this.attachShadow({ mode: 'open' });
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = STYLE_URL;
    this.#frame = document.createElement('div');
    this.#frame.className = 'gs-frame';
    this.#noticeBox = document.createElement('div');
    this.#noticeBox.className = 'embed-notice';
    this.#noticeBox.setAttribute('role', 'status');
    this.#noticeBox.hidden = true;
    this.#mountBox = document.createElement('div');
    this.#frame.append(this.#noticeBox, this.#mountBox);
    this.#shadow.append(link, this.#frame);
    this.#readyPromise = new Promise((resolve) => { this.#readyResolve = resolve; });
  }

  connectedCallback() { this.#schedule(); }

  disconnectedCallback() {
    // Moved within the document: connectedCallback runs right after; keep the run.
    queueMicrotask(() => { if (!this.isConnected) this.#teardown(); });
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue !== newValue && this.isConnected) this.#schedule();
  }

  // ---- public API -----------------------------------------------------------
  get ready() { return this.#readyPromise; }
  get config() { return this.#pg?.config ?? null; }
  get running() { return this.#pg?.running ?? false; }
  play() { return this.#pg ? this.#pg.play() : Promise.reject(new Error('grad-scope is not running yet (await element.ready)')); }
  pause() { return this.#pg ? this.#pg.pause() : Promise.resolve(); }
  step() { return this.#pg ? this.#pg.step() : Promise.reject(new Error('grad-scope is not running yet (await element.ready)')); }
  run(steps) { return this.#pg ? this.#pg.run(steps) : Promise.reject(new Error('grad-scope is not running yet (await element.ready)')); }
  stats() { return this.#pg ? this.#pg.stats() : null; }

  // ---- reconfiguring ----------------------------------------------------------
  // Attribute changes arrive one by one; they are applied together a microtask later.
  #schedule() {
    if (this.#queued) return;
    this.#queued = true;
    queueMicrotask(() => { this.#queued = false; this.#update(); });
  }

  async #update() {
    if (this.#updating) { this.#again = true; return; }
    this.#updating = true;
    try {
      do {
        this.#again = false;
        if (!this.isConnected) return;
        await this.#apply();
      } while (this.#again);
    } catch (e) {
      this.#showNotices([`grad-scope: ${e?.message ?? e}`]);
    } finally {
      this.#updating = false;
    }
  }

  /** Read every attribute and bring the element in line with them. */
  async #apply() {
    const get = (name) => this.getAttribute(name);
    const options = readOptions(get);
    const notices = [...options.notices];
    const { config: base, notices: lessonNotices, lesson } = await lessonConfig(options.lesson);
    notices.push(...lessonNotices);
    // A lesson may set parameters after the net is built (chain-rule sets W and b
    // so that z = 0): the worker applies its setup while the config is the lesson's.
    // The lesson's text and live badge go above the views, without the picker;
    // nothing runs by itself (autoplay, play or the panel's "Run the lesson" does).
    // Its controller also knows which run (variant) is shown, hence its setup.
    let lessons = null;
    if (lesson) {
      const { LessonController } = await import('./lesson-runner.js');
      lessons = new LessonController({ lang: options.lang ?? this.#inheritedLanguage(), ref: { lesson, variant: 0 }, autoRun: false });
    }
    const entries = [];
    for (const attr of this.attributes) {
      if (EMBED_OPTIONS.includes(attr.name)) continue;
      if (keyOf(attr.name)) entries.push([attr.name, attr.value]);
    }
    const { config, notices: configNotices } = configFromEntries(entries, base ?? undefined);
    notices.push(...configNotices);
    const lang = options.lang ?? this.#inheritedLanguage();
    const shape = { views: options.views, controls: options.controls, locked: options.locked, lesson: options.lesson ?? null };
    this.#frame.classList.toggle('gs-scroll', !!options.height);
    this.#frame.style.height = options.height ?? '';   // CSSOM inside the shadow root: allowed by style-src 'self'
    this.#showNotices(notices);
    if (!this.isConnected) return;

    const pg = this.#pg;
    const remount = !pg || !sameList(this.#shape.views, shape.views) || !sameList(this.#shape.controls, shape.controls) || !sameList(this.#shape.locked, shape.locked)
      || this.#shape.lesson !== shape.lesson;   // a lesson's setup is fixed when the playground mounts
    if (remount) {
      this.#teardown(false);
      this.#shape = shape;
      const mounted = await mountPlayground(this.#mountBox, {
        config, lang, embed: true, views: shape.views, controls: shape.controls, locked: shape.locked,
        stopAt: options.steps, pageUrl: () => PAGE_URL, setupFor: lessons ? (c) => lessons.setupFor(c) : undefined,
        onEvent: (type, detail) => this.#onEvent(type, detail),
      });
      if (!this.isConnected || this.#pg) { lessons?.dispose(); mounted.destroy(); return; }
      this.#pg = mounted;
      if (lessons) { this.#lessons = lessons; lessons.mount(mounted, { fixed: true }); }
      await mounted.ready;
      if (options.autoplay && this.#pg === mounted) mounted.play().catch(() => {});
      return;
    }
    pg.setStopAt(options.steps);
    if (lang !== pg.lang) pg.setLanguage(lang);
    if (!sameConfig(config, pg.config)) {
      await pg.setConfig(config);
      if (options.autoplay && this.#pg === pg) pg.play().catch(() => {});
    }
  }

  #inheritedLanguage() {
    const inherited = this.closest('[lang]')?.getAttribute('lang') ?? '';
    if (Object.hasOwn(LANGUAGES, inherited)) return inherited;
    return /^zh-(Hant|TW|HK|MO)/i.test(inherited) ? 'zh-Hant' : 'en';
  }

  #showNotices(list) {
    const box = this.#noticeBox;
    box.replaceChildren();
    box.hidden = list.length === 0;
    if (!list.length) return;
    const ul = document.createElement('ul');
    for (const text of list.slice(0, 20)) { const li = document.createElement('li'); li.textContent = text; ul.append(li); }
    box.append(ul);
  }

  #teardown(forget = true) {
    clearTimeout(this.#stepTimer);
    this.#stepTimer = 0; this.#pendingStep = null;
    this.#lessons?.dispose();
    this.#lessons = null;
    if (this.#pg) { this.#pg.destroy(); this.#pg = null; }
    this.#mountBox.replaceChildren();
    if (forget) this.#shape = null;
  }

  // ---- events -------------------------------------------------------------------
  #emit(type, detail) { this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true })); }

  #flushStep() {
    clearTimeout(this.#stepTimer);
    this.#stepTimer = 0;
    if (!this.#pendingStep) return;
    const detail = this.#pendingStep;
    this.#pendingStep = null;
    this.#lastStepAt = performance.now();
    this.#emit('step', detail);
  }

  #onEvent(type, detail) {
    this.#lessons?.onEvent(type, detail);
    if (type === 'step') {
      const { run, ...rest } = detail;
      this.#pendingStep = rest;
      const wait = STEP_EVENT_MS - (performance.now() - this.#lastStepAt);
      if (wait <= 0) this.#flushStep();
      else if (!this.#stepTimer) this.#stepTimer = setTimeout(() => this.#flushStep(), wait);
    } else if (type === 'diverged') {
      this.#flushStep();
      this.#emit('diverged', detail);
    } else if (type === 'finished') {
      this.#flushStep();
      this.#emit('finished', detail);
    } else if (type === 'ready') {
      this.#readyResolve?.(this);
      this.#readyResolve = null;
      this.#emit('ready', { config: detail.config });
    } else if (type === 'config') {
      this.#pendingStep = null;
    }
  }
}

if (!customElements.get('grad-scope')) customElements.define('grad-scope', GradScopeElement);
