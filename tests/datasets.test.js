// datasets.test.js — the synthetic 2-D datasets and the digits: shapes, ranges,
// labels, and geometric sanity checks against the closed-form definitions of
// each generator (noise 0 makes them exact), plus end-to-end learning checks.
// Run: node --test tests/datasets.test.js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadGradscope } from '../web/gradscope.js';

const BUILDS = [true, false];
const KINDS = ['spiral', 'circles', 'xor', 'moons', 'gaussians'];
const MULTICLASS = new Set(['spiral', 'gaussians']);
const cache = new Map();
async function load(simd) {
  if (!cache.has(simd)) cache.set(simd, await loadGradscope({ simd }));
  return cache.get(simd);
}
const TAU = 2 * Math.PI;
/** Angle difference wrapped into (−π, π]. */
const wrap = (a) => { a = ((a % TAU) + TAU) % TAU; return a > Math.PI ? a - TAU : a; };
// float32 coordinates: a closed-form identity holds to ~1e-7 relative
const F32 = 2e-6;

for (const simd of BUILDS) {
  const build = simd ? 'simd' : 'scalar';

  test(`[${build}] every synthetic kind: shapes, ranges, labels in range, every class present`, async () => {
    const gs = await load(simd);
    for (const kind of KINDS) {
      for (const classes of MULTICLASS.has(kind) ? [2, 3, 5, 10] : [2]) {
        for (const noise of [0, 0.05, 0.2]) {
          const rows = 600;
          const d = gs.createDataset({ kind, rows, noise, classes, seed: 17 });
          const label = `${kind} classes ${classes} noise ${noise}`;
          assert.equal(d.rows, rows, label);
          assert.equal(d.features, 2, label);
          assert.equal(d.classes, classes, label);
          assert.equal(d.trainRows + d.testRows, rows);
          const { X, y } = d.arrays();
          assert.ok(X instanceof Float32Array && X.length === rows * 2, `${label}: X is rows × 2 floats`);
          assert.ok(y instanceof Int32Array && y.length === rows, `${label}: y has one label per row`);
          assert.ok(X.every(Number.isFinite), `${label}: non-finite coordinate`);
          const seen = new Set();
          for (const v of y) { assert.ok(Number.isInteger(v) && v >= 0 && v < classes, `${label}: label ${v}`); seen.add(v); }
          assert.equal(seen.size, classes, `${label}: every class appears`);
          // coordinates: mostly inside about [−1.5, 1.5] (noise tails may leave it)
          let outside = 0, maxAbs = 0;
          for (const v of X) { outside += Math.abs(v) > 1.5; maxAbs = Math.max(maxAbs, Math.abs(v)); }
          assert.ok(outside <= 0.01 * X.length, `${label}: ${outside} of ${X.length} coordinates outside [−1.5, 1.5]`);
          if (noise === 0) assert.ok(maxAbs <= 1.2, `${label}: noise-free data reaches |${maxAbs}|`);
          // not degenerate: both coordinates spread out
          for (const c of [0, 1]) {
            let m = 0, s = 0;
            for (let r = 0; r < rows; r++) m += X[2 * r + c];
            m /= rows;
            for (let r = 0; r < rows; r++) s += (X[2 * r + c] - m) ** 2;
            assert.ok(Math.sqrt(s / rows) > 0.1, `${label}: coordinate ${c} has std ${Math.sqrt(s / rows)}`);
          }
          d.free();
        }
      }
      // the 2-class kinds ignore `classes`
      if (!MULTICLASS.has(kind)) {
        const d = gs.createDataset({ kind, rows: 50, classes: 5 });
        assert.equal(d.classes, 2, `${kind} is always 2 classes`);
        d.free();
      }
    }
  });

  test(`[${build}] circles (noise 0): class 0 is the disc r < 0.5, class 1 the ring 0.7 ≤ r ≤ 1`, async () => {
    const gs = await load(simd);
    const d = gs.createDataset({ kind: 'circles', rows: 1000, noise: 0, seed: 3 });
    const { X, y } = d.arrays();
    const sum = [0, 0], n = [0, 0];
    for (let r = 0; r < d.rows; r++) {
      const rad = Math.hypot(X[2 * r], X[2 * r + 1]);
      sum[y[r]] += rad; n[y[r]]++;
      if (y[r] === 0) assert.ok(rad < 0.5 + F32, `row ${r}: class 0 at radius ${rad}`);
      else assert.ok(rad >= 0.7 - F32 && rad <= 1 + F32, `row ${r}: class 1 at radius ${rad}`);
    }
    assert.ok(sum[0] / n[0] < sum[1] / n[1], 'class 0 lies inside class 1 on average');
    // with noise the averages keep their order
    const dn = gs.createDataset({ kind: 'circles', rows: 1000, noise: 0.1, seed: 3 });
    const a = dn.arrays(), m = [0, 0];
    for (let r = 0; r < dn.rows; r++) m[a.y[r]] += Math.hypot(a.X[2 * r], a.X[2 * r + 1]) / 500;
    assert.ok(m[0] < m[1], `noisy circles: mean radius ${m[0]} vs ${m[1]}`);
    d.free(); dn.free();
  });

  test(`[${build}] xor (noise 0): sign(x·y) > 0 ⇔ class 0, points in [−1,1]² off the axes`, async () => {
    const gs = await load(simd);
    const d = gs.createDataset({ kind: 'xor', rows: 1000, noise: 0, seed: 4 });
    const { X, y } = d.arrays();
    for (let r = 0; r < d.rows; r++) {
      const [px, py] = [X[2 * r], X[2 * r + 1]];
      assert.equal(y[r], px * py > 0 ? 0 : 1, `row ${r}: (${px}, ${py}) labelled ${y[r]}`);
      assert.ok(Math.abs(px) <= 1 && Math.abs(py) <= 1, `row ${r} outside the square`);
      assert.ok(Math.abs(px) >= 0.05 - F32 && Math.abs(py) >= 0.05 - F32, `row ${r} on an axis`);
    }
    // all four quadrants are populated
    const quad = new Set();
    for (let r = 0; r < d.rows; r++) quad.add(`${X[2 * r] > 0}${X[2 * r + 1] > 0}`);
    assert.equal(quad.size, 4);
    d.free();
  });

  test(`[${build}] spiral (noise 0): radius t ∈ [0,1) and angle = 3.5π·t + 2πc/K`, async () => {
    const gs = await load(simd);
    for (const K of [2, 3, 5]) {
      const d = gs.createDataset({ kind: 'spiral', rows: 900, noise: 0, classes: K, seed: 5 });
      const { X, y } = d.arrays();
      let worst = 0;
      for (let r = 0; r < d.rows; r++) {
        const [px, py] = [X[2 * r], X[2 * r + 1]];
        const t = Math.hypot(px, py);
        assert.ok(t < 1 + F32, `row ${r}: radius ${t}`);
        if (t < 0.05) continue;   // the angle is ill-conditioned near the centre
        // x = t·sin(angle), y = t·cos(angle): the arm of class c has angle 3.5π·t + 2πc/K
        const angle = Math.atan2(px, py);
        worst = Math.max(worst, Math.abs(wrap(angle - 3.5 * Math.PI * t - (TAU * y[r]) / K)));
      }
      assert.ok(worst < 1e-4, `spiral K=${K}: a point is ${worst} rad off its class's arm`);
      d.free();
    }
  });

  test(`[${build}] moons (noise 0): two interleaved half circles of radius 0.75`, async () => {
    const gs = await load(simd);
    const d = gs.createDataset({ kind: 'moons', rows: 1000, noise: 0, seed: 6 });
    const { X, y } = d.arrays();
    // sklearn's make_moons: class 0 = (cos t, sin t), class 1 = (1 − cos t, 0.5 − sin t),
    // t ∈ [0, π], then centred by (−0.5, −0.25) and scaled by 0.75
    const centre = [[-0.375, -0.1875], [0.375, 0.1875]];
    for (let r = 0; r < d.rows; r++) {
      const [px, py] = [X[2 * r], X[2 * r + 1]], c = y[r];
      const rad = Math.hypot(px - centre[c][0], py - centre[c][1]);
      assert.ok(Math.abs(rad - 0.75) < 1e-5, `row ${r}: class ${c} at distance ${rad} from its centre`);
      // class 0 is the upper half of its circle, class 1 the lower half of its own
      if (c === 0) assert.ok(py >= centre[0][1] - F32, `row ${r}: class 0 below its centre`);
      else assert.ok(py <= centre[1][1] + F32, `row ${r}: class 1 above its centre`);
    }
    d.free();
  });

  test(`[${build}] gaussians: class means near their centres 0.6·(cos, sin)(2πc/K), spread ≈ √(0.15² + noise²)`, async () => {
    const gs = await load(simd);
    for (const [K, noise] of [[2, 0], [4, 0.05], [7, 0.1]]) {
      const rows = 7000;
      const d = gs.createDataset({ kind: 'gaussians', rows, noise, classes: K, seed: 7 });
      const { X, y } = d.arrays();
      const sx = new Array(K).fill(0), sy = new Array(K).fill(0), n = new Array(K).fill(0), ss = new Array(K).fill(0);
      for (let r = 0; r < rows; r++) { sx[y[r]] += X[2 * r]; sy[y[r]] += X[2 * r + 1]; n[y[r]]++; }
      const sd = Math.hypot(0.15, noise);   // per-coordinate std of a blob
      for (let c = 0; c < K; c++) {
        const mx = sx[c] / n[c], my = sy[c] / n[c];
        const cx = 0.6 * Math.cos((TAU * c) / K), cy = 0.6 * Math.sin((TAU * c) / K);
        const tol = 5 * sd / Math.sqrt(n[c]);   // 5 standard errors of the mean
        assert.ok(Math.abs(mx - cx) < tol && Math.abs(my - cy) < tol, `K=${K} class ${c}: mean (${mx}, ${my}), centre (${cx}, ${cy}), tol ${tol}`);
        for (let r = 0; r < rows; r++) if (y[r] === c) ss[c] += (X[2 * r] - mx) ** 2 + (X[2 * r + 1] - my) ** 2;
        const std = Math.sqrt(ss[c] / (2 * n[c]));
        assert.ok(Math.abs(std - sd) < 0.1 * sd, `K=${K} class ${c}: spread ${std}, expected ${sd}`);
      }
      d.free();
    }
  });

  test(`[${build}] noise adds the requested variance (circles' disc: E[r²]/2 + σ² per coordinate)`, async () => {
    // Class 0 of circles is radius ~ U[0, 0.5) × angle ~ U[0, 2π): each coordinate has
    // mean 0 and variance E[r²]/2 = (0.25/3)/2. Independent noise of std σ adds σ².
    const gs = await load(simd);
    const rows = 8000;
    for (const sigma of [0, 0.1, 0.3]) {
      const d = gs.createDataset({ kind: 'circles', rows, noise: sigma, seed: 8 });
      const { X, y } = d.arrays();
      let s = 0, n = 0, mx = 0, my = 0;
      for (let r = 0; r < rows; r++) if (y[r] === 0) { mx += X[2 * r]; my += X[2 * r + 1]; n++; }
      mx /= n; my /= n;
      for (let r = 0; r < rows; r++) if (y[r] === 0) s += (X[2 * r] - mx) ** 2 + (X[2 * r + 1] - my) ** 2;
      const want = Math.sqrt(0.25 / 3 / 2 + sigma ** 2);
      const got = Math.sqrt(s / (2 * n));
      assert.ok(Math.abs(got - want) < 0.04 * want, `σ=${sigma}: disc spread ${got}, expected ${want}`);
      assert.ok(Math.abs(mx) < 0.03 && Math.abs(my) < 0.03, `σ=${sigma}: disc centre (${mx}, ${my})`);
      d.free();
    }
  });

  test(`[${build}] digits: 1797 rows × 64 features, 10 classes, pixels k/16 in [0,1]`, async () => {
    const gs = await load(simd);
    const d = await gs.loadDigits();
    assert.equal(d.rows, 1797);
    assert.equal(d.features, 64);
    assert.equal(d.classes, 10);
    assert.equal(d.trainRows, Math.round(0.8 * 1797));
    const { X, y } = d.arrays();
    assert.equal(X.length, 1797 * 64);
    let max = 0;
    for (const v of X) {
      assert.ok(v >= 0 && v <= 1, `pixel ${v}`);
      assert.ok(Number.isInteger(v * 16), `pixel ${v} is not a multiple of 1/16`);
      max = Math.max(max, v);
    }
    assert.equal(max, 1, 'some pixel is at full intensity');
    const counts = new Array(10).fill(0);
    for (const v of y) { assert.ok(v >= 0 && v < 10); counts[v]++; }
    // UCI optdigits (sklearn's load_digits): 174–183 examples per class
    for (const [c, k] of counts.entries()) assert.ok(k >= 170 && k <= 190, `digit ${c}: ${k} examples`);
    // corner pixels of 8×8 digits are almost always blank; the centre is not
    let corner = 0, centre = 0;
    for (let r = 0; r < 1797; r++) { corner += X[r * 64]; centre += X[r * 64 + 27] + X[r * 64 + 36]; }
    assert.ok(corner / 1797 < 0.01, `mean corner pixel ${corner / 1797}`);
    assert.ok(centre / (2 * 1797) > 0.3, `mean centre pixel ${centre / (2 * 1797)}`);
    d.free();
  });

  test(`[${build}] end to end: depth 3 × 32 relu, he_normal, adam 0.01 learns spiral to > 85 % test accuracy within 3000 steps`, async () => {
    const gs = await load(simd);
    const data = gs.createDataset({ kind: 'spiral', rows: 600, noise: 0.05, seed: 1 });
    const net = gs.createNet({ inputs: 2, outputs: 2, batchSize: 32, seed: 1, depth: 3, width: 32, activation: 'relu', init: 'he_normal', optimizer: { kind: 'adam', lr: 0.01 } });
    const before = net.evaluate(data, 'test');
    assert.ok(before.accuracy < 0.75, `untrained accuracy ${before.accuracy} (the task must not be trivial)`);
    let steps = 0, acc = 0;
    while (steps < 3000 && acc <= 0.85) {
      const run = net.trainSteps(data, 250);
      assert.equal(run.steps, 250);
      assert.equal(run.nonFinite, null);
      steps += run.steps;
      acc = net.evaluate(data, 'test').accuracy;
    }
    assert.ok(acc > 0.85, `test accuracy ${acc} after ${steps} steps`);
    const train = net.evaluate(data, 'train');
    assert.ok(train.loss < before.loss, `training reduced the loss (${before.loss} → ${train.loss})`);
    net.free(); data.free();
  });

  test(`[${build}] end to end: digits to > 90 % test accuracy within 1500 steps`, async () => {
    const gs = await load(simd);
    const data = await gs.loadDigits({ seed: 2 });
    const net = gs.createNet({ inputs: 64, outputs: 10, batchSize: 32, seed: 2, depth: 1, width: 48, activation: 'relu', init: 'he_normal', optimizer: { kind: 'adam', lr: 0.003 } });
    let steps = 0, acc = 0;
    while (steps < 1500 && acc <= 0.9) {
      steps += net.trainSteps(data, 250).steps;
      acc = net.evaluate(data, 'test').accuracy;
    }
    assert.ok(acc > 0.9, `digits test accuracy ${acc} after ${steps} steps`);
    net.free(); data.free();
  });
}
