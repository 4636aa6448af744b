// server.test.js — scripts/serve.js, started as the user starts it
// (PORT=0 node scripts/serve.js, URL read from its output), probed with raw
// HTTP requests: fetch() and new URL() normalise `..` and `%2e%2e` away, so
// the traversal paths here go out byte for byte through node:http.
//
//   security headers (CSP, nosniff) and the right types on HTML, JS, CSS, wasm;
//   nothing outside the site folder, whatever the encoding; GET/HEAD only;
//   no directory listings; redirects stay on this origin.
//
// Run: node --test tests/server.test.js
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PKG = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
let server, base;

before(async () => {
  server = spawn(process.execPath, ['scripts/serve.js'], { cwd: ROOT, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  base = await new Promise((resolve, reject) => {
    let out = '', err = '';
    const timer = setTimeout(() => reject(new Error(`serve.js printed no URL in 10 s: ${out} ${err}`)), 10_000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/https?:\/\/[^\s]+/);
      if (m) { clearTimeout(timer); resolve(new URL(m[0])); }
    });
    server.stderr.on('data', (d) => { err += d; });
    server.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve.js exited (${code}): ${err}`)); });
  });
});
after(() => { server?.kill(); });

/** A raw request: `path` goes on the request line exactly as given. */
function raw(path, { method = 'GET', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host: base.hostname, port: base.port, method, path, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const CSP = /default-src 'self'/;
function assertSecurityHeaders(res, what) {
  assert.match(res.headers['content-security-policy'] ?? '', CSP, `${what}: Content-Security-Policy`);
  assert.doesNotMatch(res.headers['content-security-policy'], /'unsafe-inline'|'unsafe-eval'|\*/, `${what}: a weak CSP`);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: X-Content-Type-Options`);
}

test('HTML, JS, CSS and wasm come with CSP, nosniff and the right Content-Type', async () => {
  const cases = [
    ['/', /^text\/html/],
    ['/index.html', /^text\/html/],
    ['/gradscope.js', /^text\/javascript/],
    ['/worker.js', /^text\/javascript/],
    ['/vendor/chart.umd.min.js', /^text\/javascript/],
    ['/style.css', /^text\/css/],
    ['/wasm/gradscope-simd.wasm', /^application\/wasm$/],
    ['/wasm/gradscope-scalar.wasm', /^application\/wasm$/],
  ];
  for (const [path, type] of cases) {
    for (const method of ['GET', 'HEAD']) {
      const res = await raw(path, { method });
      assert.equal(res.status, 200, `${method} ${path}`);
      assert.match(res.headers['content-type'] ?? '', type, `${method} ${path}: Content-Type ${res.headers['content-type']}`);
      assertSecurityHeaders(res, `${method} ${path}`);
      if (method === 'HEAD') assert.equal(res.body.length, 0, `HEAD ${path} has a body`);
      else assert.equal(res.body.length, Number(res.headers['content-length']), `${path}: Content-Length`);
    }
  }
  // the wasm served is the file on disk, byte for byte (instantiateStreaming needs the exact type and bytes)
  const wasm = await raw('/wasm/gradscope-simd.wasm');
  assert.ok(wasm.body.equals(readFileSync(new URL('../web/wasm/gradscope-simd.wasm', import.meta.url))));
});

const TRAVERSALS = [
  '/../package.json',
  '/../../package.json',
  '/%2e%2e/package.json',
  '/%2E%2E/package.json',
  '/..%2fpackage.json',
  '/..%2Fpackage.json',
  '/%2e%2e%2fpackage.json',
  '/web/../../etc/passwd',
  '/../../../../../../etc/passwd',
  '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/..\\package.json',
  '/%5c..%5cpackage.json',
  '/..%5cpackage.json',
  '/%252e%252e/package.json',
  '/%252e%252e%252fpackage.json',
  '/.%2e/package.json',
  '/%2e./package.json',
  '/./../package.json',
  '/index.html%00../../package.json',
  '/%00',
  '/index.html%00',
  '/..%00/package.json',
  '/%c0%ae%c0%ae/package.json',          // overlong UTF-8 '.'
  '/%e0%80%ae%e0%80%ae/package.json',
  '/%ef%bc%8e%ef%bc%8e/package.json',    // fullwidth full stops
  '/%',
  '/%zz',
  '//etc/passwd',
  '///etc/passwd',
  '/etc/passwd',
  '/file:///etc/passwd',
  'package.json',                          // not origin-form
  '../package.json',
  '*',
  '/' + 'a/'.repeat(2000) + '../'.repeat(2000) + 'package.json',
  '/' + 'x'.repeat(8000),
  '/' + '..%2f'.repeat(500) + 'etc/passwd',
];

test('path traversal in every encoding: an error status, and no file contents', async () => {
  const passwd = (() => { try { return readFileSync('/etc/passwd', 'utf8'); } catch { return 'root:x:0:0'; } })();
  let answered = 0;
  for (const path of TRAVERSALS) {
    let res;
    try { res = await raw(path); } catch (e) { continue; }   // the connection dropped outright: nothing served
    answered++;
    const label = path.length > 80 ? `${path.slice(0, 60)}… (${path.length} chars)` : path;
    assert.ok(res.status >= 400 && res.status < 500, `${label}: status ${res.status}`);
    const body = res.body.toString('latin1');
    assert.ok(body.length < 200, `${label}: a ${body.length}-byte body`);
    assert.ok(!body.includes('"name": "gradscope"') && !body.includes(PKG.slice(0, 40)), `${label}: package.json was served`);
    assert.ok(!body.includes('root:') && !body.includes(passwd.slice(0, 20)), `${label}: /etc/passwd was served`);
    // Node's HTTP parser answers malformed request lines itself (bare 400 / 414 / 431,
    // no headers, before serve.js sees the request); everything serve.js answers has the headers
    const fromParser = !res.headers['content-type'] && [400, 414, 431].includes(res.status);
    if (!fromParser) assertSecurityHeaders(res, label);
  }
  assert.ok(answered >= TRAVERSALS.length - 2, `only ${answered} of ${TRAVERSALS.length} requests got an answer`);
});

test('only GET and HEAD: other methods get 405 and no file', async () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'MKCOL']) {
    for (const path of ['/', '/index.html', '/../package.json']) {
      const res = await raw(path, { method, headers: { 'content-length': '0' } });
      assert.equal(res.status, 405, `${method} ${path}: status ${res.status}`);
      assert.ok(!res.body.toString().includes('<html') && !res.body.toString().includes('gradscope"'), `${method} ${path} returned content`);
      assertSecurityHeaders(res, `${method} ${path}`);
    }
  }
});

test('a directory is never listed', async () => {
  for (const path of ['/data/', '/wasm/', '/vendor/', '/i18n/', '/lessons/', '/views/', '/data', '/wasm', '/wasm/?C=M;O=D']) {
    const res = await raw(path);
    const body = res.body.toString();
    assert.ok(res.status === 301 || res.status === 302 || res.status === 404 || res.status === 403, `${path}: status ${res.status}`);
    for (const name of ['digits.csv.gz', 'gradscope-simd.wasm', 'chart.umd.min.js', '<a href', 'Index of']) assert.ok(!body.includes(name), `${path} lists ${name}`);
    if (res.status === 301 || res.status === 302) {
      const next = await raw(res.headers.location);
      assert.ok(next.status === 404 || next.status === 403 || next.status === 200, `${path} → ${res.headers.location}: ${next.status}`);
      for (const name of ['digits.csv.gz', 'gradscope-simd.wasm', 'Index of']) assert.ok(!next.body.toString().includes(name), `${path} → ${res.headers.location} lists ${name}`);
    }
  }
});

// The directory redirect copies the request path into Location. A path that
// starts with '//' names an existing folder (resolve() collapses the slashes)
// but its Location, '//data/', is protocol-relative: the browser leaves this
// server for http://data/ — an open redirect to whatever host a folder is named after.
test('redirects stay on this origin', async () => {
  for (const path of ['/data', '//data', '///data', '//%64ata', '//wasm?x=1', '/vendor']) {
    const res = await raw(path);
    if (res.status !== 301 && res.status !== 302) continue;
    const location = res.headers.location ?? '';
    const target = new URL(location, base);
    assert.equal(target.origin, base.origin, `GET ${path} redirects off-site: Location ${location} (→ ${target.href})`);
    assert.ok(location.startsWith('/') && !location.startsWith('//'), `${path}: Location ${location} is not a plain absolute path`);
  }
});

// Every other response (200, 400, 404, 405) sends CSP and nosniff; the
// directory redirect (serve.js writeHead(301, { Location })) sends neither.
test('the directory redirect carries CSP and nosniff like every other response', async () => {
  const res = await raw('/data');
  assert.equal(res.status, 301);
  assertSecurityHeaders(res, 'GET /data (301)');
});
