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

static double sumsq(const float *v, size_t count) {
  double s = 0.0;
  for (size_t k = 0; k < count; k++) s += (double)v[k] * v[k];
  return s;
}

void stats_after_backward(gs_net *n) {
  const int B = n->rows;
  int nonfinite_layer = -1, phase = GS_PHASE_NONE;
  for (int l = 0; l < n->L; l++) {
    gs_layer *ly = &n->layer[l];
    const int O = ly->out, I = ly->in;
    const size_t count = (size_t)B * O;
    double *s = n->lstats + (size_t)l * GS_S_COUNT;

    /* gradients */
    s[GS_S_GRAD_NORM_W] = sqrt(sumsq(layer_grad(n, l, GS_P_W), (size_t)O * I));
    s[GS_S_GRAD_NORM_B] = sqrt(sumsq(layer_grad(n, l, GS_P_B), (size_t)O));
    double wsq = sumsq(layer_param(n, l, GS_P_W), (size_t)O * I);
    s[GS_S_WEIGHT_NORM] = sqrt(wsq);
    const float *slope_p = layer_param(n, l, GS_P_SLOPE);
    float slope = slope_p ? *slope_p : ly->slope_init;
    s[GS_S_SLOPE] = (ly->act == GS_ACT_LEAKY_RELU || ly->act == GS_ACT_PRELU) ? slope : 0.0;

    /* activations: mean/std of a, std of u, saturation, dead units, mean φ′² */
    double sa = 0, sa2 = 0, su = 0, su2 = 0, dphi2 = 0;
    size_t saturated = 0;
    memset(n->alive, 0, (size_t)O);
    for (int r = 0; r < B; r++) {
      for (int j = 0; j < O; j++) {
        size_t k = (size_t)r * O + j;
        double a = ly->a[k], u = ly->u[k];
        sa += a; sa2 += a * a; su += u; su2 += u * u;
        double d = act_derivative(ly->u[k], ly->a[k], ly->act, slope);
        dphi2 += d * d;
        if (d != 0.0) n->alive[j] = 1;
        if (ly->act == GS_ACT_SIGMOID) saturated += (a < 0.01 || a > 0.99);
        else if (ly->act == GS_ACT_TANH) saturated += fabs(a) > 0.99;
      }
    }
    double mean = sa / count, meanu = su / count;
    s[GS_S_ACT_MEAN] = mean;
    s[GS_S_ACT_STD] = sqrt(fmax(0.0, sa2 / count - mean * mean));
    s[GS_S_PREACT_STD] = sqrt(fmax(0.0, su2 / count - meanu * meanu));
    s[GS_S_SATURATED] = (double)saturated / count;
    size_t dead = 0;
    for (int j = 0; j < O; j++) dead += !n->alive[j];
    s[GS_S_DEAD] = (double)dead / O;
    /* mean-field gain: σ_w² = fan_in·mean(W²) = ‖W‖²/O */
    s[GS_S_GAIN] = (wsq / O) * (dphi2 / count);
    if (l == n->L - 1) { s[GS_S_GAIN] = wsq / O; }   /* linear output layer: φ′ = 1 */

    if (nonfinite_layer < 0 && !isfinite(sa2)) { nonfinite_layer = l; phase = GS_PHASE_FORWARD; }
  }
  if (nonfinite_layer < 0 && !isfinite(n->gstats[GS_G_LOSS])) { nonfinite_layer = n->L - 1; phase = GS_PHASE_LOSS; }
  if (nonfinite_layer < 0) {
    /* backward runs from the output down: the highest layer is where it appeared first */
    for (int l = n->L - 1; l >= 0; l--) {
      double *s = n->lstats + (size_t)l * GS_S_COUNT;
      size_t b = layer_begin(n, l), e = n->layer[l].off_end;
      if (!isfinite(s[GS_S_DELTA_NORM]) || !isfinite(sumsq(n->grads + b, e - b))) {
        nonfinite_layer = l; phase = GS_PHASE_BACKWARD; break;
      }
    }
  }
  n->gstats[GS_G_NON_FINITE_LAYER] = nonfinite_layer;
  n->gstats[GS_G_NON_FINITE_PHASE] = phase;
}
