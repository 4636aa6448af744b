// sweep.js — `gradscope sweep`: the Cartesian grid of every schema flag given
// as a list (--depth 5,10,20 --activation sigmoid,relu …) × seeds, run in
// worker threads (one per core), summarised per cell: the log10 ratio of the
// first hidden layer's gradient norm to the output layer's at step 0
// (‖∂L/∂W‖ and ‖δ‖), median over seeds with its min–max spread, the final
// loss and how many seeds diverged.
//
// Results are gathered by job id and printed in grid order, so stdout does
// not depend on which worker finished first; the progress bar is on stderr.

import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { serializeHash, defaults, SCHEMA } from '../../web/config.js';
import { SCHEMA_FLAGS, COMMON, DATA_FLAGS, EXIT, UsageError, parseArgv, helpText, choiceFlag, intFlag, simdFlag, last } from './args.js';
import { buildGrid, resolveData, describeData } from './playground-config.js';
import { exact, fixed, sig6, table, csvLine, createOutput, finiteOrNull } from './format.js';
import { createProgress } from './progress.js';
import { TO_WORKER, FROM_WORKER } from './sweep-protocol.js';

const MAX_STEPS = 1_000_000;
const MAX_SEEDS = 1000;
const MAX_JOBS = 100_000;
const DEFAULT_SEEDS = 5;

const FLAGS = [
  COMMON.url,
  { name: 'seeds', meta: 'S', values: `integer 1..${MAX_SEEDS}`, help: `seeds per cell: seed, seed+1, … (default ${DEFAULT_SEEDS})` },
  { name: 'steps', meta: 'N', values: `integer 0..${MAX_STEPS}`, help: 'training steps per run; 0 (default) = at initialisation: one backward, loss of the initial weights' },
  { name: 'workers', meta: 'W', values: 'integer 1..64', help: `worker threads (default: one per core, here ${availableParallelism()})` },
  ...DATA_FLAGS,
  COMMON.format, COMMON.out, COMMON.simd,
  ...SCHEMA_FLAGS,
];

export const HELP = helpText({
  usage: 'gradscope sweep --depth 5,10,20,40 --init xavier_normal,he_normal --activation sigmoid,tanh,relu [--seeds 5] [--steps N] [settings] [--format table|csv|json] [--out FILE]',
  description: `Run every combination of the settings given as comma-separated lists (any other setting
is a single value; --layers, itself comma-separated, is listed by repeating the flag) ×
seeds, in worker threads, with a progress bar and ETA on stderr. Per cell it prints the
log10 of the first hidden layer's gradient norm over the output layer's at step 0
(‖∂L/∂W‖ = gradNormW and ‖δ‖ = gradNormB; −6 means the first layer's gradient is a
millionth of the last one's): median over seeds and min…max, the median final train loss,
and the number of seeds that diverged (NaN/Inf). A sweep's runs are ordinary playground
configs: replay one with gradscope train and the same flags plus --seed.`,
  flags: FLAGS,
  schemaNote: 'each one a single value or a comma-separated list',
  examples: [
    'gradscope sweep --depth 5,10,20,40 --init xavier_normal,he_normal --activation sigmoid,tanh,relu --seeds 5',
    'gradscope sweep --depth 10,30 --activation tanh --initScale 0.8,1,1.2,1.4 --steps 500 --format csv --out sweep.csv',
    'gradscope sweep --data points.csv --normalize standard --depth 4,8,16 --init xavier_normal,he_normal --activation relu --steps 300',
  ],
});

/** The unswept settings that matter most, for the table's header. */
function describeBase(c, swept) {
  const parts = [['dataset', c.dataset], ['depth', c.depth], ['width', c.width], ['activation', c.activation], ['init', c.init], ['batchSize', c.batchSize]]
    .filter(([k]) => !swept.has(k)).map(([k, v]) => `${k} ${v}`);
  return parts.join(', ');
}

/** Median (mean of the middle two for even counts) of the non-NaN values; NaN if none. */
export function median(values) {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}
const spread = (values) => {
  const v = values.filter((x) => !Number.isNaN(x));
  return v.length ? { min: Math.min(...v), max: Math.max(...v) } : { min: NaN, max: NaN };
};

function summarize(runs) {
  const s = {};
  for (const key of ['log10RatioW', 'log10RatioB', 'finalLoss', 'testAccuracy']) {
    const values = runs.map((r) => r[key]);
    s[key] = { median: median(values), ...spread(values) };
  }
  s.diverged = runs.filter((r) => r.diverged).length;
  return s;
}

/** Run jobs on a pool of worker threads; resolves to results in job order. */
function runPool(jobs, { workers: count, simd, data = null, onResult }) {
  return new Promise((resolve, reject) => {
    const results = new Array(jobs.length);
    const workers = [];
    let next = 0, finished = 0, failed = false, build = null;
    const fail = (error) => {
      if (failed) return;
      failed = true;
      for (const w of workers) w.terminate();
      reject(error);
    };
    const feed = (worker) => {
      if (next >= jobs.length) { worker.terminate(); return; }
      const id = next++;
      worker.postMessage({ type: TO_WORKER.JOB, id, config: jobs[id].config, steps: jobs[id].steps });
    };
    for (let i = 0; i < count; i++) {
      const worker = new Worker(new URL('./sweep-worker.js', import.meta.url));
      workers.push(worker);
      worker.on('message', (m) => {
        if (failed) return;
        if (m.type === FROM_WORKER.READY) { build ??= m.build; feed(worker); return; }
        if (m.type === FROM_WORKER.FAILED) { fail(new Error(`run ${jobs[m.id].label} failed: ${m.error}`)); return; }
        if (m.type === FROM_WORKER.RESULT) {
          results[m.id] = m.result;
          finished++;
          onResult(finished, jobs[m.id]);
          if (finished === jobs.length) { for (const w of workers) w.terminate(); resolve({ results, build }); return; }
          feed(worker);
        }
      });
      worker.on('error', (e) => fail(new Error(`a sweep worker crashed: ${e?.message ?? e}`)));
      worker.on('exit', (code) => { if (!failed && finished < jobs.length && code !== 0) fail(new Error(`a sweep worker exited with code ${code}`)); });
      worker.postMessage({ type: TO_WORKER.INIT, simd, data });
    }
  });
}

export async function run(argv) {
  const { given, help } = parseArgv(argv, FLAGS, 'sweep');
  if (help) { process.stdout.write(HELP); return EXIT.OK; }
  const format = choiceFlag(given, 'format', ['table', 'csv', 'json'], 'table');
  const seeds = intFlag(given, 'seeds', 1, MAX_SEEDS, DEFAULT_SEEDS);
  const steps = intFlag(given, 'steps', 0, MAX_STEPS, 0);
  const workerCount = intFlag(given, 'workers', 1, 64, availableParallelism());
  const simd = simdFlag(given);
  const warn = (m) => process.stderr.write(`warning: ${m}\n`);
  const { axes, base, configs } = buildGrid({ url: last(given, 'url'), given, warn });
  // Your own data: one data set for every cell (a list of files is not a sweep axis).
  const own = resolveData({ given, config: base, warn });
  if (own) for (const c of configs) c.dataset = 'csv';
  if (own && axes.some((a) => a.key === 'dataset')) throw new UsageError('--dataset cannot be a list with --data or a link\'s own data');
  const data = own && { X: own.X, y: own.y, features: own.features, classes: own.classes };
  const dataParam = own?.encoded ? `&data=${own.encoded}` : '';   // the link's data goes back into each cell's link
  if (configs.length * seeds > MAX_JOBS) throw new UsageError(`the grid has ${configs.length} cells × ${seeds} seeds = ${configs.length * seeds} runs (at most ${MAX_JOBS}); shorten a list or --seeds`);
  const out = createOutput(last(given, 'out'));

  const cellLabel = (c) => axes.map((a) => `${a.key}=${c[a.key]}`).join(' ') || 'base';
  const jobs = configs.flatMap((c, cell) => Array.from({ length: seeds }, (_, i) => {
    const config = { ...c, seed: (c.seed + i) % 4294967296 };
    return { cell, config, steps, label: `${cellLabel(c)} seed=${config.seed}` };
  }));

  const progress = createProgress({ total: jobs.length, label: 'sweep' });
  progress.update(0);
  const t0 = performance.now();
  let pool;
  try {
    pool = await runPool(jobs, { workers: Math.min(workerCount, jobs.length), simd, data, onResult: (done, job) => progress.update(done, job.label) });
  } finally {
    progress.done();
  }
  const seconds = (performance.now() - t0) / 1000;
  const cells = configs.map((c, cell) => {
    const runs = jobs.map((j, id) => ({ job: j, result: pool.results[id] })).filter((x) => x.job.cell === cell)
      .map(({ job, result }) => ({ seed: job.config.seed, ...result }));
    return { settings: Object.fromEntries(axes.map((a) => [a.key, c[a.key]])), link: serializeHash(c) + dataParam, runs, summary: summarize(runs) };
  });

  const lossLabel = steps === 0 ? 'loss at init' : `loss @${steps}`;
  if (format === 'table') {
    const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const firstSeed = base.seed;
    out.write(`gradscope sweep — ${plural(configs.length, 'cell')} × ${plural(seeds, 'seed')} (${seeds === 1 ? `seed ${firstSeed}` : `seeds ${firstSeed}…${firstSeed + seeds - 1}`}), ${steps === 0 ? 'at initialisation (step 0)' : plural(steps, 'training step')}, ${pool.build} build\n`);
    const fallback = defaults();
    const swept = new Set(axes.map((a) => a.key).concat('seed'));
    const changed = SCHEMA.filter((f) => !swept.has(f.key) && base[f.key] !== fallback[f.key]).map((f) => `${f.key}=${base[f.key]}`);
    out.write(`other settings: ${changed.length ? changed.join(' ') + ', the rest ' : ''}playground defaults (${describeBase(base, swept)})\n`);
    if (own) out.write(`data: ${describeData(last(given, 'data'), own)}\n`);
    out.write(`log10 first/last = log10(‖layer 1‖ / ‖output layer‖) of the step-0 gradients, median over seeds [min … max]\n\n`);
    const header = [...axes.map((a) => a.key), 'log10 ‖∂L/∂W‖ first/last', '[min … max]', 'log10 ‖δ‖ first/last', '[min … max]', lossLabel];
    if (steps > 0) header.push('test acc');
    header.push('diverged');
    const rows = cells.map(({ settings, summary: s }) => {
      const row = [...axes.map((a) => String(settings[a.key])),
        fixed(s.log10RatioW.median), `[${fixed(s.log10RatioW.min)} … ${fixed(s.log10RatioW.max)}]`,
        fixed(s.log10RatioB.median), `[${fixed(s.log10RatioB.min)} … ${fixed(s.log10RatioB.max)}]`,
        sig6(s.finalLoss.median)];
      if (steps > 0) row.push(sig6(s.testAccuracy.median));
      row.push(`${s.diverged}/${seeds}`);
      return row;
    });
    out.write(table(header, rows, { left: axes.map((_, i) => i) }));
  } else if (format === 'csv') {
    const stats = ['log10RatioW', 'log10RatioB', 'finalLoss', 'testAccuracy'];
    out.write(csvLine([...axes.map((a) => a.key), 'seeds', 'steps', ...stats.flatMap((k) => [`${k}_median`, `${k}_min`, `${k}_max`]), 'diverged']));
    for (const { settings, summary: s } of cells) {
      out.write(csvLine([...axes.map((a) => settings[a.key]), seeds, steps, ...stats.flatMap((k) => [exact(s[k].median), exact(s[k].min), exact(s[k].max)]), s.diverged]));
    }
  } else {
    const clean = (v) => (typeof v === 'number' ? finiteOrNull(v) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clean(x)])) : v);
    out.write(JSON.stringify({
      command: 'sweep', build: pool.build, steps, seeds, axes, base, baseLink: serializeHash(base),
      cells: cells.map((c) => ({ settings: c.settings, link: c.link, summary: clean(c.summary), runs: c.runs.map(clean) })),
    }, null, 1) + '\n');
  }
  out.finish();
  process.stderr.write(`${jobs.length} runs in ${seconds.toFixed(1)} s on ${Math.min(workerCount, jobs.length)} worker threads\n`);
  return EXIT.OK;
}
