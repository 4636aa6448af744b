/* bench_ceiling.c — the 100 % line of `npm run bench`: how fast this wasm
 * engine can possibly run a matmul's inner loop, measured with registers only.
 *
 * Owns one export, gs_bench_ceiling(iters, pipe), the only ceiling probe. Does
 * not own timing (JS times the call) or the arithmetic that turns two timings
 * into the ceiling (bench/matmul.js).
 *
 * WHY TWO LOOPS. A matmul's inner loop is multiplies and adds in a 1:1 mix
 * (no FMA in wasm SIMD 128). x86 cores run them on separate pipes (this
 * machine, AMD Zen: 2 FP-multiply + 2 FP-add pipes per cycle), so the fastest
 * any 1:1 mix can go is set by the slower of the two:
 *
 *     ceiling GFLOP/s = 2 ops × lanes × min(mul ops/s, add ops/s)
 *
 * Measuring the mix directly in one loop under-reads it: V8 schedules the
 * loop body in program order, and a body that mixes dependent muls and adds
 * stalls on latency long before the pipes are full (session 1's probe, 8 mul
 * + 8 add with shared operands, read 10–20 % below our own kernels). A loop of
 * only muls, or only adds, with many independent chains has nothing to wait
 * for, so its rate is the pipes' rate. Measured on this machine (Node 20):
 * both loops 6.35 G ops/s → 2 × 4 × 6.35 = 50.8 GFLOP/s, while the session-1
 * mixed probe read 42–45.
 *
 * THE LOOP. pipe 0: r_i = r_i · one; pipe 1: r_i = r_i + zero, for i = 0..11.
 * Twelve independent chains cover the latency (3–4 cycles) of two pipes with
 * room to spare; 12 accumulators + 1 constant fit V8's 15 allocatable xmm
 * registers, so nothing spills (a spilled chain runs at store-to-load speed).
 * `one` is read from a volatile, so the compiler cannot fold ·1 or +0 away;
 * the values never change, so there is no overflow and no denormal. Unrolling
 * is off: the loop counter and branch run on integer ports, not FP pipes.
 *
 * OPS PER ITERATION (the number JS multiplies by): 12, each on 4 lanes in the
 * SIMD128 build and on 1 lane in the scalar build.
 *
 * PIPE 2 IS NOT A CEILING: it is the probe bench/cores.js uses to find the
 * vCPU a neighbour disturbs least. Eight independent integer chains (add, xor,
 * sub, rotate: eight different operations, so the compiler can neither pack
 * them into vectors nor fold them into a closed form) keep the core's integer
 * pipes and its instruction dispatch busy, and read nothing from memory. When
 * the host ran another thread on a vCPU's sibling hyperthread (session 7),
 * this loop slowed from 0.73 to 0.97 ns per iteration and xwt 256³ (~6
 * instructions per cycle) from 89 % to 76 % of the ceiling, while the FP-only
 * ceiling loops above (~2 per cycle) barely moved. */
#include "gradscope.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

static volatile float bench_one = 1.0f;   /* read once per call, never folded */

/* Twelve independent chains of OP(r, k). ADD folds them into a return value
 * so the loop is not dead code. */
#define TWELVE_CHAINS(T, OP, ADD, init, k)                                           \
  T r0 = init, r1 = init, r2 = init, r3 = init, r4 = init, r5 = init,                \
    r6 = init, r7 = init, r8 = init, r9 = init, r10 = init, r11 = init;              \
  _Pragma("clang loop unroll(disable)")                                              \
  for (int i = 0; i < iters; i++) {                                                  \
    r0 = OP(r0, k); r1 = OP(r1, k); r2 = OP(r2, k);   r3 = OP(r3, k);                \
    r4 = OP(r4, k); r5 = OP(r5, k); r6 = OP(r6, k);   r7 = OP(r7, k);                \
    r8 = OP(r8, k); r9 = OP(r9, k); r10 = OP(r10, k); r11 = OP(r11, k);              \
  }                                                                                  \
  const T s = ADD(ADD(ADD(ADD(r0, r1), ADD(r2, r3)), ADD(ADD(r4, r5), ADD(r6, r7))), \
                  ADD(ADD(r8, r9), ADD(r10, r11)))

static volatile int32_t bench_seed = 1;   /* read once per call, never folded */

/* pipe 2: the integer probe (see above); returns a value so it is not dead code. */
static double integer_probe(int iters) {
  const int32_t k = bench_seed, k2 = 3 * k;
  int32_t r0 = k, r1 = k + 1, r2 = k + 2, r3 = k + 3, r4 = k + 4, r5 = k + 5, r6 = k + 6, r7 = k + 7;
  _Pragma("clang loop unroll(disable) vectorize(disable)")
  for (int i = 0; i < iters; i++) {
    r0 += k;  r1 ^= k;  r2 -= k;  r3 = (int32_t)__builtin_rotateleft32((uint32_t)r3, 1);
    r4 += k2; r5 ^= k2; r6 -= k2; r7 = (int32_t)__builtin_rotateright32((uint32_t)r7, 3);
  }
  return (double)(r0 ^ r1 ^ r2 ^ r3 ^ r4 ^ r5 ^ r6 ^ r7);
}

#ifdef __wasm_simd128__

GS_API double gs_bench_ceiling(int iters, int pipe) {
  if (pipe == 2) return integer_probe(iters);
  const v128_t one = wasm_f32x4_splat(bench_one);
  if (pipe == 0) {
    TWELVE_CHAINS(v128_t, wasm_f32x4_mul, wasm_f32x4_add, one, one);
    return (double)wasm_f32x4_extract_lane(s, 0);
  }
  const v128_t zero = wasm_f32x4_sub(one, one);
  TWELVE_CHAINS(v128_t, wasm_f32x4_add, wasm_f32x4_add, zero, zero);
  return (double)wasm_f32x4_extract_lane(s, 0);
}

#else   /* scalar build: the same loops on single floats */

/* Macros, not functions: at -Oz clang keeps tiny functions out of line, and
 * a call per op would measure calls, not the pipes. */
#define MUL1(a, b) ((a) * (b))
#define ADD1(a, b) ((a) + (b))

GS_API double gs_bench_ceiling(int iters, int pipe) {
  if (pipe == 2) return integer_probe(iters);
  const float one = bench_one;
  if (pipe == 0) {
    TWELVE_CHAINS(float, MUL1, ADD1, one, one);
    return (double)s;
  }
  const float zero = one - one;
  TWELVE_CHAINS(float, ADD1, ADD1, zero, zero);
  return (double)s;
}

#endif
