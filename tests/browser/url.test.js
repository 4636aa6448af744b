// url.test.js — the whole state lives in the link: a non-default config in
// the hash is shown in every control and written back unchanged; a UI edit
// updates the hash; hostile hashes (markup, huge numbers, unknown keys,
// 100 kB of junk) are inert, fall back field by field and say so visibly.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, openPage } from './helpers.js';
import { SCHEMA, defaults, serializeHash, parseHash } from '../../web/config.js';

let env;
before(async () => { env = await startBrowser(); });
after(async () => { await env?.close(); });

// Every field away from its default.
const CUSTOM = {
  dataset: 'gaussians', noise: 0.25, rows: 300, classes: 3, trainShare: 0.7, depth: 5, width: 16, activation: 'leaky_relu',
  layers: 'relu,tanh,leaky_relu,prelu,elu', slope: 0.2, batchnorm: true, init: 'normal', initScale: 0.5, biasStd: 0.1, loss: 'mse',
  optimizer: 'adam', lr: 0.003, momentum: 0.5, batchSize: 16, l2: 0.001, clip: 'norm', clipMax: 2.5, seed: 42,
};

async function controlValues(page) {
  const out = {};
  for (const f of SCHEMA) {
    out[f.key] = f.type === 'bool' ? await page.isChecked(`#cfg-${f.key}`) : await page.inputValue(`#cfg-${f.key}`);
  }
  return out;
}
const shown = (c) => Object.fromEntries(SCHEMA.map((f) => [f.key, f.type === 'bool' ? c[f.key] : c[f.key] === null ? '' : String(c[f.key])]));

test('a URL round-trip restores every control', async () => {
  for (const f of SCHEMA) assert.notEqual(CUSTOM[f.key], f.default, `${f.key} is tested away from its default`);
  const hash = serializeHash(CUSTOM);
  const { page, context, problems } = await openPage(env, hash);
  assert.deepEqual(await controlValues(page), shown(CUSTOM));
  const written = await page.evaluate(() => location.hash);
  assert.deepEqual(parseHash(written).config, CUSTOM, 'the page writes back the same config');
  assert.deepEqual(parseHash(written).notices, []);

  // Edit a control through the UI; the hash follows; a fresh page restores it.
  await page.fill('#cfg-width', '24');
  await page.press('#cfg-width', 'Enter');
  await page.waitForFunction(() => location.hash.includes('width=24'));
  const edited = await page.evaluate(() => location.hash);
  const second = await openPage(env, edited);
  assert.deepEqual(await controlValues(second.page), shown({ ...CUSTOM, width: 24 }));
  assert.deepEqual(problems, []);
  assert.deepEqual(second.problems, []);
  await second.context.close();
  await context.close();
});

test('a hostile hash is inert, falls back field by field and shows a notice', async () => {
  const hostile = '#dataset=' + encodeURIComponent('<script>alert(1)</script>') + '&depth=1e309&width=99999999999999999999999' +
    '&lr=-1&seed=1.5&activation=relu&foo=' + encodeURIComponent('<img src=x onerror=alert(1)>') + '&__proto__=1&constructor=2';
  const { page, context, problems } = await openPage(env, hostile);
  const values = await controlValues(page);
  const d = defaults();
  assert.equal(values.dataset, d.dataset);
  assert.equal(values.depth, String(d.depth));
  assert.equal(values.width, String(d.width));
  assert.equal(values.lr, String(d.lr));
  assert.equal(values.seed, String(d.seed));
  assert.equal(values.activation, 'relu', 'valid fields are kept');
  assert.ok(await page.isVisible('#notices .notice'), 'a visible notice');
  const notice = await page.textContent('#notices');
  assert.match(notice, /depth/);
  assert.match(notice, /foo/);
  assert.equal(await page.locator('img[src="x"], #notices script').count(), 0, 'no markup was injected');
  assert.deepEqual(problems, []);
  await context.close();

  // 100 kB of junk: everything defaults, one notice, nothing breaks.
  const junk = '#' + 'depth=3&<svg/onload=alert(1)>&'.repeat(3500);
  const big = await openPage(env, junk.slice(0, 100_000));
  assert.deepEqual(await controlValues(big.page), shown(defaults()));
  assert.match(await big.page.textContent('#notices'), /characters long/);
  assert.ok(await big.page.isVisible('#notices .notice'));
  assert.deepEqual(big.problems, []);
  await big.context.close();
});
