// memory.test.js — the core does not leak, and refuses what it cannot hold.
//
//   (a) 1,000 create/free cycles of varied nets and datasets leave the wasm
//       memory where it was, and the allocator still has the space: the largest
//       net and a big malloc block fit again without growing the memory.
//   (b) the same cycles leave the JS heap flat (a child Node with --expose-gc).
//   (c) 100,000 training steps do not grow the wasm memory.
//   (d) a net over the heap budget is refused before anything is allocated,
//       with the MiB it needed; the memory does not grow because of the attempt.
//
// Run: node --test tests/memory.test.js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadGradscope } from '../web/gradscope.js';

const MiB = 2 ** 20;
const API = new URL('../web/gradscope.js', import.meta.url).href;

// A deterministic spread of nets: depth 1..12, width 1..128, every activation,
// batch norm, Adam (two more arrays), orthogonal init (its scratch block), mse.
const ACTS = ['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'prelu', 'elu', 'selu', 'swish'];
const INITS = ['zeros', 'normal', 'uniform', 'xavier_uniform', 'xavier_normal', 'he_uniform', 'he_normal', 'lecun_normal', 'orthogonal'];
function netConfig(i) {
  const depth = 1 + (i * 7) % 12, width = 1 + (i * 37) % 128;
  return {
    inputs: 2, outputs: 2 + (i % 3), batchSize: 1 + (i * 13) % 64, seed: i,
    depth, width, activation: ACTS[i % ACTS.length], batchnorm: i % 4 === 1,
    init: INITS[(i * 5) % INITS.length], loss: i % 5 === 0 ? 'mse' : 'cross_entropy',
    optimizer: i % 3 === 0 ? { kind: 'adam', lr: 0.01 } : { kind: 'sgd', lr: 0.05, momentum: i % 2 ? 0.9 : 0 },
    clip: i % 6 === 0 ? { kind: 'norm', max: 1 } : { kind: 'none' },
  };
}
const LARGEST = { inputs: 2, outputs: 4, batchSize: 64, seed: 1, depth: 12, width: 128, activation: 'tanh', batchnorm: true, init: 'orthogonal', optimizer: { kind: 'adam', lr: 0.01 } };
const DATA_KINDS = ['spiral', 'circles', 'xor', 'moons', 'gaussians'];
function dataSpec(i) {
  return { kind: DATA_KINDS[i % 5], rows: 50 + (i * 97) % 2000, classes: 2 + (i % 3), seed: i };
}

/** One cycle: a net and a dataset are made, used a little, and freed. */
function cycle(gs, i) {
  const cfg = netConfig(i);
  const spec = dataSpec(i);
  if (spec.kind !== 'spiral' && spec.kind !== 'gaussians') cfg.outputs = 2;
  else cfg.outputs = spec.classes;
  const net = gs.createNet(cfg);
  const data = gs.createDataset(spec);
  net.trainSteps(data, 2);
  if (i % 10 === 0) net.evaluate(data, 'test');
  if (i % 7 === 0) { try { gs.createNet({ ...cfg, depth: 0 }); } catch { /* a refused config in between */ } }
  data.free();
  net.free();
}

test('(a) 1,000 create/free cycles of varied nets and datasets leave the wasm heap flat and reusable', async () => {
  const gs = await loadGradscope({ simd: true });   // a private instance: nobody else allocates in it
  const e = gs.exports;
  // warm-up: the largest net, the largest dataset and one big block, each freed
  const BIG = 48 * MiB;
  const big = gs.createNet(LARGEST);
  const largestBytes = big.bytes;
  big.free();
  gs.createDataset({ kind: 'spiral', rows: 2049, classes: 4 }).free();
  const block = e.malloc(BIG);
  assert.ok(block, 'a 48 MiB block could not be allocated at all');
  e.free(block);
  for (let i = 0; i < 50; i++) cycle(gs, i);
  const settled = e.memory.buffer.byteLength;

  for (let i = 0; i < 1000; i++) cycle(gs, i);
  assert.equal(e.memory.buffer.byteLength, settled, `the wasm memory grew by ${(e.memory.buffer.byteLength - settled) / MiB} MiB over 1,000 cycles`);

  // nothing is held back inside the heap either: the largest net is made again
  // without growth, and so is the big block (it only fits if the cycles returned
  // their memory and did not fragment the free space it came from)
  const again = gs.createNet(LARGEST);
  assert.equal(again.bytes, largestBytes);
  again.free();
  assert.equal(e.memory.buffer.byteLength, settled, 'the largest net no longer fits in the settled heap');
  const block2 = e.malloc(BIG);
  assert.ok(block2, 'malloc of the warm-up block failed after the cycles');
  e.free(block2);
  assert.equal(e.memory.buffer.byteLength, settled, 'the 48 MiB block no longer fits without growing: memory was not returned');
  // and both at once, as at warm-up time they did not need to be
  const n3 = gs.createNet(LARGEST);
  const block3 = e.malloc(BIG);
  assert.ok(block3);
  e.free(block3); n3.free();
});

test('(b) 1,000 create/free cycles leave the JS heap flat (node --expose-gc)', () => {
  const child = `
    import { loadGradscope } from ${JSON.stringify(API)};
    const gs = await loadGradscope({ simd: true });
    const ACTS = ${JSON.stringify(ACTS)};
    const cycle = (i) => {
      const net = gs.createNet({ inputs: 2, outputs: 3, batchSize: 1 + i % 32, seed: i, depth: 1 + i % 8, width: 1 + (i * 37) % 64, activation: ACTS[i % ACTS.length], batchnorm: i % 4 === 1, optimizer: i % 3 ? 'sgd' : 'adam' });
      const data = gs.createDataset({ kind: 'spiral', rows: 60 + i % 200, classes: 3, seed: i });
      const run = net.trainSteps(data, 3);
      net.layerStats(); net.getParams(0); net.evaluate(data, 'test');
      try { gs.createNet({ inputs: 2, outputs: 3, depth: 0, width: 4 }); } catch {}
      data.free(); net.free();
      return run.steps;
    };
    const settle = () => { for (let k = 0; k < 4; k++) globalThis.gc(); };
    for (let i = 0; i < 200; i++) cycle(i);
    settle();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1000; i++) cycle(i);
    settle();
    const after = process.memoryUsage().heapUsed;
    console.log(JSON.stringify({ before, after }));
  `;
  const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', child], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `child failed: ${r.stderr}`);
  const { before, after } = JSON.parse(r.stdout.trim().split('\n').at(-1));
  const growth = (after - before) / MiB;
  assert.ok(growth < 5, `the JS heap grew by ${growth.toFixed(2)} MiB over 1,000 cycles (${(before / MiB).toFixed(1)} → ${(after / MiB).toFixed(1)} MiB)`);
});

test('(c) 100,000 training steps do not grow the wasm memory', async () => {
  for (const simd of [true, false]) {
    const gs = await loadGradscope({ simd });
    const net = gs.createNet({ inputs: 2, outputs: 3, batchSize: 8, seed: 1, depth: 3, width: 8, activation: 'tanh', batchnorm: true, optimizer: { kind: 'adam', lr: 0.005 }, clip: { kind: 'norm', max: 5 } });
    const data = gs.createDataset({ kind: 'spiral', rows: 300, classes: 3, seed: 2 });
    const before = gs.exports.memory.buffer.byteLength;
    const STEPS = simd ? 100_000 : 25_000;   // the scalar build: a quarter, to stay within the time budget
    let done = 0, last = null;
    while (done < STEPS) {
      const run = net.trainSteps(data, Math.min(256, STEPS - done));
      assert.equal(run.nonFinite, null, `non-finite at step ${done}`);
      done += run.steps;
      last = run.last;
    }
    assert.equal(gs.exports.memory.buffer.byteLength, before, `[${simd ? 'simd' : 'scalar'}] the wasm memory grew during ${STEPS} steps`);
    assert.equal(last.step, STEPS, 'every step was applied');
    assert.ok(Number.isFinite(last.loss));
    net.free(); data.free();
  }
});

test('(d) a net over the heap budget is refused up front with the MiB it needed; the memory does not grow', async () => {
  const gs = await loadGradscope({ simd: true });
  const e = gs.exports;
  // reference: the bytes of nets that fit, to check the MiB the refusals name
  const fits = (cfg) => { const n = gs.createNet(cfg); const b = n.bytes; n.free(); return b; };
  const before = e.memory.buffer.byteLength;
  const cases = [
    { inputs: 2, outputs: 2, depth: 100, width: 1024 },                                   // parameters
    { inputs: 1024, outputs: 1024, depth: 30, width: 1024, optimizer: 'adam' },            // parameters + moments
    { inputs: 2, outputs: 2, depth: 100, width: 1024, batchSize: 1024, batchnorm: true },  // batch caches
    { inputs: 1024, outputs: 1024, depth: 100, width: 1024, batchSize: 1024, batchnorm: true, optimizer: { kind: 'sgd', lr: 0.1, momentum: 0.9 }, init: 'uniform' },
  ];
  for (const cfg of cases) {
    let err = null;
    try { gs.createNet(cfg); } catch (x) { err = x; }
    assert.ok(err && err.constructor === Error, `${JSON.stringify(cfg)}: expected an Error, got ${err}`);
    const m = err.message.match(/^this net needs ([\d.]+) MiB, over the 256 MiB budget of one net/);
    assert.ok(m, `${JSON.stringify(cfg)}: ${err.message}`);
    const needed = Number(m[1]);
    assert.ok(needed > 256, `says it needs ${needed} MiB, which is within the budget`);
    // every block is per layer or fixed, so the size is affine in the depth:
    // extrapolate from two depths that fit (2 and 3; init 'uniform' only for speed,
    // it allocates the same) to the refused one
    const ref = { ...cfg, init: 'uniform' };
    const b2 = fits({ ...ref, depth: 2 }) / MiB, b3 = fits({ ...ref, depth: 3 }) / MiB;
    const want = b2 + (b3 - b2) * (cfg.depth - 2);
    assert.ok(Math.abs(needed / want - 1) < 0.01, `${JSON.stringify(cfg)}: needs ${needed} MiB, but depths 2 and 3 take ${b2.toFixed(1)} and ${b3.toFixed(1)} MiB (→ ${want.toFixed(1)} expected)`);
  }
  assert.ok(e.memory.buffer.byteLength >= before);
  // refusing must not have allocated: the memory is what the fitting nets grew it to, no more
  const afterFits = e.memory.buffer.byteLength;
  for (const cfg of cases) assert.throws(() => gs.createNet(cfg), /over the 256 MiB budget/);
  assert.equal(e.memory.buffer.byteLength, afterFits, 'the refused nets grew the wasm memory');
  // a fresh instance that never made a net: refusing grows nothing at all
  const fresh = await loadGradscope({ simd: false });
  const start = fresh.exports.memory.buffer.byteLength;
  for (const cfg of cases) assert.throws(() => fresh.createNet(cfg), /this net needs [\d.]+ MiB/);
  assert.throws(() => fresh.checkPtr(fresh.exports.gs_data_alloc(100000, 1024, 2)), /^Error: dataset needs 39\d\.\d MiB, over the 256 MiB budget$/);
  assert.equal(fresh.exports.memory.buffer.byteLength, start, 'refusing oversized nets/datasets grew the memory of a fresh instance');
  // and it still works
  const ok = fresh.createNet({ inputs: 2, outputs: 2, depth: 2, width: 4 });
  assert.ok(Number.isFinite(ok.backward([0.1, 0.2], [1])));
  ok.free();
});
