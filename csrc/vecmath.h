/* vecmath.h — exp, sigmoid and tanh for float32, fast, in two twins:
 * a scalar function and a SIMD128 version that perform the SAME sequence of
 * IEEE operations lane by lane (WebAssembly has no fused multiply-add, so
 * nothing is contracted). Both builds therefore compute identical activation
 * values, bit for bit, and a value does not depend on its position in the
 * array (SIMD body or scalar tail).
 *
 * exp (Cephes expf, S. Moshier): e^x = 2^n · e^r, n = round(x·log2 e),
 *   r = x − n·ln 2 in two steps (C1 exact in float + C2 the remainder, so r
 *   keeps full precision), e^r ≈ 1 + r + r²·P(r) with a degree-5 minimax P.
 *   Measured max relative error 2.4e-7 over [−87, 88] (tests/activations.test.js).
 * tanh: one rational minimax x·P(x²)/Q(x²) on x clamped to ±7.9 (Eigen's
 *   fast tanh), evaluated as (P/Q)·x. Half the work of the exp-based form
 *   sign(x)·(1 − 2/(e^{2|x|} + 1)) that session 1 used (no exp, no second
 *   branch to blend), one division. P and Q share their constant term, so
 *   P/Q is exactly 1 once x² is below float resolution and tanh(x) = x there
 *   (subnormals and −0 included) with no branch: the select that Eigen uses
 *   for |x| < 4e-4 cost ~20 % of the function's time in V8 (an extra
 *   compare, abs mask and three-instruction blend per vector). Measured max
 *   relative error 3.9e-7 (≈ 6 ulp near ±1; tests/activations.test.js bounds
 *   it at 1e-6).
 * sigmoid: e = e^{−|x|};  x ≥ 0: 1/(1 + e),  x < 0: e·(1/(1 + e)) — never overflows.
 * exp underflows to 0 below ln(FLT_MIN) ≈ −87.33 and saturates at e^88. NaN in → NaN out
 * (comparisons with NaN are false, so the clamps keep it). */
#ifndef GS_VECMATH_H
#define GS_VECMATH_H

#include <stdint.h>
#include <string.h>

#define VM_EXP_HI 88.0f
#define VM_EXP_LO -87.33f   /* ln(FLT_MIN): below it e^x is subnormal; we return 0 */
#define VM_LOG2E 1.44269504088896341f
#define VM_C1 0.693359375f
#define VM_C2 -2.12194440e-4f
#define VM_P0 1.9875691500e-4f
#define VM_P1 1.3981999507e-3f
#define VM_P2 8.3334519073e-3f
#define VM_P3 4.1665795894e-2f
#define VM_P4 1.6666665459e-1f
#define VM_P5 5.0000001201e-1f
/* tanh as one rational function x·P(x²)/Q(x²) (Eigen's generic_fast_tanh_float):
 * P of degree 6 and Q of degree 3 in x², on x clamped to ±VM_TANH_CLAMP
 * (where the result rounds to exactly ±1 in float). */
#define VM_TANH_CLAMP 7.90531110763549805f
#define VM_TA1 4.89352455891786e-03f
#define VM_TA3 6.37261928875436e-04f
#define VM_TA5 1.48572235717979e-05f
#define VM_TA7 5.12229709037114e-08f
#define VM_TA9 -8.60467152213735e-11f
#define VM_TA11 2.00018790482477e-13f
#define VM_TA13 -2.76076847742355e-16f
/* Eigen's Q(0) is 4.89352518554385e-03, 1.3e-7 (relative) above P(0): equal
 * constant terms make P/Q → 1 exactly as x → 0, and the worst relative error
 * over the range stays 3.9e-7 (tests/activations.test.js). */
#define VM_TB0 VM_TA1
#define VM_TB2 2.26843463243900e-03f
#define VM_TB4 1.18534705686654e-04f
#define VM_TB6 1.19825839466702e-06f

static inline float vm_exp(float x) {
  if (x != x) return x;
  if (x < VM_EXP_LO) return 0.0f;   /* e^x < 2^-125: underflow to 0, as Cephes does */
  x = x > VM_EXP_HI ? VM_EXP_HI : x;
  float fx = __builtin_floorf(x * VM_LOG2E + 0.5f);
  float r = x - fx * VM_C1;
  r = r - fx * VM_C2;
  float z = r * r;
  float y = VM_P0;
  y = y * r + VM_P1; y = y * r + VM_P2; y = y * r + VM_P3; y = y * r + VM_P4; y = y * r + VM_P5;
  y = y * z + r; y = y + 1.0f;
  int32_t bits = ((int32_t)fx + 127) << 23;
  float scale; memcpy(&scale, &bits, 4);
  return y * scale;
}

static inline float vm_sigmoid(float x) {
  float e = vm_exp(-__builtin_fabsf(x));
  float s = 1.0f / (1.0f + e);
  return x >= 0.0f ? s : e * s;
}

static inline float vm_tanh(float x) {
  float c = VM_TANH_CLAMP < x ? VM_TANH_CLAMP : x;   /* NaN falls through both clamps */
  c = c < -VM_TANH_CLAMP ? -VM_TANH_CLAMP : c;
  float z = c * c;
  float p = VM_TA13;
  p = p * z + VM_TA11; p = p * z + VM_TA9; p = p * z + VM_TA7; p = p * z + VM_TA5;
  p = p * z + VM_TA3; p = p * z + VM_TA1;
  float q = VM_TB6;
  q = q * z + VM_TB4; q = q * z + VM_TB2; q = q * z + VM_TB0;
  return (p / q) * c;   /* P/Q ≈ 1 near 0: multiplying by c last keeps tiny x exact */
}

#ifdef __wasm_simd128__
#include <wasm_simd128.h>

static inline v128_t vm_exp4(v128_t x) {
  /* below the range the result is 0 (mask applied at the end); pmin/pmax
   * return their first operand when a comparison is false, so NaN stays NaN */
  v128_t underflow = wasm_f32x4_lt(x, wasm_f32x4_splat(VM_EXP_LO));
  x = wasm_f32x4_pmin(x, wasm_f32x4_splat(VM_EXP_HI));
  x = wasm_f32x4_pmax(x, wasm_f32x4_splat(VM_EXP_LO));
  v128_t fx = wasm_f32x4_floor(wasm_f32x4_add(wasm_f32x4_mul(x, wasm_f32x4_splat(VM_LOG2E)), wasm_f32x4_splat(0.5f)));
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(fx, wasm_f32x4_splat(VM_C1)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(fx, wasm_f32x4_splat(VM_C2)));
  v128_t z = wasm_f32x4_mul(r, r);
  v128_t y = wasm_f32x4_splat(VM_P0);
  y = wasm_f32x4_add(wasm_f32x4_mul(y, r), wasm_f32x4_splat(VM_P1));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, r), wasm_f32x4_splat(VM_P2));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, r), wasm_f32x4_splat(VM_P3));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, r), wasm_f32x4_splat(VM_P4));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, r), wasm_f32x4_splat(VM_P5));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, z), r);
  y = wasm_f32x4_add(y, wasm_f32x4_splat(1.0f));
  v128_t n = wasm_i32x4_trunc_sat_f32x4(fx);   /* NaN → 0: y is NaN anyway */
  v128_t scale = wasm_i32x4_shl(wasm_i32x4_add(n, wasm_i32x4_splat(127)), 23);
  return wasm_v128_andnot(wasm_f32x4_mul(y, scale), underflow);
}

static inline v128_t vm_sigmoid4(v128_t x) {
  v128_t e = vm_exp4(wasm_f32x4_neg(wasm_f32x4_abs(x)));
  v128_t s = wasm_f32x4_div(wasm_f32x4_splat(1.0f), wasm_f32x4_add(wasm_f32x4_splat(1.0f), e));
  v128_t neg = wasm_f32x4_lt(x, wasm_f32x4_splat(0.0f));   /* x ≥ 0 false only for x < 0 (NaN: s is NaN) */
  return wasm_v128_bitselect(wasm_f32x4_mul(e, s), s, neg);
}

static inline v128_t vm_tanh4(v128_t x) {
  /* pmin/pmax: the same comparisons as the scalar clamps, NaN kept */
  v128_t c = wasm_f32x4_pmin(x, wasm_f32x4_splat(VM_TANH_CLAMP));
  c = wasm_f32x4_pmax(c, wasm_f32x4_splat(-VM_TANH_CLAMP));
  v128_t z = wasm_f32x4_mul(c, c);
  v128_t p = wasm_f32x4_splat(VM_TA13);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(VM_TA11));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(VM_TA9));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(VM_TA7));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(VM_TA5));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(VM_TA3));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(VM_TA1));
  v128_t q = wasm_f32x4_splat(VM_TB6);
  q = wasm_f32x4_add(wasm_f32x4_mul(q, z), wasm_f32x4_splat(VM_TB4));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, z), wasm_f32x4_splat(VM_TB2));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, z), wasm_f32x4_splat(VM_TB0));
  return wasm_f32x4_mul(wasm_f32x4_div(p, q), c);
}
#endif

#endif
