/* kernel_test.c — exported hooks that let JS tests call any gemm kernel
 * directly, scalar or SIMD, on memory they filled themselves (tests/kernels*).
 * Owns nothing else: no allocation (the caller mallocs every buffer, `work`
 * sized by gs_kernel_work_floats), no checking of results (the test does it).
 *
 *   op 0  xwt   out = Y[B][O],  a = X[B][I],  b = W[O][I], bias[O] or NULL
 *   op 1  dyw   out = dX[B][I], a = dY[B][O], b = W[O][I]
 *   op 2  dytx  out = dW[O][I] (accumulates), a = dY[B][O], b = X[B][I]
 *   impl  0 scalar twin, 1 SIMD128 (-1 when the build has none)
 *
 * Plus two probes for benchmarks: gs_kernel_ceiling (register-only mul+add
 * throughput) and gs_kernel_clock_probe (core clock from an integer chain).
 */
#include <stddef.h>

#include "gemm.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

/* export_name is a wasm attribute; the native sanitizer build ignores it. */
#ifdef __wasm__
#define GS_KERNEL_EXPORT(name) __attribute__((used, export_name(name)))
#else
#define GS_KERNEL_EXPORT(name)
#endif

/* Prototypes, so -Wmissing-prototypes stays quiet and the ABI reads as a list. */
int gs_kernel_run(int op, int impl, float *out, const float *a, const float *b,
                  const float *bias, int B, int I, int O, float *work);
size_t gs_kernel_work_floats(int B, int I, int O);
float gs_kernel_ceiling(int iters, float one, float zero);
unsigned gs_kernel_clock_probe(int iters, unsigned x, unsigned m);

/* Returns 0, or -1 for an unknown op/impl or an impl this build lacks. */
GS_KERNEL_EXPORT("gs_kernel_run")
int gs_kernel_run(int op, int impl, float *out, const float *a, const float *b,
                  const float *bias, int B, int I, int O, float *work) {
  if (impl == 0) {
    switch (op) {
      case 0: gemm_xwt_scalar(out, a, b, bias, B, I, O, work); return 0;
      case 1: gemm_dyw_scalar(out, a, b, B, O, I, work); return 0;
      case 2: gemm_dytx_scalar(out, a, b, B, O, I, work); return 0;
      default: return -1;
    }
  }
#ifdef __wasm_simd128__
  if (impl == 1) {
    switch (op) {
      case 0: gemm_xwt_simd128(out, a, b, bias, B, I, O, work); return 0;
      case 1: gemm_dyw_simd128(out, a, b, B, O, I, work); return 0;
      case 2: gemm_dytx_simd128(out, a, b, B, O, I, work); return 0;
      default: return -1;
    }
  }
#endif
  return -1;
}

GS_KERNEL_EXPORT("gs_kernel_work_floats")
size_t gs_kernel_work_floats(int B, int I, int O) { return gemm_work_floats(B, I, O); }

/* The machine's SIMD128 mul+add throughput from a loop with no memory: the
 * micro-kernel's arithmetic (7 accumulators, 8 mul + 8 add per iteration) with
 * its loads replaced by registers. The multiplicand p is nudged every
 * iteration (p·one, with one = 1 passed at run time; q = p + zero) so the
 * compiler can neither hoist nor merge the products. Unrolling is off: V8's
 * register allocator (15 usable xmm) spills an unrolled body. Returns a
 * checksum; flops done = iters · 16 ops · 4 lanes. -1 without SIMD. */
GS_KERNEL_EXPORT("gs_kernel_ceiling")
float gs_kernel_ceiling(int iters, float one, float zero) {
#ifdef __wasm_simd128__
  const v128_t a0 = wasm_f32x4_splat(0.75f * one), a1 = wasm_f32x4_splat(0.5f * one);
  const v128_t vone = wasm_f32x4_splat(one), vzero = wasm_f32x4_splat(zero);
  v128_t p = vone, c0 = vzero, c1 = vzero, c2 = vzero, c3 = vzero;
  v128_t c4 = vzero, c5 = vzero, c6 = vzero;
#pragma clang loop unroll(disable)
  for (int k = 0; k < iters; k++) {
    const v128_t q = wasm_f32x4_add(p, vzero);
    c0 = wasm_f32x4_add(c0, wasm_f32x4_mul(a0, p));
    c1 = wasm_f32x4_add(c1, wasm_f32x4_mul(a0, q));
    c2 = wasm_f32x4_add(c2, wasm_f32x4_mul(a1, p));
    c3 = wasm_f32x4_add(c3, wasm_f32x4_mul(a1, q));
    c4 = wasm_f32x4_add(c4, wasm_f32x4_mul(p, p));
    c5 = wasm_f32x4_add(c5, wasm_f32x4_mul(q, q));
    c6 = wasm_f32x4_add(c6, wasm_f32x4_mul(p, q));
    p = wasm_f32x4_mul(p, vone);
  }
  const v128_t s = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(c0, c1), wasm_f32x4_add(c2, c3)),
                                  wasm_f32x4_add(wasm_f32x4_add(c4, c5), c6));
  return wasm_f32x4_extract_lane(s, 0);
#else
  (void)iters; (void)one; (void)zero;
  return -1.0f;
#endif
}

/* Clock probe: iters × 8 dependent one-cycle integer ops (xor, add), so
 * iters·8 / seconds ≈ core Hz. With it a kernel's rate can be put against the
 * core's issue limit, 4 f32x4 mul/add per cycle = 16 flop/cycle. */
GS_KERNEL_EXPORT("gs_kernel_clock_probe")
unsigned gs_kernel_clock_probe(int iters, unsigned x, unsigned m) {
#pragma clang loop unroll(disable)
  for (int k = 0; k < iters; k++) {
    x = (x ^ m) + (unsigned)k; x = (x ^ m) + (unsigned)k;
    x = (x ^ m) + (unsigned)k; x = (x ^ m) + (unsigned)k;
  }
  return x;
}
