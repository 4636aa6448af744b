// run.js — `npm run bench`: one Node process measures (a) matmul GFLOP/s
// against the measured SIMD ceiling, (b) ms per training step for gradscope
// (SIMD and scalar builds), TF.js (wasm and cpu backends) and ConvNetJS on the
// same step, (c) the gzip size of what the page loads; then prints the ratio
// table and PASS/FAIL per target of issue 3, and writes
// bench/results/latest.json and bench/results/latest.md. Takes ~5 min on a
// 2-core machine (the TF.js cpu backend and ConvNetJS dominate).
//
//   node bench/run.js [--rounds=N] [--only=matmul,training,size] [--no-build]
//                     [--wasm-dir=DIR] [--quick] [--no-pin]
//
// --quick (2 rounds, two configs) is for checking the harness, not for numbers;
// it and --only runs write bench/results/partial.{json,md}, never latest.
// Exit status: 0 when the run completed (targets may FAIL: they are reported).

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, renameSync, mkdirSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { loadGradscope } from '../web/gradscope.js';
import { runMatmul } from './matmul.js';
import { runTraining, CONFIGS, IMPLS, stepMatmuls } from './training.js';
import { runSize } from './size.js';
import { createCorePicker } from './cores.js';
import { analyse, toMarkdown } from './report.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, 'bench', 'results');

function parseArgs(argv) {
  const opts = { rounds: 7, only: ['matmul', 'training', 'size'], build: true, wasmDir: path.join(root, 'web', 'wasm'), quick: false, pin: true };
  for (const a of argv) {
    const [k, v] = a.replace(/^--/, '').split('=');
    if (k === 'rounds') opts.rounds = Math.max(1, parseInt(v, 10));
    else if (k === 'only') opts.only = v.split(',');
    else if (k === 'no-build') opts.build = false;
    else if (k === 'wasm-dir') { opts.wasmDir = path.resolve(v); opts.build = false; }
    else if (k === 'quick') opts.quick = true;
    else if (k === 'no-pin') opts.pin = false;   // leave the main thread where the OS puts it (cores.js)
    else { console.error(`bench: unknown option ${a}`); process.exit(2); }
  }
  if (opts.quick && !argv.some((a) => a.startsWith('--rounds'))) opts.rounds = 2;
  return opts;
}

function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const get = (k) => info.match(new RegExp(`^${k}\\s*:\\s*(.*)$`, 'm'))?.[1]?.trim();
    cpu = `${get('model name') ?? cpu} (family ${get('cpu family')}, model ${get('model')}, ${get('cpu MHz') ? `${Math.round(Number(get('cpu MHz')))} MHz` : '? MHz'})`;
  } catch { /* not Linux: os.cpus() is enough */ }
  return { cpu, cores: os.cpus().length, node: process.version, v8: process.versions.v8 };
}

function writeAtomic(file, text) {
  writeFileSync(file + '.tmp', text);
  renameSync(file + '.tmp', file);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const log = (msg) => console.error(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${msg}`);

  if (opts.build) {
    const r = spawnSync('bash', [path.join(root, 'build.sh')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) {
      if (!existsSync(path.join(opts.wasmDir, 'gradscope-simd.wasm'))) { console.error('bench: build.sh failed and there is no wasm to measure'); process.exit(1); }
      log('build.sh failed: measuring the wasm files already in web/wasm (they may be stale)');
    }
  }
  const url = (build) => pathToFileURL(path.join(opts.wasmDir, `gradscope-${build}.wasm`)).href;
  const gs = { simd: await loadGradscope({ simd: true, url: url('simd') }), scalar: await loadGradscope({ simd: false, url: url('scalar') }) };
  for (const [build, g] of Object.entries(gs)) {
    for (const name of ['gs_bench_ceiling', 'gs_kernel_run', 'gs_kernel_work_floats']) if (!g.exports[name]) { console.error(`bench: ${build} wasm lacks the export ${name}`); process.exit(1); }
  }

  const configs = opts.quick ? CONFIGS.filter((c) => c.variant === 'plain' && c.activation === 'tanh') : CONFIGS;
  const meta = { date: new Date().toISOString(), ...machine(), rounds: opts.rounds, wasmDir: path.relative(root, opts.wasmDir) || '.', load: os.loadavg().map((x) => x.toFixed(2)).join(' '), quick: opts.quick };
  log(`${meta.cpu}, ${meta.cores} cores, Node ${meta.node}; load ${meta.load}`);
  const results = { meta };

  if (opts.only.includes('size')) {
    // the page as a static host serves it: dist/ from scripts/build-site.js (minified)
    const site = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-site.js')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (site.status !== 0) { console.error('bench: scripts/build-site.js failed'); process.exit(1); }
    results.size = runSize(path.join(root, 'dist'));
  }
  const cores = createCorePicker(gs.simd.exports, { enabled: opts.pin, log });
  if (opts.only.includes('matmul')) {
    const stepShapes = configs.flatMap(stepMatmuls).map(({ B, I, O }) => ({ B, I, O }));
    results.matmul = runMatmul(gs, { rounds: opts.rounds, extraShapes: stepShapes, cores, log });
    if (!(results.matmul.ceiling.simd.median > 1)) log('warning: gs_bench_ceiling measured ~0 GFLOP/s — is csrc/bench_ceiling.c still the placeholder?');
  }
  if (opts.only.includes('training')) results.training = await runTraining(gs, { rounds: opts.rounds, configs, impls: IMPLS, cores, log });
  results.cores = cores.summary();

  const derived = analyse(results);
  const md = toMarkdown(results, derived);
  // Only a complete run is "latest"; --quick or --only runs go to partial.* so they never replace it.
  const complete = !opts.quick && ['matmul', 'training', 'size'].every((p) => opts.only.includes(p));
  const base = complete ? 'latest' : 'partial';
  mkdirSync(resultsDir, { recursive: true });
  writeAtomic(path.join(resultsDir, `${base}.json`), JSON.stringify({ ...results, derived }, null, 1) + '\n');
  writeAtomic(path.join(resultsDir, `${base}.md`), md);
  console.log(md);
  log(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s; wrote bench/results/${base}.json and ${base}.md`);
}

main().catch((err) => { console.error(err); process.exit(1); });
