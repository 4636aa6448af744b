/* stats.c — what one training step measures, per layer (DESIGN.md):
 * ‖∂L/∂W‖_F, ‖∂L/∂b‖₂, activation mean/std, saturated and dead fractions,
 * ‖W‖_F, the measured gain σ_w²·mean(φ′(u)²) and the std of u. (‖∂L/∂a‖
 * is written by the backward pass, the clip scale and update ratio by optim.c.)
 * Everything is accumulated in double, so a vanishing net reports 1e-40
 * rather than 0 and an exploding one 1e+30 rather than Inf.
 * Also finds the first non-finite value: in the forward pass (lowest layer),
 * the loss, or the backward pass. */
#include <math.h>
#include <string.h>
#include "core.h"
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

/* Units whose φ′ is 0 on every row: alive[j] ORs (φ′ ≠ 0) over the rows,
 * as an all-ones / zero int32 mask per unit (one SIMD compare + or per 4). */
static size_t count_dead_units(int32_t *alive, const float *dphi, int B, int O) {
  memset(alive, 0, (size_t)O * sizeof *alive);
  for (int r = 0; r < B; r++) {
    const float *d = dphi + (size_t)r * O;
    int j = 0;
#ifdef __wasm_simd128__
    for (; j + 4 <= O; j += 4)
      wasm_v128_store(alive + j, wasm_v128_or(wasm_v128_load(alive + j),
                                              wasm_f32x4_ne(wasm_v128_load(d + j), wasm_f32x4_splat(0.0f))));
#endif
    for (; j < O; j++) alive[j] |= -(int32_t)(d[j] != 0.0f);
  }
  size_t dead = 0;
  for (int j = 0; j < O; j++) dead += alive[j] == 0;
  return dead;
}

/* How many of v[0..count) lie outside [lo, hi] (v < lo or v > hi; NaN is not counted). */
static size_t count_outside(const float *v, size_t count, float lo, float hi) {
  size_t k = 0, n = 0;
#ifdef __wasm_simd128__
  const v128_t vlo = wasm_f32x4_splat(lo), vhi = wasm_f32x4_splat(hi);
  v128_t acc = wasm_i32x4_splat(0);   /* −count per lane (a true compare is −1); count ≤ 2^20 */
  for (; k + 4 <= count; k += 4) {
    v128_t x = wasm_v128_load(v + k);
    acc = wasm_i32x4_add(acc, wasm_v128_or(wasm_f32x4_lt(x, vlo), wasm_f32x4_gt(x, vhi)));
  }
  n -= (size_t)(wasm_i32x4_extract_lane(acc, 0) + wasm_i32x4_extract_lane(acc, 1) +
                wasm_i32x4_extract_lane(acc, 2) + wasm_i32x4_extract_lane(acc, 3));
#endif
  for (; k < count; k++) n += (v[k] < lo) | (v[k] > hi);
  return n;
}

void stats_after_backward(gs_net *n) {
  const int B = n->rows;
  int nonfinite_layer = -1, phase = GS_PHASE_NONE;
  float *dphi = n->dA1;   /* scratch: the backward pass is done with it */
  for (int l = 0; l < n->L; l++) {
    gs_layer *ly = &n->layer[l];
    const int O = ly->out, I = ly->in;
    const size_t count = (size_t)B * O;
    double *s = n->lstats + (size_t)l * GS_S_COUNT;

    /* gradients and weights; the layer's Σg² is kept for the non-finite
     * check below and for clipping (layout: W, b, then γ, β, slope) */
    const double gw = reduce_sumsq(layer_grad(n, l, GS_P_W), (size_t)O * I);
    const double gb = reduce_sumsq(layer_grad(n, l, GS_P_B), (size_t)O);
    const size_t rest = ly->off[GS_P_B] + O;
    n->grad_sq[l] = gw + gb + reduce_sumsq(n->grads + rest, ly->off_end - rest);
    s[GS_S_GRAD_NORM_W] = sqrt(gw);
    s[GS_S_GRAD_NORM_B] = sqrt(gb);
    double wsq = reduce_sumsq(layer_param(n, l, GS_P_W), (size_t)O * I);
    s[GS_S_WEIGHT_NORM] = sqrt(wsq);
    const float *slope_p = layer_param(n, l, GS_P_SLOPE);
    float slope = slope_p ? *slope_p : ly->slope_init;
    s[GS_S_SLOPE] = (ly->act == GS_ACT_LEAKY_RELU || ly->act == GS_ACT_PRELU) ? slope : 0.0;

    /* activations: mean/std of a and u */
    double sa, sa2, su, su2;
    reduce_sum_sumsq(ly->a, count, &sa, &sa2);
    reduce_sum_sumsq(ly->u, count, &su, &su2);
    double mean = sa / count, meanu = su / count;
    s[GS_S_ACT_MEAN] = mean;
    s[GS_S_ACT_STD] = sqrt(fmax(0.0, sa2 / count - mean * mean));
    s[GS_S_PREACT_STD] = sqrt(fmax(0.0, su2 / count - meanu * meanu));

    /* φ′: dead units (φ′ = 0 on every row) and the mean-field gain σ_w²·mean φ′² */
    act_derivative_array(dphi, ly->u, ly->a, count, ly->act, slope);
    size_t dead = count_dead_units(n->alive, dphi, B, O);
    s[GS_S_DEAD] = (double)dead / O;
    /* σ_w² = fan_in·mean(W²) = ‖W‖²/O; the output layer is linear (φ′ = 1) */
    s[GS_S_GAIN] = (wsq / O) * (reduce_sumsq(dphi, count) / count);

    /* saturation: outputs in the flat tails, where φ′ is nearly 0 */
    size_t saturated = 0;
    if (ly->act == GS_ACT_SIGMOID) saturated = count_outside(ly->a, count, 0.01f, 0.99f);
    else if (ly->act == GS_ACT_TANH) saturated = count_outside(ly->a, count, -0.99f, 0.99f);
    s[GS_S_SATURATED] = (double)saturated / count;

    if (nonfinite_layer < 0 && !isfinite(sa2)) { nonfinite_layer = l; phase = GS_PHASE_FORWARD; }
  }
  if (nonfinite_layer < 0 && !isfinite(n->gstats[GS_G_LOSS])) { nonfinite_layer = n->L - 1; phase = GS_PHASE_LOSS; }
  if (nonfinite_layer < 0) {
    /* backward runs from the output down: the highest layer is where it appeared first */
    for (int l = n->L - 1; l >= 0; l--) {
      double *s = n->lstats + (size_t)l * GS_S_COUNT;
      /* Σg² of floats is finite in double unless some g is NaN/Inf */
      if (!isfinite(s[GS_S_DELTA_NORM]) || !isfinite(n->grad_sq[l])) {
        nonfinite_layer = l; phase = GS_PHASE_BACKWARD; break;
      }
    }
  }
  n->gstats[GS_G_NON_FINITE_LAYER] = nonfinite_layer;
  n->gstats[GS_G_NON_FINITE_PHASE] = phase;
}
