// iframe.test.js — the iframe mode (index.html?embed=1 + hash) scripted by
// a course page on ANOTHER origin (a second server port): set config → run
// → read stats round-trips; the frame reports its height; and a frame that
// does not list the course's origin in ?origin= ignores its messages.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startSite, watchProblems } from './embed-site.js';
import { ARTIFACTS } from './helpers.js';

let site, browser, A, B;
before(async () => {
  // Origin A: the course page (its CSP lets it frame origin B). Origin B: gradscope.
  site = await startSite(2, (i, urls) => (i === 0 ? `frame-src ${urls[1]}` : ''));
  [A, B] = site.urls;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'] });
});
after(async () => { await browser?.close(); await site?.close(); });

const frameUrl = (origin) => `${B}gradscope/index.html?embed=1&views=flow,loss&controls=activation,init&locked=depth${origin ? `&origin=${encodeURIComponent(origin)}` : ''}#depth=20&width=16&activation=sigmoid&init=normal&initScale=1`;

async function openParent(src) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(`${A}course/parent.html?src=${encodeURIComponent(src)}`);
  return { page, context, problems };
}

test('iframe API round-trip from another origin: set config → run → read stats', async () => {
  const { page, context, problems } = await openParent(frameUrl(A.replace(/\/$/, '')));
  await page.evaluate(() => globalThis.frameReady);
  const frame = page.frames().find((f) => f.url().startsWith(B));
  // Compact: no header, the locked depth is disabled.
  assert.equal(await frame.isVisible('.page-header'), false);
  assert.equal(await frame.locator('#cfg-depth').isDisabled(), true);

  const reply = await page.evaluate(() => ask({ type: 'gradscope:set-config', config: { activation: 'relu', init: 'he_normal', bogus: 1 } }, 'gradscope:config'));
  assert.equal(reply.config.activation, 'relu');
  assert.equal(reply.config.init, 'he_normal');
  assert.equal(reply.config.depth, 20);
  assert.equal(await frame.inputValue('#cfg-activation'), 'relu');
  const bad = await page.evaluate(() => ask({ type: 'gradscope:set-config', config: { lr: 99 } }, 'gradscope:config'));
  assert.equal(bad.config.lr, 0.1, 'a bad value keeps the current one');
  assert.match(bad.notices.join(), /lr must be a number/);

  const ran = await page.evaluate(() => ask({ type: 'gradscope:run', steps: 40 }, 'gradscope:finished'));
  assert.deepEqual([ran.step, ran.finished], [40, true]);
  const stats = await page.evaluate(() => ask({ type: 'gradscope:get-stats' }, 'gradscope:stats'));
  assert.equal(stats.step, 40);
  assert.equal(stats.layers.length, 21);
  assert.equal(stats.config.activation, 'relu');
  assert.ok(Number.isFinite(stats.loss));
  assert.ok(stats.layers[0].gradNormB > stats.layers[19].gradNormB / 100, 'ReLU + He: the first layer still gets gradient');
  assert.equal(await frame.textContent('#step-counter'), '40');

  // The frame told the parent its height; the parent sized the iframe to it.
  const heights = await page.evaluate(() => globalThis.received.filter((m) => m.type === 'gradscope:resize').map((m) => m.height));
  assert.ok(heights.length >= 1 && heights.at(-1) > 300, `resize messages: ${heights}`);
  assert.equal(await page.evaluate(() => document.getElementById('frame').height), String(heights.at(-1)));
  await page.screenshot({ path: `${ARTIFACTS}iframe-parent.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});

test('iframe ignores messages from an origin it does not allow', async () => {
  // No ?origin=: only the frame's own origin (B) may script it; the course is on A.
  const { page, context, problems } = await openParent(frameUrl(null));
  const frame = await (async () => {
    for (let i = 0; i < 100; i++) {
      const f = page.frames().find((x) => x.url().startsWith(B));
      if (f) return f;
      await page.waitForTimeout(100);
    }
    throw new Error('no frame');
  })();
  await frame.waitForSelector('body[data-run]', { state: 'attached', timeout: 20000 });
  await page.evaluate(() => {
    const w = document.getElementById('frame').contentWindow, o = new URL(document.getElementById('frame').src).origin;
    w.postMessage({ type: 'gradscope:set-config', config: { activation: 'relu' }, id: 1 }, o);
    w.postMessage({ type: 'gradscope:run', steps: 30, id: 2 }, o);
    w.postMessage({ type: 'gradscope:get-stats', id: 3 }, o);
  });
  await page.waitForTimeout(1500);
  assert.deepEqual(await page.evaluate(() => globalThis.received), [], 'nothing is sent to a page that is not allowed');
  assert.equal(await frame.inputValue('#cfg-activation'), 'sigmoid');
  assert.equal(await frame.textContent('#step-counter'), '0');
  assert.deepEqual(problems, []);
  await context.close();
});
