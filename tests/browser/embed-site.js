// embed-site.js — a course site for the embed tests: a temporary folder with
// gradscope's web/ linked in as /gradscope/ and the fixture pages in
// /course/ (another folder, as a course author would have it), served by
// our static server (strict CSP on every response) on one or two origins.

import { mkdtemp, symlink, cp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, CSP } from '../../scripts/serve.js';
import { WEB } from './helpers.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * Start `origins` servers over one site folder; returns { urls: [..], close() }.
 * extraCsp(i, urls) may add directives to server i's policy (a parent page
 * needs frame-src for an iframe from another origin); the strict base
 * policy of scripts/serve.js stays.
 */
export async function startSite(origins = 1, extraCsp = () => '') {
  const dir = await mkdtemp(join(tmpdir(), 'gradscope-site-'));
  await symlink(WEB, join(dir, 'gradscope'), 'dir');
  await cp(FIXTURES, join(dir, 'course'), { recursive: true });
  const servers = [];
  for (let i = 0; i < origins; i++) servers.push(await serve({ root: dir, port: 0 }));
  const urls = servers.map((s) => s.url);
  servers.forEach((s, i) => {
    const extra = extraCsp(i, urls);
    if (!extra) return;
    s.server.prependListener('request', (req, res) => {
      const writeHead = res.writeHead;
      res.writeHead = (status, headers = {}) => writeHead.call(res, status, { ...headers, 'Content-Security-Policy': `${CSP}; ${extra}` });
    });
  });
  return {
    dir,
    urls: servers.map((s) => s.url),
    async close() {
      await Promise.all(servers.map((s) => new Promise((r) => s.server.close(r))));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Collect console errors, page errors and CSP violations of a page. */
export function watchProblems(page) {
  const problems = [];
  // A failed load is reported with its URL (below); the browser's own /favicon.ico probe is not ours.
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`); });
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
  return problems;
}
