// lessons.test.js — lessons, the theory guide and the edge-of-chaos map on
// the page: a lesson link applies the lesson, runs it and the badge (the
// lesson's own check(), as in tests/lessons.test.js) turns "pass"; a
// zh-Hant link shows the lesson in Chinese; the profile chart carries the
// mean-field guide for a plain tanh net; moving the map's dot (keyboard and
// pointer) rewrites the config in the hash and rebuilds the net (same seed).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, openPage, ARTIFACTS } from './helpers.js';

let env;
before(async () => { env = await startBrowser(); });
after(async () => { await env?.close(); });

const hashParams = (page) => page.evaluate(() => Object.fromEntries(new URLSearchParams(location.hash.slice(1))));
const badgeState = (page) => page.getAttribute('#lesson-badge', 'data-state');

test('#lesson=chain-rule: the lesson is applied and its badge turns pass', async () => {
  const { page, context, problems } = await openPage(env, '#lesson=chain-rule');
  await page.waitForSelector('#lesson-badge[data-state="pass"]', { timeout: 20000 });
  const p = await hashParams(page);
  assert.equal(p.lesson, 'chain-rule');
  assert.equal(p.width, '1');
  assert.equal(p.depth, '6');
  assert.equal(await page.inputValue('#lesson-select'), 'chain-rule');
  // Both runs of the claim were checked: the watched one (w = 100) and the headless one (w = 1).
  assert.equal(await page.locator('.lesson-variant.state-pass').count(), 2);
  // The setup really ran in the page's worker: ‖δ‖ grows exactly 25× per layer toward the input.
  const details = await page.textContent('.lesson-details pre');
  assert.match(details, /✓ w100\.factor1 = 25\b/);
  assert.doesNotMatch(details, /✗/);
  await page.screenshot({ path: `${ARTIFACTS}lesson-chain-rule-1280.png`, fullPage: false });

  // The picker: another lesson (its config, its badge), then free play (no lesson in the hash).
  await page.selectOption('#lesson-select', 'exploding');
  await page.waitForFunction(() => /[#&]lesson=exploding(&|$)/.test(location.hash) && /[#&]activation=relu(&|$)/.test(location.hash));
  await page.waitForFunction(() => document.querySelector('.lesson-title')?.textContent === 'Exploding gradients');
  // Its own verdict, not the previous lesson's: the check's output names its runs.
  await page.waitForFunction(() => document.querySelector('#lesson-badge')?.dataset.state === 'pass' && /relu\./.test(document.querySelector('.lesson-details pre')?.textContent ?? ''), null, { timeout: 20000 });
  await page.selectOption('#lesson-select', '');
  await page.waitForFunction(() => !/lesson=/.test(location.hash));
  assert.equal(await page.isVisible('.lesson-body'), false);
  assert.deepEqual(problems, []);
  await context.close();
});

test('#lesson=relu-he/he: an ensemble variant is judged on its 16 nets (the watched one and 15 more seeds)', async () => {
  const { page, context, problems } = await openPage(env, '#lesson=relu-he/he');
  await page.waitForSelector('#lesson-badge[data-state="pass"]', { timeout: 60000 });
  const details = await page.textContent('.lesson-details pre');
  // the He claim as the paper states it: the mean over nets, and no net decaying
  assert.match(details, /✓ he\.meanVarianceRatio = [\d.]+ \(expected Var\(u₃₀\)\/Var\(u₁\) averaged over 16 nets/);
  assert.match(details, /✓ he\.worstSingleNetLog2/);
  assert.match(details, /✓ xavier\.log2VarianceRatio = -2\d/);
  assert.doesNotMatch(details, /✗/);
  assert.equal((await hashParams(page)).init, 'he_normal');
  assert.deepEqual(problems, []);
  await context.close();
});

test('iframe mode (?embed=1&lesson=…): the lesson panel and its badge, without the picker', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.url}index.html?embed=1&lesson=chain-rule&autoplay=1`);
  await page.waitForSelector('#lesson-badge[data-state="pass"]', { timeout: 30000 });
  assert.equal(await page.isHidden('#lesson-select'), true, 'no picker in an embed');
  assert.match(await page.textContent('.lesson-details pre'), /✓ w100\.factor1 = 25\b/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('#lesson=vanishing-sigmoid&lang=zh-Hant: the lesson in Chinese, and it passes', async () => {
  const { page, context, problems } = await openPage(env, '#lesson=vanishing-sigmoid&lang=zh-Hant');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hant');
  await page.waitForSelector('#lesson-badge[data-state="pass"]', { timeout: 30000 });
  const text = await page.textContent('.lesson-text');
  assert.match(text, /梯度/);
  assert.match(await page.textContent('.lesson-title'), /梯度消失/);
  assert.match(await page.textContent('#lesson-badge'), /[\u4e00-\u9fff]/);
  const p = await hashParams(page);
  assert.equal(p.lesson, 'vanishing-sigmoid');
  assert.equal(p.lang, 'zh-Hant');
  assert.equal(p.dataset, 'digits');
  assert.equal(p.init, 'lecun_normal');
  await page.screenshot({ path: `${ARTIFACTS}lesson-vanishing-sigmoid-zh-Hant-1280.png`, fullPage: false });
  assert.deepEqual(problems, []);
  await context.close();
});

test('the profile chart carries the mean-field guide for a plain tanh net', async () => {
  const { page, context, problems } = await openPage(env, '#activation=tanh&depth=12&width=64&init=xavier_normal&biasStd=0');
  await page.click('button.step');
  await page.waitForFunction(() => document.querySelector('#step-counter')?.textContent === '1');
  await page.waitForFunction(() => {
    const chart = Object.values(Chart.instances).find((c) => c.canvas.closest('#view-profile'));
    return chart && chart.data.datasets[2]?.data.length === 12;
  }, null, { timeout: 5000 });
  const note = await page.textContent('#view-profile .theory-note');
  assert.match(note, /√χ₁ = /);
  // A batch-normalised net: no guide, and the page says why.
  await page.check('#cfg-batchnorm');
  await page.waitForFunction(() => /batch normalisation/.test(document.querySelector('#view-profile .theory-note')?.textContent ?? ''));
  assert.deepEqual(problems, []);
  await context.close();
});

test('the edge-of-chaos map: arrow keys and dragging the dot rewrite the config and reset (same seed)', async () => {
  const { page, context, problems } = await openPage(env, '#activation=tanh&depth=20&width=32&init=xavier_normal&biasStd=0&seed=7');
  const map = page.locator('#view-chaos canvas');
  await map.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => !/…/.test(document.querySelector('#view-chaos .chaos-summary')?.textContent ?? '…'), null, { timeout: 10000 });
  await page.click('button.step');
  await page.waitForFunction(() => document.querySelector('#step-counter')?.textContent === '1');
  const runBefore = Number(await page.getAttribute('body', 'data-run'));

  // Keyboard: σ_w² 1 → 1.5 (two Shift+→), depth 20 → 30 (Shift+↑), Enter applies.
  await map.focus();
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowUp');
  await page.keyboard.press('Enter');
  await page.waitForFunction((r) => Number(document.body.dataset.run) > r, runBefore);
  let p = await hashParams(page);
  assert.equal(p.init, 'normal');
  assert.equal(p.depth, '30');
  assert.ok(Math.abs(Number(p.initScale) ** 2 * 32 - 1.5) < 1e-9, `initScale ${p.initScale} gives σ_w² = 1.5`);
  assert.equal(p.seed, '7', 'same seed');
  assert.equal(Number(await page.textContent('#step-counter')), 0, 'a fresh net at step 0');
  assert.equal(await page.inputValue('#cfg-init'), 'normal');
  // Exact, not rounded to the control's step (0.01).
  assert.equal(p.initScale, String(Math.sqrt(1.5 / 32)));
  assert.equal(await page.inputValue('#cfg-initScale'), String(Math.sqrt(1.5 / 32)));

  // Pointer: drag the dot to the right half, low depth.
  const runKeys = Number(await page.getAttribute('body', 'data-run'));
  const box = await map.boundingBox();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.6, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.85, box.y + box.height * 0.7, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction((r) => Number(document.body.dataset.run) > r, runKeys);
  p = await hashParams(page);
  const sw2 = Number(p.initScale) ** 2 * 32;
  assert.ok(sw2 > 2.5 && sw2 < 4, `σ_w² ${sw2} from the drop point`);
  assert.ok(Number(p.depth) < 30, `depth ${p.depth} from the drop point`);
  assert.equal(p.seed, '7');
  assert.match(await page.textContent('#view-chaos .chaos-summary'), /chaotic phase/);
  await page.locator('#view-chaos').screenshot({ path: `${ARTIFACTS}chaos-map.png` });
  assert.deepEqual(problems, []);
  await context.close();
});
