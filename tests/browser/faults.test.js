// faults.test.js — what a learner or a hostile page can throw at gradscope:
// the training worker dying in the middle of a run (the page says so, keeps
// its charts, and restarts from the same config with one click), a
// <grad-scope> element with hostile attributes (inert, defaults, notices),
// and an element showing a lesson whose setup sets the weights (chain-rule:
// every layer multiplies the gradient by exactly w·σ′(0) = 25).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startBrowser, openPage, waitForStep, stepCounter } from './helpers.js';
import { startSite, watchProblems } from './embed-site.js';

test('the worker dies mid-run: the page says so, keeps its charts, and one click restarts the same config', async () => {
  const env = await startBrowser();
  try {
    const { page } = await openPage(env, '#depth=8&width=16&activation=tanh&seed=3');
    await page.keyboard.press('Space');
    await waitForStep(page, 30);
    await page.keyboard.press('Space');
    // charts redraw within a time budget, so they may lag the step counter a little
    await page.waitForFunction(() => Chart.getChart(document.querySelector('#view-flow canvas'))?.data.datasets.some((d) => d.data.length > 1), null, { timeout: 15000 });
    await page.waitForTimeout(500);
    // what the flow chart holds (Chart.js is global on the page): points per dataset
    const chartPoints = () => page.evaluate(() => Chart.getChart(document.querySelector('#view-flow canvas')).data.datasets.map((d) => d.data.length));
    const rowsBefore = await chartPoints();
    const hashBefore = await page.evaluate(() => location.hash);
    assert.ok(rowsBefore.some((n) => n > 1), 'the flow chart has data before the crash');
    // Force a crash inside the training worker (an uncaught error).
    const trainer = page.workers().find((w) => /\/worker\.js/.test(w.url()));
    assert.ok(trainer, `training worker among ${page.workers().map((w) => w.url())}`);
    await trainer.evaluate(() => setTimeout(() => { throw new Error('forced crash for the test'); }, 0));
    const restart = page.getByRole('button', { name: 'Restart the trainer' });
    await restart.waitFor({ timeout: 10000 });
    assert.match(await page.textContent('body'), /training worker stopped/);
    assert.deepEqual(await chartPoints(), rowsBefore, 'the charts keep what they showed');
    await restart.click();
    await page.waitForFunction(() => Number(document.querySelector('#step-counter')?.textContent) === 0, null, { timeout: 10000 });
    assert.equal(await page.evaluate(() => location.hash), hashBefore, 'the same config after the restart');
    await page.click('button.step');
    await waitForStep(page, 1);
    assert.equal(await stepCounter(page), 1, 'the restarted worker trains');
  } finally { await env.close(); }
});

let site, browser;
before(async () => {
  site = await startSite(1);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'] });
});
after(async () => { await browser?.close(); await site?.close(); });

test('hostile element attributes are inert; a lesson element applies the lesson setup', async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const problems = watchProblems(page);
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await page.goto(site.urls[0] + 'course/hostile.html');
  await page.waitForFunction(() => ['hostile', 'lesson'].every((id) => globalThis.events?.some((e) => e.id === id && e.type === 'ready')), null, { timeout: 30000 });

  const hostile = await page.evaluate(() => {
    const el = document.getElementById('hostile'), root = el.shadowRoot;
    return {
      config: el.config,
      // what the attributes tried to inject (the toolbar's own SVG icons are legitimate)
      markup: root.querySelectorAll('img, script, svg[onload], b, [onerror], [onload]').length + document.querySelectorAll('img, b').length,
      notices: root.textContent,
      pwned: globalThis.pwned ?? null,
    };
  });
  assert.equal(hostile.pwned, null, 'no injected script ran');
  assert.equal(hostile.markup, 0, 'no injected element was created');
  assert.deepEqual(dialogs, [], 'no alert()');
  assert.equal(hostile.config.depth, 20, 'bad depth falls back to the default');
  assert.equal(hostile.config.width, 32, 'bad width falls back to the default');
  assert.equal(hostile.config.activation, 'sigmoid', 'junk activation falls back to the default');
  assert.ok(hostile.config.lr > 0, 'negative lr rejected');
  assert.match(hostile.notices, /depth/, 'a notice names the bad field');
  const ran = await page.evaluate(() => document.getElementById('hostile').run(5));
  assert.equal(ran.step, 5, 'the element still trains');

  // chain-rule: one unit per layer, W = 100 and z = 0 everywhere → every layer multiplies ‖δ‖ by 25.
  await page.evaluate(() => document.getElementById('lesson').run(1));
  const layers = await page.evaluate(() => document.getElementById('lesson').stats().layers);
  const g = layers.slice(0, -1).map((l) => l.gradNormB);
  for (let l = 0; l + 1 < g.length; l++) assert.ok(Math.abs(g[l] / g[l + 1] / 25 - 1) < 1e-4, `‖δ${l + 1}‖/‖δ${l + 2}‖ = ${g[l] / g[l + 1]}, expected 25`);
  assert.deepEqual(problems.filter((p) => !/HTTP 404.*\/x$/.test(p)), [], 'no console error or CSP violation');
  await context.close();
});
