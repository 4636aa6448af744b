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
#include "fsum.h"
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

/* One pass over a layer's batch: Σa, Σa², Σu², Σu, Σφ′², how many a lie
 * outside [lo, hi] (saturation; NaN is not counted), and which units are
 * alive (φ′ ≠ 0 on some row: alive[j] counts those rows, and a true
 * compare is −1, so the count is one i32x4.sub; an OR of the masks reads the
 * same but LLVM rewrites it as a select, three instructions in V8). Session 1
 * made five passes for these; one pass
 * reads each value once, which at 64 units × 64 rows is most of the cost.
 *
 * Accuracy is reduce.c's recipe, per row: the SIMD body sums the row in f32x4,
 * and the row's float partials are added to the double totals (fsum.h) only
 * when its float Σa², Σu² and Σφ′² are each accurate (no overflowed square, no
 * squares that lost bits); otherwise the row is summed again in double,
 * exactly as the scalar twin sums everything. */
typedef struct { double sa, sa2, su, su2, sd2; size_t outside; } act_sums;

/* φ′ of the activations whose derivative is one or two float operations on a
 * or u (activation.c has the same expressions): computed in the pass instead
 * of written to an array and read back. The others (elu, selu, swish) come in
 * precomputed through d. */
static int inline_dphi(int act) {
  return act == GS_ACT_SIGMOID || act == GS_ACT_TANH || act == GS_ACT_RELU ||
         act == GS_ACT_LEAKY_RELU || act == GS_ACT_PRELU || act == GS_ACT_LINEAR;
}

/* the reference, and the fallback for one row: every element in double */
static void act_sums_f64(act_sums *t, int32_t *alive, const float *a, const float *u,
                         const float *d, int O, float lo, float hi, int act, float slope) {
  for (int j = 0; j < O; j++) {
    const float df = d ? d[j] : (float)act_derivative(u[j], a[j], act, slope);
    const double x = a[j], y = u[j], g = df;
    t->sa += x; t->sa2 += x * x; t->su += y; t->su2 += y * y; t->sd2 += g * g;
    t->outside += (a[j] < lo) | (a[j] > hi);
    alive[j] += df != 0.0f;
  }
}

#ifdef __wasm_simd128__

/* φ′ for inline_dphi activations, 4 lanes, from x = a and y = u: the float
 * operations of act_derivative_array (activation.c), so the values are the
 * same. One expression per activation, each expanded into its own copy of the
 * row loop below, so the loop holds no branch on the activation. */
#define DPHI_SIGMOID wasm_f32x4_mul(x, wasm_f32x4_sub(one, x))
#define DPHI_TANH    wasm_f32x4_sub(one, wasm_f32x4_mul(x, x))
#define DPHI_RELU    wasm_v128_and(one, wasm_f32x4_gt(y, zero))
#define DPHI_LEAKY   wasm_v128_bitselect(one, vslope, wasm_f32x4_gt(y, zero))
#define DPHI_LINEAR  one
#define DPHI_ARRAY   wasm_v128_load(d + j)
#endif

/* D = φ′ precomputed ([B][O]), or NULL for an inline_dphi activation. */
static void layer_act_sums(act_sums *t, int32_t *alive, const float *A, const float *U,
                           const float *D, int B, int O, float lo, float hi, int act, float slope) {
  memset(t, 0, sizeof *t);
  memset(alive, 0, (size_t)O * sizeof *alive);
#ifdef __wasm_simd128__
  fsum_f64x4 tsa = FSUM_ZERO, tsa2 = FSUM_ZERO, tsu = FSUM_ZERO, tsu2 = FSUM_ZERO, tsd2 = FSUM_ZERO;
  v128_t tout = wasm_i32x4_splat(0);   /* −(saturated count) per lane, over the rows taken in float */
#endif
  for (int r = 0; r < B; r++) {
    const float *a = A + (size_t)r * O, *u = U + (size_t)r * O, *d = D ? D + (size_t)r * O : NULL;
    int j = 0;
#ifdef __wasm_simd128__
    const int body = O & ~3;
    if (body) {
      const v128_t vlo = wasm_f32x4_splat(lo), vhi = wasm_f32x4_splat(hi), zero = wasm_f32x4_splat(0.0f);
      const v128_t vslope = wasm_f32x4_splat(slope);
      v128_t sa = zero, sa2 = zero, su = zero, su2 = zero, sd2 = zero;
      v128_t out = wasm_i32x4_splat(0);   /* −count per lane (a true compare is −1) */
      const v128_t one = wasm_f32x4_splat(1.0f);
#define ROW_LOOP(DPHI)                                                                            \
      for (; j < body; j += 4) {                                                                  \
        const v128_t x = wasm_v128_load(a + j), y = wasm_v128_load(u + j);                        \
        const v128_t g = DPHI;                                                                    \
        sa = wasm_f32x4_add(sa, x);  sa2 = wasm_f32x4_add(sa2, wasm_f32x4_mul(x, x));             \
        su = wasm_f32x4_add(su, y);  su2 = wasm_f32x4_add(su2, wasm_f32x4_mul(y, y));             \
        sd2 = wasm_f32x4_add(sd2, wasm_f32x4_mul(g, g));                                          \
        out = wasm_i32x4_add(out, wasm_v128_or(wasm_f32x4_lt(x, vlo), wasm_f32x4_gt(x, vhi)));    \
        wasm_v128_store(alive + j, wasm_i32x4_sub(wasm_v128_load(alive + j), wasm_f32x4_ne(g, zero))); \
      }
      if (d) ROW_LOOP(DPHI_ARRAY)
      else switch (act) {
        case GS_ACT_SIGMOID: ROW_LOOP(DPHI_SIGMOID) break;
        case GS_ACT_TANH:    ROW_LOOP(DPHI_TANH) break;
        case GS_ACT_RELU:    ROW_LOOP(DPHI_RELU) break;
        case GS_ACT_LEAKY_RELU:
        case GS_ACT_PRELU:   ROW_LOOP(DPHI_LEAKY) break;
        default:             ROW_LOOP(DPHI_LINEAR) break;
      }
#undef ROW_LOOP
      if (fsum_accurate4(sa2) && fsum_accurate4(su2) && fsum_accurate4(sd2)) {
        fsum_add(&tsa, sa); fsum_add(&tsa2, sa2);
        fsum_add(&tsu, su); fsum_add(&tsu2, su2);
        fsum_add(&tsd2, sd2);
        tout = wasm_i32x4_add(tout, out);
      } else {
        j = 0;   /* this row again, in double (alive counted it twice: only alive = 0 matters) */
      }
    }
#endif
    act_sums_f64(t, alive + j, a + j, u + j, d ? d + j : NULL, O - j, lo, hi, act, slope);
  }
#ifdef __wasm_simd128__
  t->sa += fsum_total(tsa); t->sa2 += fsum_total(tsa2);
  t->su += fsum_total(tsu); t->su2 += fsum_total(tsu2);
  t->sd2 += fsum_total(tsd2);
  /* a lane counts at most B·O/4 ≤ 1024 · 1024 / 4 (limits.js): no overflow */
  t->outside -= (size_t)(int32_t)(wasm_i32x4_extract_lane(tout, 0) + wasm_i32x4_extract_lane(tout, 1) +
                                  wasm_i32x4_extract_lane(tout, 2) + wasm_i32x4_extract_lane(tout, 3));
#endif
}

/* Each statistic is taken in the pass that just touched its data, while it is
 * still in L1/L2, rather than in one sweep over the whole net after the
 * backward pass (a 50 × 64 net's activations, weights and gradients are ~3 MB,
 * more than L2). Measured: within noise of the sweep at 50 × 64 — the
 * prefetchers kept up with it — but never slower, and it keeps each layer's
 * statistics next to the code that produces their data. */

/* Forward (training), right after layer l's activation: ‖W‖ (W was just read
 * by the matmul), the slope, and the activation statistics of a and u. */
void stats_forward_layer(gs_net *n, int l, int B) {
  gs_layer *ly = &n->layer[l];
  const int O = ly->out, I = ly->in;
  const size_t count = (size_t)B * O;
  double *s = n->lstats + (size_t)l * GS_S_COUNT;

  const double wsq = reduce_sumsq(layer_param(n, l, GS_P_W), (size_t)O * I);
  s[GS_S_WEIGHT_NORM] = sqrt(wsq);
  const float *slope_p = layer_param(n, l, GS_P_SLOPE);
  const float slope = slope_p ? *slope_p : ly->slope_init;
  s[GS_S_SLOPE] = (ly->act == GS_ACT_LEAKY_RELU || ly->act == GS_ACT_PRELU) ? slope : 0.0;

  /* activations: mean/std of a and u, φ′ (dead units and the mean-field
   * gain σ_w²·mean φ′²) and saturation (outputs in the flat tails, where φ′
   * is nearly 0), in one pass */
  const float *d = NULL;
  if (!inline_dphi(ly->act)) {   /* dA1 is free during the forward pass */
    act_derivative_array(n->dA1, ly->u, ly->a, count, ly->act, slope);
    d = n->dA1;
  }
  float lo = -INFINITY, hi = INFINITY;   /* nothing is outside: no saturation */
  if (ly->act == GS_ACT_SIGMOID) { lo = 0.01f; hi = 0.99f; }
  else if (ly->act == GS_ACT_TANH) { lo = -0.99f; hi = 0.99f; }
  act_sums t;
  layer_act_sums(&t, n->alive, ly->a, ly->u, d, B, O, lo, hi, ly->act, slope);
  const double mean = t.sa / count, meanu = t.su / count;
  s[GS_S_ACT_MEAN] = mean;
  s[GS_S_ACT_STD] = sqrt(fmax(0.0, t.sa2 / count - mean * mean));
  s[GS_S_PREACT_STD] = sqrt(fmax(0.0, t.su2 / count - meanu * meanu));
  size_t dead = 0;
  for (int j = 0; j < O; j++) dead += n->alive[j] == 0;
  s[GS_S_DEAD] = (double)dead / O;
  /* σ_w² = fan_in·mean(W²) = ‖W‖²/O; the output layer is linear (φ′ = 1) */
  s[GS_S_GAIN] = (wsq / O) * (t.sd2 / count);
  s[GS_S_SATURATED] = (double)t.outside / count;
  n->act_finite[l] = isfinite(t.sa2);   /* Σa² of floats is finite in double unless some a is NaN/Inf */
}

/* Backward, right after layer l's gradients are complete: their norms, and
 * the layer's Σg² kept for the non-finite check and for clipping (layout: W,
 * b, then γ, β, slope). */
void stats_backward_layer(gs_net *n, int l) {
  gs_layer *ly = &n->layer[l];
  const int O = ly->out, I = ly->in;
  double *s = n->lstats + (size_t)l * GS_S_COUNT;
  const double gw = reduce_sumsq(layer_grad(n, l, GS_P_W), (size_t)O * I);
  const double gb = reduce_sumsq(layer_grad(n, l, GS_P_B), (size_t)O);
  const size_t rest = ly->off[GS_P_B] + O;
  n->grad_sq[l] = gw + gb + reduce_sumsq(n->grads + rest, ly->off_end - rest);
  s[GS_S_GRAD_NORM_W] = sqrt(gw);
  s[GS_S_GRAD_NORM_B] = sqrt(gb);
}

/* After the backward pass: where the first non-finite value appeared. */
void stats_find_nonfinite(gs_net *n) {
  int nonfinite_layer = -1, phase = GS_PHASE_NONE;
  for (int l = 0; l < n->L && nonfinite_layer < 0; l++)
    if (!n->act_finite[l]) { nonfinite_layer = l; phase = GS_PHASE_FORWARD; }
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
