/* fsum.h — the one recipe for fast, honest sums of floats (reduce.c, stats.c,
 * optim.c): sum a chunk in f32x4 lanes, then add the chunk to a double total
 * only when its float partial Σv² is accurate, i.e. in [2⁻¹⁰⁰, FLT_MAX] — no
 * overflowed square, and no squares so small that they lost bits (a vanishing
 * net's gradients are ~1e-35). Otherwise the caller sums that chunk again in
 * double. reduce.c explains the error bound. */
#ifndef GS_FSUM_H
#define GS_FSUM_H

#define FSUM_SAFE_MIN 7.8886091e-31f   /* 2^-100 */
#define FSUM_SAFE_MAX 3.4028235e38f    /* FLT_MAX */

/* Is a chunk's float partial sum of squares accurate enough to keep? */
static inline int fsum_accurate(float sumsq) { return sumsq >= FSUM_SAFE_MIN && sumsq <= FSUM_SAFE_MAX; }

#ifdef __wasm_simd128__
#include <wasm_simd128.h>

/* The 4 lanes, added in float: (l0 + l1) + (l2 + l3). */
static inline float fsum_lanes_f32(v128_t x) {
  return (wasm_f32x4_extract_lane(x, 0) + wasm_f32x4_extract_lane(x, 1)) +
         (wasm_f32x4_extract_lane(x, 2) + wasm_f32x4_extract_lane(x, 3));
}

/* The 4 lanes, promoted and added in double. */
static inline double fsum_lanes_f64(v128_t x) {
  const v128_t d = wasm_f64x2_add(wasm_f64x2_promote_low_f32x4(x),
                                  wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(x, x, 2, 3, 0, 1)));
  return wasm_f64x2_extract_lane(d, 0) + wasm_f64x2_extract_lane(d, 1);
}
#endif

#endif
