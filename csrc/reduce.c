/* reduce.c — Σv and Σv² of float arrays, accumulated in double.
 * Why double: a vanishing net's gradients are ~1e-35 (their float squares
 * underflow to 0) and an exploding net's ~1e+23 (their squares overflow to
 * Inf); in double both stay exact enough to report. f64 is native in wasm.
 * The SIMD twin promotes 4 floats to two f64x2 and keeps 2 + 2 partial sums,
 * so its rounding differs from the scalar loop only in summation order. */
#include "core.h"
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

void reduce_sum_sumsq(const float *v, size_t count, double *sum, double *sumsq) {
  double s = 0.0, s2 = 0.0;
  size_t i = 0;
#ifdef __wasm_simd128__
  v128_t a0 = wasm_f64x2_splat(0.0), a1 = a0, q0 = a0, q1 = a0;
  for (; i + 4 <= count; i += 4) {
    v128_t x = wasm_v128_load(v + i);
    v128_t lo = wasm_f64x2_promote_low_f32x4(x);
    v128_t hi = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(x, x, 2, 3, 0, 1));
    a0 = wasm_f64x2_add(a0, lo); a1 = wasm_f64x2_add(a1, hi);
    q0 = wasm_f64x2_add(q0, wasm_f64x2_mul(lo, lo)); q1 = wasm_f64x2_add(q1, wasm_f64x2_mul(hi, hi));
  }
  v128_t a = wasm_f64x2_add(a0, a1), q = wasm_f64x2_add(q0, q1);
  s = wasm_f64x2_extract_lane(a, 0) + wasm_f64x2_extract_lane(a, 1);
  s2 = wasm_f64x2_extract_lane(q, 0) + wasm_f64x2_extract_lane(q, 1);
#endif
  for (; i < count; i++) { double x = v[i]; s += x; s2 += x * x; }
  *sum = s; *sumsq = s2;
}

double reduce_sumsq(const float *v, size_t count) {
  double s, s2;
  reduce_sum_sumsq(v, count, &s, &s2);
  return s2;
}
