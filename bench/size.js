// size.js — part (c) of the bench: what the page downloads, gzip level 9.
// Two bundles:
//   core  the SIMD wasm + web/gradscope.js and the modules it imports
//         (loader.js, netconfig.js, limits.js)                  target ≤ 40 KB
//   page  everything the page loads except Chart.js: web/**/*.{js,css,html,svg}
//         and the SIMD wasm — not the digits data (web/data/), not web/vendor/,
//         not the scalar fallback wasm                       target ≤ 120 KB
// Each file is gzipped on its own (as a server sends it), sizes in bytes.

import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const CORE_FILES = ['wasm/gradscope-simd.wasm', 'gradscope.js', 'loader.js', 'netconfig.js', 'limits.js'];
export const TARGET_BYTES = { core: 40 * 1024, page: 120 * 1024 };

// What the page fetches: code, styles, markup and icons anywhere under web/
// (views/, i18n/, lessons/, …), except the vendored Chart.js, the digits data
// and the wasm builds (the SIMD one is added explicitly; the scalar one is the
// fallback for browsers without SIMD).
const PAGE_EXT = /\.(js|css|html|svg)$/;
const PAGE_SKIP_DIRS = new Set(['vendor', 'data', 'wasm']);

function walk(webDir, sub = '') {
  const out = [];
  for (const entry of readdirSync(path.join(webDir, sub), { withFileTypes: true })) {
    const rel = sub ? `${sub}/${entry.name}` : entry.name;
    if (entry.isDirectory()) { if (!PAGE_SKIP_DIRS.has(entry.name)) out.push(...walk(webDir, rel)); }
    else if (PAGE_EXT.test(entry.name)) out.push(rel);
  }
  return out;
}

export function pageFiles(webDir) {
  return [...walk(webDir).sort(), 'wasm/gradscope-simd.wasm'];
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
