// embed-page.test.js — the authoring page (embed.html): pick a lesson, lock
// a control, set a step cap; the live preview is a real <grad-scope> with
// those settings; the copied element snippet, pasted into a blank page in
// another folder, runs the same config; the iframe snippet's URL opens the
// compact iframe mode with that config. Strict CSP, no console error.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { startSite, watchProblems } from './embed-site.js';
import { ARTIFACTS } from './helpers.js';

let site, browser;
before(async () => {
  site = await startSite(1);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'] });
});
after(async () => { await browser?.close(); await site?.close(); });

test('authoring page: preview and snippets that work pasted into a blank page elsewhere', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(site.urls[0] + 'gradscope/embed.html');
  await page.waitForFunction(() => document.getElementById('preview-element')?.config);
  await page.selectOption('#lesson', 'exploding');
  await page.check('input[name="lock-depth"]');
  await page.fill('#steps', '40');
  await page.dispatchEvent('#steps', 'change');
  await page.click('details.authoring-settings > summary');
  await page.selectOption('#settings #cfg-activation', 'tanh');
  await page.waitForFunction(() => document.getElementById('preview-element').config?.activation === 'tanh');
  const preview = await page.evaluate(() => { const e = document.getElementById('preview-element'); return { config: e.config, locked: e.shadowRoot.querySelector('#cfg-depth').disabled }; });
  assert.equal(preview.locked, true);
  const snippet = await page.inputValue('#snippet');
  assert.match(snippet, new RegExp(`src="${site.urls[0]}gradscope/element\\.js"`), 'absolute URL to the element');
  assert.match(snippet, /lesson="exploding"/);
  assert.match(snippet, /activation="tanh"/);
  assert.match(snippet, /steps="40"/);
  await page.screenshot({ path: `${ARTIFACTS}embed-authoring.png` });

  // Paste the element snippet into a blank page in another folder.
  await writeFile(`${site.dir}/course/pasted.html`, `<!doctype html>\n<html><head><meta charset="utf-8"><title>pasted</title></head><body>\n${snippet}\n<script type="module" src="record.js"></script>\n</body></html>\n`);
  const pasted = await context.newPage();
  const pastedProblems = watchProblems(pasted);
  await pasted.goto(site.urls[0] + 'course/pasted.html');
  await pasted.waitForFunction(() => document.querySelector('grad-scope')?.config, null, { timeout: 20000 });
  assert.deepEqual(await pasted.evaluate(() => document.querySelector('grad-scope').config), preview.config);
  await pasted.evaluate(() => document.querySelector('grad-scope').play());
  await pasted.waitForFunction(() => globalThis.events.some((e) => e.type === 'finished' || e.type === 'diverged'), null, { timeout: 20000 });

  // The iframe snippet.
  await page.check('input[name="kind"][value="iframe"]');
  const iframe = await page.inputValue('#snippet');
  const src = /src="([^"]+)"/.exec(iframe)[1].replace(/&amp;/g, '&');
  assert.ok(src.startsWith(`${site.urls[0]}gradscope/index.html?embed=1`), src);
  const framed = await context.newPage();
  const framedProblems = watchProblems(framed);
  await framed.goto(src);
  await framed.waitForSelector('body[data-run]', { state: 'attached', timeout: 20000 });
  assert.equal(await framed.inputValue('#cfg-activation'), 'tanh');
  assert.equal(await framed.locator('#cfg-depth').isDisabled(), true);
  assert.equal(await framed.isVisible('.page-header'), false);
  assert.deepEqual([...problems, ...pastedProblems, ...framedProblems], []);
  assert.deepEqual(await pasted.evaluate(() => globalThis.violations), []);
  await context.close();
});
