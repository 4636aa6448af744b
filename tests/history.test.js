// The page's raw store of per-step statistics (web/history.js): what goes in
// comes back out, record by record, across its chunk boundaries; past its
// memory bound it halves itself pairwise and keeps the larger gradient norm
// of each pair (a NaN counting as larger); the CSV export has every record.
// The reference is a plain array of the records appended.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { History, gIndex, lIndex } from '../web/history.js';
import { GLOBAL_STATS, LAYER_STATS } from '../web/limits.js';

const G = GLOBAL_STATS.length, P = LAYER_STATS.length;

/** A record whose every number says where it is: step s, slot j → s + j / 1000. */
function recordFor(step, stride, gradNorm = step) {
  const r = new Float64Array(stride);
  for (let j = 0; j < stride; j++) r[j] = step + j / 1000;
  r[gIndex.step] = step;
  r[gIndex.gradNorm] = gradNorm;
  return r;
}

function pack(records, stride) {
  const out = new Float64Array(records.length * stride);
  records.forEach((r, i) => out.set(r, i * stride));
  return out;
}

test('records come back as appended, across chunk boundaries and uneven batches', () => {
  const layers = 3, h = new History(layers), stride = G + layers * P;
  const all = [];
  let step = 1;
  for (const batch of [1, 63, 64, 100, 7, 0, 129]) {
    const recs = Array.from({ length: batch }, () => recordFor(step++, stride));
    h.append(pack(recs, stride), batch);
    all.push(...recs);
  }
  assert.equal(h.count, all.length);
  assert.equal(h.lastStep, all.length);
  for (let i = 0; i < all.length; i++) {
    assert.deepEqual([...h.record(i)], [...all[i]], `record ${i}`);
    assert.equal(h.global(i, 'step'), i + 1);
    for (let l = 0; l < layers; l++) for (const k of LAYER_STATS) assert.equal(h.layer(i, l, k), all[i][G + l * P + lIndex[k]]);
  }
  // the CSV: a header and one row per record, the step first
  const lines = h.toCSV().trim().split('\n');
  assert.equal(lines.length, all.length + 1);
  assert.equal(lines[0].split(',').length, 1 + (G - 1) + layers * P);
  assert.equal(Number(lines[200].split(',')[0]), 200);
});

test('past its bound the store halves itself, keeping the larger gradient norm of each pair', () => {
  const layers = 2, h = new History(layers), stride = G + layers * P;
  h.maxCount = 100;   // the bound, small for the test (the page's is 64 MiB)
  const norms = Array.from({ length: 99 }, (_, i) => ((i * 37) % 11) + 0.5);
  norms[10] = NaN;   // an exploded step: it must survive thinning
  const recs = norms.map((g, i) => recordFor(i + 1, stride, g));
  h.append(pack(recs.slice(0, 70), stride), 70);
  h.append(pack(recs.slice(70), stride), 29);
  assert.equal(h.count, 99);
  assert.equal(h.thinned, false);
  const extra = recordFor(100, stride, 1), extra2 = recordFor(101, stride, 1);
  h.append(pack([extra, extra2], stride), 2);   // 101 > 100: halve first, then append
  assert.equal(h.thinned, true);
  const expected = [];
  for (let i = 0; i + 1 < recs.length; i += 2) {
    const a = norms[i], b = norms[i + 1];
    expected.push(Number.isNaN(a) || (!Number.isNaN(b) && a >= b) ? recs[i] : recs[i + 1]);
  }
  expected.push(recs[98], extra, extra2);   // the odd one out is kept, then the new ones
  assert.equal(h.count, expected.length);
  for (let i = 0; i < expected.length; i++) assert.deepEqual([...h.record(i)], [...expected[i]], `record ${i} after thinning`);
  assert.ok(Array.from({ length: h.count }, (_, i) => h.global(i, 'gradNorm')).some(Number.isNaN), 'the NaN step was kept');
});
