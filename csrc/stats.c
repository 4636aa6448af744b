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

void stats_after_backward(gs_net *n) {
  const int B = n->rows;
  int nonfinite_layer = -1, phase = GS_PHASE_NONE;
  float *dphi = n->dA1;   /* scratch: the backward pass is done with it */
  for (int l = 0; l < n->L; l++) {
    gs_layer *ly = &n->layer[l];
    const int O = ly->out, I = ly->in;
    const size_t count = (size_t)B * O;
    double *s = n->lstats + (size_t)l * GS_S_COUNT;

    /* gradients and weights */
    s[GS_S_GRAD_NORM_W] = sqrt(reduce_sumsq(layer_grad(n, l, GS_P_W), (size_t)O * I));
    s[GS_S_GRAD_NORM_B] = sqrt(reduce_sumsq(layer_grad(n, l, GS_P_B), (size_t)O));
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
    memset(n->alive, 0, (size_t)O);
    for (int r = 0; r < B; r++) {
      const float *d = dphi + (size_t)r * O;
      for (int j = 0; j < O; j++) n->alive[j] |= d[j] != 0.0f;
    }
    size_t dead = 0;
    for (int j = 0; j < O; j++) dead += !n->alive[j];
    s[GS_S_DEAD] = (double)dead / O;
    /* σ_w² = fan_in·mean(W²) = ‖W‖²/O; the output layer is linear (φ′ = 1) */
    s[GS_S_GAIN] = (wsq / O) * (reduce_sumsq(dphi, count) / count);

    /* saturation: outputs in the flat tails, where φ′ is nearly 0 */
    size_t saturated = 0;
    if (ly->act == GS_ACT_SIGMOID) for (size_t k = 0; k < count; k++) saturated += (ly->a[k] < 0.01f) | (ly->a[k] > 0.99f);
    else if (ly->act == GS_ACT_TANH) for (size_t k = 0; k < count; k++) saturated += fabsf(ly->a[k]) > 0.99f;
    s[GS_S_SATURATED] = (double)saturated / count;

    if (nonfinite_layer < 0 && !isfinite(sa2)) { nonfinite_layer = l; phase = GS_PHASE_FORWARD; }
  }
  if (nonfinite_layer < 0 && !isfinite(n->gstats[GS_G_LOSS])) { nonfinite_layer = n->L - 1; phase = GS_PHASE_LOSS; }
  if (nonfinite_layer < 0) {
    /* backward runs from the output down: the highest layer is where it appeared first */
    for (int l = n->L - 1; l >= 0; l--) {
      double *s = n->lstats + (size_t)l * GS_S_COUNT;
      size_t b = layer_begin(n, l), e = n->layer[l].off_end;
      if (!isfinite(s[GS_S_DELTA_NORM]) || !isfinite(reduce_sumsq(n->grads + b, e - b))) {
        nonfinite_layer = l; phase = GS_PHASE_BACKWARD; break;
      }
    }
  }
  n->gstats[GS_G_NON_FINITE_LAYER] = nonfinite_layer;
  n->gstats[GS_G_NON_FINITE_PHASE] = phase;
}
