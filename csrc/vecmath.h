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
 * tanh: |x| < 0.625: x + x³·Q(x²) (Cephes tanhf), else sign(x)·(1 − 2/(e^{2|x|} + 1)).
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
#define VM_T0 -5.70498872745e-3f
#define VM_T1 2.06390887954e-2f
#define VM_T2 -5.37397155531e-2f
#define VM_T3 1.33314422036e-1f
#define VM_T4 -3.33332819422e-1f
#define VM_TANH_SMALL 0.625f

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
  float ax = __builtin_fabsf(x);
  if (ax < VM_TANH_SMALL) {
    float z = x * x;
    float p = VM_T0;
    p = p * z + VM_T1; p = p * z + VM_T2; p = p * z + VM_T3; p = p * z + VM_T4;
    return p * z * x + x;
  }
  float e = vm_exp(ax + ax);
  float t = 1.0f - 2.0f / (e + 1.0f);
  return x < 0.0f ? -t : (x == x ? t : x);
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
  v128_t ax = wasm_f32x4_abs(x);
  v128_t z = wasm_f32x4_mul(x, x);
  v128_t p = wasm_f32x4_splat(VM_T0);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(VM_T1));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(VM_T2));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(VM_T3));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(VM_T4));
  v128_t small = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, z), x), x);
  v128_t e = vm_exp4(wasm_f32x4_add(ax, ax));
  v128_t t = wasm_f32x4_sub(wasm_f32x4_splat(1.0f), wasm_f32x4_div(wasm_f32x4_splat(2.0f), wasm_f32x4_add(e, wasm_f32x4_splat(1.0f))));
  /* copy the sign of x onto t (x < 0 → −t); NaN: t is NaN already */
  v128_t signbit = wasm_v128_and(x, wasm_i32x4_splat((int32_t)0x80000000));
  v128_t big = wasm_v128_or(t, signbit);
  return wasm_v128_bitselect(small, big, wasm_f32x4_lt(ax, wasm_f32x4_splat(VM_TANH_SMALL)));
}
#endif

#endif
