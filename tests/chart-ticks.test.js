// The log-axis ticks every log chart uses (web/views/chart-kit.js
// logAxisTicks): a wide axis keeps exactly its powers of ten; a narrow one
// gets a few ticks evenly spaced on the log scale, inside the axis, at two
// significant digits. Checked against Chart.js-like tick lists built here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logAxisTicks } from '../web/views/chart-kit.js';

/** Chart.js's log ticks: 1…9 × every decade in [min, max]. */
function chartjsTicks(min, max) {
  const ticks = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (let m = 1; m <= 9; m++) { const v = Number(`${m}e${e}`); if (v >= min && v <= max) ticks.push({ value: v }); }
  }
  return ticks;
}

test('a log axis spanning decades keeps exactly its powers of ten', () => {
  for (const [min, max] of [[0.1, 1e7], [1e-20, 1], [3e-5, 0.7], [1, 10]]) {
    const scale = { min, max, ticks: chartjsTicks(min, max) };
    logAxisTicks(scale);
    const want = [];
    for (let e = Math.ceil(Math.log10(min) - 1e-12); e <= Math.floor(Math.log10(max) + 1e-12); e++) want.push(Number(`1e${e}`));
    assert.deepEqual(scale.ticks.map((t) => t.value), want, `${min}…${max}`);
  }
});

test('a narrow log axis gets evenly spaced ticks inside it, at two significant digits', () => {
  for (const [min, max] of [[0.6304, 0.9], [2.1, 2.4], [0.011, 0.09], [150, 900]]) {
    const scale = { min, max, ticks: chartjsTicks(min, max) };
    logAxisTicks(scale);
    const v = scale.ticks.map((t) => t.value);
    assert.ok(v.length >= 2 && v.length <= 5, `${min}…${max}: ${v}`);
    for (const x of v) {
      assert.ok(x >= min && x <= max, `${x} outside ${min}…${max}`);
      assert.equal(Number(x.toPrecision(2)), x, `${x} has more than two significant digits`);
    }
    // evenly spaced on the log scale: every gap within 2× of the others (rounding to two digits moves them a little)
    const gaps = v.slice(1).map((x, i) => Math.log(x / v[i]));
    assert.ok(Math.max(...gaps) <= 2 * Math.min(...gaps), `${min}…${max}: uneven ${v}`);
    assert.ok(gaps.every((g) => g > 0), `${min}…${max}: not increasing ${v}`);
  }
});
