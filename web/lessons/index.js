// lessons/index.js — the lessons: preset configs that reproduce the classic
// results on vanishing and exploding gradients, each with a short text (en,
// zh-Hant), the claim it demonstrates, its source, and a machine check of that
// claim on the statistics of the run. The page computes its pass/fail badge
// with the same check the Node tests run (tests/lessons.test.js).
//
// ── The contract ────────────────────────────────────────────────────────────
// LESSONS is an array of frozen lesson objects:
//
//   id       'vanishing-sigmoid' — unique, URL-safe (#lesson=<id>)
//   title    { en, 'zh-Hant' }
//   text     { en, 'zh-Hant' }   what to look at and why, plus the cure
//   claim    { en, 'zh-Hant' }   the claim, in one sentence
//   source   'Author, Title, venue year, URL' (several joined by '; ')
//   config   a complete playground config (every key of web/config.js SCHEMA);
//            turn it into API objects with toNetConfig / toDatasetSpec
//            (dataset 'digits': gs.loadDigits({ trainShare, seed }))
//   steps    training steps the badge reads; 0 = at initialisation, i.e. one
//            step whose record (gradients at the initial weights) is read
//   setup?   (net, gs) => void — run right after createNet, before training
//            (e.g. the one-unit chain sets W and b)
//   check    (history, ctx) => { passed, measured: {name: number},
//            expected: {name: 'text'}, details, pending?, partial? }
//            history = the run's records, each readRecord(...) = { global, layers },
//            in step order from the first step; ctx = { gs, config, net?, variant? }
//            (ctx.gs.theory — synchronous — is needed by 'exploding' and
//            'edge-of-chaos'; without it those checks throw a clear Error).
//            Pure: it reads only the first
//            max(1, steps) records, so training on does not flip the badge; with
//            fewer records (and no NaN/Inf stop) it returns { passed: false, pending: true }.
//
// ── Variants ────────────────────────────────────────────────────────────────
// A lesson whose claim compares runs (Xavier vs He, clipping off vs on, four
// values of σ_w² …) has `variants`: an array of
//
//   { id, label: { en, 'zh-Hant' }, config (complete), setup?, nets?, check(history, ctx) }
//
// nets (lessons read at initialisation only): the variant is an ensemble of
// `nets` independently initialised nets, seeds seed, seed+1, … (ensembleSeed);
// its history is one initialisation record per net, in seed order. For claims
// about an expectation over random weights (He et al.'s Var(u) is one), which
// a single finite-width net only approximates.
//
// All variants of a lesson run for the same `steps`. For such a lesson:
//   * lesson.config / lesson.setup are those of variants[0], so a page that
//     runs a single config still works;
//   * lesson.check(histories, ctx) with histories[i] the history of
//     variants[i] decides the whole claim (every variant's conditions plus the
//     comparisons between them);
//   * lesson.check(history, { variant: i }) with ONE history returns variant
//     i's own conditions, marked partial: true (and passed: false if the claim
//     needs a comparison between variants — batchnorm-scale, init-tanh);
//   * variants[i].check(history, ctx) is the same per-variant badge.
// Measured/expected keys are prefixed by the variant id ('he.finalLoss').
//
// runLesson(gs, lesson, { seed, variant }) runs a lesson headless (every
// variant, or only `variant` = index) and returns
//   { passed, measured, expected, details, history, histories }
// (history = the first run's records; histories = one per variant run).

import { toNetConfig, toDatasetSpec } from '../config.js';
import { readRecord } from '../gradscope.js';
import { LANGS, recordsNeeded, ensembleSeed } from './util.js';
import vanishingSigmoid from './vanishing-sigmoid.js';
import chainRule from './chain-rule.js';
import initTanh from './init-tanh.js';
import twoLenses from './two-lenses.js';
import { reluHe, reluHeTraining } from './relu-he.js';
import deadRelu from './dead-relu.js';
import { exploding, clipping } from './exploding.js';
import { batchnorm, batchnormScale } from './batchnorm.js';
import edgeOfChaos from './edge-of-chaos.js';

export { LANGS };

export const LESSONS = Object.freeze([
  vanishingSigmoid,   // 1  Nielsen ch. 5: ‖δ‖ ≈ 0.2× per layer
  chainRule,          // 2  w·σ′(z): 25 with w = 100, 1/4 with w = 1
  initTanh,           // 3  Glorot & Bengio: 1/3 per layer vs ≈ 1
  twoLenses,          // 3b ‖∂L/∂W‖ flat while ‖δ‖ vanishes
  reluHe,             // 4  He et al.: 2^−29 vs ≈ 1 (at initialisation)
  reluHeTraining,     // 4b He trains, fan-in Xavier stalls
  deadRelu,           // 5  dead ReLUs; Leaky ReLU / PReLU
  exploding,          // 6  ReLU N(0,1): √32 per layer; tanh σ_w² = 4: √χ₁
  clipping,           // 6b Pascanu et al.: clipping keeps training finite
  batchnorm,          // 7  Ioffe & Szegedy: trainable, 30× learning rate
  batchnormScale,     // 7b scale invariance
  edgeOfChaos,        // 8  Poole / Schoenholz: sign of ln χ₁
]);

/** The lesson with this id, or undefined. */
export const lessonById = (id) => LESSONS.find((l) => l.id === id);

/** The runs of a lesson: [{ id, label, config, setup, nets? }] (one entry for a lesson without variants). */
export function lessonRuns(lesson) {
  return lesson.variants ?? [{ id: lesson.id, label: lesson.title, config: lesson.config, setup: lesson.setup }];
}

const CHUNK = 256;   // LIMITS.stepsPerCall.max: the size of the stats ring

/**
 * Run one config headless for `steps` (0 → 1) steps; returns its history.
 * nets > 1 (steps 0 only): an ensemble, one initialisation record per net.
 */
export async function runConfig(gs, config, steps, setup, nets = 1) {
  if (nets > 1) {
    const history = [];
    for (let k = 0; k < nets; k++) history.push(...await runConfig(gs, { ...config, seed: ensembleSeed(config.seed, k) }, 0, setup));
    return history;
  }
  const data = config.dataset === 'digits'
    ? await gs.loadDigits({ trainShare: config.trainShare, seed: config.seed })
    : gs.createDataset(toDatasetSpec(config));
  let net;
  try {
    net = gs.createNet(toNetConfig(config));
    if (setup) setup(net, gs);
    const history = [];
    let left = recordsNeeded(steps);
    while (left > 0) {
      const k = Math.min(CHUNK, left);
      const run = net.trainSteps(data, k);
      for (let i = 0; i < run.steps; i++) history.push(readRecord(run.records, i, net.layerCount));
      left -= run.steps;
      if (run.nonFinite || run.steps < k) break;   // stopped at the first NaN/Inf
    }
    return history;
  } finally {
    net?.free();
    data.free();
  }
}

/**
 * Run a lesson headless and check its claim.
 *   seed     overrides config.seed of every run (default: the lesson's)
 *   variant  index: run and check only that variant (its own conditions)
 */
export async function runLesson(gs, lesson, { seed, variant } = {}) {
  const runs = lessonRuns(lesson);
  const chosen = variant === undefined ? runs.map((r, i) => i) : [variant];
  const histories = [];
  const configs = [];
  for (const i of chosen) {
    const r = runs[i];
    if (!r) throw new Error(`${lesson.id} has no variant ${variant} (it has ${runs.length})`);
    const config = seed === undefined ? r.config : { ...r.config, seed };
    configs.push(config);
    histories.push(await runConfig(gs, config, lesson.steps, r.setup, r.nets));
  }
  let result;
  if (!lesson.variants) result = lesson.check(histories[0], { gs, config: configs[0] });
  else if (variant === undefined) result = lesson.check(histories, { gs, config: configs[0] });
  else result = lesson.check(histories[0], { gs, config: configs[0], variant });
  return { ...result, history: histories[0], histories };
}
