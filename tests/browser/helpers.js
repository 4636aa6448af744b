// helpers.js — what every browser test needs: the static server (in-process,
// on a free port, serving web/ with the production CSP), Debian's Chromium
// driven by playwright-core, and a page that records console errors, page
// errors and CSP violations so each test can assert there were none.

import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { mkdir } from 'node:fs/promises';
import { serve } from '../../scripts/serve.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB = fileURLToPath(new URL('../../web/', import.meta.url));
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

/** Start server (web/ by default, or e.g. DIST) + browser. Returns { url, browser, close() }. */
export async function startBrowser({ root = WEB } = {}) {
  const { server, url } = await serve({ root, port: 0 });
  let browser;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  } catch (e) { server.close(); throw e; }
  await mkdir(ARTIFACTS, { recursive: true });
  return {
    url, browser,
    async close() { await browser.close(); await new Promise((r) => server.close(r)); },
  };
}

/**
 * A new page that collects problems: console errors, uncaught page errors,
 * CSP violations (reported to the console by Chromium), failed requests and
 * any request that leaves our server (the page must work offline).
 */
export async function openPage(env, hash = '', { viewport = { width: 1280, height: 800 }, acceptDownloads = true, locale = 'en-US' } = {}) {
  const context = await env.browser.newContext({ viewport, acceptDownloads, locale });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('request', (r) => { if (!r.url().startsWith(env.url) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) problems.push(`external request: ${r.url()}`); });
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  await page.goto(env.url + hash);
  await waitReady(page);
  return { page, context, problems };
}

/** The app is up when the controls exist and the worker answered the first config (body[data-run]). */
export async function waitReady(page) {
  await page.waitForSelector('#cfg-depth');
  await page.waitForSelector('body[data-run]', { state: 'attached' });
  await page.waitForTimeout(100);   // the first draw
}

export async function stepCounter(page) {
  return Number(await page.textContent('#step-counter'));
}

/** Open the toolbar's More menu (exports, language) if it is closed. */
export async function openMore(page) {
  if (!(await page.locator('details.more').evaluate((d) => d.open))) await page.click('details.more > summary');
}

/** Click an export button (in the More menu) and return the downloaded file's text. */
export async function downloadText(page, selector) {
  await openMore(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const stream = await download.createReadStream();
  const chunks = [];
  for await (const c of stream) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

/** Resolve when the step counter reaches at least n. */
export async function waitForStep(page, n, timeout = 15000) {
  await page.waitForFunction((k) => Number(document.querySelector('#step-counter')?.textContent) >= k, n, { timeout });
}
