// pacing.test.js — while a net trains, the page asks for at most ~20 frames a
// second (web/scheduler.js paces every redraw to 50 ms, with a timer), not a
// frame per animation frame or per worker message (every 25 ms). Each frame
// asked for is a frame the browser builds (style, layout, paint, compositor
// commit), so this is what keeps the main thread light. Counted by wrapping
// requestAnimationFrame in the page; the old scheduler asked ~46 times a
// second (a loop of requests until the pace allowed a draw, plus one per
// message from the lesson panel).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, openPage } from './helpers.js';

let env;
before(async () => { env = await startBrowser(); });
after(async () => { await env?.close(); });

test('while training, the page asks for at most ~20 frames a second', async (t) => {
  const { page, context, problems } = await openPage(env, '#depth=50&width=64');
  await page.evaluate(() => {
    globalThis.frameRequests = 0;
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) => { globalThis.frameRequests++; return raf(cb); };
  });
  await page.click('button.play');
  const t0 = Date.now();
  await page.waitForTimeout(3000);
  const { requests, seconds } = await page.evaluate((start) => ({ requests: globalThis.frameRequests, seconds: (Date.now() - start) / 1000 }), t0);
  await page.click('button.play');
  const perSecond = requests / seconds;
  t.diagnostic(`${perSecond.toFixed(1)} frames asked for a second`);
  // 20 paced redraws a second at most (measured: ~18; the old scheduler: 87)
  assert.ok(perSecond <= 25, `the page asked for ${perSecond.toFixed(1)} frames a second while training`);
  assert.ok(perSecond >= 5, `the page asked for only ${perSecond.toFixed(1)} frames a second: is it still drawing?`);
  assert.ok(Number(await page.textContent('#step-counter')) > 50, 'it trained');
  assert.deepEqual(problems, []);
  await context.close();
});
