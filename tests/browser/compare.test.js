// compare.test.js — compare mode: "Compare" copies run A into B; B gets
// ReLU; after one lock-step step the two gradient profiles (20 layers) differ
// in the first layer by more than 100× (read from their data tables); the
// gradient charts share their y range; the link (compare=B:activation=relu)
// restores both runs in a new page with the same first-step numbers; a
// hostile compare= value falls back field by field with a notice.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, openPage, stepCounter, ARTIFACTS } from './helpers.js';
import { parseCompare, serializeCompare } from '../../web/compare-state.js';

let env;
before(async () => { env = await startBrowser(); });
after(async () => { await env?.close(); });

/** A number as format.js prints it ("0.4213", "3.2×10⁻¹⁷") back to a Number. */
function readNumber(text) {
  const SUP = { '⁻': '-', '⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9' };
  const m = text.trim().match(/^(-?[\d.]+)(?:×10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+))?$/);
  if (!m) return NaN;
  return Number(m[1]) * (m[2] ? 10 ** Number([...m[2]].map((c) => SUP[c]).join('')) : 1);
}

/** The "now" column of a run's profile table (first row = layer 1), as numbers. */
async function profileColumn(page, run) {
  const sel = `#compare-${run}-profile details`;
  await page.evaluate((s) => { document.querySelector(s).open = true; }, sel);
  await page.waitForFunction((s) => document.querySelectorAll(`${s} tbody tr`).length > 0 && !document.querySelector(`${s} tbody td`).textContent.includes('—'), sel);
  return page.evaluate((s) => [...document.querySelectorAll(`${s} tbody tr`)].map((tr) => tr.children[1].textContent), sel).then((cells) => cells.map(readNumber));
}

/**
 * Every compared run's step badge says `step`, and so does the status line.
 * The badges are set when the workers answer the step request; the status line
 * is drawn from run A's stats stream at the next frame, so it can trail the
 * badges by a frame: wait for both before reading either.
 */
async function waitRunsAt(page, step) {
  await page.waitForFunction((k) => {
    const badges = [...document.querySelectorAll('#compare .run-badge')];
    return badges.length > 1 && badges.every((b) => b.textContent.trim() === `step ${k}`)
      && document.querySelector('#step-counter')?.textContent === String(k);
  }, step, { timeout: 15000 });
}

test('compare: sigmoid vs relu, lock-step, shared axes, profiles differ > 100× in layer 1', async () => {
  const { page, context, problems } = await openPage(env);
  assert.ok(await page.isHidden('#compare'), 'no compare section by default');
  await page.click('button.compare-open');
  await page.waitForSelector('#compare .compare-card[data-run="B"]');
  assert.match(await page.textContent('#controls-title'), /run B/, 'the form now edits run B');
  await page.selectOption('#cfg-activation', 'relu');
  await page.waitForFunction(() => /activation=relu/.test(decodeURIComponent(location.hash)) && /compare=B:activation=relu/.test(location.hash));
  assert.equal(await page.textContent('#compare .compare-card[data-run="B"] .run-diff'), 'Activation function: Sigmoid → ReLU');
  // A is still sigmoid (the hash's ordinary config).
  assert.match(await page.evaluate(() => location.hash), /[#&]activation=sigmoid(&|$)/);

  await page.waitForTimeout(200);
  await page.click('button.step');
  await waitRunsAt(page, 1);
  await page.waitForTimeout(100);   // a second step, if one were wrongly queued, would show by now
  assert.equal(await stepCounter(page), 1, 'run A made exactly one step');
  const a = await profileColumn(page, 'A');
  const b = await profileColumn(page, 'B');
  assert.equal(a.length, 21); assert.equal(b.length, 21);
  assert.ok(b[0] / a[0] > 100, `layer-1 gradient: relu ${b[0]} vs sigmoid ${a[0]} (ratio ${b[0] / a[0]})`);

  // Shared axes: every compare flow chart shows the same y range, and so does every profile chart.
  await page.waitForTimeout(300);
  const ranges = await page.evaluate(() => {
    const of = (sel) => [...document.querySelectorAll(sel)].map((c) => { const ch = Chart.getChart(c); return `${ch.scales.y.min}..${ch.scales.y.max}`; });
    return { flow: of('#compare .compare-flow canvas'), profile: of('#compare .compare-profile canvas') };
  });
  assert.equal(new Set(ranges.flow).size, 1, `flow ranges ${ranges.flow}`);
  assert.equal(new Set(ranges.profile).size, 1, `profile ranges ${ranges.profile}`);

  // Play runs both in lock-step; pause stops both at the same step.
  await page.click('button.play');
  await page.waitForFunction(() => Number(document.querySelector('#step-counter').textContent) >= 40);
  await page.click('button.play');
  await page.waitForFunction(() => document.querySelector('button.play').getAttribute('aria-pressed') === 'false');
  await page.waitForTimeout(300);
  const steps = await page.$$eval('#compare .run-badge', (bs) => bs.map((b) => b.textContent));
  assert.equal(new Set(steps).size, 1, `runs at different steps: ${steps}`);
  await page.screenshot({ path: `${ARTIFACTS}compare-1280.png` });
  await page.screenshot({ path: `${ARTIFACTS}compare-1280-full.png`, fullPage: true });
  await page.locator('#compare').screenshot({ path: `${ARTIFACTS}compare-section-1280.png` });

  // The shared link restores both runs; a fresh page gives the same first-step numbers.
  await page.click('button.share');
  const hash = await page.evaluate(() => location.hash);
  const second = await openPage(env, hash);
  await second.page.waitForSelector('#compare .compare-card[data-run="B"]');
  assert.equal(await second.page.inputValue('#cfg-activation'), 'sigmoid', 'the form shows run A');
  assert.equal(await second.page.textContent('#compare .compare-card[data-run="B"] .run-diff'), 'Activation function: Sigmoid → ReLU');
  await second.page.click('button.step');
  await waitRunsAt(second.page, 1);
  assert.deepEqual(await profileColumn(second.page, 'A'), a);
  assert.deepEqual(await profileColumn(second.page, 'B'), b);

  // Remove B: back to one run; the hash forgets the comparison.
  await second.page.click('#compare .compare-card[data-run="B"] .compare-remove');
  await second.page.waitForFunction(() => !location.hash.includes('compare='));
  assert.ok(await second.page.isHidden('#compare'));
  assert.deepEqual(second.problems, []);
  await second.context.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test('compare=: hostile values fall back field by field, with a notice', async () => {
  const hostile = '#compare=' + encodeURIComponent('B:activation=relu;depth=1e309;<img src=x onerror=alert(1)>=1|C:init=he_normal|X:foo|D:|E:');
  const { page, context, problems } = await openPage(env, hostile);
  await page.waitForSelector('#compare .compare-card[data-run="D"]');
  assert.equal(await page.locator('#compare .compare-card').count(), 4);
  assert.equal(await page.textContent('#compare .compare-card[data-run="B"] .run-diff'), 'Activation function: Sigmoid → ReLU');
  assert.match(await page.textContent('#compare .compare-card[data-run="C"] .run-diff'), /He normal/);
  const notice = await page.textContent('#notices');
  assert.match(notice, /depth/);
  assert.match(notice, /at most 4 runs|not a run/);
  assert.equal(await page.locator('img[src="x"]').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
  // The pure parser agrees and round-trips.
  const parsed = parseCompare('B:activation=relu;init=he_normal|C:');
  assert.deepEqual(parsed.notices, []);
  assert.equal(serializeCompare(parsed.runs), 'B:activation=relu;init=he_normal|C:');
});
