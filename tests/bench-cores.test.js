// bench-cores.test.js — the bench's core picker (bench/cores.js) with a fake
// taskset and a probe whose speed depends on the vCPU it is "pinned" to: it
// must move to the clearly faster vCPU, stay put when the difference is within
// its margin, never pin when told not to or when it cannot, and report what it did.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCorePicker, parseCpuList } from '../bench/cores.js';

/** Busy-waits ms milliseconds (the probe's "work"). */
function spin(ms) { const end = performance.now() + ms; while (performance.now() < end); }

/** A fake machine: taskset answers for cpus; the probe takes slowMs[cpu] on the pinned cpu. */
function fakeMachine(cpuList, slowMs) {
  const m = { pinned: null, calls: [] };
  m.taskset = (args) => {
    m.calls.push(args.join(' '));
    if (args.length === 2) return `pid ${args[1]}'s current affinity list: ${cpuList}\n`;
    m.pinned = Number(args[1]);
    return `pid ${args[2]}'s new affinity list: ${args[1]}\n`;
  };
  m.exports = { gs_bench_ceiling: (iters, pipe) => { assert.equal(pipe, 2, 'the picker probes with pipe 2'); spin(slowMs[m.pinned]); return 0; } };
  return m;
}

test('parseCpuList reads taskset\'s ranges and lists', () => {
  assert.deepEqual(parseCpuList('0,1'), [0, 1]);
  assert.deepEqual(parseCpuList(' 0-2,5\n'), [0, 1, 2, 5]);
  assert.deepEqual(parseCpuList('3'), [3]);
});

test('the picker pins to the vCPU whose probe is clearly faster, and moves when that changes', () => {
  const slow = { 0: 1.6, 1: 0.8 };   // the probe is twice as slow on vCPU 0
  const m = fakeMachine('0,1', slow);
  const picker = createCorePicker(m.exports, { platform: 'linux', taskset: m.taskset, intervalMs: 0 });
  picker.check();
  assert.equal(m.pinned, 1, 'first check: the faster vCPU');
  slow[0] = 0.8; slow[1] = 1.6;       // the neighbour moves
  picker.check();
  assert.equal(m.pinned, 0, 'second check: moved');
  const s = picker.summary();
  assert.equal(s.pinned, true);
  assert.equal(s.checks, 2);
  assert.equal(s.moves, 1);
  assert.deepEqual(s.cpus, [0, 1]);
  assert.ok(s.probeNs[0].n === 2 && s.probeNs[1].n === 2, 'every vCPU probed at every check');
});

test('within the margin the picker stays where it is', () => {
  const slow = { 0: 1.0, 1: 1.5 };
  const m = fakeMachine('0,1', slow);
  const picker = createCorePicker(m.exports, { platform: 'linux', taskset: m.taskset, intervalMs: 0 });
  picker.check();
  assert.equal(m.pinned, 0);
  slow[1] = 0.99;                     // 1 % faster: not worth a move (the probe's own noise is larger)
  picker.check();
  assert.equal(m.pinned, 0);
  assert.equal(picker.summary().moves, 0);
});

test('checks closer together than the interval do nothing', () => {
  const m = fakeMachine('0,1', { 0: 0.5, 1: 0.5 });
  const picker = createCorePicker(m.exports, { platform: 'linux', taskset: m.taskset, intervalMs: 60_000 });
  picker.check(); picker.check(); picker.check();
  assert.equal(picker.summary().checks, 1);
});

test('no pinning when turned off, off Linux, without taskset, or with one vCPU; the report says why', () => {
  const m = fakeMachine('0,1', { 0: 0.5, 1: 0.5 });
  const cases = [
    [{ enabled: false, platform: 'linux', taskset: m.taskset }, /--no-pin/],
    [{ platform: 'darwin', taskset: m.taskset }, /not Linux/],
    [{ platform: 'linux', taskset: () => null }, /taskset not found/],
    [{ platform: 'linux', taskset: fakeMachine('2', {}).taskset }, /one vCPU/],
  ];
  for (const [opts, why] of cases) {
    const before = m.calls.length;
    const picker = createCorePicker(m.exports, { ...opts, intervalMs: 0 });
    picker.check();
    const s = picker.summary();
    assert.equal(s.pinned, false);
    assert.match(s.reason, why);
    assert.equal(m.calls.filter((c, i) => i >= before && c.split(' ').length === 3).length, 0, 'never pinned');
  }
});
