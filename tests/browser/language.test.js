// language.test.js — switching language needs no reload: every visible
// string (page text, <option>s, accessible names, chart titles, axes and
// legends) changes, the run and the charts stay, <html lang> follows, and
// the choice lands in the hash (lang=) so a reload keeps it. The initial
// language comes from #lang= / ?lang= or the browser's languages.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, openPage, waitReady, openMore, stepCounter, ARTIFACTS } from './helpers.js';

let env;
before(async () => { env = await startBrowser(); });
after(async () => { await env?.close(); });

// Latin words allowed in zh-Hant mode: proper nouns, names of functions and
// formats, the app's name, the language's own name in the picker.
const ALLOWED = new Set(['gradscope', 'ReLU', 'Leaky', 'PReLU', 'ELU', 'SELU', 'Swish', 'sigmoid', 'Sigmoid', 'tanh', 'Tanh', 'XOR',
  'Xavier', 'Glorot', 'He', 'LeCun', 'SGD', 'Adam', 'CSV', 'JSON', 'PNG', 'English', 'float', 'NaN']);

/** Every string a user can see or hear: page text with all tables open, options, accessible names, chart text. */
async function allStrings(page) {
  await page.evaluate(() => { for (const d of document.querySelectorAll('details.data-table')) d.open = true; });
  await page.waitForTimeout(400);   // tables fill on 'toggle'; views redraw over the next frames
  return page.evaluate(() => {
    const out = [document.body.innerText];
    for (const o of document.querySelectorAll('option')) out.push(o.textContent);
    for (const el of document.querySelectorAll('[aria-label], [title]')) out.push(el.getAttribute('aria-label') ?? '', el.getAttribute('title') ?? '');
    for (const chart of Object.values(globalThis.Chart.instances)) {
      for (const axis of Object.values(chart.options.scales)) out.push(axis.title?.display ? axis.title.text : '');
      for (const d of chart.data.datasets) out.push(d.label ?? '');
    }
    out.push(document.title);
    for (const d of document.querySelectorAll('details')) d.open = false;
    return out.join('\n');
  });
}
const latinWords = (text) => [...new Set(text.match(/[A-Za-z]{2,}/g) ?? [])];

/** allStrings once `settled(text)` holds (views redraw over several frames; a loaded machine is slow), or after `ms`. */
async function settledStrings(page, settled, ms = 8000) {
  const end = Date.now() + ms;
  for (;;) {
    const text = await allStrings(page);
    if (settled(text) || Date.now() > end) return text;
  }
}

test('switching language re-renders every string, keeps the run, and survives reload', async () => {
  const { page, context, problems } = await openPage(env);
  await page.evaluate(() => { globalThis.sameDocument = true; });
  for (let i = 0; i < 3; i++) await page.click('button.step');
  await page.waitForFunction(() => document.querySelector('#step-counter')?.textContent === '3');
  // every chart has drawn the three steps (the scheduler paces chart draws)
  const pointCounts = () => page.evaluate(() => Object.values(Chart.instances).map((c) => c.data.datasets.map((d) => d.data.length).join()).join('|'));
  let pointsBefore = await pointCounts();
  for (const end = Date.now() + 5000; Date.now() < end;) {
    await page.waitForTimeout(300);
    const now = await pointCounts();
    if (now === pointsBefore) break;
    pointsBefore = now;
  }
  const english = await allStrings(page);
  assert.ok(latinWords(english).includes('Gradient'));

  await openMore(page);
  await page.selectOption('#language', 'zh-Hant');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-Hant');
  assert.equal(await page.evaluate(() => globalThis.sameDocument), true, 'no reload');
  assert.equal(await stepCounter(page), 3, 'the run is kept');
  const pointsAfter = await pointCounts();
  assert.equal(pointsAfter, pointsBefore, 'the charts keep their data');
  assert.match(await page.evaluate(() => location.hash), /[#&]lang=zh-Hant(&|$)/);

  const leftoverOf = (text) => latinWords(text).filter((w) => !ALLOWED.has(w));
  const chinese = await settledStrings(page, (text) => leftoverOf(text).length === 0);
  const leftover = latinWords(chinese).filter((w) => !ALLOWED.has(w));
  assert.deepEqual(leftover, [], `English left in zh-Hant mode: ${leftover.join(', ')}`);
  assert.match(chinese, /梯度/);
  await page.screenshot({ path: `${ARTIFACTS}zh-Hant-1280-full.png`, fullPage: true });

  // Reload: the hash keeps the language.
  await page.reload();
  await waitReady(page);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hant');
  assert.equal(await page.inputValue('#language'), 'zh-Hant');
  assert.match(await page.textContent('#view-flow h2'), /[\u4e00-\u9fff]/);

  // And back to English: no Chinese left.
  await openMore(page);
  await page.selectOption('#language', 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  const hanOf = (text) => (text.match(/[\u4e00-\u9fff]+/g) ?? []).filter((w) => w !== '正體中文');
  const back = await settledStrings(page, (text) => hanOf(text).length === 0);
  const han = hanOf(back);
  assert.deepEqual(han, [], 'no Chinese left in English mode');
  assert.match(await page.evaluate(() => location.hash), /[#&]lang=en(&|$)/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the initial language: browser languages, ?lang= and #lang=', async () => {
  const tw = await openPage(env, '', { locale: 'zh-TW', viewport: { width: 360, height: 740 } });
  assert.equal(await tw.page.evaluate(() => document.documentElement.lang), 'zh-Hant', 'zh-TW browser → zh-Hant');
  await tw.page.click('button.step');
  await tw.page.waitForFunction(() => document.querySelector('#step-counter')?.textContent === '1');
  await tw.page.waitForTimeout(200);
  await tw.page.screenshot({ path: `${ARTIFACTS}zh-Hant-360x740.png` });
  assert.deepEqual(tw.problems, []);
  await tw.context.close();

  const hk = await openPage(env, '', { locale: 'zh-HK' });
  assert.equal(await hk.page.evaluate(() => document.documentElement.lang), 'zh-Hant', 'zh-HK browser → zh-Hant');
  await hk.context.close();

  // ?lang= beats the browser; #lang= beats ?lang=.
  const q = await env.browser.newContext({ locale: 'zh-TW' });
  const page = await q.newPage();
  await page.goto(`${env.url}?lang=en`);
  await waitReady(page);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.goto(`${env.url}?lang=en#lang=zh-Hant`);
  await page.reload();
  await waitReady(page);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hant');
  await q.close();
});
