// stats.js — the bench's clock and its one summary of repeated measurements.
// Owns: a monotonic millisecond clock, choosing a repeat count for a target
// duration, and { median, min, max } over rounds. Does not own what is timed.

import { hrtime } from 'node:process';

/** Milliseconds from a monotonic clock (ns resolution). */
export const nowMs = () => Number(hrtime.bigint()) / 1e6;

/** ms taken by fn(), once. */
export function timeMs(fn) {
  const t0 = nowMs();
  fn();
  return nowMs() - t0;
}

/** How many calls of a ~perCallMs function fill targetMs (at least 1, at most max). */
export function repsFor(perCallMs, targetMs, max = Infinity) {
  return Math.max(1, Math.min(max, Math.round(targetMs / Math.max(perCallMs, 1e-3))));
}

/** { median, min, max, n } of an array of numbers (empty → NaNs). */
export function summarize(values) {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], n: v.length };
}

/** A small deterministic PRNG (mulberry32) so every run feeds the same data. */
export function makeRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
