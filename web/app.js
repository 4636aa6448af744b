// app.js — the thin composer: reads the link, builds the views and the
// controls once, starts the training worker and wires them together. It owns
// the page's run state (the config, the stats history) inside createApp's
// closure — there is no module-level mutable state.
//
// Data flow:  controls / toolbar / link  →  config  →  worker (CONFIG)
//             worker STATS → history + every view's append() → scheduler → draw()
//
// Language: switching calls every view's relabel(t) — strings only, the run,
// the history and the charts' data stay — sets <html lang>, and writes
// `lang=` into the hash so a reload or a shared link keeps it.

import { SCHEMA_BY_KEY, parseHash, parseEntries, serializeHash, toNetConfig, diffConfigs, defaults } from './config.js';
import { REQUEST, EVENT } from './protocol.js';
import { TrainerClient } from './trainer-client.js';
import { History } from './history.js';
import { FrameScheduler } from './scheduler.js';
import { Controls } from './controls.js';
import { pickLanguage, translator, applyStrings, LANGUAGES } from './i18n.js';
import * as exporter from './export.js';
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

const $ = (id) => document.getElementById(id);

/** Show the page's static strings (header, hint, title) in `lang`. */
function applyLanguage(lang, t) {
  document.documentElement.lang = lang;
  document.title = t('app.title');
  applyStrings(document, t);
}

/** Build the page for `lang`, starting from the link's config. */
function createApp({ t, lang, start }) {
  let config = start.config;
  let stats = new History(1);
  let run = 0;            // generation of the current net: stream messages from an older one are dropped
  let layerCount = 1;
  let writtenHash = '';

  const scheduler = new FrameScheduler();
  const notices = new NoticesView($('notices'), t);
  const flow = new GradientFlowView($('view-flow'), t, (lens) => { profile.setLens(lens); scheduler.mark(profile); scheduler.mark(flow); });
  const profile = new GradientProfileView($('view-profile'), t);
  const activations = new ActivationsView($('view-activations'), t);
  const loss = new LossAccuracyView($('view-loss'), t);
  const boundary = new BoundaryView($('view-boundary'), t);
  const confusion = new ConfusionView($('view-confusion'), t);
  const ratio = new UpdateRatioView($('view-ratio'), t);
  const norm = new GradNormView($('view-norm'), t);
  const status = new StatusView($('status'), t);
  const statViews = [flow, profile, activations, loss, ratio, norm, status];
  boundary.onResize = () => scheduler.mark(boundary);

  const trainer = new TrainerClient(new URL('./worker.js', import.meta.url));
  const fail = (e) => { const error = e.message ?? String(e); notices.show((tr) => tr('ui.failed', { error }), [], null, 'error'); };

  // ---- the link ----------------------------------------------------------------
  function writeHash() {
    writtenHash = serializeHash(config, { lang });
    if (location.hash !== writtenHash) history.replaceState(null, '', writtenHash);
  }
  window.addEventListener('hashchange', () => {
    if (location.hash === writtenHash) return;
    const parsed = parseHash(location.hash);
    if (Object.hasOwn(LANGUAGES, parsed.extra.lang ?? '') && parsed.extra.lang !== lang) setLanguage(parsed.extra.lang);
    showNotices(parsed.notices);
    apply(parsed.config).catch(fail);
  });
  function showNotices(list) {
    if (list.length) notices.show((tr) => tr('ui.notices'), list.map((n) => n.error));
  }

  // ---- applying a config: a fresh net, paused at step 0 ------------------------
  async function apply(next) {
    config = next;
    run++;
    layerCount = toNetConfig(config).hidden.length + 1;
    stats = new History(layerCount);
    for (const v of statViews) { v.reset(layerCount); scheduler.mark(v); }
    boundary.reset(); confusion.reset();
    boundary.setVisible(config.dataset !== 'digits');
    confusion.setVisible(config.dataset === 'digits');
    norm.setThreshold(config.clip === 'none' ? null : config.clipMax);
    divergence.hide();
    controls.set(config);
    $('hint').hidden = diffConfigs(config, defaults()).length > 0;
    writeHash();
    toolbar.setRunning(false);
    await trainer.request(REQUEST.CONFIG, { config, run });
    document.body.dataset.run = String(run);   // the worker has the net (tests wait for this)
  }

  // ---- language: every string again, nothing else ---------------------------------
  function setLanguage(next) {
    lang = next;
    t = translator(lang);
    applyLanguage(lang, t);
    for (const v of [...statViews, boundary, confusion]) { v.relabel(t); scheduler.mark(v); }
    controls.relabel(t);
    toolbar.relabel(t, lang);
    notices.relabel(t);
    divergence.relabel(t);
    writeHash();
  }

  // A settings edit: live fields (the learning rate) change the running net;
  // everything else rebuilds it. Cross-field rules are checked by parseEntries.
  function onChange(key, value) {
    if (SCHEMA_BY_KEY[key].live) {
      config = { ...config, [key]: value };
      writeHash();
      trainer.request(REQUEST.SET_LR, { lr: value }).catch(fail);
      return;
    }
    const checked = parseEntries(Object.entries({ ...config, [key]: value }).map(([k, v]) => [k, v === null ? 'default' : v]));
    showNotices(checked.notices);
    apply(checked.config).catch(fail);
  }

  // ---- worker streams ----------------------------------------------------------
  const current = (handler) => (e) => { if (e.detail.run === run) handler(e.detail); };
  trainer.addEventListener(EVENT.STATS, current((d) => {
    const batch = { records: new Float64Array(d.records), steps: d.steps, stride: d.stride, evals: d.evals };
    if (d.layerCount !== layerCount) return;
    stats.append(batch.records, batch.steps);
    if (d.evals) stats.evals.push(d.evals);
    for (const v of statViews) { v.append(batch); scheduler.mark(v); }
  }));
  trainer.addEventListener(EVENT.DATASET, current((d) => { boundary.setData(d); scheduler.mark(boundary); }));
  trainer.addEventListener(EVENT.BOUNDARY, current((d) => { boundary.setGrid(d); scheduler.mark(boundary); }));
  trainer.addEventListener(EVENT.CONFUSION, current((d) => { confusion.set(d); scheduler.mark(confusion); }));
  trainer.addEventListener(EVENT.STATE, current((d) => toolbar.setRunning(d.running)));
  trainer.addEventListener(EVENT.DIVERGED, current((d) => { toolbar.setRunning(false); divergence.show(d, layerCount); }));
  trainer.addEventListener(EVENT.FAILED, current((d) => { toolbar.setRunning(false); fail(new Error(d.error)); }));
  trainer.addEventListener('crashed', (e) => {
    toolbar.setRunning(false);
    const error = e.detail.error;
    notices.show((tr) => tr('ui.crashed', { error }), [], { label: (tr) => tr('ui.restart'), run: () => { trainer.restart(); apply(config).catch(fail); } }, 'error');
  });

  // ---- actions -----------------------------------------------------------------
  const actions = {
    play: () => { divergence.hide(); trainer.request(REQUEST.PLAY).catch(fail); },
    pause: () => trainer.request(REQUEST.PAUSE).catch(fail),
    step: () => trainer.request(REQUEST.STEP).catch(fail),
    epoch: () => trainer.request(REQUEST.EPOCH).catch(fail),
    reset: () => apply(config).catch(fail),   // same config, same seed: the same initial weights and batches
    speed: (speed) => trainer.request(REQUEST.SET_SPEED, { speed }).catch(fail),
    share: async () => {
      writeHash();
      try { await navigator.clipboard.writeText(location.href); toolbar.flash(t('ui.shareDone')); }
      catch { notices.show((tr) => tr('ui.shareManual'), [location.href], null, 'info'); }
    },
    exportCsv: () => exporter.exportCsv(stats),
    exportJson: () => exporter.exportJson(stats, config),
    exportConfig: () => exporter.exportConfig(config, location.href),
    exportPng: () => exporter.exportPngs([
      { name: 'gradient-flow', dataUrl: flow.chart.toBase64Image() },
      { name: 'gradient-profile', dataUrl: profile.chart.toBase64Image() },
      { name: 'activations', dataUrl: activations.band.toBase64Image() },
      { name: 'saturation', dataUrl: activations.meters.toBase64Image() },
      { name: 'loss-accuracy', dataUrl: loss.chart.toBase64Image() },
      { name: 'update-ratio', dataUrl: ratio.chart.toBase64Image() },
      { name: 'grad-norm', dataUrl: norm.chart.toBase64Image() },
      ...(config.dataset !== 'digits' ? [{ name: 'decision-boundary', dataUrl: boundary.toDataURL() }] : []),
    ]),
    language: (next) => { if (Object.hasOwn(LANGUAGES, next) && next !== lang) setLanguage(next); },
  };
  const divergence = new DivergenceView($('divergence'), t, (fix) => {
    apply(REPLAY_FIXES[fix](config)).then(() => actions.play()).catch(fail);
  });
  const toolbar = new Toolbar($('toolbar'), t, actions, { lang });
  const controls = new Controls($('controls'), t, onChange);

  showNotices(start.notices);
  apply(config).catch(fail);
}

const lang = pickLanguage(location.search, location.hash, navigator.languages);
const t = translator(lang);
applyLanguage(lang, t);
createApp({ t, lang, start: parseHash(location.hash) });
