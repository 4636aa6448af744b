// screenshots.js — regenerates the README's pictures in docs/: the default
// page after a few seconds of training (wide and phone), a lesson in
// Traditional Chinese, and compare mode. Needs Chromium (scripts/setup.sh)
// and a built site (npm run build).   Usage: node scripts/screenshots.js
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { server, url } = await serve({ root: `${root}web`, port: 0 });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });

async function shot(name, hash, { width = 1280, height = 900, play = 4000, fullPage = false, setup } = {}) {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(url + hash);
  await page.waitForSelector('body[data-run]', { state: 'attached' });
  if (setup) await setup(page);
  if (play) { await page.keyboard.press('Space'); await page.waitForTimeout(play); await page.keyboard.press('Space'); await page.waitForTimeout(500); }
  await page.screenshot({ path: `${root}docs/${name}.png`, fullPage });
  console.log(`docs/${name}.png`);
  await page.close();
}

try {
  await shot('playground-wide', '');
  await shot('playground-phone', '', { width: 360, height: 740 });
  await shot('lesson-zh-Hant', '#lesson=vanishing-sigmoid&lang=zh-Hant', { play: 0, setup: (p) => p.waitForTimeout(6000) });
  const compare = process.argv.includes('--compare-hash') ? process.argv[process.argv.indexOf('--compare-hash') + 1] : null;
  if (compare) await shot('compare', compare, { height: 1000 });
} finally {
  await browser.close();
  server.close();
}
