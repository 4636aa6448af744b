/* fsum.h — the one recipe for fast, honest sums of floats (reduce.c, stats.c,
 * optim.c): sum a chunk in f32x4 lanes, then add the chunk to a double total
 * only when its float partial Σv² is accurate — no overflowed square, and no
 * squares so small that they lost bits (a vanishing net's gradients are
 * ~1e-35). Otherwise the caller sums that chunk again in double. reduce.c
 * explains the error bound. SIMD builds only: the scalar twins sum in double. */
#ifndef GS_FSUM_H
#define GS_FSUM_H

/* Floats per chunk: 4 lanes × 16 terms, so a lane's float partial carries a
 * relative rounding of at most 16·2⁻²⁴ ≈ 1e-6 (reduce.c). */
#define FSUM_CHUNK 64

#define FSUM_SAFE_MIN 7.8886091e-31f   /* 2^-100 */
#define FSUM_SAFE_MAX 3.4028235e38f    /* FLT_MAX */

#ifdef __wasm_simd128__
#include <wasm_simd128.h>

/* Is a chunk's float Σv² accurate enough to keep? Tested lane by lane, with no
 * lane extracted: every lane is finite (≤ FLT_MAX; false for Inf and NaN) and
 * some lane is ≥ 2⁻¹⁰⁰. Squares are ≥ 0, so a lane ≥ 2⁻¹⁰⁰ makes the sum
 * ≥ 2⁻¹⁰⁰; and finite lanes are each accurate even where their float sum
 * would overflow (the double total does not). */
static inline int fsum_accurate4(v128_t sumsq) {
  return wasm_i32x4_all_true(wasm_f32x4_le(sumsq, wasm_f32x4_splat(FSUM_SAFE_MAX))) &&
         wasm_v128_any_true(wasm_f32x4_ge(sumsq, wasm_f32x4_splat(FSUM_SAFE_MIN)));
}

/* The running double total of many chunks, kept as two f64x2 (lanes 0, 1
 * and lanes 2, 3): adding a chunk costs two promotions, a shuffle and two
 * adds, with no lane extracted. Extracting and adding the lanes in scalar
 * code after every chunk cost as much as summing the chunk (a 64-float row:
 * 16 vector adds, then ~30 scalar operations in a dependent chain). */
typedef struct { v128_t lo, hi; } fsum_f64x4;

#define FSUM_ZERO ((fsum_f64x4){ wasm_f64x2_splat(0.0), wasm_f64x2_splat(0.0) })

static inline void fsum_add(fsum_f64x4 *t, v128_t x) {
  t->lo = wasm_f64x2_add(t->lo, wasm_f64x2_promote_low_f32x4(x));
  t->hi = wasm_f64x2_add(t->hi, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(x, x, 2, 3, 0, 1)));
}

static inline double fsum_total(fsum_f64x4 t) {
  const v128_t s = wasm_f64x2_add(t.lo, t.hi);
  return wasm_f64x2_extract_lane(s, 0) + wasm_f64x2_extract_lane(s, 1);
}
#endif

#endif
