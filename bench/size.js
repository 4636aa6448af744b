// size.js — part (c) of the bench: what the page downloads, gzip level 9.
// Two bundles:
//   core  the SIMD wasm + web/gradscope.js and the modules it imports
//         (loader.js, netconfig.js, limits.js)                  target ≤ 40 KB
//   page  everything index.html loads, followed through imports and workers,
//         except Chart.js, the digits data and the scalar fallback wasm,
//         as served from dist/ (npm run build: minified)     target ≤ 120 KB
// Each file is gzipped on its own (as a server sends it), sizes in bytes.

import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const CORE_FILES = ['wasm/gradscope-simd.wasm', 'gradscope.js', 'loader.js', 'netconfig.js', 'limits.js'];
export const TARGET_BYTES = { core: 40 * 1024, page: 120 * 1024 };

// What the page fetches: start at index.html and follow every reference —
// <script src>, <link href>, static and dynamic imports, workers and
// new URL('./…', import.meta.url) — through the files it reaches. Chart.js
// (vendor/), the digits data (data/) and the scalar wasm (the fallback for
// browsers without SIMD) are left out, as the target says.
const REF = /["'`]((?:\.{1,2}\/)?[\w./-]+\.(?:js|css|wasm|svg|html))["'`]/g;
const SKIP = (rel) => rel.startsWith('vendor/') || rel.startsWith('data/') || rel.endsWith('gradscope-scalar.wasm');

export function pageFiles(webDir, entry = 'index.html') {
  const seen = new Set([entry]), queue = [entry];
  while (queue.length) {
    const rel = queue.shift();
    if (!/\.(js|html|css)$/.test(rel)) continue;
    const text = readFileSync(path.join(webDir, rel), 'utf8');
    for (const m of text.matchAll(REF)) {
      if (/^(https?:)?\/\//.test(m[1])) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), m[1]));
      if (target.startsWith('..') || SKIP(target) || seen.has(target) || !existsSync(path.join(webDir, target))) continue;
      seen.add(target); queue.push(target);
    }
  }
  return [...seen].sort();
}

function measure(webDir, files) {
  const rows = files.map((f) => {
    const p = path.join(webDir, f);
    if (!existsSync(p)) return { file: f, missing: true, raw: 0, gzip: 0 };
    const bytes = readFileSync(p);
    return { file: f, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  return { files: rows, raw: rows.reduce((s, r) => s + r.raw, 0), gzip: rows.reduce((s, r) => s + r.gzip, 0) };
}

/** { core, page }: each { files: [{ file, raw, gzip }], raw, gzip, target }. */
export function runSize(webDir) {
  return {
    core: { ...measure(webDir, CORE_FILES), target: TARGET_BYTES.core },
    page: { ...measure(webDir, pageFiles(webDir)), target: TARGET_BYTES.page },
  };
}
