// divergence.test.js — an exploding config (ReLU, plain normal init with std
// 10, learning rate 10) stops with an explanation naming the step and the
// layer; its "replay with clipping" runs from the same seed and stays finite.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, openPage, waitForStep, downloadText } from './helpers.js';

let env;
before(async () => { env = await startBrowser(); });
after(async () => { await env?.close(); });

test('divergence is explained, and replay with clipping stays finite', async () => {
  const { page, context, problems } = await openPage(env, '#activation=relu&init=normal&initScale=10&lr=10');
  await page.click('button.play');
  await page.waitForSelector('#divergence:not([hidden])', { timeout: 10000 });
  const text = await page.textContent('#divergence');
  const step = await page.getAttribute('#divergence', 'data-step');
  const layer = Number(await page.getAttribute('#divergence', 'data-layer'));
  assert.match(text, new RegExp(`step ${step}\\b`));
  assert.ok(layer >= 0 && layer <= 20);
  assert.match(text, /layer \d+|output/);
  assert.match(text, /exploding gradients/);
  assert.equal(await page.getAttribute('button.play', 'aria-pressed'), 'false', 'training stopped');

  await page.click('#divergence button.replay-clip');
  await waitForStep(page, 60);
  await page.click('button.play');   // pause
  assert.ok(await page.isHidden('#divergence'), 'no divergence with clipping');
  assert.equal(await page.inputValue('#cfg-clip'), 'norm');
  assert.equal(await page.inputValue('#cfg-clipMax'), '1');
  assert.equal(await page.inputValue('#cfg-seed'), '1', 'same seed');
  assert.match(await page.evaluate(() => location.hash), /clip=norm/);
  const json = JSON.parse(await downloadText(page, 'button.export-json'));
  assert.ok(json.steps.length >= 60);
  for (const s of json.steps) {
    assert.equal(s.global.nonFiniteLayer, -1);
    assert.ok(Number.isFinite(s.global.loss) && Number.isFinite(s.global.gradNorm));
  }
  assert.deepEqual(problems, []);
  await context.close();
});
