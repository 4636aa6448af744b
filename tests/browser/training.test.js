// training.test.js — the run controls against the JS API in Node:
//   play trains and the gradient chart and its table update;
//   step advances exactly one minibatch, with the same numbers Node computes
//   for the same config and seed (same SIMD wasm) to ~1e-12 relative;
//   reset brings back the same first step; export gives parseable CSV/JSON.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, openPage, stepCounter, downloadText, waitForStep } from './helpers.js';
import { loadGradscope, readRecord } from '../../web/gradscope.js';
import { defaults, toNetConfig, toDatasetSpec } from '../../web/config.js';

let env, gs;
before(async () => { env = await startBrowser(); gs = await loadGradscope({ simd: true }); });
after(async () => { await env?.close(); });

/** First-step layer stats in Node, for the page's default config. */
function nodeFirstStep(config) {
  const net = gs.createNet(toNetConfig(config));
  const data = gs.createDataset(toDatasetSpec(config));
  const r = net.trainSteps(data, 1);
  const rec = readRecord(r.records, 0, net.layerCount);
  net.free(); data.free();
  return rec;
}

const relDiff = (a, b) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);

test('play trains; the gradient-flow chart and its table update', async () => {
  const { page, context, problems } = await openPage(env);
  const chart = page.locator('#view-flow canvas');
  const before = await chart.screenshot();
  await page.click('#view-flow summary');
  await page.click('button.play');
  await waitForStep(page, 20);
  const table1 = await page.textContent('#view-flow table');
  await waitForStep(page, (await stepCounter(page)) + 50);
  // Charts redraw when the frame scheduler gets to them (later on a loaded machine).
  await page.waitForFunction((old) => document.querySelector('#view-flow table').textContent !== old, table1, { timeout: 10000 }).catch(() => {});
  const table2 = await page.textContent('#view-flow table');
  await page.click('button.play');
  assert.notEqual(table1, table2, 'the table follows training');
  assert.match(table2, /layer 1/);
  assert.equal(await page.locator('#view-flow tbody tr').count(), 21, 'one row per layer (20 hidden + output)');
  await page.waitForTimeout(100);
  const afterShot = await chart.screenshot();
  assert.ok(!before.equals(afterShot), 'the chart was redrawn');
  assert.deepEqual(problems, []);
  await context.close();
});

test('step = one minibatch, equal to the Node API run; reset reproduces it; CSV parses', async () => {
  const { page, context, problems } = await openPage(env);
  assert.equal(await stepCounter(page), 0);
  await page.click('button.step');
  await page.waitForFunction(() => document.querySelector('#step-counter')?.textContent === '1');
  await page.waitForTimeout(100);
  assert.equal(await stepCounter(page), 1, 'one step, not more');

  const json = JSON.parse(await downloadText(page, 'button.export-json'));
  assert.equal(json.steps.length, 1);
  const reference = nodeFirstStep(defaults());
  const worst = Math.max(...reference.layers.map((l, i) => relDiff(l.gradNormW, json.steps[0].layers[i].gradNormW)));
  assert.ok(worst <= 1e-12, `first-step gradNormW differs from Node by ${worst} (relative)`);
  assert.ok(relDiff(reference.global.loss, json.steps[0].global.loss) <= 1e-12);

  // Another step, then reset: step 1 again with the very same numbers.
  await page.click('button.step');
  await page.waitForFunction(() => document.querySelector('#step-counter')?.textContent === '2');
  await page.click('button.reset');
  await page.waitForFunction(() => document.querySelector('#step-counter')?.textContent === '0');
  await page.click('button.step');
  await page.waitForFunction(() => document.querySelector('#step-counter')?.textContent === '1');
  await page.waitForTimeout(100);
  const again = JSON.parse(await downloadText(page, 'button.export-json'));
  assert.equal(again.steps.length, 1);
  assert.deepEqual(again.steps[0].layers.map((l) => l.gradNormW), json.steps[0].layers.map((l) => l.gradNormW));

  // CSV: a header, one row per step, every cell a number (or NaN/Inf spelled out).
  await page.click('button.epoch');
  await waitForStep(page, 2);
  await page.waitForTimeout(100);
  const csv = (await downloadText(page, 'button.export-csv')).trim().split('\n');
  const head = csv[0].split(',');
  assert.equal(head[0], 'step');
  assert.ok(head.includes('gradNormW_1') && head.includes('gradNormB_21'));
  const steps = await stepCounter(page);
  assert.equal(csv.length - 1, steps, 'one CSV row per step');
  for (const line of csv.slice(1)) {
    const cells = line.split(',');
    assert.equal(cells.length, head.length);
    for (const c of cells) assert.ok(c === 'NaN' || c === 'Inf' || c === '-Inf' || Number.isFinite(Number(c)), `bad cell ${c}`);
  }
  assert.equal(Number(csv[1].split(',')[head.indexOf('gradNormW_1')]), json.steps[0].layers[0].gradNormW);

  const cfg = JSON.parse(await downloadText(page, 'button.export-config'));
  assert.equal(cfg.config.depth, 20);
  assert.match(cfg.link, /#dataset=spiral/);
  assert.deepEqual(problems, []);
  await context.close();
});

// While training runs, a chart scrolled far out of sight is not redrawn
// (web/scheduler.js): it catches up when it comes into view, and when training
// stops. The grad-norm table (the last view, ~2400 px down at 1280×800), when
// open, is refilled by each draw: it shows the step its chart last drew.
test('off-screen charts wait while training, and catch up on scroll and on pause', async () => {
  const { page, context, problems } = await openPage(env);
  const normTable = () => page.evaluate(() => document.querySelector('#view-norm table')?.textContent ?? '');
  const onScreen = () => page.evaluate(() => { const r = document.querySelector('#view-norm').getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; });
  assert.equal(await onScreen(), false, 'the test needs #view-norm below the fold');
  // open its table without scrolling to it (a draw refills an open table)
  await page.evaluate(() => { document.querySelector('#view-norm details').open = true; });
  await page.click('button.play');
  await waitForStep(page, 30);
  const frozen = await normTable();
  await page.waitForTimeout(2500);   // every on-screen chart redraws many times meanwhile
  assert.ok(Number(await stepCounter(page)) > 300, 'training went on');
  assert.equal(await normTable(), frozen, 'an off-screen chart was redrawn while training');
  // scrolled into view: it draws, while training goes on
  await page.locator('#view-norm').scrollIntoViewIfNeeded();
  await page.waitForFunction((old) => document.querySelector('#view-norm table').textContent !== old, frozen, { timeout: 10000 });
  // scrolled away again, then paused: the pause brings it up to date
  await page.evaluate(() => scrollTo(0, 0));
  await page.waitForTimeout(300);
  const away = await normTable();
  await page.click('button.play');   // pause
  await page.waitForFunction((old) => document.querySelector('#view-norm table').textContent !== old, away, { timeout: 10000 });
  const last = Number(await stepCounter(page));
  await page.waitForFunction((n) => document.querySelector('#view-norm table').textContent.includes(String(n)), last, { timeout: 10000 });
  assert.deepEqual(problems, []);
  await context.close();
});

// The gradient-flow chart keeps its tooltip points in Chart.js only under the
// pointer (web/views/gradient-flow.js): two corner points otherwise, every
// point while hovering, so the tooltip still shows the exact value.
test('gradient-flow tooltips: all points under the pointer, two corners otherwise', async () => {
  const { page, context, problems } = await openPage(env);
  await page.click('button.play');
  await waitForStep(page, 40);
  await page.click('button.play');
  await page.waitForTimeout(300);
  const flowPoints = () => page.evaluate(() => Object.values(Chart.instances).find((c) => c.canvas.closest('#view-flow')).data.datasets[0].data.length);
  assert.equal(await flowPoints(), 2, 'away from the pointer the dataset holds the two axis corners');
  const box = await page.locator('#view-flow canvas').boundingBox();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
  await page.waitForFunction(() => Object.values(Chart.instances).find((c) => c.canvas.closest('#view-flow')).data.datasets[0].data.length > 20);
  // every layer's line has its points there, so hovering a line finds a value
  const layers = await page.evaluate(() => new Set(Object.values(Chart.instances).find((c) => c.canvas.closest('#view-flow')).data.datasets[0].data.map((p) => p.l)).size);
  assert.equal(layers, 21, 'points of all 21 layers (20 hidden + output)');
  assert.deepEqual(problems, []);
  await context.close();
});
