// train.js — `gradscope train`: one playground run, headless. Builds the
// config as the page does (flags and/or --url), trains with trainSteps in
// chunks of at most 256 steps, and prints each layer's gradient statistics
// every K steps plus a summary. stdout holds only deterministic numbers
// (byte-identical between runs of the same build); timing and the progress
// bar go to stderr.
//
// CSV and JSON are the page's own export (web/history.js) of the printed
// steps, so a CLI run and the page's "export" for the same link can be
// diffed to the last digit.

import { loadGradscope, readRecord, LIMITS, NONFINITE_PHASES } from '../../web/gradscope.js';
import { serializeHash } from '../../web/config.js';
import { EXPLODING_GRAD_NORM } from '../../web/protocol.js';
import { History } from '../../web/history.js';
import { SCHEMA_FLAGS, COMMON, DATA_FLAGS, EXIT, parseArgv, helpText, choiceFlag, intFlag, simdFlag, last } from './args.js';
import { buildConfig, createRun, resolveData, describeData } from './playground-config.js';
import { sig6, percent, fixed, table, createOutput, layerName, finiteOrNull } from './format.js';
import { createProgress } from './progress.js';

const DEFAULT_STEPS = 1000;
const MAX_STEPS = 10_000_000;

const FLAGS = [
  COMMON.url,
  { name: 'steps', meta: 'N', values: `integer 1..${MAX_STEPS}`, help: `training steps (minibatches), default ${DEFAULT_STEPS}` },
  { name: 'every', meta: 'K', values: 'integer ≥ 1', help: 'print the per-layer table every K steps (and at step 1 and the last step); default steps/10' },
  ...DATA_FLAGS,
  COMMON.format, COMMON.out, COMMON.simd,
  ...SCHEMA_FLAGS,
];

export const HELP = helpText({
  usage: 'gradscope train [settings | --url LINK] [--steps N] [--every K] [--format table|csv|json] [--out FILE]',
  description: `Train one playground configuration headless and print, every K steps, each layer's
‖δ‖ (gradNormB), ‖∂L/∂W‖ (gradNormW), activation std, saturated %, dead % and update ratio,
then a summary (loss, train/test accuracy, first/last layer gradient ratio). Step 1's
gradients are those of the initial weights. CSV and JSON are the page's export format
(one row per printed step, full precision). A step that produces NaN/Inf stops the run
(exit code 3) and says where it happened.`,
  flags: FLAGS,
  examples: [
    'gradscope train --depth 10 --steps 100 --every 50',
    'gradscope train --activation relu --init he_normal --depth 20 --format csv --out run.csv',
    "gradscope train --url 'https://…/#depth=20&activation=tanh&init=xavier_normal' --steps 500 --lr 0.05",
    'gradscope train --data points.csv --normalize standard --depth 8 --activation relu --init he_normal',
  ],
});

/** A short human description of a config: "10 × 32 sigmoid, xavier_normal ×1, spiral". */
export function describeConfig(c) {
  const acts = c.layers ? 'mixed activations' : c.activation;
  return `${c.depth} × ${c.width} ${acts}${c.batchnorm ? ' + batchnorm' : ''}, ${c.init} ×${c.initScale}, ${c.dataset}, ${c.optimizer} lr ${c.lr}, batch ${c.batchSize}, seed ${c.seed}`;
}

/** log10(‖first layer‖ / ‖last layer‖) of one record's `stat`. */
export function log10Ratio(layers, stat) {
  return Math.log10(layers[0][stat] / layers[layers.length - 1][stat]);
}

function layerTable(record, layerCount) {
  const rows = record.layers.map((s, l) => [layerName(l, layerCount), sig6(s.gradNormB), sig6(s.gradNormW), sig6(s.actStd), percent(s.saturated), percent(s.dead), sig6(s.updateRatio)]);
  return table(['layer', '‖δ‖', '‖∂L/∂W‖', 'actStd', 'saturated %', 'dead %', 'updateRatio'], rows, { left: [0] });
}

export async function run(argv) {
  const { given, help } = parseArgv(argv, FLAGS, 'train');
  if (help) { process.stdout.write(HELP); return EXIT.OK; }
  const format = choiceFlag(given, 'format', ['table', 'csv', 'json'], 'table');
  const steps = intFlag(given, 'steps', 1, MAX_STEPS, DEFAULT_STEPS);
  const every = intFlag(given, 'every', 1, MAX_STEPS, Math.max(1, Math.round(steps / 10)));
  const simd = simdFlag(given);
  const warn = (m) => process.stderr.write(`warning: ${m}\n`);
  const flagValues = SCHEMA_FLAGS.filter((f) => given.has(f.name)).map((f) => [f.name, last(given, f.name)]);
  const config = buildConfig({ url: last(given, 'url'), flagValues, warn });
  const dataFile = last(given, 'data');
  const csv = resolveData({ given, config, warn });
  const out = createOutput(last(given, 'out'));

  const gs = await loadGradscope({ simd });
  const { data, net } = await createRun(gs, config, csv);
  const layerCount = net.layerCount;
  const build = gs.simd ? 'simd' : 'scalar';
  const link = serializeHash(config) + (csv?.encoded ? `&data=${csv.encoded}` : '');   // the link's data goes back into the link
  const history = new History(layerCount);
  let first = null, lastRecord = null, done = 0, diverged = null, exploding = null;

  if (format === 'table') {
    out.write(`gradscope train — ${describeConfig(config)} (${build} build)\n`);
    out.write(`link: ${link}\n`);
    if (csv) out.write(`data: ${describeData(dataFile, csv)}\n`);
    out.write(`layers 1…${layerCount - 1} hidden, "out" the output layer; ‖δ‖ = gradNormB, ‖∂L/∂W‖ = gradNormW; step 1 = gradients at the initial weights\n`);
  }
  const show = (record, step) => {
    const g = record.global;
    if (format === 'table') {
      out.write(`\nstep ${step}  batch loss ${sig6(g.loss)}  batch accuracy ${sig6(g.accuracy)}  ‖∇‖ ${sig6(g.gradNorm)}  clip scale ${sig6(g.clipScale)}\n`);
      out.write(layerTable(record, layerCount));
    }
  };

  const progress = createProgress({ total: steps, label: 'training', quiet: !process.stderr.isTTY });
  const t0 = performance.now();
  try {
    while (done < steps && !diverged) {
      const k = Math.min(LIMITS.stepsPerCall.max, steps - done);
      const r = net.trainSteps(data, k);
      const stepRecords = r.records;
      for (let i = 0; i < r.steps; i++) {
        const step = done + i + 1;
        const record = readRecord(r.records, i, layerCount);
        const g = record.global;
        if (step === 1) first = record;
        lastRecord = record;
        if (g.nonFiniteLayer >= 0) {
          diverged = { step, layer: g.nonFiniteLayer, layerName: layerName(g.nonFiniteLayer, layerCount), phase: NONFINITE_PHASES[g.nonFinitePhase] ?? String(g.nonFinitePhase) };
        } else if (!exploding && config.clip === 'none' && g.gradNorm > EXPLODING_GRAD_NORM) {
          exploding = { step, gradNorm: g.gradNorm };
        }
        if (step === 1 || step % every === 0 || step === steps || diverged) {
          show(record, step);
          history.append(stepRecords.subarray(i * r.stride, (i + 1) * r.stride), 1);
        }
      }
      done += r.steps;
      progress.update(done);
    }
  } finally {
    progress.done();
  }
  const seconds = (performance.now() - t0) / 1000;

  const train = net.evaluate(data, 'train');
  const test = data.testRows > 0 ? net.evaluate(data, 'test') : { loss: NaN, accuracy: NaN, rows: 0 };
  const appliedSteps = diverged ? done - 1 : done;
  history.evals.push({ step: appliedSteps, trainLoss: train.loss, trainAcc: train.accuracy, testLoss: test.loss, testAcc: test.accuracy });
  const summary = {
    steps: appliedSteps,
    batchLoss: lastRecord.global.loss,
    trainLoss: train.loss, trainAccuracy: train.accuracy,
    testLoss: test.loss, testAccuracy: test.accuracy,
    log10RatioWStep1: log10Ratio(first.layers, 'gradNormW'), log10RatioBStep1: log10Ratio(first.layers, 'gradNormB'),
    log10RatioWLast: log10Ratio(lastRecord.layers, 'gradNormW'), log10RatioBLast: log10Ratio(lastRecord.layers, 'gradNormB'),
  };
  net.free(); data.free();

  const summaryText = [
    `\nsummary after ${appliedSteps} step${appliedSteps === 1 ? '' : 's'}${diverged ? ' (stopped: diverged)' : ''}`,
    `  last batch loss          ${sig6(summary.batchLoss)}`,
    `  train loss, accuracy     ${sig6(train.loss)}  ${sig6(train.accuracy)}  (${train.rows} rows)`,
    `  test loss, accuracy      ${test.rows ? `${sig6(test.loss)}  ${sig6(test.accuracy)}  (${test.rows} rows)` : '— (trainShare 1: no test rows)'}`,
    `  first/last layer ‖∂L/∂W‖ ratio: step 1 10^${fixed(summary.log10RatioWStep1)}, last step 10^${fixed(summary.log10RatioWLast)}`,
    `  first/last layer ‖δ‖ ratio:     step 1 10^${fixed(summary.log10RatioBStep1)}, last step 10^${fixed(summary.log10RatioBLast)}`,
    diverged ? `  diverged at step ${diverged.step}: non-finite value in layer ${diverged.layerName}, ${diverged.phase} phase` : null,
    exploding ? `  note: at step ${exploding.step} the gradient norm ${sig6(exploding.gradNorm)} passed ${EXPLODING_GRAD_NORM} (the page pauses there as "exploding")` : null,
  ].filter((s) => s !== null).join('\n') + '\n';

  if (format === 'table') out.write(summaryText);
  else if (format === 'csv') { out.write(history.toCSV()); process.stderr.write(summaryText); }
  else {
    const json = {
      command: 'train', build, config, link, layerCount,
      ...(csv ? { data: { file: dataFile, rows: csv.rows, features: csv.features, classes: csv.classes, classNames: csv.classNames, featureNames: csv.featureNames, labelColumn: csv.labelColumn, normalize: csv.normalize } } : {}),
      ...history.toJSON(),
      summary: Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, finiteOrNull(v)])),
      diverged,
    };
    out.write(JSON.stringify(json, null, 1) + '\n');
  }
  out.finish();
  process.stderr.write(`${done} steps in ${seconds.toFixed(2)} s (${Math.round(done / Math.max(seconds, 1e-9))} steps/s, ${build} build)\n`);
  if (diverged) {
    process.stderr.write(`diverged: step ${diverged.step} produced a non-finite value in layer ${diverged.layerName} (${diverged.phase})\n`);
    return EXIT.DIVERGED;
  }
  return EXIT.OK;
}
