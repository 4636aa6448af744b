// serve.js — a tiny static server for web/ (or the folder given, e.g. dist/),
// with no dependency: node:http and node:fs only.
//
//   node scripts/serve.js            # serves web/ on PORT or 8080
//   PORT=0 node scripts/serve.js dist # any free port; the URL is printed
//
// Every response carries the page's Content-Security-Policy (no inline
// script or style, wasm allowed) and nosniff. Requests can never escape the
// root: the decoded path is resolved and must stay under it; `..` segments,
// encoded traversal, backslashes and NUL are rejected outright.

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve, join, sep, extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
  '.png': 'image/png',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** The file a URL path names under root, or null when the path is not acceptable. */
export function safePath(root, urlPath) {
  let path;
  try { path = decodeURIComponent(urlPath.split('?')[0].split('#')[0]); } catch { return null; }
  if (path.includes('\0') || path.includes('\\') || !path.startsWith('/')) return null;
  if (path.split('/').some((seg) => seg === '..' || seg === '.')) return null;
  if (path.endsWith('/')) path += 'index.html';
  const full = resolve(root, '.' + path);
  return full === root || full.startsWith(root + sep) ? full : null;
}

function send(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}

/** Start serving `root`; resolves with { server, url, port }. */
export function serve({ root, port = 8080, host = '127.0.0.1' } = {}) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
    const file = safePath(base, req.url ?? '/');
    if (!file) return send(res, 400, 'bad path');
    let info;
    try { info = await stat(file); } catch { return send(res, 404, 'not found'); }
    if (info.isDirectory()) {
      // Build the redirect from the resolved file path, never from the raw URL:
      // "//host" in a Location header would send the browser to another site.
      const location = '/' + file.slice(base.length + 1).split(sep).map(encodeURIComponent).join('/') + '/';
      res.writeHead(301, { Location: location.replace(/^\/+/, '/'), 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' });
      return res.end();
    }
    if (!info.isFile()) return send(res, 404, 'not found');
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolvePromise({ server, port: actual, url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}/` });
    });
  });
}

// ---- command line ------------------------------------------------------------
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const here = fileURLToPath(new URL('..', import.meta.url));
  const root = process.argv[2] ? resolve(process.argv[2]) : join(here, 'web');
  const raw = process.env.PORT ?? '8080';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) { console.error(`PORT must be an integer in 0..65535, got ${raw}`); process.exit(1); }
  serve({ root, port }).then(({ url }) => {
    console.log(`gradscope: serving ${root}`);
    console.log(`open ${url}`);
  }, (e) => { console.error(`could not start the server: ${e.message}`); process.exit(1); });
}
