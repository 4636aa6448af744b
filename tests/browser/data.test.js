// data.test.js — your own data on the page: a CSV with a mistake (uploaded)
// shows its line number and trains nothing (the step counter stays 0, the
// worker builds no data set); a pasted CSV trains and round-trips through the
// URL (data=); points added by clicking the decision-boundary plot are
// exactly the rows the worker trains on.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, openPage, stepCounter, ARTIFACTS } from './helpers.js';

let env;
before(async () => { env = await startBrowser(); });
after(async () => { await env?.close(); });

const datasetsBuilt = (page) => page.evaluate(() => Number(document.querySelector('.gs-playground').dataset.datasets ?? 0));
const datasetRows = (page) => page.evaluate(() => document.querySelector('.gs-playground').dataset.datasetRows);

/** The boundary view's point list: [[x, y, class, split], …]. */
async function pointRows(page) {
  await page.evaluate(() => { document.querySelector('#view-boundary details').open = true; });
  return page.$$eval('#view-boundary .points-table tbody tr', (trs) => trs.map((tr) => [...tr.children].slice(1).map((c) => c.textContent)));
}

const SMALL_CSV = 'x,y,class\n0.5,0.5,a\n-0.5,-0.5,b\n0.6,-0.4,a\n-0.6,0.4,b\n0.1,0.9,a\n-0.9,-0.1,b\n0.3,0.2,a\n-0.2,-0.3,b\n';

test('a CSV with a mistake shows its line and trains nothing; a good one trains and round-trips through the link', async () => {
  const { page, context, problems } = await openPage(env, '#depth=4&width=16&activation=relu&init=he_normal&lr=0.3');
  const built = await datasetsBuilt(page);
  assert.ok(await page.isHidden('#data-panel'), 'the data panel is hidden until "Your data" is picked');
  await page.selectOption('#cfg-dataset', 'csv');
  await page.waitForSelector('#data-panel', { state: 'visible' });

  // Upload: line 4 has a word where a number belongs.
  const bad = 'x,y,class\n0.1,0.2,0\n0.3,0.4,1\n0.5,abc,0\n0.7,0.8,1\n';
  await page.setInputFiles('#data-file', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.waitForFunction(() => document.querySelector('#data-error').textContent.length > 0);
  assert.match(await page.textContent('#data-error'), /line 4, column 2/);
  await page.click('button.step');
  await page.waitForTimeout(300);
  assert.equal(await stepCounter(page), 0, 'nothing trained');
  assert.equal(await datasetsBuilt(page), built, 'the worker built no data set');
  assert.match(await page.textContent('#notices'), /no data to train on/);

  // Paste a good one (text labels, a header): it trains.
  await page.fill('#data-text', SMALL_CSV);
  await page.click('button.data-use');
  await page.waitForFunction(() => document.querySelector('.gs-playground').dataset.datasetRows === '8');
  assert.equal(await page.textContent('#data-error'), '');
  assert.match(await page.textContent('#data-summary'), /8 rows · 2 features · 2 classes/);
  await page.waitForFunction(() => /[#&]data=[\w-]+/.test(location.hash) && /dataset=csv/.test(location.hash));
  await page.click('button.play');
  await page.waitForFunction(() => Number(document.querySelector('#step-counter').textContent) >= 150);
  await page.click('button.play');
  assert.doesNotMatch(await page.textContent('#notices'), /no data to train on/, 'the "no data" notice went away');
  const rows = await pointRows(page);
  assert.equal(rows.length, 8);
  await page.evaluate(() => { document.querySelector('#view-boundary details').open = false; });
  // The picture: the data panel (left) beside the decision boundary of the pasted points.
  await page.evaluate(() => {
    const panel = document.querySelector('#view-boundary');
    window.scrollTo(0, panel.getBoundingClientRect().top + window.scrollY - 70);
    const controls = document.querySelector('#controls');
    controls.scrollTop = document.querySelector('#data-panel').offsetTop - controls.offsetTop - 40;
  });
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${ARTIFACTS}data-1280.png` });
  await page.screenshot({ path: `${ARTIFACTS}data-1280-full.png`, fullPage: true });

  // The link carries the data: a fresh page has the same points.
  const hash = await page.evaluate(() => location.hash);
  const second = await openPage(env, hash);
  await second.page.waitForFunction(() => document.querySelector('.gs-playground').dataset.datasetRows === '8');
  assert.equal(await second.page.inputValue('#cfg-dataset'), 'csv');
  assert.deepEqual(await pointRows(second.page), rows);
  assert.deepEqual(second.problems, []);
  await second.context.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test('points added by clicking are exactly the rows the worker trains on', async () => {
  const { page, context, problems } = await openPage(env);
  await page.selectOption('#cfg-dataset', 'csv');
  await page.waitForSelector('#data-panel', { state: 'visible' });
  await page.fill('#cfg-trainShare', '1');
  await page.press('#cfg-trainShare', 'Enter');
  await page.fill('#cfg-batchSize', '8');
  await page.press('#cfg-batchSize', 'Enter');
  await page.waitForFunction(() => /trainShare=1(&|$)/.test(location.hash) && /batchSize=8(&|$)/.test(location.hash));

  const canvas = page.locator('#view-boundary canvas');
  await canvas.scrollIntoViewIfNeeded();
  // The view sizes its canvas to its box when it draws (views/boundary.js), and
  // the scheduler paces the views' draws after a config change: measure the
  // canvas once it has been drawn at its box's current size.
  await page.waitForFunction(() => {
    const cv = document.querySelector('#view-boundary canvas'), box = cv.closest('.chart-box');
    return parseInt(cv.style.width, 10) === Math.max(50, Math.floor(Math.min(box.clientWidth, box.clientHeight || box.clientWidth)));
  });
  const box = await canvas.boundingBox();
  const clicks = [[0.30, 0.30, 0], [0.35, 0.60, 0], [0.25, 0.45, 0], [0.70, 0.30, 1], [0.65, 0.60, 1], [0.75, 0.45, 1]];
  for (const [i, [fx, fy, k]] of clicks.entries()) {
    await page.selectOption('#data-class', String(k));
    await canvas.click({ position: { x: fx * box.width, y: fy * box.height } });
    await page.waitForFunction((n) => document.querySelector('.gs-playground').dataset.datasetRows === String(n), i + 1);
  }
  await page.click('button.step');
  await page.waitForFunction(() => document.querySelector('#step-counter').textContent === '1');
  const rows = await pointRows(page);
  assert.equal(rows.length, 6, 'six rows, no more');
  // The plane spans [−1.2, 1.2]² (points this close to the centre keep it so).
  rows.forEach(([x, y, k, split], i) => {
    const [fx, fy, cls] = clicks[i];
    assert.ok(Math.abs(Number(x) - (-1.2 + 2.4 * fx)) < 0.02, `row ${i + 1}: x ${x}`);
    assert.ok(Math.abs(Number(y) - (1.2 - 2.4 * fy)) < 0.02, `row ${i + 1}: y ${y}`);
    assert.equal(k, String(cls));
    assert.equal(split, 'train');
  });
  assert.match(await page.textContent('#status'), /loss/);

  // Shift+click removes the nearest point.
  await canvas.click({ position: { x: 0.75 * box.width, y: 0.45 * box.height }, modifiers: ['Shift'] });
  await page.waitForFunction(() => document.querySelector('.gs-playground').dataset.datasetRows === '5');
  assert.equal((await pointRows(page)).length, 5);
  assert.deepEqual(problems, []);
  await context.close();
});
