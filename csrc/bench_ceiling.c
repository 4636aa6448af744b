/* bench_ceiling.c — the 100 % line of `npm run bench`: how many f32 mul+add
 * this wasm engine retires per second when nothing else (no loads, no stores,
 * no shuffles) is in the way. bench/matmul.js divides each kernel's GFLOP/s
 * by this number.
 *
 * Owns one export, gs_bench_ceiling(iters), the only ceiling probe. Does not
 * own timing (JS times the call) or what the number is compared with
 * (bench/matmul.js).
 *
 * FLOPS PER ITERATION (the number JS multiplies by):
 *   SIMD128 build  8 × f32x4.mul + 8 × f32x4.add, 4 lanes = 64
 *   scalar build   8 × f32.mul   + 8 × f32.add           = 16
 *
 * The loop is gemm_simd.c's micro-kernel (a 4×8 tile: 8 accumulators, 8 mul +
 * 8 add per k) with its loads replaced by registers. Three traps, measured
 * on V8 12 / x64:
 *   - Constant multiplicands let clang hoist every product out of the loop
 *     (legal without -ffast-math), leaving 8 adds. So the multiplicand p
 *     changes every iteration: q = p·one, with one read from a volatile before
 *     the loop (the compiler cannot fold ·1). That multiply is one of the 8:
 *     its result q is also what c7 accumulates, so each accumulator gets one
 *     add and the loop does exactly 8 mul + 8 add, nothing else.
 *   - v128.const operands are rematerialised by V8 at every use inside the
 *     loop (movq + vpinsrq each), so the constants ka, kb are computed from
 *     `one` before the loop instead.
 *   - V8's register allocator spills a value that rotates through two loop
 *     variables (s ← c7, c7 ← next), and a spilled chain runs at store-to-load
 *     latency (~3× slower). Here p ← q is the only loop-carried copy besides
 *     the accumulators; 8 accumulators + p + 3 constants = 12 of the 15 xmm
 *     registers V8 allocates, so nothing spills. Unrolling is off for the
 *     same reason.
 * Chains: c0..c7 are add-only (3-cycle latency, 8 in flight); p's chain is one
 * multiply per iteration. With 2 mul + 2 add pipes the body needs 4 cycles,
 * longer than any chain, so the loop measures issue throughput, not latency.
 * p stays 1 and the accumulators grow by at most 1 per iteration: no
 * overflow, no denormals. The return value folds every accumulator. */
#include "gradscope.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

static volatile float bench_one = 1.0f;   /* read once per call, never folded */

#ifdef __wasm_simd128__

GS_API double gs_bench_ceiling(int iters) {
  const v128_t one = wasm_f32x4_splat(bench_one);
  const v128_t ka = wasm_f32x4_mul(one, wasm_f32x4_make(0.75f, 0.625f, 0.5f, 0.375f));
  const v128_t kb = wasm_f32x4_mul(one, wasm_f32x4_make(0.25f, 0.125f, 0.875f, 0.5f));
  const v128_t zero = wasm_f32x4_sub(one, one);
  v128_t p = one;
  v128_t c0 = zero, c1 = zero, c2 = zero, c3 = zero, c4 = zero, c5 = zero, c6 = zero, c7 = zero;
#pragma clang loop unroll(disable)
  for (int k = 0; k < iters; k++) {
    const v128_t q = wasm_f32x4_mul(p, one);             /* mul 1 (the next multiplicand) */
    c0 = wasm_f32x4_add(c0, wasm_f32x4_mul(ka, p));      /* mul 2..8 + add 1..7 */
    c1 = wasm_f32x4_add(c1, wasm_f32x4_mul(kb, p));
    c2 = wasm_f32x4_add(c2, wasm_f32x4_mul(ka, q));
    c3 = wasm_f32x4_add(c3, wasm_f32x4_mul(kb, q));
    c4 = wasm_f32x4_add(c4, wasm_f32x4_mul(p, p));
    c5 = wasm_f32x4_add(c5, wasm_f32x4_mul(q, q));
    c6 = wasm_f32x4_add(c6, wasm_f32x4_mul(p, q));
    c7 = wasm_f32x4_add(c7, q);                          /* add 8 */
    p = q;
  }
  const v128_t sum = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(c0, c1), wasm_f32x4_add(c2, c3)),
                                    wasm_f32x4_add(wasm_f32x4_add(c4, c5), wasm_f32x4_add(c6, c7)));
  return (double)wasm_f32x4_extract_lane(sum, 0) + wasm_f32x4_extract_lane(sum, 1) +
         wasm_f32x4_extract_lane(sum, 2) + wasm_f32x4_extract_lane(sum, 3);
}

#else   /* scalar build: the same loop on single floats, 16 flops per iteration */

GS_API double gs_bench_ceiling(int iters) {
  const float one = bench_one, ka = 0.75f * one, kb = 0.625f * one;
  float p = one;
  float c0 = 0.0f, c1 = 0.0f, c2 = 0.0f, c3 = 0.0f, c4 = 0.0f, c5 = 0.0f, c6 = 0.0f, c7 = 0.0f;
#pragma clang loop unroll(disable)
  for (int k = 0; k < iters; k++) {
    const float q = p * one;
    c0 += ka * p; c1 += kb * p; c2 += ka * q; c3 += kb * q;
    c4 += p * p;  c5 += q * q;  c6 += p * q;  c7 += q;
    p = q;
  }
  return (double)c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7;
}

#endif
