// playground.js — the playground as a component: builds the toolbar, the
// status line, the settings form, the chosen views and a training worker of
// its own inside any container (a <div> of the page, or a <div> inside a
// <grad-scope> element's shadow root), wires them together and returns a
// handle. No globals: two playgrounds on one page share nothing but
// Chart.js's defaults. The page (app.js), the custom element (element.js)
// and the iframe mode (iframe-api.js) are thin wrappers around it.
//
//   const pg = await mountPlayground(container, { config, lang, views, controls, locked, embed, onEvent });
//   await pg.ready;  pg.play();  await pg.run(200);  pg.stats();  pg.destroy();
//
// Data flow:  controls / toolbar / setConfig  →  config  →  worker (CONFIG)
//             worker STATS → history + every view's append() → scheduler → draw()
//
// onEvent(type, detail) tells the wrapper what happened:
//   'config'   { config, run }        a config was applied (the net is not built yet)
//   'ready'    { config, run, info }  the worker built the net (paused, step 0)
//   'step'     { run, step, loss, accuracy, ... } after every stats batch (not throttled)
//   'state'    { running }
//   'diverged' { kind, step, layer, phase, gradNorm }
//   'finished' { step }               a run(n) or the `steps` cap was reached
//   'language' { lang }
//   'failed'   { error }
//   'data'     { value, rows }          the learner's data changed: value = encodeSmallDataset text for the link, or null (too large / none)
//   'compare'  { value }                the compared runs changed: value = the `compare=` text ('' = not comparing)
//
// Your own data (dataset 'csv'): options.data / setData() hold it; the data
// panel (views/data-panel.js) loads CSV text, clicks on the decision-boundary
// plot add points. Until there is at least one point nothing is built.
// Compare mode (compare.js, not in embeds): options.compare restores runs B–D.

import { SCHEMA_BY_KEY, parseEntries, toNetConfig, diffConfigs, defaults } from './config.js';
import { REQUEST, EVENT } from './protocol.js';
import { TrainerClient } from './trainer-client.js';
import { History, gIndex } from './history.js';
import { FrameScheduler } from './scheduler.js';
import { Controls } from './controls.js';
import { translator, applyStrings, LANGUAGES } from './i18n.js';
import { readRecord } from './gradscope.js';
import { NONFINITE_PHASES } from './limits.js';
import * as exporter from './export.js';
import { parseCSV, toCSV, encodeSmallDataset, decodeSmallDataset } from './csv.js';
import { Compare } from './compare.js';
import { parseCompare } from './compare-state.js';
import { DataPanel } from './views/data-panel.js';
import { GradientFlowView } from './views/gradient-flow.js';
import { GradientProfileView } from './views/gradient-profile.js';
import { ActivationsView } from './views/activations.js';
import { LossAccuracyView } from './views/loss-accuracy.js';
import { BoundaryView } from './views/boundary.js';
import { ConfusionView } from './views/confusion.js';
import { UpdateRatioView } from './views/update-ratio.js';
import { GradNormView } from './views/grad-norm.js';
import { DivergenceView, REPLAY_FIXES } from './views/divergence.js';
import { NoticesView } from './views/notices.js';
import { StatusView } from './views/status.js';
import { Toolbar } from './views/toolbar.js';
import { chartsOf, warmUp } from './views/chart-kit.js';

import { VIEW_NAMES } from './views/names.js';

export { VIEW_NAMES };
// Panels of each view name: [section id, wide?]
const PANELS = {
  flow: [['view-flow', true]],
  profile: [['view-profile']],
  loss: [['view-loss']],
  activations: [['view-activations']],
  boundary: [['view-boundary'], ['view-confusion']],
  ratio: [['view-ratio'], ['view-norm']],
};

const el = (tag, props = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k === 'class') e.className = v;
    else if (v === true) e.setAttribute(k, '');
    else if (v !== false && v !== undefined) e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
};

/** Load Chart.js (our own copy, a UMD script that defines globalThis.Chart) once. */
export async function loadChartJs() {
  if (!globalThis.Chart) await import('./vendor/chart.umd.min.js');
  if (!globalThis.Chart) throw new Error('Chart.js did not load (web/vendor/chart.umd.min.js; run node scripts/build-site.js)');
  return globalThis.Chart;
}

/** The latest record of a packed stats batch as { step, loss, accuracy, gradNorm, clipScale, layers }. */
export function summarizeRecord(records, index, layerCount) {
  const { global, layers } = readRecord(records, index, layerCount);
  return { step: global.step, loss: global.loss, accuracy: global.accuracy, gradNorm: global.gradNorm, clipScale: global.clipScale, layers };
}

/**
 * Build a playground inside `container` (an element; it may live in a shadow root).
 * options:
 *   config    a complete playground config (config.js), default: defaults()
 *   lang      'en' | 'zh-Hant'
 *   views     view names (VIEW_NAMES), default: all
 *   controls  schema keys to show in the settings form, default: all; [] = no form
 *   locked    schema keys shown but disabled
 *   embed     compact layout: no share button, no hint, keyboard shortcuts only inside the container
 *   stopAt    Play stops at this step (the `steps` attribute); null = no cap
 *   speed     1..4 (default 4)
 *   setupFor  (config) => { lesson, variant } | null: a lesson run whose setup(net, gs) the worker applies after creating the net
 *   onEvent   (type, detail) => void
 * Resolves once the DOM is built (Chart.js loaded); `handle.ready` resolves
 * when the worker has the first net.
 */
export async function mountPlayground(container, options = {}) {
  await loadChartJs();
  const embed = !!options.embed;
  const viewNames = (options.views ?? VIEW_NAMES).filter((v) => VIEW_NAMES.includes(v));
  const onEvent = options.onEvent ?? (() => {});
  const abort = new AbortController();
  const { signal } = abort;
  let lang = Object.hasOwn(LANGUAGES, options.lang ?? '') ? options.lang : 'en';
  let t = translator(lang);
  let config = options.config ?? defaults();
  let stats = new History(1);
  let run = 0;            // generation of the current net: stream messages from an older one are dropped
  let layerCount = 1;
  let latest = null;      // summary of the newest record
  let latestEvals = null;
  let stopAt = options.stopAt ?? null;
  let userData = options.data ? ownData(options.data) : null;   // the learner's data set (dataset 'csv')
  let waiting = false;    // dataset 'csv' without data: no net is built, Play says why
  let lastInfo = null;    // the worker's answer to the last CONFIG (trainRows for an epoch)
  let running = false;
  let destroyed = false;
  let finishWaiters = [];

  // ---- the skeleton ------------------------------------------------------------
  const root = el('div', { class: `gs-playground${embed ? ' gs-embed' : ''}`, lang });
  const toolbarRoot = el('div', { id: 'toolbar', class: 'toolbar' });
  const statusRoot = el('div', { id: 'status', class: 'status', 'aria-live': 'off' });
  const noticesRoot = el('div', { id: 'notices', class: 'notices', hidden: true });
  const divergenceRoot = el('section', { id: 'divergence', class: 'divergence', hidden: true });
  const hint = el('p', { id: 'hint', class: 'hint' }, el('span', { dataset: { i18n: 'hint.default' } }), ' ', el('span', { class: 'keys', dataset: { i18n: 'hint.keys' } }));
  const controlKeys = options.controls ?? null;   // null = every field
  const showControls = controlKeys === null || controlKeys.length > 0;
  const controlsRoot = el('aside', { id: 'controls', class: 'controls', 'aria-labelledby': 'controls-title', hidden: !showControls },
    el('h2', { id: 'controls-title', dataset: { i18n: 'ui.controls' } }));
  const viewsRoot = el(embed ? 'div' : 'main', { class: 'views' });
  const compareRoot = embed ? null : el('section', { id: 'compare', hidden: true });
  if (compareRoot) viewsRoot.append(compareRoot);
  const sections = {};
  for (const name of viewNames) {
    for (const [id, wide] of PANELS[name]) {
      sections[id] = el('section', { id, class: `panel${wide ? ' panel-wide' : ''}`, hidden: id === 'view-confusion' });
      viewsRoot.append(sections[id]);
    }
  }
  root.append(toolbarRoot, statusRoot, noticesRoot, divergenceRoot, hint, el('div', { class: `layout${showControls ? '' : ' no-controls'}` }, controlsRoot, viewsRoot));
  if (embed) hint.hidden = true;
  container.append(root);
  applyStrings(root, t);

  // ---- views ---------------------------------------------------------------------
  const scheduler = new FrameScheduler({ signal });
  const notices = new NoticesView(noticesRoot, t);
  const has = (id) => Object.hasOwn(sections, id);
  const flow = has('view-flow') ? new GradientFlowView(sections['view-flow'], t, (lens) => { if (profile) { profile.setLens(lens); scheduler.mark(profile); } scheduler.mark(flow); compare?.setLens(lens); }) : null;
  const profile = has('view-profile') ? new GradientProfileView(sections['view-profile'], t) : null;
  const loss = has('view-loss') ? new LossAccuracyView(sections['view-loss'], t) : null;
  const activations = has('view-activations') ? new ActivationsView(sections['view-activations'], t) : null;
  const boundary = has('view-boundary') ? new BoundaryView(sections['view-boundary'], t) : null;
  const confusion = has('view-confusion') ? new ConfusionView(sections['view-confusion'], t) : null;
  const ratio = has('view-ratio') ? new UpdateRatioView(sections['view-ratio'], t) : null;
  const norm = has('view-norm') ? new GradNormView(sections['view-norm'], t) : null;
  const status = new StatusView(statusRoot, t);
  const statViews = [flow, profile, activations, loss, ratio, norm, status].filter(Boolean);
  const dataViews = [boundary, confusion].filter(Boolean);
  if (boundary) { boundary.onResize = () => scheduler.mark(boundary); boundary.onPick = (p) => pickPoint(p); }
  if (profile) profile.onDirty = () => scheduler.mark(profile);   // the theory guide arrived
  // Before the first step, in idle time, each chart draws once with made-up
  // points (chart-kit.js warmUp: a chart's first draw with data is its slowest).
  {
    const cold = [...statViews, ...dataViews].flatMap(chartsOf);
    const idle = globalThis.requestIdleCallback ?? ((f) => setTimeout(f, 100));
    const warmNext = () => {
      if (signal.aborted || running || stats?.count > 0 || !cold.length) return;
      warmUp(cold.shift());
      idle(warmNext);
    };
    idle(warmNext);
  }

  const trainer = new TrainerClient(new URL('./worker.js', import.meta.url));
  const fail = (e) => {
    if (destroyed) return;
    const error = e?.message ?? String(e);
    notices.show((tr) => tr('ui.failed', { error }), [], null, 'error');
    onEvent('failed', { error });
  };

  function showNotices(list) {
    if (list.length) notices.show((tr) => tr('ui.notices'), list.map((n) => n.error ?? String(n)));
  }

  // ---- applying a config: a fresh net, paused at step 0 ------------------------
  let readyResolve;
  async function apply(next) {
    config = next;
    run++;
    const thisRun = run;
    const own = config.dataset === 'csv' ? userData : null;
    waiting = config.dataset === 'csv' && !(own && own.rows >= 1);
    layerCount = toNetConfig(config, own).hidden.length + 1;
    stats = new History(layerCount);
    latest = null; latestEvals = null; lastInfo = null;
    for (const v of statViews) { v.reset(layerCount); scheduler.mark(v); }
    for (const v of dataViews) v.reset();
    boundary?.setVisible(config.dataset !== 'digits' && !(own && own.features !== 2));
    boundary?.setEditable(config.dataset === 'csv' && !(own && own.features !== 2));
    confusion?.setVisible(config.dataset === 'digits');
    dataPanel?.setVisible(config.dataset === 'csv');
    dataPanel?.showData(own);
    norm?.setThreshold(config.clip === 'none' ? null : config.clipMax);
    divergence.hide();
    if (!waiting) notices.dismiss(neededNotice);
    if (!embed) hint.hidden = diffConfigs(config, defaults()).length > 0 || !!compare?.active;
    setRunning(false);
    settleFinish({ step: 0, finished: false });
    if (compare?.active) showNotices(compare.rebuild());   // B–D from step 0 too: lock-step
    controls.set(compare?.active ? compare.selectedConfig() : config);
    onEvent('config', { config, run });
    const setup = options.setupFor?.(config) ?? null;   // a lesson run's setup(net, gs): the worker applies it after createNet
    profile?.setConfig(config, { customWeights: !!setup });
    if (waiting) {   // nothing to train yet: the plane shows the points so far, clicks add more
      if (boundary) { boundary.setData(own ? { X: own.X, y: own.y } : { X: null }); scheduler.mark(boundary); }
      onEvent('ready', { config, run, info: null, waiting: true });
      readyResolve?.(); readyResolve = null;
      return null;
    }
    const info = await trainer.request(REQUEST.CONFIG, { config, run, setup, data: own });
    if (thisRun === run && !destroyed) {
      lastInfo = info;
      compare?.primaryReady();
      onEvent('ready', { config, run, info });
      readyResolve?.(); readyResolve = null;
    }
    return info;
  }

  // ---- your own data ---------------------------------------------------------------
  /** The learner's data as the link will carry it (quantised when it fits a link, so a shared link trains on the same numbers). */
  function ownData(d) {
    let out = { X: Float32Array.from(d.X), y: Int32Array.from(d.y), features: d.features, classes: d.classes, rows: d.y.length };
    try {
      const encoded = out.rows > 0 ? encodeSmallDataset(out) : null;
      if (encoded) out = { ...decodeSmallDataset(encoded), classes: out.classes };
    } catch { /* not for a link: kept as it is */ }
    return out;
  }

  let tooLargeShown = null;
  function setUserData(d, { announce = true } = {}) {
    userData = d ? ownData(d) : null;
    let value = null;
    try { value = userData && userData.rows > 0 ? encodeSmallDataset(userData) : null; } catch { value = null; }
    onEvent('data', { value, rows: userData?.rows ?? 0 });
    if (announce && userData && userData.rows > 0 && value === null && tooLargeShown !== userData) {
      tooLargeShown = userData;
      const rows = userData.rows, features = userData.features;
      notices.show((tr) => tr('data.tooLarge', { rows, features }), [], { label: (tr) => tr('data.download'), run: downloadData }, 'info');
    }
  }

  function loadCsv(text, normalize) {
    let parsed;
    try { parsed = parseCSV(String(text ?? ''), { normalize }); }
    catch (e) {
      const error = e?.message ?? String(e);
      dataPanel?.showError((tr) => tr('data.error', { error }));
      return false;   // nothing trained, nothing changed
    }
    dataPanel?.showError(null);
    setUserData(parsed);
    const next = config.dataset === 'csv' ? config : { ...config, dataset: 'csv' };
    apply(next).catch(fail);
    return true;
  }

  function downloadData() {
    if (!userData || userData.rows === 0) return;
    const text = toCSV({ X: userData.X, y: userData.y, features: userData.features, header: userData.features === 2 ? ['x1', 'x2', 'class'] : null });
    exporter.download('gradscope-data.csv', new Blob([text], { type: 'text/csv' }));
  }

  function clearData() {
    dataPanel?.showError(null);
    setUserData({ X: new Float32Array(0), y: new Int32Array(0), features: 2, classes: 2 });
    apply(config).catch(fail);
  }

  /** A click on the plane: add a point of the picked class, or (Shift) remove the nearest. */
  function pickPoint({ x, y, remove }) {
    if (config.dataset !== 'csv' || (userData && userData.features !== 2)) return;
    const X = userData ? Array.from(userData.X) : [], labels = userData ? Array.from(userData.y) : [];
    if (remove) {
      if (labels.length === 0) return;
      let best = 0, bestD = Infinity;
      for (let i = 0; i < labels.length; i++) { const d = (X[2 * i] - x) ** 2 + (X[2 * i + 1] - y) ** 2; if (d < bestD) { bestD = d; best = i; } }
      X.splice(2 * best, 2); labels.splice(best, 1);
    } else { X.push(x, y); labels.push(dataPanel ? dataPanel.clickClass : 0); }
    const classes = Math.max(2, 1 + labels.reduce((m, k) => Math.max(m, k), 0), userData?.classes ?? 2);
    setUserData({ X: Float32Array.from(X), y: Int32Array.from(labels), features: 2, classes });
    apply(config).catch(fail);
  }

  // ---- language: every string again, nothing else ---------------------------------
  function setLanguage(next) {
    if (!Object.hasOwn(LANGUAGES, next) || next === lang) return;
    lang = next;
    t = translator(lang);
    root.lang = lang;
    applyStrings(root, t);
    for (const v of [...statViews, ...dataViews]) { v.relabel(t); scheduler.mark(v); }
    controls.relabel(t);
    dataPanel?.relabel(t);
    compare?.relabel(t);
    toolbar.relabel(t, lang);
    notices.relabel(t);
    divergence.relabel(t);
    onEvent('language', { lang });
  }

  // A settings edit: live fields (the learning rate) change the running net;
  // everything else rebuilds it. Cross-field rules are checked by parseEntries.
  function onChange(key, value) {
    if (compare?.active && compare.selected > 0) {   // a setting of run B–D: its overrides, then every run from step 0
      const live = !!SCHEMA_BY_KEY[key].live;
      compare.edit(key, value, live);
      if (live) controls.set(compare.selectedConfig());
      else apply(config).catch(fail);
      return;
    }
    if (SCHEMA_BY_KEY[key].live) {
      config = { ...config, [key]: value };
      onEvent('config', { config, run, live: true });
      if (!waiting) trainer.request(REQUEST.SET_LR, { lr: value }).catch(fail);
      compare?.baseLive(key, value);
      return;
    }
    const checked = parseEntries(Object.entries({ ...config, [key]: value }).map(([k, v]) => [k, v === null ? 'default' : v]));
    showNotices(checked.notices);
    apply(checked.config).catch(fail);
  }

  function setRunning(next) {
    running = next;
    toolbar.setRunning(next);
    scheduler.setBusy(next);   // while training, charts scrolled out of sight wait
  }

  // A run(n) or the stopAt cap finished (or was cut short: paused, diverged, a new config).
  function settleFinish(result) {
    const waiters = finishWaiters;
    finishWaiters = [];
    for (const w of waiters) w(result);
  }

  // ---- worker streams ----------------------------------------------------------
  const current = (handler) => (e) => { if (e.detail.run === run && !destroyed) handler(e.detail); };
  trainer.addEventListener(EVENT.STATS, current((d) => {
    const batch = { records: new Float64Array(d.records), steps: d.steps, stride: d.stride, evals: d.evals };
    if (d.layerCount !== layerCount) return;
    stats.append(batch.records, batch.steps);
    if (d.evals) { stats.evals.push(d.evals); latestEvals = d.evals; }
    for (const v of statViews) { v.append(batch); scheduler.mark(v); }
    compare?.primaryStats(batch);
    if (batch.steps > 0) {
      latest = summarizeRecord(batch.records, batch.steps - 1, layerCount);
      onEvent('step', stepDetail());
    }
  }));
  trainer.addEventListener(EVENT.DATASET, current((d) => {
    root.dataset.datasets = String(Number(root.dataset.datasets ?? 0) + 1);   // how many data sets the worker built (tests)
    root.dataset.datasetRows = String(d.rows ?? '');
    if (boundary) { boundary.setData(d); scheduler.mark(boundary); }
  }));
  trainer.addEventListener(EVENT.BOUNDARY, current((d) => { if (boundary) { boundary.setGrid(d); scheduler.mark(boundary); } }));
  trainer.addEventListener(EVENT.CONFUSION, current((d) => { if (confusion) { confusion.set(d); scheduler.mark(confusion); } }));
  trainer.addEventListener(EVENT.STATE, current((d) => {
    if (compare?.active) return;   // the lock-step driver says whether compare mode runs
    setRunning(d.running);
    onEvent('state', { running: d.running });
    if (!d.running) settleFinish({ step: latest?.step ?? 0, finished: false });
  }));
  trainer.addEventListener(EVENT.FINISHED, current((d) => {
    onEvent('finished', { step: d.step });
    settleFinish({ step: d.step, finished: true });
  }));
  trainer.addEventListener(EVENT.DIVERGED, current((d) => {
    if (compare?.active) compare.primaryDiverged(d);   // the other runs go on
    else setRunning(false);
    divergence.show(d, layerCount);
    onEvent('diverged', { kind: d.kind, step: d.step, layer: d.layer, phase: d.kind === 'nonfinite' ? (NONFINITE_PHASES[d.phase] ?? 'none') : 'exploding', gradNorm: d.gradNorm ?? null });
    settleFinish({ step: d.step, finished: false, diverged: true });
  }));
  trainer.addEventListener(EVENT.FAILED, current((d) => { setRunning(false); fail(new Error(d.error)); settleFinish({ step: latest?.step ?? 0, finished: false }); }));
  trainer.addEventListener('crashed', (e) => {
    if (destroyed) return;
    setRunning(false);
    settleFinish({ step: latest?.step ?? 0, finished: false });
    const error = e.detail.error;
    notices.show((tr) => tr('ui.crashed', { error }), [], { label: (tr) => tr('ui.restart'), run: () => { trainer.restart(); apply(config).catch(fail); } }, 'error');
  });

  /** The newest step's statistics (what 'step' events carry and stats() returns). */
  function stepDetail() {
    if (!latest) return { run, step: 0, loss: null, accuracy: null, gradNorm: null, trainAccuracy: null, testAccuracy: null, layers: [] };
    const fin = (v) => (Number.isFinite(v) ? v : null);
    return {
      run, step: latest.step, loss: fin(latest.loss), accuracy: fin(latest.accuracy), gradNorm: fin(latest.gradNorm),
      trainAccuracy: fin(latestEvals?.trainAcc), testAccuracy: latestEvals && latestEvals.testAcc >= 0 ? fin(latestEvals.testAcc) : null,
      layers: latest.layers.map((l) => Object.fromEntries(Object.entries(l).map(([k, v]) => [k, fin(v)]))),
    };
  }

  // ---- actions -----------------------------------------------------------------
  const lastStep = () => latest?.step ?? 0;
  /** Nothing to train (own data missing): say so, and refuse. */
  let neededNotice = null;
  function blocked() {
    if (!waiting) return false;
    notices.dismiss(neededNotice);
    neededNotice = notices.show((tr) => tr('data.needed'), [], null, 'info');
    return true;
  }
  const epochSteps = () => Math.max(1, Math.ceil((lastInfo?.trainRows ?? config.batchSize) / config.batchSize));
  function play({ until } = {}) {
    if (blocked()) return Promise.resolve({ running: false });
    divergence.hide();
    const cap = until ?? (stopAt !== null && lastStep() < stopAt ? stopAt : null);
    if (compare?.active) { compare.play(cap !== null ? { until: cap } : {}); return Promise.resolve({ running: true }); }
    return trainer.request(REQUEST.PLAY, cap !== null ? { until: cap } : {});
  }
  const actions = {
    play: () => { play().catch(fail); },
    pause: () => (compare?.active ? compare.pause() : trainer.request(REQUEST.PAUSE).catch(fail)),
    step: () => { if (!blocked()) (compare?.active ? compare.advance(1) : trainer.request(REQUEST.STEP)).catch(fail); },
    epoch: () => { if (!blocked()) (compare?.active ? compare.advance(epochSteps()) : trainer.request(REQUEST.EPOCH)).catch(fail); },
    reset: () => apply(config).catch(fail),   // same config, same seed: the same initial weights and batches (every compared run too)
    speed: (speed) => { compare?.setSpeed(speed); trainer.request(REQUEST.SET_SPEED, { speed }).catch(fail); },
    compare: compareRoot ? () => compare.duplicate() : null,
    share: () => onEvent('share', {}),
    exportCsv: () => exporter.exportCsv(stats),
    exportJson: () => exporter.exportJson(stats, config),
    exportConfig: () => exporter.exportConfig(config, options.pageUrl?.() ?? location.href),
    exportPng: () => (scheduler.flushAll(), exporter.exportPngs([
      flow && { name: 'gradient-flow', dataUrl: flow.chart.toBase64Image() },
      profile && { name: 'gradient-profile', dataUrl: profile.chart.toBase64Image() },
      activations && { name: 'activations', dataUrl: activations.band.toBase64Image() },
      activations && { name: 'saturation', dataUrl: activations.meters.toBase64Image() },
      loss && { name: 'loss-accuracy', dataUrl: loss.chart.toBase64Image() },
      ratio && { name: 'update-ratio', dataUrl: ratio.chart.toBase64Image() },
      norm && { name: 'grad-norm', dataUrl: norm.chart.toBase64Image() },
      boundary && config.dataset !== 'digits' && { name: 'decision-boundary', dataUrl: boundary.toDataURL() },
    ].filter(Boolean))),
    language: (next) => setLanguage(next),
  };
  const divergence = new DivergenceView(divergenceRoot, t, (fix) => {
    apply(REPLAY_FIXES[fix](config)).then(() => actions.play()).catch(fail);
  });
  const toolbar = new Toolbar(toolbarRoot, t, actions, { lang, speed: options.speed ?? 4, share: !embed, compare: !!compareRoot, keyTarget: embed ? root : document, signal });
  const controls = new Controls(controlsRoot, t, onChange, { keys: controlKeys, locked: options.locked ?? [] });
  // "Your data": under the data settings (only when the dataset control is there).
  const dataGroup = controlsRoot.querySelector('.group-data');
  const dataPanel = dataGroup && controls.value('dataset') !== undefined ? new DataPanel(el('div'), t, { load: loadCsv, clear: clearData, download: downloadData }) : null;
  if (dataPanel) { dataGroup.append(dataPanel.root); dataPanel.setVisible(false); }
  const controlsTitle = controlsRoot.querySelector('#controls-title');
  const compare = compareRoot ? new Compare(compareRoot, t, {
    scheduler,
    workerUrl: new URL('./worker.js', import.meta.url),
    primary: trainer,
    base: () => ({ config, data: config.dataset === 'csv' ? userData : null }),
    waiting: () => waiting,
    resetAll: () => apply(config).catch(fail),
    onChange: () => onEvent('compare', { value: compare.value() }),
    onSelect: (shown, letter) => {
      controls.set(shown);
      controlsTitle.dataset.i18n = compare.active ? 'compare.settingsOf' : 'ui.controls';
      controlsTitle.textContent = compare.active ? t('compare.settingsOf', { run: letter }) : t('ui.controls');
      controlsTitle.dataset.run = letter;
    },
    onRunning: (next) => { setRunning(next); onEvent('state', { running: next }); },
    fail,
  }) : null;
  if (options.compare && compare) {
    const parsed = parseCompare(options.compare);
    showNotices(parsed.notices.concat(compare.restore(parsed.runs)));
    if (compare.active) compare.select(0);
  }
  if (options.speed) trainer.request(REQUEST.SET_SPEED, { speed: options.speed }).catch(fail);

  const ready = new Promise((resolve) => { readyResolve = resolve; });
  showNotices(options.notices ?? []);
  apply(config).catch(fail);

  // ---- the handle ------------------------------------------------------------------
  return {
    root,
    ready,
    get config() { return config; },
    get lang() { return lang; },
    get running() { return running; },
    get history() { return stats; },
    /** Apply a complete config (a fresh net at step 0); resolves when the worker has it. */
    setConfig: (next) => apply(next),
    /** Change only the learning rate of the running net. */
    setLearningRate: (lr) => onChange('lr', lr),
    setLanguage,
    setStopAt: (n) => { stopAt = n ?? null; },
    /** Draw `view` ({ draw(), cheap?, root? }) with the playground's own views: paced while training. */
    schedule: (view) => scheduler.mark(view),
    /** The learner's data set { X, y, features, classes } (used when the dataset is 'csv'); null forgets it. */
    setData: (d) => { setUserData(d, { announce: false }); return apply(config); },
    /** Load CSV text as the data set (dataset becomes 'csv'); false (and the error shown) when it does not parse. */
    loadCsv: (text, normalize = 'none') => loadCsv(text, normalize),
    get data() { return userData; },
    /** Runs B–D from a `compare=` value ('' = stop comparing); resolves when A is rebuilt. */
    setCompare(text) {
      if (!compare) return Promise.resolve(null);
      if (compare.active) compare.close();
      const parsed = parseCompare(text);
      showNotices(parsed.notices.concat(compare.restore(parsed.runs)));
      return apply(config);
    },
    get compare() { return compare; },
    showNotices,
    notices,
    play: () => play(),
    pause: () => trainer.request(REQUEST.PAUSE),
    /** Exactly one minibatch. */
    step: () => trainer.request(REQUEST.STEP),
    /** Train `steps` more minibatches (visibly, as Play does); resolves with { step, finished } when done or stopped. */
    run(steps) {
      const n = Math.floor(Number(steps));
      if (!(n >= 1)) return Promise.reject(new Error(`steps must be a positive integer, got ${String(steps).slice(0, 40)}`));
      const done = new Promise((resolve) => finishWaiters.push(resolve));
      play({ until: lastStep() + n }).catch((e) => { settleFinish({ step: lastStep(), finished: false, error: e.message }); });
      return done;
    },
    stats: () => stepDetail(),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      settleFinish({ step: lastStep(), finished: false });
      abort.abort();
      compare?.destroy();
      trainer.terminate();
      for (const v of [...statViews, ...dataViews]) {
        for (const chart of chartsOf(v)) chart.destroy();
        v.destroy?.();
      }
      root.remove();
    },
  };
}

export { gIndex };
