// cli.test.js — the `gradscope` command, run as a subprocess exactly as a user
// runs it (process.execPath bin/gradscope.js …). Run: node --test tests/cli.test.js
//
// What it checks: every output format parses; two identical runs give
// byte-identical stdout; a link made by the page's serializer (config.js
// serializeHash) reproduces, to the last bit, the per-layer ‖∂L/∂W‖ of step 1
// that the JS API computes directly (the reference here is built from
// config.js + gradscope.js alone, not from the CLI's own helpers); bad flags
// exit 2 naming the flag; a NaN exits 3; the sweep's progress is on stderr
// only and its result does not depend on the number of worker threads; the
// mean-field χ₁ of tanh at σ_w² 1.5, σ_b² 0.05 is ≈ 0.939; lessons --check
// runs a fake lessons module and fails when a lesson fails.

import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { CLI, gradscope } from './helpers/cli.js';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadGradscope, readRecord } from '../web/gradscope.js';
import { defaults, serializeHash, toDatasetSpec, toNetConfig, SCHEMA } from '../web/config.js';
import { encodeSmallDataset, decodeSmallDataset, parseCSV } from '../web/csv.js';



function parseCsv(text) {
  const lines = text.trimEnd().split('\n');
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  for (const row of rows) assert.equal(row.length, header.length, `csv row has ${row.length} cells, header ${header.length}`);
  return { header, rows };
}

const tmp = mkdtempSync(join(tmpdir(), 'gradscope-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// Each test only spawns processes: run them side by side (startup latency, not CPU, dominates).
describe('gradscope CLI', { concurrency: 3 }, () => {

test('train: table output is byte-identical between two runs, timing only on stderr', async () => {
  const args = ['train', '--depth', '6', '--width', '16', '--steps', '40', '--every', '20'];
  const [a, b] = await Promise.all([gradscope(args), gradscope(args)]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
  assert.match(a.stdout, /^step 1 /m);
  assert.match(a.stdout, /^step 20 /m);
  assert.match(a.stdout, /^step 40 /m);
  assert.match(a.stdout, /‖∂L\/∂W‖/);
  assert.match(a.stdout, /summary after 40 steps/);
  assert.doesNotMatch(a.stdout, /steps\/s/);
  assert.match(a.stderr, /steps\/s/);
  // 6 hidden layers + the output layer in each of the 3 tables
  assert.equal((a.stdout.match(/^out /gm) ?? []).length, 3);
});

test('train: csv parses (the page export layout) and json parses', async () => {
  const [csv, json] = await Promise.all([
    gradscope(['train', '--depth', '3', '--steps', '10', '--every', '5', '--format', 'csv']),
    gradscope(['train', '--depth', '3', '--steps', '10', '--every', '5', '--format', 'json'])]);
  assert.equal(csv.code, 0, csv.stderr);
  const { header, rows } = parseCsv(csv.stdout);
  assert.equal(header[0], 'step');
  assert.ok(header.includes('gradNormW_1') && header.includes('gradNormW_4') && !header.includes('gradNormW_5'));
  assert.deepEqual(rows.map((r) => r[0]), ['1', '5', '10']);
  for (const row of rows) for (const cell of row) assert.ok(Number.isFinite(Number(cell)), `csv cell ${cell}`);

  assert.equal(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout);
  assert.equal(out.layerCount, 4);
  assert.deepEqual(out.steps.map((s) => s.global.step), [1, 5, 10]);
  assert.equal(out.config.depth, 3);
  assert.ok(out.summary.trainAccuracy >= 0 && out.summary.trainAccuracy <= 1);
  assert.equal(out.diverged, null);
  // csv and json hold the same doubles
  const col = header.indexOf('gradNormW_2');
  assert.equal(Number(rows[2][col]), out.steps[2].layers[1].gradNormW);
});

test('train --url from config.serializeHash reproduces the JS API to the last bit', async () => {
  const config = { ...defaults(), depth: 7, width: 24, activation: 'tanh', init: 'he_normal', seed: 7, noise: 0.2, batchSize: 16 };
  const hash = serializeHash(config);
  const run = await gradscope(['train', '--url', `http://localhost:8000/#${hash.slice(1)}&lang=en`, '--steps', '3', '--every', '1', '--format', 'json']);
  assert.equal(run.code, 0, run.stderr);
  const cli = JSON.parse(run.stdout);
  assert.deepEqual(cli.config, config);
  assert.equal(cli.link, hash);

  const gs = await loadGradscope();
  assert.equal(cli.build, gs.simd ? 'simd' : 'scalar');
  const data = gs.createDataset(toDatasetSpec(config));
  const net = gs.createNet(toNetConfig(config));
  const r = net.trainSteps(data, 3);
  for (let i = 0; i < 3; i++) {
    const api = readRecord(r.records, i, net.layerCount);
    const fromCli = cli.steps[i];
    assert.equal(fromCli.global.step, i + 1);
    assert.deepEqual(fromCli.layers.map((l) => l.gradNormW), api.layers.map((l) => l.gradNormW), `gradNormW of step ${i + 1}`);
    assert.equal(fromCli.global.loss, api.global.loss);
  }
  net.free(); data.free();

  // A flag given with --url overrides the link.
  const over = await gradscope(['train', '--url', hash, '--depth', '2', '--steps', '1', '--format', 'json']);
  assert.equal(over.code, 0, over.stderr);
  const o = JSON.parse(over.stdout);
  assert.equal(o.config.depth, 2);
  assert.equal(o.config.activation, 'tanh');
  assert.equal(o.layerCount, 3);
});

test('train --url with the page\'s own-data link (dataset=csv&data=…) trains on the points in the link', async () => {
  // Two noisy blobs, encoded the way the page puts ≤ 200 points into a link.
  const X = [], y = [];
  for (let i = 0; i < 60; i++) { const c = i % 2; X.push((c ? 0.6 : -0.6) + ((i * 7) % 11) / 30, ((i * 5) % 13) / 20 - 0.3); y.push(c); }
  const encoded = encodeSmallDataset({ X: Float32Array.from(X), y: Int32Array.from(y), features: 2, classes: 2 });
  const config = { ...defaults(), dataset: 'csv', depth: 3, width: 8, seed: 5 };
  const link = `${serializeHash(config)}&data=${encoded}`;
  const run = await gradscope(['train', '--url', `http://localhost:8000/${link}`, '--steps', '4', '--every', '1', '--format', 'json']);
  assert.equal(run.code, 0, run.stderr);
  const cli = JSON.parse(run.stdout);
  assert.equal(cli.link, link, 'the printed link carries the data back');
  // The same run through the JS API on the decoded points (what the page trains on).
  const gs = await loadGradscope();
  const points = decodeSmallDataset(encoded);
  const data = gs.createDataset({ kind: 'arrays', X: points.X, y: points.y, features: 2, classes: 2, trainShare: config.trainShare, seed: config.seed });
  const net = gs.createNet({ ...toNetConfig(config), inputs: 2, outputs: 2 });
  const r = net.trainSteps(data, 4);
  for (let i = 0; i < 4; i++) assert.equal(cli.steps[i].global.loss, readRecord(r.records, i, net.layerCount).global.loss, `loss of step ${i + 1}`);
  net.free(); data.free();

  // No data in the link, or damaged data: exit 2, saying what is missing.
  const none = await gradscope(['train', '--url', serializeHash(config), '--steps', '1']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /dataset is csv .* give --data FILE/);
  const damaged = await gradscope(['train', '--url', `${serializeHash(config)}&data=AAAA`, '--steps', '1']);
  assert.equal(damaged.code, 2);
  assert.match(damaged.stderr, /--url: the data in the link is damaged/);
});

test('invalid flags exit 2 with a message naming the flag and its allowed values', async () => {
  const cases = [
    [['train', '--depth', '0'], /--depth must be an integer in 1\.\.100/],
    [['train', '--activation', 'sigmoidd'], /--activation must be one of linear, sigmoid, tanh/],
    [['train', '--init-scale', '2'], /unknown flag --init-scale.*did you mean --initScale/],
    [['train', '--format', 'xml'], /--format must be one of table, csv, json/],
    [['train', '--steps', '-5'], /--steps must be an integer/],
    [['train', '--depth'], /--depth needs a value/],
    [['train', 'depth=3'], /unexpected argument/],
    [['train', '--depth', '4', '--layers', 'relu,tanh'], /--layers must list 4 activations/],
    [['sweep', '--init', 'xavier_normal,he_nromal', '--depth', '2'], /--init must be one of .*he_normal/],
    [['sweep', '--seeds', '0'], /--seeds must be an integer in 1\.\.1000/],
    [['theory', '--sw2', '-1'], /--sw2 must be a number/],
    [['lessons', '--lang', 'fr'], /--lang must be one of en, zh-Hant/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ];
  const results = await Promise.all(cases.map(([args]) => gradscope(args)));
  for (const [i, [args, message]] of cases.entries()) {
    const r = results[i];
    assert.equal(r.code, 2, `${args.join(' ')} → exit ${r.code}\n${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
  }
});

test('a non-finite step stops training with exit code 3 and says where', async () => {
  const r = await gradscope(['train', '--depth', '30', '--activation', 'relu', '--init', 'normal', '--initScale', '3', '--lr', '10', '--steps', '50', '--every', '10']);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stdout, /diverged at step \d+: non-finite value in layer \w+, (forward|loss|backward|update) phase/);
  assert.match(r.stderr, /diverged: step \d+/);
});

test('sweep: table on stdout, progress on stderr, same numbers with 1 or 2 workers; csv and json parse', async () => {
  const grid = ['sweep', '--depth', '3,8', '--activation', 'sigmoid,relu', '--init', 'he_normal', '--seeds', '2', '--width', '16'];
  const [a, b, csv, jsonRun] = await Promise.all([
    gradscope([...grid, '--workers', '2']), gradscope([...grid, '--workers', '1']),
    gradscope([...grid, '--format', 'csv']), gradscope([...grid, '--format', 'json', '--steps', '20'])]);
  assert.equal(a.code, 0, a.stderr);
  assert.match(a.stderr, /ETA/);
  assert.match(a.stderr, /8\/8/);
  assert.doesNotMatch(a.stdout, /ETA|█|░|\r/);
  const lines = a.stdout.trimEnd().split('\n');
  const headerAt = lines.findIndex((l) => l.startsWith('depth'));
  assert.ok(headerAt > 0, a.stdout);
  assert.equal(lines.length - headerAt - 2, 4, 'one row per cell');
  assert.match(lines[headerAt], /log10 ‖∂L\/∂W‖ first\/last/);
  assert.equal(b.stdout, a.stdout);

  const { header, rows } = parseCsv(csv.stdout);
  assert.deepEqual(header.slice(0, 2), ['depth', 'activation']);
  assert.equal(rows.length, 4);
  const ratio = (d, act) => Number(rows.find((r) => r[0] === d && r[1] === act)[header.indexOf('log10RatioW_median')]);
  assert.ok(ratio('8', 'sigmoid') < ratio('3', 'sigmoid') - 1, 'deeper sigmoid nets: the first layer\'s gradient vanishes');

  const json = JSON.parse((await gradscope([...grid, '--format', 'json', '--steps', '20'])).stdout);
  assert.equal(json.cells.length, 4);
  assert.equal(json.cells[0].runs.length, 2);
  assert.deepEqual(json.cells[0].runs.map((r) => r.seed), [1, 2]);
  assert.equal(typeof json.cells[0].summary.finalLoss.median, 'number');
});

test('sweep --data runs every cell on your own CSV file, as the JS API does', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradscope-sweep-data-'));
  try {
    const lines = ['x,y,class'];
    for (let i = 0; i < 90; i++) { const c = i % 3; lines.push(`${(c - 1 + Math.sin(i) * 0.3).toFixed(3)},${(Math.cos(i * 1.7) * 0.4).toFixed(3)},${'abc'[c]}`); }
    const file = join(dir, 'points.csv');
    writeFileSync(file, lines.join('\n'));
    const run = await gradscope(['sweep', '--data', file, '--normalize', 'standard', '--depth', '2,5', '--activation', 'tanh', '--seeds', '1', '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.equal(out.cells.length, 2);
    const gs = await loadGradscope();
    const csv = parseCSV(lines.join('\n'), { normalize: 'standard' });
    for (const cell of out.cells) {
      // the same run through the JS API: the file's 2 features and 3 classes, step-0 gradients
      const config = { ...defaults(), dataset: 'csv', activation: 'tanh', depth: cell.settings.depth };
      const data = gs.createDataset({ kind: 'arrays', X: csv.X, y: csv.y, features: csv.features, classes: csv.classes, trainShare: config.trainShare, seed: config.seed });
      const net = gs.createNet({ ...toNetConfig(config), inputs: csv.features, outputs: csv.classes });
      const rec = readRecord(net.trainSteps(data, 1).records, 0, net.layerCount);
      const want = Math.log10(rec.layers[0].gradNormW / rec.layers.at(-1).gradNormW);
      assert.equal(cell.summary.log10RatioW.median, want, `depth ${cell.settings.depth}`);
      net.free(); data.free();
    }
    const bad = await gradscope(['sweep', '--data', file, '--dataset', 'spiral,csv', '--depth', '2']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--dataset cannot be a list with --data/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('sweep --out writes the file and leaves stdout empty', async () => {
  const file = join(tmp, 'sweep.csv');
  const r = await gradscope(['sweep', '--depth', '2', '--seeds', '1', '--format', 'csv', '--out', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(parseCsv(readFileSync(file, 'utf8')).rows.length, 1);
});

test('theory: tanh at σ_w² 1.5, σ_b² 0.05 has χ₁ ≈ 0.939', async () => {
  const [r, table] = await Promise.all([
    gradscope(['theory', '--activation', 'tanh', '--sw2', '1.5', '--sb2', '0.05', '--format', 'json']),
    gradscope(['theory', '--activation', 'tanh', '--sw2', '1.5', '--sb2', '0.05'])]);
  assert.equal(r.code, 0, r.stderr);
  const t = JSON.parse(r.stdout);
  assert.ok(Math.abs(t.chi1 - 0.939) / 0.939 < 0.05, `chi1 ${t.chi1}`);
  assert.ok(t.qStar > 0 && t.depthScale > 0);
  assert.ok(t.criticalSw2 > 1.5, 'σ_w² 1.5 is on the ordered side for tanh');
  assert.match(table.stdout, /χ₁\s+0\.93\d+/);
  assert.match(table.stdout, /critical σ_w²/);
});

test('lessons: missing module, listing, --check pass/fail and exit codes', async () => {
  const none = await gradscope(['lessons'], { GRADSCOPE_LESSONS: join(tmp, 'does-not-exist.js') });
  assert.equal(none.code, 0);
  assert.equal(none.stdout, 'no lessons available yet\n');

  const fake = join(tmp, 'lessons.js');
  writeFileSync(fake, `
    export const LESSONS = [
      { id: 'chi-tanh', title: { en: 'Tanh is ordered below σ_w² ≈ 1.76', 'zh-Hant': 'tanh 的有序相' }, source: 'Schoenholz et al. 2017',
        config: { activation: 'tanh', depth: 10 },
        async run(gs) { const { chi1 } = gs.theory({ activation: 'tanh', sw2: 1.5, sb2: 0.05 }); return { passed: chi1 < 1, measured: { chi1 }, expected: { chi1: '< 1' }, details: 'mean field' }; } },
      { id: 'always-fails', title: { en: 'A lesson that fails', 'zh-Hant': '失敗' }, source: 'test',
        config: [['depth', '3']],
        async run() { return { passed: false, measured: 1, expected: 2, details: 'on purpose' }; } },
    ];`);
  const env = { GRADSCOPE_LESSONS: fake };
  const [list, zh, listJsonRun, check, one, unknown] = await Promise.all([
    gradscope(['lessons'], env), gradscope(['lessons', '--lang', 'zh-Hant'], env), gradscope(['lessons', '--format', 'json'], env),
    gradscope(['lessons', '--check'], env), gradscope(['lessons', '--check', '--only', 'chi-tanh', '--format', 'json'], env),
    gradscope(['lessons', '--only', 'nope'], env)]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /chi-tanh\s+Tanh is ordered/);
  assert.match(zh.stdout, /tanh 的有序相/);
  assert.match(JSON.parse(listJsonRun.stdout).lessons[0].link, /activation=tanh.*&lesson=chi-tanh/);
  assert.equal(check.code, 1, check.stderr);
  assert.match(check.stdout, /PASS\s+chi-tanh\s+chi1=0\.93\d+/);
  assert.match(check.stdout, /FAIL\s+always-fails\s+1\.00000\s+2\.00000\s+on purpose/);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(JSON.parse(one.stdout).passed, 1);
  assert.equal(unknown.code, 2);
});

test('--help of every command: flags from the schema, exit codes, exit 0', async () => {
  const commands = ['train', 'sweep', 'lessons', 'theory'];
  const helps = await Promise.all(commands.map((c) => gradscope([c, '--help'])));
  for (const [i, command] of commands.entries()) {
    const r = helps[i];
    assert.equal(r.code, 0, command);
    assert.match(r.stdout, /Exit codes:[\s\S]*2 {2}usage error[\s\S]*3 {2}training diverged/, command);
  }
  const train = (await gradscope(['train', '--help'])).stdout;
  for (const f of SCHEMA) assert.match(train, new RegExp(`--${f.key} <${f.type}>`), f.key);
  assert.match(train, /--activation <enum>\s+Activation function: one of linear, sigmoid/);
  const top = await gradscope(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /train[\s\S]*sweep[\s\S]*lessons[\s\S]*theory/);
});
});
