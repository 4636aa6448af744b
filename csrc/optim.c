/* optim.c — gradient clipping and the optimisers, in the order of one step:
 * clip (on the raw gradients) → weight decay added inside the optimiser →
 * update. That is torch's order when clip_grad_norm_ runs before opt.step()
 * with weight_decay set on the optimiser (shared/oracle/optimizers.json).
 *
 * Clipping (Pascanu et al. 2013), torch.nn.utils semantics:
 *   norm        total = ‖all gradients‖₂;  g ← g · min(1, max/(total + 1e-6))
 *   value       g ← clamp(g, −max, max)
 *   layer_norm  the norm rule applied to each layer's gradients separately
 * Norms are summed in double: float32 squares overflow for exploding nets
 * (entries ~1e23) and underflow for vanishing ones (~1e-35).
 *
 * SGD (torch.optim.SGD, dampening 0):  g′ = g + wd·p;  buf = g′ (first step)
 *   or m·buf + g′;  d = nesterov ? g′ + m·buf : buf;  p ← p − lr·d
 * Adam (torch.optim.Adam, coupled L2): g′ = g + wd·p; m = β1·m + (1−β1)·g′;
 *   v = β2·v + (1−β2)·g′²;  p ← p − lr/(1−β1^t) · m / (√v/√(1−β2^t) + eps)
 */
#include <math.h>
#include "core.h"


static void scale_range(float *g, size_t count, float factor) {
  if (factor == 1.0f) return;   /* exactly what multiplying by 1 would give */
  for (size_t k = 0; k < count; k++) g[k] *= factor;
}

void clip_gradients(gs_net *n) {
  double total_sq = 0.0;
  for (int l = 0; l < n->L; l++) {
    size_t b = layer_begin(n, l), e = n->layer[l].off_end;
    double sq = reduce_sumsq(n->grads + b, e - b);
    total_sq += sq;
    n->lstats[l * GS_S_COUNT + GS_S_CLIP_SCALE] = 1.0;
    if (n->clip == GS_CLIP_LAYER_NORM) {
      double norm = sqrt(sq), f = n->clip_max / (norm + 1e-6);
      if (f < 1.0) { scale_range(n->grads + b, e - b, (float)f); n->lstats[l * GS_S_COUNT + GS_S_CLIP_SCALE] = f; }
    }
  }
  double total = sqrt(total_sq), factor = 1.0;
  if (n->clip == GS_CLIP_NORM) {
    factor = n->clip_max / (total + 1e-6);
    if (factor > 1.0) factor = 1.0;
    scale_range(n->grads, n->nparams, (float)factor);
    for (int l = 0; l < n->L; l++) n->lstats[l * GS_S_COUNT + GS_S_CLIP_SCALE] = factor;
  } else if (n->clip == GS_CLIP_VALUE) {
    const float c = (float)n->clip_max;
    size_t clipped = 0;
    for (size_t k = 0; k < n->nparams; k++) {
      float g = n->grads[k];
      clipped += (g > c) | (g < -c);
      n->grads[k] = g > c ? c : (g < -c ? -c : g);
    }
    /* report the shrink of the total norm that value clipping caused:
     * exactly 1 when no element was clipped, never above 1 */
    factor = clipped && total > 0 ? fmin(1.0, sqrt(reduce_sumsq(n->grads, n->nparams)) / total) : 1.0;
    for (int l = 0; l < n->L; l++) n->lstats[l * GS_S_COUNT + GS_S_CLIP_SCALE] = factor;
  } else if (n->clip == GS_CLIP_LAYER_NORM) {
    factor = 1.0;
    for (int l = 0; l < n->L; l++) {
      double f = n->lstats[l * GS_S_COUNT + GS_S_CLIP_SCALE];
      if (f < factor) factor = f;   /* the strongest per-layer shrink */
    }
  }
  n->gstats[GS_G_GRAD_NORM] = total;
  n->gstats[GS_G_CLIP_SCALE] = factor;
}

void optimizer_step(gs_net *n) {
  const float lr = (float)n->lr, wd = (float)n->weight_decay;
  n->step_count++;
  double bc1 = 1.0, bc2 = 1.0;
  if (n->opt == GS_OPT_ADAM) {
    bc1 = 1.0 - pow(n->beta1, (double)n->step_count);
    bc2 = 1.0 - pow(n->beta2, (double)n->step_count);
  }
  const float step_size = (float)(n->lr / bc1), sqrt_bc2 = (float)sqrt(bc2);
  const float b1 = (float)n->beta1, b2 = (float)n->beta2, eps = (float)n->eps, mom = (float)n->momentum;
  const int first = !n->momentum_started;

  for (int l = 0; l < n->L; l++) {
    size_t b = layer_begin(n, l), e = n->layer[l].off_end;
    size_t w_end = b + (size_t)n->layer[l].in * n->layer[l].out;
    double upd_sq = 0.0;
    for (size_t k = b; k < e; k++) {
      float p = n->params[k];
      float g = n->grads[k] + wd * p;
      float d;
      if (n->opt == GS_OPT_ADAM) {
        float m = b1 * n->moment1[k] + (1.0f - b1) * g;
        float v = b2 * n->moment2[k] + (1.0f - b2) * g * g;
        n->moment1[k] = m; n->moment2[k] = v;
        d = step_size * m / (sqrtf(v) / sqrt_bc2 + eps);
      } else if (mom != 0.0f) {
        float buf = first ? g : mom * n->moment1[k] + g;
        n->moment1[k] = buf;
        d = lr * (n->nesterov ? g + mom * buf : buf);
      } else {
        d = lr * g;
      }
      float np = p - d;
      n->params[k] = np;
      if (k < w_end) { double diff = (double)np - p; upd_sq += diff * diff; }
    }
    double wn = n->lstats[l * GS_S_COUNT + GS_S_WEIGHT_NORM];
    n->lstats[l * GS_S_COUNT + GS_S_UPDATE_RATIO] = wn > 0 ? sqrt(upd_sq) / wn : 0.0;
  }
  n->momentum_started = 1;
}
