// lesson-runner.js — lessons on the page: which lesson (and which of its
// variants) the learner watches, the config and the setup the playground's
// worker must apply, the other variants run headless in a hidden worker
// (lesson-worker.js, the Node tests' runConfig), and the badge — computed
// with the lesson's own check(), the very function tests/lessons.test.js
// asserts, on the records of the run the learner is watching.
//
//   const lessons = new LessonController({ lang, ref: parseLessonRef(extra.lesson), onRefChange });
//   const pg = await mountPlayground(app, { config: lessons.startConfig(hash, config), setupFor: (c) => lessons.setupFor(c), … });
//   lessons.mount(pg);               // the panel, at the top of the views
//   lessons.onEvent(type, detail);   // from the playground's onEvent
//
// Theory in checks: lessons 'exploding' and 'edge-of-chaos' call ctx.gs.theory
// synchronously. The page loads the wasm API a second time on the main thread
// for that (views/theory-guide.js loadTheory: ~100 kB, one compile, theory
// calls only — no net ever lives there), instead of asking the training
// worker, so check() runs here unchanged, exactly as in Node.
//
// The badge says "pass" only when the lesson's claim held on this run's
// records (and, for a claim that compares runs, on the headless runs of the
// other variants with the same seed). It reads only the first max(1, steps)
// records, so training on never flips it. An ensemble variant (nets > 1,
// lessons/index.js) is judged on its nets run headless: net 0 has the page's
// seed and config, so it is the very net the learner watches, plus nets − 1
// more.

import { LESSONS, lessonById, lessonRuns } from './lessons/index.js';
import { recordsNeeded } from './lessons/util.js';
import { diffConfigs, SCHEMA_BY_KEY } from './config.js';
import { readRecord } from './gradscope.js';
import { LessonPanel } from './views/lesson-panel.js';
import { loadTheory } from './views/theory-guide.js';
import { translator } from './i18n.js';

/** '<id>' or '<id>/<variantId>' (the `lesson=` hash value) → { lesson, variant } or null. */
export function parseLessonRef(value) {
  if (typeof value !== 'string' || value === '') return null;
  const [id, variantId] = value.split('/');
  const lesson = lessonById(id);
  if (!lesson) return null;
  const runs = lessonRuns(lesson);
  const variant = variantId === undefined ? 0 : runs.findIndex((r) => r.id === variantId);
  return variant < 0 ? { lesson, variant: 0 } : { lesson, variant };
}

/** The `lesson=` hash value of a ref. */
export function lessonRefString(ref) {
  if (!ref) return null;
  return ref.variant > 0 ? `${ref.lesson.id}/${lessonRuns(ref.lesson)[ref.variant].id}` : ref.lesson.id;
}

/**
 * Is `config` the config of lesson run `run`? The seed may differ (the claims
 * hold over many seeds) and, for a lesson read at initialisation (steps 0),
 * so may the learning rate.
 */
export function isLessonConfig(config, lesson, run) {
  const free = new Set(['seed', ...(lesson.steps === 0 ? ['lr'] : [])]);
  return diffConfigs(config, run.config).every((k) => free.has(k));
}

/** The first `need` records of a playground History as readRecord objects. */
export function historyRecords(history, need) {
  if (history.thinned) return [];   // past 64 MiB of records: the first ones are no longer all there
  const n = Math.min(history.count, need), out = [];
  for (let i = 0; i < n; i++) out.push(readRecord(history.record(i), 0, history.layerCount));
  return out;
}

const stateOf = (result) => (!result ? 'pending' : result.pending ? 'pending' : result.passed ? 'pass' : 'fail');

/** Runs lesson variants in a hidden worker; cancel() terminates it. */
class HeadlessRuns {
  #worker = null; #next = 1; #pending = new Map();
  run(lessonId, variant, seed) {
    if (!this.#worker) {
      this.#worker = new Worker(new URL('./lesson-worker.js', import.meta.url), { type: 'module' });
      this.#worker.onmessage = ({ data }) => {
        const call = this.#pending.get(data.id);
        if (!call) return;
        this.#pending.delete(data.id);
        if (data.ok) call.resolve(data.history); else call.reject(new Error(data.error));
      };
      this.#worker.onerror = (e) => { e.preventDefault?.(); this.#failAll(e.message || 'the lesson worker stopped'); };
    }
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, lessonId, variant, seed });
    });
  }
  #failAll(message) {
    for (const c of this.#pending.values()) c.reject(new Error(message));
    this.#pending.clear();
    this.#worker?.terminate(); this.#worker = null;
  }
  cancel() { this.#failAll('cancelled'); }
}

export class LessonController {
  /**
   * ref: from parseLessonRef; onRefChange(): the hash should be rewritten (the lesson changed);
   * autoRun: run the lesson's steps once its net is ready (the page: yes; an embed: only
   * when it autoplays — the learner presses play or "Run the lesson").
   */
  constructor({ lang = 'en', ref = null, onRefChange = () => {}, autoRun = !!ref } = {}) {
    this.lang = lang;
    this.ref = ref;
    this.onRefChange = onRefChange;
    this.pg = null;
    this.panel = null;
    this.headless = new HeadlessRuns();
    this.headlessKey = '';
    this.headlessHistories = new Map();   // variant index → history (records) | Error
    this.autoRun = autoRun;               // run the lesson's steps once the first net is ready
    this.running = false;
    this.liveStopped = false;             // the page stopped this run itself (an explosion), before the window was full
    this.result = null;
    this.gs = null;          // the main-thread API for ctx.gs.theory, loaded when a lesson is first shown
    this.gsLoading = false;
    // The lesson panel as a view of the playground's scheduler: a few text
    // nodes, drawn with the status line ("cheap").
    this.panelView = { cheap: true, draw: () => this.#update() };
  }

  /** The config to start with: the lesson's run, overridden by any setting the hash names explicitly. */
  startConfig(hash, parsedConfig) {
    if (!this.ref) return parsedConfig;
    const run = lessonRuns(this.ref.lesson)[this.ref.variant];
    const named = new URLSearchParams(String(hash ?? '').replace(/^#/, ''));
    const config = { ...run.config };
    for (const key of named.keys()) if (SCHEMA_BY_KEY[key]) config[key] = parsedConfig[key];
    return config;
  }

  /** For the playground's CONFIG request: the lesson setup the worker applies after creating the net, or null. */
  setupFor(config) {
    if (!this.ref) return null;
    const run = lessonRuns(this.ref.lesson)[this.ref.variant];
    if (!run.setup || !isLessonConfig(config, this.ref.lesson, run)) return null;
    return { lesson: this.ref.lesson.id, variant: this.ref.variant };
  }

  /** The `lesson=` hash value (null in free play). */
  hashValue() { return lessonRefString(this.ref); }

  /** Build the panel at the top of the playground's views (fixed: without the lesson picker). */
  mount(pg, { fixed = false } = {}) {
    this.pg = pg;
    const section = document.createElement('section');
    section.id = 'lesson';
    const views = pg.root.querySelector('.views');
    (views ?? pg.root).prepend(section);
    this.panel = new LessonPanel(section, translator(this.lang), this.lang, {
      pick: (id) => this.select(id ? { lesson: lessonById(id), variant: 0 } : null),
      show: (variant) => this.select({ lesson: this.ref.lesson, variant }, { keepSeed: true }),
      runLesson: () => this.#runSteps(),
      restore: () => this.select(this.ref, { keepSeed: true }),
    }, { fixed });
    pg.ready.then(() => { if (this.autoRun && this.#matches()) { this.autoRun = false; this.#runSteps(); } });
    this.update();
  }

  /** Stop the headless runs and the pending redraw (the playground is going away). */
  dispose() {
    this.headless.cancel();
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.pg = null;
    this.panel = null;
  }

  setLanguage(lang) {
    this.lang = lang;
    this.panel?.relabel(translator(lang), lang);
  }

  /** Choose a lesson run (or null: free play) and apply its config. */
  select(ref, { keepSeed = false } = {}) {
    this.ref = ref && ref.lesson ? ref : null;
    this.result = null; this.decided = false;
    this.onRefChange();
    if (!this.ref) { this.update(); return; }
    const run = lessonRuns(this.ref.lesson)[this.ref.variant];
    const config = keepSeed && this.pg ? { ...run.config, seed: this.pg.config.seed } : { ...run.config };
    this.autoRun = true;
    this.pg?.setConfig(config).catch(() => {});
    this.update();
  }

  /** The hash named another lesson (or none). */
  selectFromHash(value) {
    const ref = parseLessonRef(value);
    if (lessonRefString(ref) === this.hashValue()) return false;
    this.ref = ref;
    this.result = null; this.decided = false;
    this.autoRun = !!ref;
    this.update();
    return true;
  }

  onEvent(type, detail) {
    if (type === 'config') { this.result = null; this.decided = false; this.liveStopped = false; this.update(); }
    else if (type === 'ready') {
      if (this.autoRun && this.#matches()) { this.autoRun = false; this.#runSteps(); }
      this.update();
    } else if (type === 'state') { this.running = detail.running; this.update(); }
    else if (type === 'diverged') { if (detail.kind === 'exploding') this.liveStopped = true; this.update(); }
    else if (type === 'step' || type === 'finished') this.update();
    else if (type === 'language') this.setLanguage(detail.lang);
  }

  #matches() {
    if (!this.ref || !this.pg) return false;
    return isLessonConfig(this.pg.config, this.ref.lesson, lessonRuns(this.ref.lesson)[this.ref.variant]);
  }

  #runSteps() {
    if (!this.pg || !this.ref) return;
    const need = recordsNeeded(this.ref.lesson.steps);
    const have = this.pg.history.count;
    if (have < need) this.pg.run(need - have).catch?.(() => {});
  }

  /** Start the headless runs of this lesson's variants (all but the watched one) for this seed. */
  #ensureHeadless(seed, alsoLive) {
    const { lesson, variant } = this.ref;
    const key = `${lesson.id}|${seed}`;
    if (key !== this.headlessKey) {
      this.headless.cancel();
      this.headlessKey = key;
      this.headlessHistories = new Map();
    }
    const runs = lessonRuns(lesson);
    if (!lesson.variants) return;
    runs.forEach((r, i) => {
      if ((i === variant && !alsoLive && !(r.nets > 1)) || this.headlessHistories.has(i)) return;
      this.headlessHistories.set(i, null);   // running
      this.headless.run(lesson.id, i, seed)
        .then((h) => { if (this.headlessKey === key) { this.headlessHistories.set(i, h); this.update(); } })
        .catch((e) => { if (this.headlessKey === key && e.message !== 'cancelled') { this.headlessHistories.set(i, e); this.update(); } });
    });
  }

  /**
   * Recompute the badge and redraw the panel: with the playground's views
   * (its scheduler paces them while training, so a step event every 25 ms
   * does not make the page build a frame every 25 ms), else once per frame.
   */
  update() {
    if (this.pg?.schedule) { this.pg.schedule(this.panelView); return; }
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.#update(); });
  }

  // Cheap while the run is short of the lesson's window (no records are
  // unpacked, no check runs); once every run is decided the verdict is kept
  // until the config changes, so training on costs nothing here.
  #update() {
    if (!this.panel || this.decided) return;
    if (!this.ref) { this.headless.cancel(); this.headlessKey = ''; this.panel.show(null); return; }
    const { lesson, variant } = this.ref;
    const runs = lessonRuns(lesson);
    const base = { lesson, variant, running: this.running };
    const rows = (states) => runs.map((r, i) => ({ label: r.label, state: states[i], live: i === variant }));
    if (!this.#matches()) {
      this.panel.show({ ...base, state: 'off', variants: rows(runs.map(() => 'off')), note: 'lesson.offNote' });
      return;
    }
    const seed = this.pg.config.seed;
    const need = recordsNeeded(lesson.steps);
    const h = this.pg.history, have = Math.min(h.count, need);
    const liveDone = have >= need || (have > 0 && !(h.global(have - 1, 'nonFiniteLayer') < 0 && Number.isFinite(h.global(have - 1, 'loss'))));
    // The page stops an unclipped run at a gradient norm of 10⁶ (its divergence
    // explanation); the lesson's window goes on to the NaN, so that variant's
    // records come from the same run continued headless (same config, seed, setup).
    const continued = !liveDone && this.liveStopped;
    const ensemble = runs[variant].nets > 1;   // judged on its headless nets (net 0 = this one)
    const fromHeadless = continued || ensemble;
    this.#ensureHeadless(seed, continued);
    if (!liveDone && !fromHeadless) {
      const states = runs.map((r, i) => (i === variant ? 'pending' : Array.isArray(this.headlessHistories.get(i)) ? 'pending' : this.headlessHistories.get(i) instanceof Error ? 'error' : 'running'));
      this.panel.show({ ...base, state: 'pending', progress: { have, need }, variants: rows(states) });
      return;
    }
    let live = liveDone ? historyRecords(h, need) : [];
    if (fromHeadless) live = Array.isArray(this.headlessHistories.get(variant)) ? this.headlessHistories.get(variant) : [];
    const histories = runs.map((r, i) => (i === variant ? live : this.headlessHistories.get(i)));
    const failed = histories.find((h) => h instanceof Error);
    const progress = { have: Math.min(live.length, need), need };
    if (failed) { this.panel.show({ ...base, state: 'error', progress, variants: rows(histories.map((h) => (h instanceof Error ? 'error' : 'pending'))), note: 'lesson.errorNote', noteParams: { error: failed.message } }); return; }
    if (!this.gs) {
      if (!this.gsLoading) { this.gsLoading = true; loadTheory().then((gs) => { this.gs = gs; this.update(); }).catch(() => { this.gsLoading = false; }); }
      this.panel.show({ ...base, state: 'pending', progress, variants: rows(runs.map(() => 'pending')) });
      return;
    }

    const ctx = { gs: this.gs, config: this.pg.config };
    const perVariant = runs.map((r, i) => {
      const h = histories[i];
      if (!Array.isArray(h)) return null;
      return lesson.variants ? lesson.variants[i].check(h, { gs: this.gs, config: { ...r.config, seed } }) : lesson.check(h, ctx);
    });
    let result;
    if (!lesson.variants) result = perVariant[0];
    else if (histories.every(Array.isArray)) result = lesson.check(histories, { gs: this.gs, config: { ...runs[0].config, seed } });
    else result = { passed: false, pending: true, details: perVariant.map((p) => p?.details ?? '').filter(Boolean).join('\n') };
    this.result = result;
    this.decided = !result.pending;
    const waitingHeadless = result.pending && live.length >= need;
    const state = waitingHeadless ? 'running' : stateOf(result);
    this.panel.show({
      ...base, state, result, progress,
      variants: rows(perVariant.map((p, i) => (p ? stateOf(p) : (histories[i] === null ? 'running' : 'pending')))),
      note: continued ? 'lesson.continuedNote' : (lesson.variants && runs.length > 1 ? 'lesson.variantsNote' : null),
    });
  }
}

export { LESSONS };
