// build-site.js — makes the page self-contained:
//   1. web/vendor/chart.umd.min.js  ← node_modules/chart.js (served by us: no CDN)
//   2. dist/                         ← everything the page needs, ready for any
//      static host: JS and CSS minified by esbuild (per file, same module
//      structure and URLs), so learners download less; web/ keeps the
//      commented sources, which is what the tests and `npm start` serve.
// Run after build.sh (which writes web/wasm/). Both outputs are generated:
// they are not committed.

import { cp, mkdir, rm, stat, readdir, readFile, writeFile } from 'node:fs/promises';
import { transform } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = join(root, 'web'), dist = join(root, 'dist');
const chartSource = join(root, 'node_modules', 'chart.js', 'dist', 'chart.umd.min.js');

async function exists(path) { try { await stat(path); return true; } catch { return false; } }

if (!(await exists(chartSource))) {
  console.error('build-site: node_modules/chart.js is missing — run `npm ci` (or bash scripts/setup.sh) first');
  process.exit(1);
}
for (const wasm of ['gradscope-simd.wasm', 'gradscope-scalar.wasm']) {
  if (!(await exists(join(web, 'wasm', wasm)))) { console.error(`build-site: web/wasm/${wasm} is missing — run bash build.sh first`); process.exit(1); }
}

await mkdir(join(web, 'vendor'), { recursive: true });
await cp(chartSource, join(web, 'vendor', 'chart.umd.min.js'));
console.log('build-site: web/vendor/chart.umd.min.js');

// dist/: a fresh copy of web/. Source maps and editor files stay out.
await rm(dist, { recursive: true, force: true });
await cp(web, dist, { recursive: true, filter: (src) => !/\.(map|swp)$|~$/.test(src) });
// Minify our own JS and CSS in place (vendor/ is already minified).
let saved = 0;
for (const rel of await readdir(dist, { recursive: true })) {
  const loader = rel.endsWith('.js') ? 'js' : rel.endsWith('.css') ? 'css' : null;
  if (!loader || rel.startsWith('vendor')) continue;
  const file = join(dist, rel), source = await readFile(file, 'utf8');
  const { code } = await transform(source, { loader, minify: true, format: loader === 'js' ? 'esm' : undefined, target: 'es2022', legalComments: 'none', charset: 'utf8' });
  saved += source.length - code.length;
  await writeFile(file, code);
}
console.log(`build-site: minified dist/ JS and CSS (${(saved / 1024).toFixed(0)} KB smaller)`);
const count = async (dir) => (await readdir(dir, { recursive: true })).length;
console.log(`build-site: dist/ (${await count(dist)} entries)`);

// The package (npm pack) ships dist/: check that what embedders use is there.
const NEEDED = ['index.html', 'embed.html', 'element.js', 'playground.js', 'iframe-api.js', 'worker.js', 'gradscope.js', 'style.css',
  'vendor/chart.umd.min.js', 'wasm/gradscope-simd.wasm', 'wasm/gradscope-scalar.wasm'];
const missing = [];
for (const f of NEEDED) if (!(await exists(join(dist, f)))) missing.push(f);
if (missing.length) { console.error(`build-site: dist/ lacks ${missing.join(', ')}`); process.exit(1); }
