/* activation.c — φ and φ′ for every activation, forward and backward.
 *
 * Derivatives follow torch autograd exactly, kinks included
 * (shared/oracle/SCHEMA.md §2): relu′(0) = 0, leaky′(0) = slope (torch tests
 * x > 0), PReLU ∂a/∂slope = u for u ≤ 0, elu′(0) = 1, and sigmoid′ / tanh′
 * computed from the output as y(1−y) and 1−y² (so they are exactly 0 deep in
 * saturation, as in torch: that is the vanishing gradient).
 *
 *   sigmoid σ(u) = 1/(1+e^−u)      σ′ = σ(1−σ) ≤ 1/4   ← why deep sigmoid nets vanish
 *   tanh           tanh′ = 1−tanh² ≤ 1
 *   relu   max(0,u)                relu′ = [u > 0]    ← units with u ≤ 0 on every row are "dead"
 *   leaky  u>0 ? u : slope·u       PReLU: the same with a learnable slope
 *   elu    u>0 ? u : α(e^u − 1), α = 1;  selu = λ·elu with α, λ of Klambauer et al. 2017
 *   swish  u·σ(u) (a.k.a. SiLU)    swish′ = σ(u)(1 + u(1−σ(u)))
 */
#include <math.h>
#include "core.h"
#include "vecmath.h"
#include "fsum.h"

#define SELU_ALPHA 1.6732632423543772848170429916717
#define SELU_SCALE 1.0507009873554804934193349852946

/* a = f(u) over count elements: a SIMD body of 4 lanes, then the scalar twin
 * for the tail — both compute the same bits (vecmath.h). */
#ifdef __wasm_simd128__
#define MAP_VEC(a, u, count, vexpr, sexpr) do {                                   \
    size_t i_ = 0;                                                             \
    for (; i_ + 4 <= (count); i_ += 4) {                                       \
      v128_t x = wasm_v128_load((u) + i_);                                     \
      wasm_v128_store((a) + i_, (vexpr));                                      \
    }                                                                          \
    for (; i_ < (count); i_++) { float x = (u)[i_]; (a)[i_] = (sexpr); }       \
  } while (0)
/* out = f(x, y) over two arrays, the same way (x from xs, y from ys). */
#define MAP2_VEC(out, xs, ys, count, vexpr, sexpr) do {                           \
    size_t i_ = 0;                                                             \
    for (; i_ + 4 <= (count); i_ += 4) {                                       \
      v128_t x = wasm_v128_load((xs) + i_), y = wasm_v128_load((ys) + i_);     \
      wasm_v128_store((out) + i_, (vexpr));                                    \
    }                                                                          \
    for (; i_ < (count); i_++) { float x = (xs)[i_], y = (ys)[i_]; (out)[i_] = (sexpr); } \
  } while (0)
#define V_ZERO wasm_f32x4_splat(0.0f)
#define V_ONE wasm_f32x4_splat(1.0f)
#define V_POS(x) wasm_f32x4_gt((x), V_ZERO)   /* all-ones where x > 0 (false for NaN) */
#else
#define MAP_VEC(a, u, count, vexpr, sexpr) do {                                   \
    for (size_t i_ = 0; i_ < (count); i_++) { float x = (u)[i_]; (a)[i_] = (sexpr); } \
  } while (0)
#define MAP2_VEC(out, xs, ys, count, vexpr, sexpr) do {                           \
    for (size_t i_ = 0; i_ < (count); i_++) { float x = (xs)[i_], y = (ys)[i_]; (out)[i_] = (sexpr); } \
  } while (0)
#endif

void act_forward(float *a, const float *u, size_t count, int act, float slope) {
  switch (act) {
  case GS_ACT_SIGMOID: MAP_VEC(a, u, count, vm_sigmoid4(x), vm_sigmoid(x)); break;
  case GS_ACT_TANH:    MAP_VEC(a, u, count, vm_tanh4(x), vm_tanh(x)); break;
  case GS_ACT_SWISH:   MAP_VEC(a, u, count, wasm_f32x4_mul(x, vm_sigmoid4(x)), x * vm_sigmoid(x)); break;
  case GS_ACT_RELU:    MAP_VEC(a, u, count, wasm_v128_and(x, V_POS(x)), x > 0 ? x : 0.0f); break;
  case GS_ACT_LEAKY_RELU:
  case GS_ACT_PRELU:   MAP_VEC(a, u, count, wasm_v128_bitselect(x, wasm_f32x4_mul(wasm_f32x4_splat(slope), x), V_POS(x)),
                               x > 0 ? x : slope * x); break;
  case GS_ACT_ELU:     for (size_t i = 0; i < count; i++) a[i] = u[i] > 0 ? u[i] : expm1f(u[i]); break;
  case GS_ACT_SELU:
    for (size_t i = 0; i < count; i++)
      a[i] = (float)(SELU_SCALE * (u[i] > 0 ? (double)u[i] : SELU_ALPHA * expm1((double)u[i])));
    break;
  default:             for (size_t i = 0; i < count; i++) a[i] = u[i]; break;   /* linear */
  }
}

/* d = φ′(u) over count elements (for the statistics pass). Simple loops the
 * compiler vectorises; sigmoid/tanh use the output a as torch does. */
void act_derivative_array(float *d, const float *u, const float *a, size_t count, int act, float slope) {
  switch (act) {
  case GS_ACT_SIGMOID: MAP_VEC(d, a, count, wasm_f32x4_mul(x, wasm_f32x4_sub(V_ONE, x)), x * (1.0f - x)); break;
  case GS_ACT_TANH:    MAP_VEC(d, a, count, wasm_f32x4_sub(V_ONE, wasm_f32x4_mul(x, x)), 1.0f - x * x); break;
  case GS_ACT_RELU:    MAP_VEC(d, u, count, wasm_v128_and(V_ONE, V_POS(x)), x > 0 ? 1.0f : 0.0f); break;
  case GS_ACT_LEAKY_RELU:
  case GS_ACT_PRELU:   MAP_VEC(d, u, count, wasm_v128_bitselect(V_ONE, wasm_f32x4_splat(slope), V_POS(x)), x > 0 ? 1.0f : slope); break;
  case GS_ACT_ELU:     for (size_t i = 0; i < count; i++) d[i] = u[i] > 0 ? 1.0f : a[i] + 1.0f; break;
  case GS_ACT_LINEAR:  for (size_t i = 0; i < count; i++) d[i] = 1.0f; break;
  default:             for (size_t i = 0; i < count; i++) d[i] = (float)act_derivative(u[i], a[i], act, slope); break;
  }
}

double act_derivative(float u, float a, int act, float slope) {
  switch (act) {
  case GS_ACT_SIGMOID: return (double)(a * (1.0f - a));
  case GS_ACT_TANH:    return (double)(1.0f - a * a);
  case GS_ACT_RELU:    return u > 0 ? 1.0 : 0.0;
  case GS_ACT_LEAKY_RELU:
  case GS_ACT_PRELU:   return u > 0 ? 1.0 : (double)slope;
  case GS_ACT_ELU:     return u > 0 ? 1.0 : (double)expf(u);
  case GS_ACT_SELU:    return u > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * exp((double)u);
  case GS_ACT_SWISH: { double s = vm_sigmoid(u); return s * (1.0 + u * (1.0 - s)); }
  default:             return 1.0;
  }
}

/* du = da ⊙ φ′ for the activations whose φ′ is one or two float operations
 * on y = a (sigmoid, tanh) or y = u (relu, leaky): one expression each, vector
 * and scalar, shared by act_backward and act_backward_fused (same values). */
#define BWD_SIGMOID4(x, y) wasm_f32x4_mul(x, wasm_f32x4_mul(y, wasm_f32x4_sub(V_ONE, y)))
#define BWD_SIGMOID(x, y)  (x * (y * (1.0f - y)))
#define BWD_TANH4(x, y)    wasm_f32x4_mul(x, wasm_f32x4_sub(V_ONE, wasm_f32x4_mul(y, y)))
#define BWD_TANH(x, y)     (x * (1.0f - y * y))
#define BWD_RELU4(x, y)    wasm_v128_and(x, V_POS(y))
#define BWD_RELU(x, y)     (y > 0 ? x : 0.0f)
#define BWD_LEAKY4(x, y)   wasm_v128_bitselect(x, wasm_f32x4_mul(wasm_f32x4_splat(slope), x), V_POS(y))
#define BWD_LEAKY(x, y)    (y > 0 ? x : slope * x)

double act_backward(float *du, const float *da, const float *u, const float *a,
                    size_t count, int act, float slope) {
  double dslope = 0.0;
  switch (act) {
  /* x = da, y = a or u */
  case GS_ACT_SIGMOID: MAP2_VEC(du, da, a, count, BWD_SIGMOID4(x, y), BWD_SIGMOID(x, y)); break;
  case GS_ACT_TANH:    MAP2_VEC(du, da, a, count, BWD_TANH4(x, y), BWD_TANH(x, y)); break;
  case GS_ACT_RELU:    MAP2_VEC(du, da, u, count, BWD_RELU4(x, y), BWD_RELU(x, y)); break;
  case GS_ACT_LEAKY_RELU: MAP2_VEC(du, da, u, count, BWD_LEAKY4(x, y), BWD_LEAKY(x, y)); break;
  case GS_ACT_PRELU:
    for (size_t i = 0; i < count; i++) {
      /* read da before writing du: the caller runs this in place (du == da) */
      const float g = da[i];
      if (u[i] > 0) du[i] = g;
      else { dslope += (double)g * u[i]; du[i] = slope * g; }   /* ∂a/∂slope = u */
    }
    break;
  case GS_ACT_ELU:     for (size_t i = 0; i < count; i++) du[i] = u[i] > 0 ? da[i] : da[i] * (a[i] + 1.0f); break;
  default:
    if (act == GS_ACT_SELU || act == GS_ACT_SWISH) {
      for (size_t i = 0; i < count; i++) du[i] = (float)(da[i] * act_derivative(u[i], a[i], act, slope));
    } else {
      for (size_t i = 0; i < count; i++) du[i] = da[i];   /* linear */
    }
  }
  return dslope;
}

int act_backward_fuses(int act) {
  return act == GS_ACT_SIGMOID || act == GS_ACT_TANH || act == GS_ACT_RELU || act == GS_ACT_LEAKY_RELU;
}

/* One pass over a layer's rows for the three things the backward pass needs
 * from ∂L/∂a (see core.h): Σ da², δ = da ⊙ φ′ and ∂L/∂b += Σ_rows δ. The
 * bias sums are float adds in row order, as add_column_sums (net.c) makes
 * them. Σ da² follows reduce.c's recipe, with the chunks cut at row ends: a
 * chunk of ≤ FSUM_CHUNK floats is summed in f32x4 and kept when fsum_accurate4 says
 * so, else summed again in double from da — which is why δ goes to its own
 * buffer. The scalar build sums every square in double, as reduce_sumsq. */
double act_backward_fused(float *delta, const float *da, const float *u, const float *a,
                          int rows, int O, int act, float slope, float *bias_grad) {
  const float *ys = act == GS_ACT_SIGMOID || act == GS_ACT_TANH ? a : u;
  double sq = 0.0;
#ifdef __wasm_simd128__
  fsum_f64x4 total = FSUM_ZERO;
  const int body = O & ~3;
#endif
  for (int r = 0; r < rows; r++) {
    const size_t at = (size_t)r * O;
    const float *x_row = da + at, *y_row = ys + at;
    float *d_row = delta + at;
    int j = 0;
#ifdef __wasm_simd128__
    while (j < body) {
      const int start = j, end = body - j > FSUM_CHUNK ? j + FSUM_CHUNK : body;
      v128_t q = wasm_f32x4_splat(0.0f);
#define FUSED_LOOP(EXPR4)                                                                   \
      for (; j < end; j += 4) {                                                             \
        const v128_t x = wasm_v128_load(x_row + j), y = wasm_v128_load(y_row + j);          \
        const v128_t d = EXPR4(x, y);                                                       \
        q = wasm_f32x4_add(q, wasm_f32x4_mul(x, x));                                        \
        wasm_v128_store(d_row + j, d);                                                      \
        wasm_v128_store(bias_grad + j, wasm_f32x4_add(wasm_v128_load(bias_grad + j), d));   \
      }
      switch (act) {
      case GS_ACT_SIGMOID: FUSED_LOOP(BWD_SIGMOID4) break;
      case GS_ACT_TANH:    FUSED_LOOP(BWD_TANH4) break;
      case GS_ACT_RELU:    FUSED_LOOP(BWD_RELU4) break;
      default:             FUSED_LOOP(BWD_LEAKY4) break;
      }
#undef FUSED_LOOP
      if (fsum_accurate4(q)) fsum_add(&total, q);
      else for (int k = start; k < end; k++) { const double x = x_row[k]; sq += x * x; }
    }
#endif
    for (; j < O; j++) {   /* the row's tail (every element, in the scalar build) */
      const float x = x_row[j], y = y_row[j];
      float d;
      switch (act) {
      case GS_ACT_SIGMOID: d = BWD_SIGMOID(x, y); break;
      case GS_ACT_TANH:    d = BWD_TANH(x, y); break;
      case GS_ACT_RELU:    d = BWD_RELU(x, y); break;
      default:             d = BWD_LEAKY(x, y); break;
      }
      sq += (double)x * x;
      d_row[j] = d;
      bias_grad[j] += d;
    }
  }
#ifdef __wasm_simd128__
  sq += fsum_total(total);
#endif
  return sq;
}
