import { startBrowser, openPage } from './helpers.js';
const env = await startBrowser();
const { page, context } = await openPage(env, '', { viewport: { width: 360, height: 740 } });
console.log(await page.evaluate(() => ['#hint', '#lesson', '#view-flow canvas'].map((s) => { const r = document.querySelector(s)?.getBoundingClientRect(); return `${s}: top ${r?.top} h ${r?.height}`; })));
await page.screenshot({ path: '/work/main/test-artifacts/_phone-top.png' });
const p2 = await openPage(env, '#lesson=edge-of-chaos&lang=zh-Hant', { viewport: { width: 360, height: 740 } });
await p2.page.waitForSelector('#lesson-badge[data-state="pass"]', { timeout: 30000 });
await p2.page.screenshot({ path: '/work/main/test-artifacts/lesson-edge-of-chaos-zh-360.png' });
await env.close();
