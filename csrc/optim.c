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
 * SGD (torch.optim.SGD, dampening 0):  g′ = g + wd·p (skipped when wd = 0, as
 *   torch skips it: 0·p would turn an infinite p into NaN);  buf = g′ (first step)
 *   or m·buf + g′;  d = nesterov ? g′ + m·buf : buf;  p ← p − lr·d
 * Adam (torch.optim.Adam, coupled L2): g′ = g + wd·p; m = β1·m + (1−β1)·g′;
 *   v = β2·v + (1−β2)·g′²;  p ← p − lr/(1−β1^t) · m / (√v/√(1−β2^t) + eps)
 */
#include <math.h>
#include "core.h"
#include "fsum.h"
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

/* g ← g · factor, the same float multiply per element in both twins. One
 * element at a time this pass over every gradient (800 KB at 50 × 64) took
 * 4–5 % of a norm-clipped 50 × 64 step (paired runs, session 7). */
static void scale_range(float *g, size_t count, float factor) {
  if (factor == 1.0f) return;   /* exactly what multiplying by 1 would give */
  size_t k = 0;
#ifdef __wasm_simd128__
  const v128_t f = wasm_f32x4_splat(factor);
  for (; k + 4 <= count; k += 4) wasm_v128_store(g + k, wasm_f32x4_mul(wasm_v128_load(g + k), f));
#endif
  for (; k < count; k++) g[k] *= factor;
}

void clip_gradients(gs_net *n, int fresh_sums) {
  double total_sq = 0.0;
  for (int l = 0; l < n->L; l++) {
    size_t b = layer_begin(n, l), e = n->layer[l].off_end;
    double sq = fresh_sums ? n->grad_sq[l] : reduce_sumsq(n->grads + b, e - b);
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

/* b^t for an integer t ≥ 0 by repeated squaring: ≤ 2·log2(t) roundings
 * (relative error ~1e-15), and no libm pow (whose tables are ~6 KB of wasm). */
static double pow_int(double b, long t) {
  double r = 1.0;
  for (; t > 0; t >>= 1, b *= b) if (t & 1) r *= b;
  return r;
}

/* The constants of one update, shared by the SIMD body and the scalar twin. */
typedef struct {
  int opt, momentum, nesterov, first, decay;
  float lr, wd, step_size, sqrt_bc2, b1, b2, eps, mom;
} step_consts;

#ifdef __wasm_simd128__
/* The SIMD constants of one update (splatted once per range). */
typedef struct {
  v128_t lr, wd, mom, b1, b2, c1, c2, step, sbc2, eps;
} step_vec;

/* The update's choices. update4 and update_chunks are always inlined with
 * these as literal constants (update_simd), so each copy of the loop holds no
 * branch on them: one generic loop tested five flags per vector in V8 and
 * reloaded its locals around the branches, ~35 instructions per 4 parameters. */
typedef struct { int adam, momentum, nesterov, decay; } step_kind;
#define INLINE static inline __attribute__((always_inline))

/* Four parameters: p ← p − d; returns new − old (the scalar twin's float
 * operations, lane by lane). Not for the first momentum step (buf = g). */
INLINE v128_t update4(const step_vec *v, const step_kind f, float *params, const float *grads,
                      float *m1, float *m2, size_t k) {
  const v128_t p = wasm_v128_load(params + k);
  const v128_t g = f.decay ? wasm_f32x4_add(wasm_v128_load(grads + k), wasm_f32x4_mul(v->wd, p))
                           : wasm_v128_load(grads + k);
  v128_t d;
  if (f.adam) {
    const v128_t m = wasm_f32x4_add(wasm_f32x4_mul(v->b1, wasm_v128_load(m1 + k)), wasm_f32x4_mul(v->c1, g));
    const v128_t s = wasm_f32x4_add(wasm_f32x4_mul(v->b2, wasm_v128_load(m2 + k)), wasm_f32x4_mul(wasm_f32x4_mul(v->c2, g), g));
    wasm_v128_store(m1 + k, m); wasm_v128_store(m2 + k, s);
    d = wasm_f32x4_div(wasm_f32x4_mul(v->step, m), wasm_f32x4_add(wasm_f32x4_div(wasm_f32x4_sqrt(s), v->sbc2), v->eps));
  } else if (f.momentum) {
    const v128_t buf = wasm_f32x4_add(wasm_f32x4_mul(v->mom, wasm_v128_load(m1 + k)), g);
    wasm_v128_store(m1 + k, buf);
    d = wasm_f32x4_mul(v->lr, f.nesterov ? wasm_f32x4_add(g, wasm_f32x4_mul(v->mom, buf)) : buf);
  } else {
    d = wasm_f32x4_mul(v->lr, g);
  }
  const v128_t np = wasm_f32x4_sub(p, d);
  wasm_v128_store(params + k, np);
  return wasm_f32x4_sub(np, p);
}

/* The SIMD body of update_range: every full 4 parameters; returns how many it
 * did and adds their Σ diff² to *upd_sq. Σ diff² as reduce.c sums: a chunk's
 * squares in f32x4, added in double when the float partial is accurate, else
 * the chunk's differences again in double (a vanishing net's updates are
 * ~1e-20: their float squares would underflow, and the update ratio would
 * read 0). */
INLINE size_t update_chunks(const step_vec *v, const step_kind f, float *params, const float *grads,
                            float *m1, float *m2, size_t count, double *upd_sq) {
  float diffs[FSUM_CHUNK];
  fsum_f64x4 vsq = FSUM_ZERO;
  size_t k = 0;
  for (; k + FSUM_CHUNK <= count; k += FSUM_CHUNK) {
    v128_t acc = wasm_f32x4_splat(0.0f);
    for (int j = 0; j < FSUM_CHUNK; j += 4) {
      const v128_t diff = update4(v, f, params, grads, m1, m2, k + j);
      wasm_v128_store(diffs + j, diff);
      acc = wasm_f32x4_add(acc, wasm_f32x4_mul(diff, diff));
    }
    if (fsum_accurate4(acc)) fsum_add(&vsq, acc);
    else for (int j = 0; j < FSUM_CHUNK; j++) *upd_sq += (double)diffs[j] * diffs[j];
  }
  *upd_sq += fsum_total(vsq);
  for (; k + 4 <= count; k += 4) {   /* the last < 64 floats: each square in double */
    wasm_v128_store(diffs, update4(v, f, params, grads, m1, m2, k));
    for (int j = 0; j < 4; j++) *upd_sq += (double)diffs[j] * diffs[j];
  }
  return k;
}

/* One specialised copy of update_chunks per combination of choices. */
static size_t update_simd(const step_consts *c, float *params, const float *grads,
                          float *m1, float *m2, size_t count, double *upd_sq) {
  const v128_t one = wasm_f32x4_splat(1.0f);
  const step_vec v = {
    .lr = wasm_f32x4_splat(c->lr), .wd = wasm_f32x4_splat(c->wd), .mom = wasm_f32x4_splat(c->mom),
    .b1 = wasm_f32x4_splat(c->b1), .b2 = wasm_f32x4_splat(c->b2),
    .c1 = wasm_f32x4_sub(one, wasm_f32x4_splat(c->b1)), .c2 = wasm_f32x4_sub(one, wasm_f32x4_splat(c->b2)),
    .step = wasm_f32x4_splat(c->step_size), .sbc2 = wasm_f32x4_splat(c->sqrt_bc2), .eps = wasm_f32x4_splat(c->eps),
  };
#define RUN(ADAM, MOM, NEST) (c->decay                                                                       \
    ? update_chunks(&v, (step_kind){ ADAM, MOM, NEST, 1 }, params, grads, m1, m2, count, upd_sq)             \
    : update_chunks(&v, (step_kind){ ADAM, MOM, NEST, 0 }, params, grads, m1, m2, count, upd_sq))
  if (c->opt == GS_OPT_ADAM) return RUN(1, 0, 0);
  if (!c->momentum) return RUN(0, 0, 0);
  if (c->first) return 0;   /* the first momentum step (buf = g): the scalar twin does it, once per run */
  return c->nesterov ? RUN(0, 1, 1) : RUN(0, 1, 0);
#undef RUN
}
#endif

/* p[k] ← p[k] − d[k] over count parameters; returns Σ (new − old)², the update
 * measured in double (each difference is one float subtraction; exploding
 * updates stay finite, vanishing ones keep their size: see the chunks below). The SIMD body performs
 * the scalar twin's float operations in the same order, lane by lane: both
 * builds compute the same parameters. */
static double update_range(const step_consts *c, float *params, const float *grads,
                           float *m1, float *m2, size_t count) {
  double upd_sq = 0.0;
  size_t k = 0;
#ifdef __wasm_simd128__
  k = update_simd(c, params, grads, m1, m2, count, &upd_sq);
#endif
  for (; k < count; k++) {
    const float p = params[k];
    const float g = c->decay ? grads[k] + c->wd * p : grads[k];
    float d;
    if (c->opt == GS_OPT_ADAM) {
      const float m = c->b1 * m1[k] + (1.0f - c->b1) * g;
      const float v = c->b2 * m2[k] + (1.0f - c->b2) * g * g;
      m1[k] = m; m2[k] = v;
      d = c->step_size * m / (sqrtf(v) / c->sqrt_bc2 + c->eps);
    } else if (c->momentum) {
      const float buf = c->first ? g : c->mom * m1[k] + g;
      m1[k] = buf;
      d = c->lr * (c->nesterov ? g + c->mom * buf : buf);
    } else {
      d = c->lr * g;
    }
    const float np = p - d, diff = np - p;
    params[k] = np;
    upd_sq += (double)diff * diff;
  }
  return upd_sq;
}

void optimizer_step(gs_net *n) {
  n->step_count++;
  double bc1 = 1.0, bc2 = 1.0;
  if (n->opt == GS_OPT_ADAM) {
    bc1 = 1.0 - pow_int(n->beta1, n->step_count);
    bc2 = 1.0 - pow_int(n->beta2, n->step_count);
  }
  const step_consts c = {
    .opt = n->opt, .momentum = n->opt != GS_OPT_ADAM && (float)n->momentum != 0.0f,
    .nesterov = n->nesterov, .first = !n->momentum_started,
    .decay = (float)n->weight_decay != 0.0f,
    .lr = (float)n->lr, .wd = (float)n->weight_decay,
    .step_size = (float)(n->lr / bc1), .sqrt_bc2 = (float)sqrt(bc2),
    .b1 = (float)n->beta1, .b2 = (float)n->beta2, .eps = (float)n->eps, .mom = (float)n->momentum,
  };
  float *m1 = n->moment1 ? n->moment1 : n->params, *m2 = n->moment2 ? n->moment2 : n->params;   /* unused unless needed */
  for (int l = 0; l < n->L; l++) {
    /* the update ratio ‖ΔW‖/‖W‖ is over the weights only: W first, then the rest of the layer */
    size_t b = layer_begin(n, l), e = n->layer[l].off_end;
    size_t w_end = b + (size_t)n->layer[l].in * n->layer[l].out;
    double upd_sq = update_range(&c, n->params + b, n->grads + b, m1 + b, m2 + b, w_end - b);
    update_range(&c, n->params + w_end, n->grads + w_end, m1 + w_end, m2 + w_end, e - w_end);
    double wn = n->lstats[l * GS_S_COUNT + GS_S_WEIGHT_NORM];
    n->lstats[l * GS_S_COUNT + GS_S_UPDATE_RATIO] = wn > 0 ? sqrt(upd_sq) / wn : 0.0;
  }
  n->momentum_started = 1;
}
