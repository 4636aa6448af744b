// element.test.js — the <grad-scope> custom element on a course page in
// another folder, served with the strict CSP (scripts/serve.js): two
// elements with different configs train independently, each in its own
// worker; events fire (step with per-layer stats, finished after `steps`,
// diverged); an attribute change reconfigures live; bad attributes keep
// their defaults and show a notice; page styles do not leak in; no CSP
// violation, no console error.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startSite, watchProblems } from './embed-site.js';
import { ARTIFACTS } from './helpers.js';

let site, browser;
before(async () => {
  site = await startSite(1);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'] });
});
after(async () => { await browser?.close(); await site?.close(); });

async function open(path) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(site.urls[0] + path);
  return { page, context, problems: () => problems };
}
const readyCount = (page, n) => page.waitForFunction((k) => globalThis.events?.filter((e) => e.type === 'ready').length >= k, n, { timeout: 20000 });
const shadowText = (page, id, selector) => page.evaluate(([i, s]) => document.getElementById(i).shadowRoot.querySelector(s)?.textContent ?? null, [id, selector]);

test('two elements train independently, fire events, and reconfigure on attribute change', async () => {
  const { page, context, problems } = await open('course/two.html');
  await readyCount(page, 2);
  // Each element built its own net from its own attributes.
  const configs = await page.evaluate(() => ['a', 'b'].map((id) => document.getElementById(id).config));
  assert.deepEqual([configs[0].depth, configs[0].activation, configs[0].init, configs[0].initScale, configs[0].width], [20, 'sigmoid', 'normal', 1, 16]);
  assert.deepEqual([configs[1].depth, configs[1].activation, configs[1].init, configs[1].dataset], [3, 'relu', 'he_normal', 'circles']);
  // Shadow DOM: only the asked-for views and controls; the locked control is shown disabled.
  const shape = await page.evaluate(() => {
    const a = document.getElementById('a').shadowRoot, b = document.getElementById('b').shadowRoot;
    return {
      aViews: [...a.querySelectorAll('section.panel')].map((s) => s.id),
      bViews: [...b.querySelectorAll('section.panel')].map((s) => s.id).filter((id) => id !== 'view-confusion'),
      aControls: [...a.querySelectorAll('.controls [name]')].map((i) => i.name),
      depthDisabled: a.querySelector('#cfg-depth').disabled,
      activationDisabled: a.querySelector('#cfg-activation').disabled,
      bLang: b.querySelector('.gs-playground').lang,
      bTitle: b.querySelector('#view-flow h2').textContent,
      // Page styles stay out: the course makes every button red and h2 green.
      buttonColor: getComputedStyle(a.querySelector('button.step')).backgroundColor,
      h2Color: getComputedStyle(a.querySelector('#view-flow h2')).color,
      // …and ours stay in: the course's own h2 would be green, its body serif.
      outsideFont: getComputedStyle(document.body).fontFamily,
    };
  });
  assert.deepEqual(shape.aViews, ['view-flow', 'view-profile', 'view-loss']);
  assert.deepEqual(shape.bViews, ['view-flow', 'view-loss', 'view-activations', 'view-boundary', 'view-ratio', 'view-norm']);
  assert.deepEqual(shape.aControls.sort(), ['activation', 'depth', 'init']);
  assert.equal(shape.depthDisabled, true, 'locked="depth" is shown disabled');
  assert.equal(shape.activationDisabled, false);
  assert.equal(shape.bLang, 'zh-Hant');
  assert.match(shape.bTitle, /梯度/);
  assert.notEqual(shape.buttonColor, 'rgb(255, 0, 0)', 'page button style leaked into the element');
  assert.notEqual(shape.h2Color, 'rgb(0, 128, 0)', 'page h2 style leaked into the element');
  assert.match(shape.outsideFont, /Georgia/, 'our styles leaked out of the element');

  // Both train at once; a stops at steps="60" and says so.
  await page.evaluate(() => { document.getElementById('a').play(); document.getElementById('b').play(); });
  await page.waitForFunction(() => globalThis.events.some((e) => e.id === 'a' && e.type === 'finished'), null, { timeout: 30000 });
  await page.waitForFunction(() => (document.getElementById('b').stats()?.step ?? 0) > 100, null, { timeout: 30000 });
  await page.evaluate(() => document.getElementById('b').pause());
  const result = await page.evaluate(() => ({
    a: document.getElementById('a').stats(), b: document.getElementById('b').stats(),
    events: globalThis.events.map((e) => ({ id: e.id, type: e.type, step: e.detail.step, layers: e.detail.layers?.length })),
    finished: globalThis.events.find((e) => e.id === 'a' && e.type === 'finished').detail,
    aLastStep: globalThis.events.filter((e) => e.id === 'a' && e.type === 'step').at(-1).detail,
  }));
  assert.equal(result.a.step, 60, 'steps="60" stops the element at step 60');
  assert.deepEqual(result.finished, { step: 60 });
  assert.equal(result.a.layers.length, 21);
  assert.equal(result.b.layers.length, 4);
  assert.notEqual(result.a.loss, result.b.loss);
  // 'step' events: per-layer stats, throttled (far fewer events than steps), the last step always delivered.
  const aSteps = result.events.filter((e) => e.id === 'a' && e.type === 'step');
  const bSteps = result.events.filter((e) => e.id === 'b' && e.type === 'step');
  assert.ok(aSteps.length >= 1 && bSteps.length >= 1);
  assert.ok(bSteps.length < result.b.step / 5, `step events are throttled (${bSteps.length} events for ${result.b.step} steps)`);
  assert.equal(result.aLastStep.step, 60);
  assert.equal(result.aLastStep.layers.length, 21);
  for (const k of ['gradNormW', 'gradNormB', 'actMean', 'saturated', 'updateRatio']) assert.equal(typeof result.aLastStep.layers[0][k], 'number', k);
  // Vanishing gradients in a: the first layer's ‖δ‖ is far below the last hidden layer's.
  assert.ok(result.aLastStep.layers[0].gradNormB < result.aLastStep.layers[19].gradNormB / 100);
  assert.equal(await shadowText(page, 'a', '#step-counter'), '60');

  // An attribute change reconfigures live: a fresh net at step 0 with the new setting.
  await page.evaluate(() => { globalThis.events.length = 0; const a = document.getElementById('a'); a.setAttribute('activation', 'relu'); a.setAttribute('init', 'he_normal'); });
  await readyCount(page, 1);
  const after = await page.evaluate(() => ({ config: document.getElementById('a').config, select: document.getElementById('a').shadowRoot.querySelector('#cfg-activation').value, b: document.getElementById('b').stats().step }));
  assert.equal(after.config.activation, 'relu');
  assert.equal(after.config.init, 'he_normal');
  assert.equal(after.select, 'relu');
  assert.ok(after.b > 100, 'the other element is untouched');
  await page.waitForFunction(() => document.getElementById('a').shadowRoot.querySelector('#step-counter').textContent === '0');
  await page.evaluate(() => document.getElementById('a').run(20));
  const relu = await page.evaluate(() => document.getElementById('a').stats());
  assert.equal(relu.step, 20);
  assert.ok(relu.layers[0].gradNormB > relu.layers[19].gradNormB / 100, 'ReLU + He: no vanishing');
  // Views and lang change too (a remount).
  await page.evaluate(() => { document.getElementById('a').setAttribute('views', 'loss'); document.getElementById('a').setAttribute('lang', 'zh-Hant'); });
  await page.waitForFunction(() => document.getElementById('a').shadowRoot.querySelectorAll('section.panel').length === 1);
  await page.screenshot({ path: `${ARTIFACTS}element-two.png`, fullPage: true });

  // Removing an element stops it: no more events, and the other keeps going.
  await page.evaluate(() => { globalThis.events.length = 0; document.getElementById('b').remove(); });
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => globalThis.events.filter((e) => e.id === 'b')), []);
  assert.deepEqual(await page.evaluate(() => globalThis.violations), []);
  assert.deepEqual(problems(), []);
  await context.close();
});

test('strict CSP: diverged event, bad attributes keep defaults with a notice, no violation', async () => {
  const { page, context, problems } = await open('course/diverge.html');
  await page.waitForFunction(() => globalThis.events?.some((e) => e.id === 'd' && e.type === 'diverged'), null, { timeout: 20000 });
  const diverged = await page.evaluate(() => globalThis.events.find((e) => e.id === 'd' && e.type === 'diverged').detail);
  assert.equal(typeof diverged.step, 'number');
  assert.equal(typeof diverged.layer, 'number');
  assert.ok(['exploding', 'forward', 'loss', 'backward', 'update'].includes(diverged.phase), diverged.phase);
  assert.equal(await page.evaluate(() => document.getElementById('d').shadowRoot.querySelector('#divergence').hidden), false, 'the explanation is shown');
  await readyCount(page, 2);
  const bad = await page.evaluate(() => ({ config: document.getElementById('bad').config, notice: document.getElementById('bad').shadowRoot.querySelector('.embed-notice').textContent, views: [...document.getElementById('bad').shadowRoot.querySelectorAll('section.panel')].map((s) => s.id) }));
  assert.equal(bad.config.depth, 20);
  assert.equal(bad.config.activation, 'sigmoid');
  assert.match(bad.notice, /depth must be an integer in 1\.\.100/);
  assert.match(bad.notice, /activation must be one of/);
  assert.match(bad.notice, /nonsense/);
  assert.match(bad.notice, /height/);
  assert.deepEqual(bad.views, ['view-flow']);
  assert.deepEqual(await page.evaluate(() => globalThis.violations), []);
  assert.deepEqual(problems(), []);
  await context.close();
});

test('lesson="…": the lesson\'s text and live badge in the element, without the picker', async () => {
  const { page, context, problems } = await open('course/lesson.html');
  await page.waitForFunction(() => document.getElementById('l').shadowRoot?.querySelector('#lesson-badge')?.dataset.state === 'pass', null, { timeout: 30000 });
  const panel = await page.evaluate(() => {
    const root = document.getElementById('l').shadowRoot;
    return {
      title: root.querySelector('.lesson-title')?.textContent,
      pickerHidden: root.querySelector('#lesson-select').hidden,
      details: root.querySelector('.lesson-details pre')?.textContent ?? '',
      variantsPassed: root.querySelectorAll('.lesson-variant.state-pass').length,
    };
  });
  assert.match(panel.title, /chain rule/i);
  assert.equal(panel.pickerHidden, true, 'an embedded lesson has no picker');
  assert.match(panel.details, /✓ w100\.factor1 = 25\b/, 'the badge comes from the lesson\'s own check on this run');
  assert.equal(panel.variantsPassed, 2, 'the headless run of the other variant was checked too');
  // Watch the other run (w = 1): the element applies that run's setup (W and b set so
  // z = 0), so its own check — a factor of exactly 1/4 per layer — passes on the live run.
  await page.evaluate(() => document.getElementById('l').shadowRoot.querySelector('.lesson-show').click());
  await page.waitForFunction(() => { const r = document.getElementById('l').shadowRoot; return r.querySelector('li[data-variant="0"] .lesson-show') && !r.querySelector('li[data-variant="1"] .lesson-show') && r.querySelector('#lesson-badge')?.dataset.state !== 'pass'; }, null, { timeout: 20000 });
  await page.evaluate(() => document.getElementById('l').play());
  await page.waitForFunction(() => document.getElementById('l').shadowRoot?.querySelector('#lesson-badge')?.dataset.state === 'pass', null, { timeout: 30000 });
  assert.deepEqual(problems(), []);
  await context.close();
});
