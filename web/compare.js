// compare.js — compare mode: up to four runs (A–D) of the same data and the
// same random draws, side by side, trained in lock-step. Run A is the
// playground's own run (its worker, its config, every main view); B–D are
// A's config plus overrides (compare-state.js), each in a worker of its own.
//
// What it owns: the compare section (one card per run: letter, colour and
// dash, what differs from A, a divergence badge; per run a gradient-flow and
// a gradient-profile chart on shared log axes; one loss chart overlaying
// every run), the workers of B–D, and the lock-step driver: every tick asks
// every live run for the same number of steps (REQUEST.STEPS) and waits for
// all of them, so the runs never drift apart. A diverged run stops and wears
// its badge; the others go on.
//
// What it does not own: run A's worker and config (the playground applies
// A and then calls rebuild(); A's stats come in through primaryStats()), the
// settings form (the playground shows the selected run's config in it) and
// the URL (onChange tells the wrapper; value() is the `compare=` text).

import { REQUEST, EVENT } from './protocol.js';
import { TrainerClient } from './trainer-client.js';
import { toNetConfig } from './config.js';
import { RUN_LETTERS, MAX_RUNS, serializeCompare, runConfig, describeDiff } from './compare-state.js';
import { GradientFlowView } from './views/gradient-flow.js';
import { GradientProfileView } from './views/gradient-profile.js';
import { buildPanel, fillTable, baseOptions, makeChart, BandSeries, SharedLogAxis, dotWhenAlone, setEmpty } from './views/chart-kit.js';
import { formatExact, formatNumber, layerName } from './format.js';
import { applyStrings } from './i18n.js';
import { gIndex } from './history.js';

// Okabe–Ito hues and four dash patterns: runs stay apart in any colour vision and in grey.
export const RUN_STYLES = Object.freeze([
  { color: '#0072B2', dash: [] },
  { color: '#D55E00', dash: [7, 4] },
  { color: '#009E73', dash: [2, 3] },
  { color: '#CC79A7', dash: [10, 3, 2, 3] },
]);
const TICK_MS = 40;      // aim of one lock-step tick at full speed
const SPEED_TICKS = { 1: { steps: 1, idleMs: 120 }, 2: { steps: 4, idleMs: 30 }, 3: { steps: 0, idleMs: 4, max: 64 }, 4: { steps: 0, idleMs: 0, max: 256 } };

const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
const i18n = (tag, cls, key) => { const e = el(tag, cls); e.dataset.i18n = key; return e; };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The loss of every run on one log chart (minibatch loss, geometric mean per bucket). */
class LossOverlayView {
  constructor(root, t) {
    this.t = t; this.root = root;
    this.parts = buildPanel(root, t, 'compareLoss');
    const options = baseOptions({ xTitle: t('axis.step'), yLog: true });
    options.elements.point.radius = dotWhenAlone;
    options.plugins.legend = { display: true, position: 'top', labels: { boxWidth: 18, boxHeight: 2, padding: 6, font: { size: 11 } } };
    this.chart = makeChart(this.parts.canvas, { type: 'line', data: { datasets: [] }, options });
    this.parts.details.addEventListener('toggle', () => this.#fillTable());
    this.series = [];
  }
  setRuns(count) {
    this.series = Array.from({ length: count }, () => new BandSeries(this.#target(), { log: true }));
    this.chart.data.datasets = this.series.map((_, i) => ({
      label: '', data: [], borderColor: RUN_STYLES[i].color, backgroundColor: RUN_STYLES[i].color, borderDash: RUN_STYLES[i].dash, borderWidth: 2,
    }));
    this.relabel(this.t);
  }
  reset(i) { this.series[i]?.reset(); this.dirty = true; }
  relabel(t) {
    this.t = t;
    applyStrings(this.root, t);
    this.chart.data.datasets.forEach((d, i) => { d.label = t('compare.run', { run: RUN_LETTERS[i] }); });
    this.chart.options.scales.x.title.text = t('axis.step');
    this.dirty = true;
  }
  #target() { return (this.chart?.chartArea?.width || this.parts.box.clientWidth || 400) / 5; }
  append(i, { records, steps, stride }) {
    const s = this.series[i];
    if (!s) return;
    for (let k = 0; k < steps; k++) {
      const b = k * stride;
      if (records[b + gIndex.nonFiniteLayer] >= 0) continue;
      s.push(records[b + gIndex.step], records[b + gIndex.loss]);
    }
    if (steps > 0) this.dirty = true;
  }
  draw() {
    if (!this.dirty) return;
    this.dirty = false;
    let any = false;
    this.series.forEach((s, i) => { s.setTarget(this.#target()); this.chart.data.datasets[i].data = s.render().line; any ||= s.length > 0; });
    setEmpty(this.parts, !any);
    this.chart.update('none');
    if (this.parts.details.open) this.#fillTable();
  }
  #fillTable() {
    const t = this.t;
    fillTable(this.parts.table, [t('compare.runHead'), t('axis.step'), t('view.loss.batch')],
      this.series.map((s, i) => [RUN_LETTERS[i], s.last ? String(s.last.x) : '0', s.last ? formatExact(s.last.y) : '—']));
  }
}

export class Compare {
  /**
   * root: the (hidden) <section> to build into. deps:
   *   scheduler, workerUrl, primary (run A's TrainerClient),
   *   base()        → { config, data } run A's config and the learner's data (or null)
   *   waiting()     → true while A has no net (own data still missing)
   *   resetAll()    rebuild A (the playground's apply), which calls rebuild() for B–D
   *   onChange()    the runs or their overrides changed (write the URL)
   *   onSelect(config, letter)  show this run's settings in the form
   *   onRunning(running), onStep(detail of run A), fail(error)
   */
  constructor(root, t, deps) {
    this.t = t; this.root = root; this.deps = deps;
    this.runs = [];          // [{ overrides, config, trainer, gen, ready, diverged, step, views… }]; runs[0] is A
    this.selected = 0;
    this.running = false;
    this.generation = 0;     // bumps on every rebuild: a tick of an older generation stops
    this.speed = 4;
    this.stepsPerTick = 1;
    this.flowAxis = new SharedLogAxis();
    this.profileAxis = new SharedLogAxis();
    this.lens = 'B';
    root.classList.add('panel', 'panel-wide', 'compare');
    root.hidden = true;
    const head = el('div', 'compare-head');
    const title = i18n('h2', '', 'compare.title');
    title.id = 'compare-title';
    root.setAttribute('aria-labelledby', title.id);
    this.addButton = i18n('button', 'compare-add', 'compare.add');
    this.addButton.type = 'button';
    this.addButton.addEventListener('click', () => this.duplicate());
    const close = i18n('button', 'compare-close', 'compare.close');
    close.type = 'button';
    close.addEventListener('click', () => this.close());
    head.append(title, el('span', 'compare-head-buttons'));
    head.lastChild.append(this.addButton, close);
    const desc = i18n('p', 'panel-desc', 'compare.desc');
    this.cards = el('ol', 'compare-runs');
    this.grid = el('div', 'compare-grid');
    const lossSection = el('section', 'compare-loss');
    lossSection.id = 'compare-loss';
    this.lossView = new LossOverlayView(lossSection, t);
    root.append(head, desc, this.cards, this.grid, lossSection);
    applyStrings(root, t);
  }

  get active() { return this.runs.length > 1; }
  get selectedLetter() { return RUN_LETTERS[this.selected]; }
  get count() { return this.runs.length; }

  /** The `compare=` value ('' when not comparing). */
  value() { return this.active ? serializeCompare(this.runs.slice(1).map((r) => r.overrides)) : ''; }

  /** The config the form should show (the selected run's). */
  selectedConfig() { return this.runs[this.selected]?.config ?? this.deps.base().config; }

  // ---- runs ------------------------------------------------------------------
  #ensureA() {
    if (this.runs.length) return;
    this.runs.push(this.#makeRun({ overrides: Object.create(null), trainer: this.deps.primary }));
  }

  #makeRun({ overrides, trainer = null }) {
    const run = { overrides, config: null, trainer, gen: 0, ready: false, diverged: null, step: 0, layerCount: 1 };
    if (!trainer) {
      run.trainer = new TrainerClient(this.deps.workerUrl);
      const current = (fn) => (e) => { if (e.detail.run === run.gen) fn(e.detail); };
      run.trainer.addEventListener(EVENT.STATS, current((d) => this.#stats(run, d)));
      run.trainer.addEventListener(EVENT.DIVERGED, current((d) => this.#diverged(run, d)));
      run.trainer.addEventListener(EVENT.FAILED, current((d) => this.deps.fail(new Error(d.error))));
      run.trainer.addEventListener('crashed', (e) => { if (!this.destroyed) this.deps.fail(new Error(e.detail.error)); });
      run.trainer.request(REQUEST.SET_SPEED, { speed: 4 }).catch(() => {});
    }
    return run;
  }

  /** Restore runs B… from the link (overrides each); returns notices. */
  restore(list) {
    if (!list.length) return [];
    this.#ensureA();
    for (const overrides of list.slice(0, MAX_RUNS - 1)) this.runs.push(this.#makeRun({ overrides }));
    const notices = this.#layout();
    return notices;
  }

  /** "Compare": the selected run (A when not comparing) is copied into the next letter. */
  duplicate() {
    if (this.runs.length >= MAX_RUNS) return;
    this.#ensureA();
    const from = this.runs[this.selected];
    this.pause();
    this.runs.push(this.#makeRun({ overrides: Object.assign(Object.create(null), from.overrides) }));
    this.selected = this.runs.length - 1;
    this.#layout();
    this.deps.resetAll();   // A and every copy from step 0, same seeds
    this.deps.onSelect(this.selectedConfig(), this.selectedLetter);
    this.deps.onChange();
    this.cards.children[this.selected]?.querySelector('.compare-edit')?.focus();
  }

  remove(index) {
    if (index <= 0 || index >= this.runs.length) return;
    const [run] = this.runs.splice(index, 1);
    run.trainer.terminate();
    if (this.selected >= index) this.selected = Math.max(0, this.selected - 1);
    if (this.runs.length === 1) { this.close(); return; }
    this.#layout();
    this.deps.resetAll();   // same seeds: every run from step 0 again, so they stay in lock-step
    this.deps.onSelect(this.selectedConfig(), this.selectedLetter);
    this.deps.onChange();
  }

  /** Leave compare mode: only A remains. */
  close() {
    this.pause();
    for (const run of this.runs.slice(1)) run.trainer.terminate();
    this.runs = [];
    this.selected = 0;
    this.#layout();
    this.deps.onSelect(this.deps.base().config, 'A');
    this.deps.onChange();
  }

  select(index) {
    if (index < 0 || index >= this.runs.length) return;
    this.selected = index;
    this.#cardsState();
    this.deps.onSelect(this.selectedConfig(), this.selectedLetter);
  }

  /**
   * A settings edit of the selected run (not A: the playground applies A's).
   * live (the learning rate): the running net takes it, no rebuild.
   */
  edit(key, value, live) {
    const run = this.runs[this.selected];
    const base = this.deps.base().config;
    if (base[key] === value) delete run.overrides[key];
    else run.overrides[key] = value;
    this.deps.onChange();
    if (live) {
      run.config = { ...run.config, [key]: value };
      if (run.ready) run.trainer.request(REQUEST.SET_LR, { lr: value }).catch((e) => this.deps.fail(e));
      this.#cardsState();
    }
    // Otherwise the playground rebuilds A, and with it every run (rebuild()).
  }

  /** A live change of run A (the learning rate): runs that inherit it follow. */
  baseLive(key, value) {
    for (const run of this.runs.slice(1)) {
      if (Object.hasOwn(run.overrides, key)) continue;
      run.config = { ...run.config, [key]: value };
      if (run.ready) run.trainer.request(REQUEST.SET_LR, { lr: value }).catch((e) => this.deps.fail(e));
    }
    this.#cardsState();
  }

  /**
   * Every run B… from step 0 on A's current config plus its overrides (the
   * playground calls this after applying A; A itself is rebuilt there).
   * Returns the notices of overrides that no longer fit.
   */
  rebuild() {
    if (!this.active) return [];
    this.pause();
    this.generation++;
    const { config: base, data } = this.deps.base();
    const notices = [];
    this.runs.forEach((run, i) => {
      run.diverged = null; run.step = 0;
      if (i === 0) { run.config = base; this.#resetViews(run, i); return; }
      const r = runConfig(base, run.overrides, RUN_LETTERS[i]);
      for (const k of r.dropped) delete run.overrides[k];
      notices.push(...r.notices);
      run.config = r.config;
      run.gen++;
      run.ready = false;
      this.#resetViews(run, i);
      if (this.deps.waiting()) return;
      const gen = run.gen;
      run.trainer.request(REQUEST.CONFIG, { config: run.config, run: gen, data: run.config.dataset === 'csv' ? data : null })
        .then(() => { if (run.gen === gen) { run.ready = true; this.#cardsState(); } })
        .catch((e) => this.deps.fail(e));
    });
    this.runs[0].ready = !this.deps.waiting();
    this.#cardsState();
    if (notices.length) this.deps.onChange();
    return notices;
  }

  /** Run A's net was (re)built by the playground. */
  primaryReady() { if (this.runs[0]) { this.runs[0].ready = true; this.#cardsState(); } }

  // ---- the lock-step driver ---------------------------------------------------
  setSpeed(speed) { this.speed = speed; }

  async #readyAll() {
    // Wait (briefly) for runs still building their nets.
    for (let i = 0; i < 200 && this.runs.some((r) => !r.ready) && !this.deps.waiting(); i++) await sleep(10);
  }

  /** Play: ticks until paused (or until every run reaches `until`). */
  async play({ until = Infinity } = {}) {
    if (this.running || !this.active) return;
    this.#setRunning(true);
    const gen = this.generation;
    await this.#readyAll();
    try {
      while (this.running && gen === this.generation) {
        const live = this.runs.filter((r) => r.ready && !r.diverged);
        if (!live.length) break;
        const at = Math.max(...live.map((r) => r.step));
        if (at >= until) break;
        const mode = SPEED_TICKS[this.speed] ?? SPEED_TICKS[4];
        const n = Math.max(1, Math.min(until - at, mode.steps || this.stepsPerTick));
        const t0 = performance.now();
        await this.#tick(live, n);
        if (!mode.steps) {
          const ms = performance.now() - t0;
          this.stepsPerTick = Math.max(1, Math.min(mode.max, Math.round(n * TICK_MS / Math.max(ms, 1))));
        }
        if (mode.idleMs) await sleep(mode.idleMs);
      }
    } catch (e) { this.deps.fail(e); }
    if (gen === this.generation) this.#setRunning(false);
  }

  pause() { if (this.running) this.#setRunning(false); }

  /** Exactly n more steps for every live run (Step: 1; Epoch: A's epoch). */
  async advance(n) {
    if (!this.active) return;
    this.pause();
    await this.#readyAll();
    const live = this.runs.filter((r) => r.ready && !r.diverged);
    try { if (live.length) await this.#tick(live, n); } catch (e) { this.deps.fail(e); }
  }

  async #tick(live, n) {
    const results = await Promise.all(live.map((r) => r.trainer.request(REQUEST.STEPS, { steps: n })));
    results.forEach((res, i) => { live[i].step = res.step; });
    this.#cardsState();
  }

  #setRunning(running) { this.running = running; this.deps.onRunning(running); }

  // ---- streams -------------------------------------------------------------------
  /** Run A's stats batch (the playground's listener passes it on). */
  primaryStats(batch) { if (this.active) this.#feed(this.runs[0], 0, batch); }

  /** Run A diverged (the playground shows its explanation too). */
  primaryDiverged(d) { if (this.active) this.#diverged(this.runs[0], d); }

  #stats(run, d) {
    if (d.layerCount !== run.layerCount) return;
    this.#feed(run, this.runs.indexOf(run), { records: new Float64Array(d.records), steps: d.steps, stride: d.stride, evals: d.evals });
  }

  #feed(run, i, batch) {
    if (i < 0 || !run.flow) return;
    run.flow.append(batch); run.profile.append(batch); this.lossView.append(i, batch);
    if (batch.steps > 0) run.step = batch.records[(batch.steps - 1) * batch.stride + gIndex.step];
    this.dirty = true;
    this.deps.scheduler.mark(this);
  }

  #diverged(run, d) {
    run.diverged = d;
    run.step = d.step;
    this.#cardsState();
  }

  // ---- the DOM -------------------------------------------------------------------
  /** (Re)build the cards and chart columns for the current runs. */
  #layout() {
    for (const run of this.runs) this.#dropViews(run);
    this.cards.replaceChildren();
    this.grid.replaceChildren();
    this.root.hidden = !this.active;
    this.addButton.disabled = this.runs.length >= MAX_RUNS;
    this.root.dataset.runs = String(this.runs.length);
    if (!this.active) return [];
    this.runs.forEach((run, i) => {
      const letter = RUN_LETTERS[i], style = RUN_STYLES[i];
      // The card: swatch + name, what differs, badge, buttons.
      const card = el('li', 'compare-card');
      card.dataset.run = letter;
      const swatch = el('span', 'run-swatch');
      swatch.setAttribute('aria-hidden', 'true');
      swatch.style.borderTopColor = style.color;
      swatch.style.borderTopStyle = i === 0 ? 'solid' : i === 2 ? 'dotted' : 'dashed';
      const name = el('strong', 'run-name', letter);
      const diff = el('span', 'run-diff');
      const badge = el('span', 'run-badge');
      const edit = i18n('button', 'compare-edit', 'compare.edit');
      edit.type = 'button';
      edit.addEventListener('click', () => this.select(i));
      card.append(swatch, name, diff, badge, edit);
      if (i > 0) {
        const rm = i18n('button', 'compare-remove', 'compare.remove');
        rm.type = 'button';
        rm.addEventListener('click', () => this.remove(i));
        card.append(rm);
      }
      run.card = { root: card, diff, badge, edit };
      this.cards.append(card);
      // The column: flow + profile of this run.
      const column = el('div', 'compare-column');
      column.dataset.run = letter;
      const flowRoot = el('section', 'compare-flow'); flowRoot.id = `compare-${letter}-flow`;
      const profileRoot = el('section', 'compare-profile'); profileRoot.id = `compare-${letter}-profile`;
      column.append(flowRoot, profileRoot);
      this.grid.append(column);
      run.flow = new GradientFlowView(flowRoot, this.t);
      run.flow.setLens(this.lens);
      run.profile = new GradientProfileView(profileRoot, this.t);
      run.profile.setLens(this.lens);
      run.profile.onDirty = () => this.#markDirty();
      for (const v of [run.flow, run.profile]) {
        // The run's letter before the heading (not inside it: relabel rewrites the heading).
        const tag = el('span', 'run-tag', letter);
        tag.style.background = style.color;
        tag.setAttribute('aria-hidden', 'true');
        v.root.prepend(tag);
      }
      this.flowAxis.add(run.flow.chart);
      this.profileAxis.add(run.profile.chart);
    });
    this.lossView.setRuns(this.runs.length);
    applyStrings(this.cards, this.t);
    this.#cardsState();
    return [];
  }

  #dropViews(run) {
    for (const v of [run.flow, run.profile]) {
      if (!v) continue;
      this.flowAxis.delete(v.chart); this.profileAxis.delete(v.chart);
      v.chart.destroy();
    }
    run.flow = run.profile = null;
  }

  #resetViews(run, i) {
    run.layerCount = toNetConfig(run.config ?? this.deps.base().config).hidden.length + 1;
    if (run.flow) { run.flow.reset(run.layerCount); run.profile.reset(run.layerCount); run.profile.setConfig(run.config); }
    this.lossView.reset(i);
    this.#markDirty();
  }

  #markDirty() { this.dirty = true; this.deps.scheduler.mark(this); }

  /** Diff texts, badges and which card is being edited. */
  #cardsState() {
    if (!this.active) return;
    const t = this.t, base = this.runs[0].config ?? this.deps.base().config;
    this.runs.forEach((run, i) => {
      if (!run.card) return;
      const { diff, badge, edit, root } = run.card;
      const changes = i === 0 ? [] : describeDiff(base, run.config ?? base);
      diff.textContent = i === 0 ? t('compare.base')
        : changes.length ? changes.map((c) => `${t(`cfg.${c.key}`)}: ${this.#value(c.key, c.from)} → ${this.#value(c.key, c.to)}`).join('; ')
          : t('compare.same');
      diff.dataset.keys = changes.map((c) => c.key).join(',');
      const d = run.diverged;
      badge.textContent = d ? t('compare.diverged', { step: d.step, layer: layerName(d.layer ?? 0, run.layerCount, t) }) : t('compare.ok', { step: run.step });
      badge.classList.toggle('run-badge-diverged', !!d);
      root.classList.toggle('compare-card-diverged', !!d);
      const on = i === this.selected;
      edit.setAttribute('aria-pressed', String(on));
      root.classList.toggle('compare-card-selected', on);
    });
  }

  #value(key, v) {
    if (v === null) return this.t('compare.default');
    if (typeof v === 'boolean') return this.t(v ? 'compare.on' : 'compare.off');
    const choice = `choice.${key}.${v}`;
    const text = this.t(choice);
    return text !== choice ? text : typeof v === 'number' ? formatNumber(v, 4) : String(v);
  }

  // ---- drawing (one scheduler item: every compare chart, then the shared axes) -------------
  draw() {
    if (!this.dirty) return;
    this.dirty = false;
    for (const run of this.runs) { run.flow?.draw(); run.profile?.draw(); }
    this.lossView.draw();
    this.flowAxis.sync();
    this.profileAxis.sync();
  }

  setLens(lens) {
    this.lens = lens;
    for (const run of this.runs) { run.flow?.setLens(lens); run.profile?.setLens(lens); }
    this.#markDirty();
  }

  relabel(t) {
    this.t = t;
    applyStrings(this.root, t);
    for (const run of this.runs) { run.flow?.relabel(t); run.profile?.relabel(t); }
    this.lossView.relabel(t);
    this.#cardsState();
    this.#markDirty();
  }

  destroy() {
    this.destroyed = true;
    this.running = false;
    for (const run of this.runs.slice(1)) run.trainer.terminate();
    for (const run of this.runs) this.#dropViews(run);
    this.lossView.chart.destroy();
  }
}
