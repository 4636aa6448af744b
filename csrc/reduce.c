/* reduce.c — Σv and Σv² of float arrays, accumulated in double.
 * Why double: a vanishing net's gradients are ~1e-35 (their float squares
 * underflow to 0) and an exploding net's ~1e+23 (their squares overflow to
 * Inf); in double both stay exact enough to report. f64 is native in wasm.
 *
 * The SIMD twin is faster without giving that up: it cuts the array into
 * chunks of FSUM_CHUNK floats, sums each chunk in f32x4 (4 lanes × 16
 * terms: relative rounding ≤ 16·2⁻²⁴ ≈ 1e-6, typically ~1e-7) and adds the
 * chunk's lanes to double accumulators. A chunk whose float partial Σv² has
 * a lane that is not finite, or no lane ≥ 2⁻¹⁰⁰ (fsum.h) — an overflowed
 * square, or values so small that their float squares lose bits (or are all
 * 0) — is summed again in double, as the
 * scalar twin does. So the float path is taken only where it is accurate to
 * float rounding, and the double path everywhere else: ~3× fewer vector ops
 * per element than promoting every float to f64x2. */
#include "core.h"
#include "fsum.h"
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif


/* the reference: every element in double */
static void sum_sumsq_f64(const float *v, size_t count, double *sum, double *sumsq) {
  double s = 0.0, s2 = 0.0;
  for (size_t i = 0; i < count; i++) { double x = v[i]; s += x; s2 += x * x; }
  *sum += s; *sumsq += s2;
}

void reduce_sum_sumsq(const float *v, size_t count, double *sum, double *sumsq) {
  double s = 0.0, s2 = 0.0;
  size_t i = 0;
#ifdef __wasm_simd128__
  fsum_f64x4 vs = FSUM_ZERO, vs2 = FSUM_ZERO;
  for (; i + FSUM_CHUNK <= count; i += FSUM_CHUNK) {
    v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, q0 = a0, q1 = a0;
    for (int k = 0; k < FSUM_CHUNK; k += 8) {
      v128_t x0 = wasm_v128_load(v + i + k), x1 = wasm_v128_load(v + i + k + 4);
      a0 = wasm_f32x4_add(a0, x0); a1 = wasm_f32x4_add(a1, x1);
      q0 = wasm_f32x4_add(q0, wasm_f32x4_mul(x0, x0)); q1 = wasm_f32x4_add(q1, wasm_f32x4_mul(x1, x1));
    }
    v128_t q = wasm_f32x4_add(q0, q1);
    if (fsum_accurate4(q)) {   /* float partial is accurate */
      fsum_add(&vs, wasm_f32x4_add(a0, a1));
      fsum_add(&vs2, q);
    } else {
      sum_sumsq_f64(v + i, FSUM_CHUNK, &s, &s2);
    }
  }
  s += fsum_total(vs); s2 += fsum_total(vs2);
#endif
  sum_sumsq_f64(v + i, count - i, &s, &s2);
  *sum = s; *sumsq = s2;
}

double reduce_sumsq(const float *v, size_t count) {
  double s2 = 0.0;
  size_t i = 0;
#ifdef __wasm_simd128__
  fsum_f64x4 vs2 = FSUM_ZERO;
  for (; i + FSUM_CHUNK <= count; i += FSUM_CHUNK) {
    v128_t q0 = wasm_f32x4_splat(0.0f), q1 = q0;
    for (int k = 0; k < FSUM_CHUNK; k += 8) {
      v128_t x0 = wasm_v128_load(v + i + k), x1 = wasm_v128_load(v + i + k + 4);
      q0 = wasm_f32x4_add(q0, wasm_f32x4_mul(x0, x0)); q1 = wasm_f32x4_add(q1, wasm_f32x4_mul(x1, x1));
    }
    v128_t q = wasm_f32x4_add(q0, q1);
    if (fsum_accurate4(q)) fsum_add(&vs2, q);
    else for (int k = 0; k < FSUM_CHUNK; k++) { double x = v[i + k]; s2 += x * x; }
  }
  s2 += fsum_total(vs2);
#endif
  for (; i < count; i++) { double x = v[i]; s2 += x * x; }
  return s2;
}
