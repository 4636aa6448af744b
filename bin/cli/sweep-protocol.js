// sweep-protocol.js — every message name between `gradscope sweep` and its
// worker threads, in one module, so a typo is an import error.
//
// The main thread sends INIT once, then one JOB at a time per worker (a
// worker asks for more by answering); every JOB is answered by exactly one
// RESULT or FAILED carrying the job's id. Any FAILED or worker 'error' ends
// the whole sweep: the other workers are terminated, nothing is half-printed.

export const TO_WORKER = Object.freeze({
  INIT: 'init',   // { simd: 'auto' | true | false, data: { X, y, features, classes } | null (own data) } → READY { build }
  JOB: 'job',     // { id, config, steps } → RESULT { id, result } | FAILED { id, error }
});

export const FROM_WORKER = Object.freeze({
  READY: 'ready',
  RESULT: 'result',
  FAILED: 'failed',
});
