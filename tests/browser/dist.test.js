// dist.test.js — the built site (dist/, minified by scripts/build-site.js) is
// what static hosts and the npm package serve: it must behave exactly like the
// sources in web/. Same hash, one step each: the first-step statistics in the
// export must be identical to the last digit, and dist/ must load with no error, no CSP
// violation and no request outside our server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startBrowser, openPage, waitForStep, downloadText, DIST } from './helpers.js';

async function firstStepTable(root) {
  const env = await startBrowser({ root });
  try {
    const { page, problems } = await openPage(env, '#depth=6&width=16&activation=tanh&seed=7');
    await page.click('button.step');
    await waitForStep(page, 1);
    const json = JSON.parse(await downloadText(page, 'button.export-json'));   // full-precision export
    assert.deepEqual(problems, [], `problems serving ${root}`);
    return json.steps;
  } finally { await env.close(); }
}

test('dist/ (minified) loads clean and computes the same first step as web/', { skip: !existsSync(DIST) && 'run node scripts/build-site.js first' }, async () => {
  const fromDist = await firstStepTable(DIST);
  const fromWeb = await firstStepTable(undefined);
  assert.equal(fromDist.length, 1, 'one step exported');
  assert.deepEqual(fromDist, fromWeb);
});
