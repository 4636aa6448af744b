// digits.js — the real dataset: 1,797 handwritten digits, 8×8 pixels 0..16
// (Alpaydin & Kaynak 1998, UCI Machine Learning Repository, CC BY 4.0).
// Shipped gzipped next to this file; decompressed with zlib in Node and
// DecompressionStream in browsers. Pixels are scaled to [0, 1].

export const DIGITS_CREDIT = 'Optical Recognition of Handwritten Digits — E. Alpaydin, C. Kaynak (1998), UCI Machine Learning Repository, CC BY 4.0';

async function gunzipText(url) {
  if (typeof process !== 'undefined' && process.versions?.node && url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    const { gunzipSync } = await import('node:zlib');
    return gunzipSync(await readFile(url)).toString('utf8');
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load ${url}: HTTP ${response.status}`);
  const stream = response.body.pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

export function parseDigits(text) {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const X = new Float32Array(lines.length * 64), y = new Int32Array(lines.length);
  lines.forEach((line, r) => {
    const v = line.split(',').map(Number);
    if (v.length !== 65) throw new Error(`digits.csv line ${r + 1}: expected 65 values, got ${v.length}`);
    for (let i = 0; i < 64; i++) X[r * 64 + i] = v[i] / 16;
    y[r] = v[64];
  });
  return { X, y };
}

let cached = null;
export async function loadDigitsArrays() {
  cached ??= gunzipText(new URL('./data/digits.csv.gz', import.meta.url)).then(parseDigits);
  return cached;
}
