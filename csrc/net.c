/* net.c — a net's lifecycle and the order of one training step.
 *
 * Owns: validating a config, laying out and allocating the arena (once),
 * forward, backward, the step, k-step runs over a dataset, evaluation.
 * Does not own: the math of each piece (activation.c, batchnorm.c, loss.c,
 * init.c, optim.c, stats.c, gemm_*.c) or datasets (data.c).
 *
 * One training step, in this order and no other:
 *   forward → loss → backward → per-layer stats → clip → optimiser → update ratios
 * A step that meets a NaN/Inf stops after the stats: the update is not
 * applied, so the parameters stay the last finite ones.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

/* data.c's private sampler interface */
int data_next_batch(gs_data *d, int32_t *idx, int batch);
const int32_t *data_split_rows(const gs_data *d, int split, int *count);
int data_features(const gs_data *d);
int data_classes(const gs_data *d);
const float *data_row(const gs_data *d, int r);
int32_t data_label(const gs_data *d, int r);

#define RECORD_DOUBLES(n) (GS_G_COUNT + (size_t)(n)->L * GS_S_COUNT)

/* ======================================================================
 * Validation: every field is checked with its name and allowed range.
 * ====================================================================== */

static int is_int_in(double v, double lo, double hi) { return isfinite(v) && v == floor(v) && v >= lo && v <= hi; }

#define WANT_INT(v, lo, hi, ...) do { if (!is_int_in((v), (lo), (hi))) { \
    char name_[64]; gs_format(name_, sizeof name_, __VA_ARGS__); \
    return gs_fail(GS_EINVAL, "%s must be an integer in %.0f..%.0f, got %g", name_, (double)(lo), (double)(hi), (v)); } } while (0)
#define WANT_RANGE(cond, v, name, range) do { if (!(isfinite(v) && (cond))) \
    return gs_fail(GS_EINVAL, "%s must be a number in %s, got %g", name, range, (v)); } while (0)

static int validate(const double *c, int ncfg) {
  if (!c) return gs_fail(GS_EINVAL, "config is NULL");
  if (ncfg < GS_CFG_HEADER) return gs_fail(GS_EINVAL, "config must have at least %d fields, got %d", GS_CFG_HEADER, ncfg);
  WANT_INT(c[GS_CFG_DEPTH], GS_MIN_DEPTH, GS_MAX_DEPTH, "depth");
  int depth = (int)c[GS_CFG_DEPTH];
  if (ncfg != GS_CFG_HEADER + depth * GS_LAYER_FIELDS)
    return gs_fail(GS_EINVAL, "config must have %d fields for depth %d, got %d", GS_CFG_HEADER + depth * GS_LAYER_FIELDS, depth, ncfg);
  WANT_INT(c[GS_CFG_INPUTS], GS_MIN_INPUTS, GS_MAX_INPUTS, "inputs");
  WANT_INT(c[GS_CFG_OUTPUTS], GS_MIN_OUTPUTS, GS_MAX_OUTPUTS, "outputs");
  WANT_INT(c[GS_CFG_BATCH], GS_MIN_BATCH_SIZE, GS_MAX_BATCH_SIZE, "batchSize");
  WANT_INT(c[GS_CFG_SEED], 0, 4294967295.0, "seed");
  WANT_INT(c[GS_CFG_LOSS], 0, GS_LOSS_COUNT - 1, "loss");
  WANT_INT(c[GS_CFG_INIT], 0, GS_INIT_COUNT - 1, "init");
  int init = (int)c[GS_CFG_INIT];
  double scale = c[GS_CFG_INIT_SCALE];
  if (init == GS_INIT_NORMAL) WANT_RANGE(scale >= 0 && scale <= 100, scale, "init.std", "0..100");
  if (init == GS_INIT_UNIFORM) WANT_RANGE(scale >= 0 && scale <= 100, scale, "init.limit", "0..100");
  if (init == GS_INIT_ORTHOGONAL || init == GS_INIT_XAVIER_NORMAL || init == GS_INIT_XAVIER_UNIFORM)
    WANT_RANGE(scale >= 0 && scale <= 100, scale, "init.gain", "0..100");
  WANT_RANGE(fabs(c[GS_CFG_BIAS_CONST]) <= 100, c[GS_CFG_BIAS_CONST], "bias.constant", "-100..100");
  WANT_RANGE(c[GS_CFG_BIAS_STD] >= 0 && c[GS_CFG_BIAS_STD] <= 100, c[GS_CFG_BIAS_STD], "bias.std", "0..100");
  WANT_INT(c[GS_CFG_OPT], 0, GS_OPT_COUNT - 1, "optimizer.kind");
  WANT_RANGE(c[GS_CFG_LR] > GS_MIN_LR && c[GS_CFG_LR] <= GS_MAX_LR, c[GS_CFG_LR], "optimizer.lr", "(0, 10]");
  WANT_RANGE(c[GS_CFG_MOMENTUM] >= 0 && c[GS_CFG_MOMENTUM] < 1, c[GS_CFG_MOMENTUM], "optimizer.momentum", "[0, 1)");
  WANT_INT(c[GS_CFG_NESTEROV], 0, 1, "optimizer.nesterov");
  if (c[GS_CFG_NESTEROV] == 1 && !(c[GS_CFG_MOMENTUM] > 0))
    return gs_fail(GS_EINVAL, "optimizer.nesterov needs optimizer.momentum in (0, 1), got %g", c[GS_CFG_MOMENTUM]);
  WANT_RANGE(c[GS_CFG_WEIGHT_DECAY] >= 0 && c[GS_CFG_WEIGHT_DECAY] <= 1, c[GS_CFG_WEIGHT_DECAY], "optimizer.weightDecay", "0..1");
  WANT_RANGE(c[GS_CFG_BETA1] >= 0 && c[GS_CFG_BETA1] < 1, c[GS_CFG_BETA1], "optimizer.beta1", "[0, 1)");
  WANT_RANGE(c[GS_CFG_BETA2] >= 0 && c[GS_CFG_BETA2] < 1, c[GS_CFG_BETA2], "optimizer.beta2", "[0, 1)");
  WANT_RANGE(c[GS_CFG_EPS] > 0 && c[GS_CFG_EPS] <= 1, c[GS_CFG_EPS], "optimizer.eps", "(0, 1]");
  WANT_INT(c[GS_CFG_CLIP], 0, GS_CLIP_COUNT - 1, "clip.kind");
  if (c[GS_CFG_CLIP] != GS_CLIP_NONE)
    WANT_RANGE(c[GS_CFG_CLIP_MAX] > 0 && c[GS_CFG_CLIP_MAX] <= 1e6, c[GS_CFG_CLIP_MAX], "clip.max", "(0, 1e6]");
  for (int l = 0; l < depth; l++) {
    const double *r = c + GS_CFG_HEADER + l * GS_LAYER_FIELDS;
    WANT_INT(r[GS_LAYER_UNITS], GS_MIN_UNITS, GS_MAX_UNITS, "hidden[%d].units", l);
    WANT_INT(r[GS_LAYER_ACT], 0, GS_ACT_COUNT - 1, "hidden[%d].activation", l);
    if (!(isfinite(r[GS_LAYER_SLOPE]) && fabs(r[GS_LAYER_SLOPE]) <= 10))
      return gs_fail(GS_EINVAL, "hidden[%d].slope must be a number in -10..10, got %g", l, r[GS_LAYER_SLOPE]);
    WANT_INT(r[GS_LAYER_BATCHNORM], 0, 1, "hidden[%d].batchnorm", l);
  }
  return GS_OK;
}

/* ======================================================================
 * Layout: one pass computes every offset and the total size, so the
 * heap budget is checked before anything is allocated.
 * ====================================================================== */

typedef struct { size_t bytes; } carver;
/* Reserve `bytes` (16-byte aligned); returns the offset inside the arena. */
static size_t reserve(carver *cv, size_t bytes) {
  size_t at = cv->bytes;
  cv->bytes += (bytes + 15) & ~(size_t)15;
  return at;
}

typedef struct {
  size_t params, grads, m1, m2, x, targets, labels, input_grad, dA0, dA1, work,
         col_sum, col_sum2, ortho, ring, lstats, alive, u[GS_MAX_DEPTH + 1], a[GS_MAX_DEPTH + 1],
         xhat[GS_MAX_DEPTH + 1], bn[GS_MAX_DEPTH + 1], bn_pending[GS_MAX_DEPTH + 1];
} arena_plan;

static void plan_arena(gs_net *n, arena_plan *p, carver *cv) {
  const int B = n->batch;
  int max_width = n->inputs, max_out = 1, max_in = 1;
  size_t max_work = 0, count = 0;
  for (int l = 0; l < n->L; l++) {
    gs_layer *ly = &n->layer[l];
    for (int k = 0; k <= GS_P_SLOPE; k++) ly->off[k] = ABSENT;
    ly->off[GS_P_W] = count; count += (size_t)ly->out * ly->in;
    ly->off[GS_P_B] = count; count += ly->out;
    if (ly->bn) { ly->off[GS_P_GAMMA] = count; count += ly->out; ly->off[GS_P_BETA] = count; count += ly->out; }
    if (ly->act == GS_ACT_PRELU) { ly->off[GS_P_SLOPE] = count; count += 1; }
    ly->off_end = count;
    if (ly->out > max_width) max_width = ly->out;
    if (ly->out > max_out) max_out = ly->out;
    if (ly->in > max_in) max_in = ly->in;
    size_t wk = gemm_work_floats(B, ly->in, ly->out);
    if (wk > max_work) max_work = wk;
  }
  n->nparams = count;
  const size_t F = sizeof(float);
  p->params = reserve(cv, count * F);
  p->grads = reserve(cv, count * F);
  int need_m1 = n->opt == GS_OPT_ADAM || n->momentum > 0, need_m2 = n->opt == GS_OPT_ADAM;
  p->m1 = need_m1 ? reserve(cv, count * F) : ABSENT;
  p->m2 = need_m2 ? reserve(cv, count * F) : ABSENT;
  for (int l = 0; l < n->L; l++) {
    gs_layer *ly = &n->layer[l];
    size_t bo = (size_t)B * ly->out * F;
    p->u[l] = reserve(cv, bo);
    p->a[l] = ly->act == GS_ACT_LINEAR ? p->u[l] : reserve(cv, bo);   /* φ = identity: share */
    p->xhat[l] = ly->bn ? reserve(cv, bo) : ABSENT;
    p->bn[l] = ly->bn ? reserve(cv, 4 * (size_t)ly->out * F) : ABSENT;   /* mean, invstd, running mean, var */
    p->bn_pending[l] = ly->bn ? reserve(cv, 2 * (size_t)ly->out * sizeof(double)) : ABSENT;
  }
  p->x = reserve(cv, (size_t)B * n->inputs * F);
  p->targets = reserve(cv, (size_t)B * n->outputs * F);
  p->labels = reserve(cv, (size_t)B * sizeof(int32_t));
  p->input_grad = reserve(cv, (size_t)B * n->inputs * F);
  p->dA0 = reserve(cv, (size_t)B * max_width * F);
  p->dA1 = reserve(cv, (size_t)B * max_width * F);
  p->work = reserve(cv, max_work * F);
  p->col_sum = reserve(cv, (size_t)max_width * sizeof(double));
  p->col_sum2 = reserve(cv, (size_t)max_width * sizeof(double));
  p->ortho = n->init == GS_INIT_ORTHOGONAL ? reserve(cv, (size_t)max_out * max_in * sizeof(double)) : ABSENT;
  p->ring = reserve(cv, GS_MAX_STEPS_PER_CALL * RECORD_DOUBLES(n) * sizeof(double));
  p->lstats = reserve(cv, (size_t)n->L * GS_S_COUNT * sizeof(double));
  p->alive = reserve(cv, (size_t)max_width * sizeof(int32_t));
}

GS_API gs_net *gs_create(const double *c, int ncfg) {
  if (validate(c, ncfg) != GS_OK) return NULL;
  gs_net *n = calloc(1, sizeof *n);
  if (!n) { gs_fail(GS_ENOMEM, "out of memory allocating a net"); return NULL; }
  n->depth = (int)c[GS_CFG_DEPTH];
  n->L = n->depth + 1;
  n->inputs = (int)c[GS_CFG_INPUTS];
  n->outputs = (int)c[GS_CFG_OUTPUTS];
  n->batch = (int)c[GS_CFG_BATCH];
  n->seed = (uint32_t)c[GS_CFG_SEED];
  n->loss = (int)c[GS_CFG_LOSS];
  n->init = (int)c[GS_CFG_INIT];
  n->init_scale = c[GS_CFG_INIT_SCALE];
  n->bias_const = c[GS_CFG_BIAS_CONST];
  n->bias_std = c[GS_CFG_BIAS_STD];
  n->opt = (int)c[GS_CFG_OPT];
  n->lr = c[GS_CFG_LR];
  n->momentum = c[GS_CFG_MOMENTUM];
  n->nesterov = (int)c[GS_CFG_NESTEROV];
  n->weight_decay = c[GS_CFG_WEIGHT_DECAY];
  n->beta1 = c[GS_CFG_BETA1];
  n->beta2 = c[GS_CFG_BETA2];
  n->eps = c[GS_CFG_EPS];
  n->clip = (int)c[GS_CFG_CLIP];
  n->clip_max = c[GS_CFG_CLIP_MAX];
  int fan_in = n->inputs;
  for (int l = 0; l < n->depth; l++) {
    const double *r = c + GS_CFG_HEADER + l * GS_LAYER_FIELDS;
    gs_layer *ly = &n->layer[l];
    ly->in = fan_in;
    ly->out = (int)r[GS_LAYER_UNITS];
    ly->act = (int)r[GS_LAYER_ACT];
    ly->slope_init = (float)r[GS_LAYER_SLOPE];
    ly->bn = (int)r[GS_LAYER_BATCHNORM];
    fan_in = ly->out;
  }
  gs_layer *out = &n->layer[n->depth];
  out->in = fan_in; out->out = n->outputs; out->act = GS_ACT_LINEAR; out->bn = 0;

  arena_plan p;
  carver cv = { 0 };
  plan_arena(n, &p, &cv);
  size_t total = cv.bytes + sizeof *n;
  if (total > ((size_t)GS_LIMIT_NET_HEAP_MB << 20)) {
    gs_fail(GS_ENOMEM, "this net needs %.1f MiB, over the %d MiB budget of one net: use fewer or narrower layers or a smaller batch",
            total / 1048576.0, GS_LIMIT_NET_HEAP_MB);
    free(n);
    return NULL;
  }
  char *base = calloc(1, cv.bytes + 16);
  if (!base) {
    gs_fail(GS_ENOMEM, "out of memory: this net needs %.1f MiB", total / 1048576.0);
    free(n);
    return NULL;
  }
  n->arena = base; n->arena_bytes = cv.bytes;
  char *al = (char *)(((uintptr_t)base + 15) & ~(uintptr_t)15);
#define AT(off) ((void *)(al + (off)))
  n->params = AT(p.params); n->grads = AT(p.grads);
  n->moment1 = p.m1 == ABSENT ? NULL : AT(p.m1);
  n->moment2 = p.m2 == ABSENT ? NULL : AT(p.m2);
  for (int l = 0; l < n->L; l++) {
    gs_layer *ly = &n->layer[l];
    ly->u = AT(p.u[l]); ly->a = AT(p.a[l]);
    ly->xhat = p.xhat[l] == ABSENT ? NULL : AT(p.xhat[l]);
    if (p.bn[l] != ABSENT) {
      float *bn = AT(p.bn[l]);
      ly->bn_mean = bn; ly->bn_invstd = bn + ly->out;
      ly->running_mean = bn + 2 * ly->out; ly->running_var = bn + 3 * ly->out;
      double *pending = AT(p.bn_pending[l]);
      ly->pending_mean = pending; ly->pending_var = pending + ly->out;
    }
  }
  n->x = AT(p.x); n->targets = AT(p.targets); n->labels = AT(p.labels);
  n->input_grad = AT(p.input_grad); n->dA0 = AT(p.dA0); n->dA1 = AT(p.dA1); n->work = AT(p.work);
  n->col_sum = AT(p.col_sum); n->col_sum2 = AT(p.col_sum2);
  n->ortho = p.ortho == ABSENT ? NULL : AT(p.ortho);
  n->ring = AT(p.ring); n->lstats = AT(p.lstats); n->alive = AT(p.alive);
#undef AT
  gs_reinit(n, (int)n->seed);
  return n;
}

GS_API void gs_destroy(gs_net *n) {
  if (!n) return;
  free(n->arena);
  free(n);
}

GS_API int gs_reinit(gs_net *n, int seed) {
  if (!n) return gs_fail(GS_EINVAL, "net is NULL");
  n->seed = (uint32_t)seed;
  for (int l = 0; l < n->L; l++) init_layer(n, l);
  memset(n->grads, 0, n->nparams * sizeof(float));
  if (n->moment1) memset(n->moment1, 0, n->nparams * sizeof(float));
  if (n->moment2) memset(n->moment2, 0, n->nparams * sizeof(float));
  memset(n->lstats, 0, (size_t)n->L * GS_S_COUNT * sizeof(double));
  memset(n->gstats, 0, sizeof n->gstats);
  n->gstats[GS_G_NON_FINITE_LAYER] = -1;
  n->momentum_started = 0; n->step_count = 0; n->have_grads = 0; n->rows = 0;
  return GS_OK;
}

/* ---- accessors ---------------------------------------------------------- */
GS_API int gs_layer_count(const gs_net *n) { return n ? n->L : gs_fail(GS_EINVAL, "net is NULL"); }
GS_API size_t gs_net_bytes(const gs_net *n) { return n ? n->arena_bytes + sizeof *n : 0; }

static int bad_layer(const gs_net *n, int l) {
  if (!n) return gs_fail(GS_EINVAL, "net is NULL");
  if (l < 0 || l >= n->L) return gs_fail(GS_EINVAL, "layer must be an integer in 0..%d, got %d", n->L - 1, l);
  return 0;
}

GS_API int gs_param_len(const gs_net *n, int l, int kind) {
  if (bad_layer(n, l)) return GS_EINVAL;
  const gs_layer *ly = &n->layer[l];
  switch (kind) {
  case GS_P_W: return ly->in * ly->out;
  case GS_P_B: return ly->out;
  case GS_P_GAMMA: case GS_P_BETA: case GS_P_RUNNING_MEAN: case GS_P_RUNNING_VAR: return ly->bn ? ly->out : 0;
  case GS_P_SLOPE: return ly->act == GS_ACT_PRELU;
  default: return gs_fail(GS_EINVAL, "kind must be an integer in 0..%d, got %d", GS_P_COUNT - 1, kind);
  }
}
GS_API float *gs_param(gs_net *n, int l, int kind) {
  if (bad_layer(n, l) || gs_param_len(n, l, kind) <= 0) return NULL;
  if (kind == GS_P_RUNNING_MEAN) return n->layer[l].running_mean;
  if (kind == GS_P_RUNNING_VAR) return n->layer[l].running_var;
  return layer_param(n, l, kind);
}
GS_API float *gs_grad(gs_net *n, int l, int kind) {
  if (bad_layer(n, l) || kind > GS_P_SLOPE || gs_param_len(n, l, kind) <= 0) return NULL;
  return layer_grad(n, l, kind);
}
GS_API float *gs_input(gs_net *n) { return n ? n->x : NULL; }
GS_API int32_t *gs_labels(gs_net *n) { return n ? n->labels : NULL; }
GS_API float *gs_targets(gs_net *n) { return n ? n->targets : NULL; }
GS_API float *gs_output(gs_net *n) { return n ? n->layer[n->L - 1].a : NULL; }
GS_API float *gs_preact(gs_net *n, int l) { return bad_layer(n, l) ? NULL : n->layer[l].u; }
GS_API float *gs_act(gs_net *n, int l) { return bad_layer(n, l) ? NULL : n->layer[l].a; }
GS_API float *gs_input_grad(gs_net *n) { return n ? n->input_grad : NULL; }
GS_API double *gs_global_stats(gs_net *n) { return n ? n->gstats : NULL; }
GS_API double *gs_layer_stats(gs_net *n) { return n ? n->lstats : NULL; }
GS_API double *gs_ring(gs_net *n) { return n ? n->ring : NULL; }

GS_API int gs_set_lr(gs_net *n, double lr) {
  if (!n) return gs_fail(GS_EINVAL, "net is NULL");
  if (!(isfinite(lr) && lr > GS_MIN_LR && lr <= GS_MAX_LR))
    return gs_fail(GS_EINVAL, "optimizer.lr must be a number in (0, 10], got %g", lr);
  n->lr = lr;
  return GS_OK;
}

/* ======================================================================
 * Forward and backward
 * ====================================================================== */

/* After a finite training-mode forward: move every BN layer's running statistics. */
static void commit_running_stats(gs_net *n) {
  for (int l = 0; l < n->L; l++) if (n->layer[l].bn) bn_commit_running(&n->layer[l]);
}

/* z = a_prev·Wᵀ + b → [BN] → a = φ(u), layer by layer. Input rows ≤ batch. */
int net_forward(gs_net *n, const float *x, int rows, int mode) {
  const int training = mode != FORWARD_EVAL;
  const float *in = x;
  for (int l = 0; l < n->L; l++) {
    gs_layer *ly = &n->layer[l];
    const float *W = layer_param(n, l, GS_P_W), *b = layer_param(n, l, GS_P_B);
    gemm_xwt(ly->u, in, W, b, rows, ly->in, ly->out, n->work);
    if (ly->bn) {
      const float *gamma = layer_param(n, l, GS_P_GAMMA), *beta = layer_param(n, l, GS_P_BETA);
      if (training) bn_forward_train(n, ly, ly->u, gamma, beta, rows);
      else bn_forward_eval(ly, ly->u, gamma, beta, rows);
    }
    if (ly->act != GS_ACT_LINEAR) {
      const float *slope = layer_param(n, l, GS_P_SLOPE);
      act_forward(ly->a, ly->u, (size_t)rows * ly->out, ly->act, slope ? *slope : ly->slope_init);
    }
    if (mode == FORWARD_TRAIN_STATS) stats_forward_layer(n, l, rows);
    in = ly->a;
  }
  n->rows = rows;
  return GS_OK;
}

static double norm2(const float *v, size_t count) { return sqrt(reduce_sumsq(v, count)); }

/* sums[j] += Σ_r m[r][j] for m[rows][O], in float, row after row (the SIMD
 * body adds the same values in the same order as the scalar twin). */
static void add_column_sums(float *sums, const float *m, int rows, int O) {
  for (int r = 0; r < rows; r++) {
    const float *row = m + (size_t)r * O;
    int j = 0;
#ifdef __wasm_simd128__
    for (; j + 4 <= O; j += 4) wasm_v128_store(sums + j, wasm_f32x4_add(wasm_v128_load(sums + j), wasm_v128_load(row + j)));
#endif
    for (; j < O; j++) sums[j] += row[j];
  }
}

/* Training-mode forward, loss, and backward: ∂L/∂(every parameter), each
 * layer's written afresh (∂L/∂W by gemm_dytx, which overwrites; the small
 * sums zeroed just before). Labels / targets are already in place. */
int net_backward(gs_net *n, const float *x, int rows, int want_input_grad) {
  net_forward(n, x, rows, FORWARD_TRAIN_STATS);
  gs_layer *top = &n->layer[n->L - 1];
  int correct = 0;
  float *cur = n->dA0, *other = n->dA1;
  n->gstats[GS_G_LOSS] = loss_forward_backward(cur, top->a, n->labels, n->targets, rows, top->out, n->loss, &correct);
  n->gstats[GS_G_ACCURACY] = (double)correct / rows;
  for (int l = n->L - 1; l >= 0; l--) {
    gs_layer *ly = &n->layer[l];
    const size_t count = (size_t)rows * ly->out;
    double *s = n->lstats + (size_t)l * GS_S_COUNT;
    const float *slope = layer_param(n, l, GS_P_SLOPE);
    const float slope_v = slope ? *slope : ly->slope_init;
    float *bias_grad = layer_grad(n, l, GS_P_B);
    /* The layer's small gradients (b, then γ, β, slope) are sums: zero them.
     * ∂L/∂W needs no zeroing: gemm_dytx overwrites it. */
    memset(bias_grad, 0, (ly->off_end - ly->off[GS_P_B]) * sizeof(float));
    /* cur = ∂L/∂a_l on entry (∂L/∂z for the output layer); delta becomes
     * δ_l = ∂L/∂z_l, in place over cur, or in `other` when the pass is fused */
    float *delta = cur;
    if (!ly->bn && act_backward_fuses(ly->act)) {
      s[GS_S_DELTA_NORM] = sqrt(act_backward_fused(other, cur, ly->u, ly->a, rows, ly->out, ly->act, slope_v, bias_grad));
      delta = other;
    } else {
      s[GS_S_DELTA_NORM] = norm2(cur, count);
      if (ly->act != GS_ACT_LINEAR) {
        double dslope = act_backward(cur, cur, ly->u, ly->a, count, ly->act, slope_v);
        if (slope) *layer_grad(n, l, GS_P_SLOPE) += (float)dslope;
      }
      if (ly->bn)   /* in place: dz[k] depends only on du[k] and per-unit sums */
        bn_backward(n, ly, cur, cur, layer_param(n, l, GS_P_GAMMA),
                    layer_grad(n, l, GS_P_GAMMA), layer_grad(n, l, GS_P_BETA), rows);
      add_column_sums(bias_grad, cur, rows, ly->out);   /* ∂L/∂b = Σ_rows δ */
    }
    const float *in = l > 0 ? n->layer[l - 1].a : x;
    gemm_dytx(layer_grad(n, l, GS_P_W), delta, in, rows, ly->out, ly->in, n->work);
    stats_backward_layer(n, l);   /* the layer's gradients are complete (and hot) */
    float *spare = delta == cur ? other : cur;   /* the buffer δ is not in */
    if (l > 0) {
      gemm_dyw(spare, delta, layer_param(n, l, GS_P_W), rows, ly->out, ly->in, n->work);
      cur = spare; other = delta;   /* ∂L/∂a_{l−1}, and the free buffer */
    } else if (want_input_grad) {
      gemm_dyw(n->input_grad, delta, layer_param(n, l, GS_P_W), rows, ly->out, ly->in, n->work);
    }
  }
  stats_find_nonfinite(n);
  n->have_grads = 1;
  if (n->gstats[GS_G_NON_FINITE_LAYER] >= 0) return GS_ENONFINITE;
  commit_running_stats(n);   /* only a finite step moves them */
  return GS_OK;
}

/* ---- the public batch API: checks, then the internals ------------------- */

static int check_rows(const gs_net *n, int rows) {
  if (!n) return gs_fail(GS_EINVAL, "net is NULL");
  if (rows < 1 || rows > n->batch) return gs_fail(GS_EINVAL, "rows must be an integer in 1..%d (batchSize), got %d", n->batch, rows);
  for (size_t k = 0; k < (size_t)rows * n->inputs; k++)
    if (!isfinite(n->x[k])) return gs_fail(GS_EINVAL, "X[%d][%d] must be a finite number", (int)(k / n->inputs), (int)(k % n->inputs));
  return GS_OK;
}

static int check_targets(const gs_net *n, int rows) {
  if (n->loss == GS_LOSS_CROSS_ENTROPY) {
    for (int r = 0; r < rows; r++)
      if (n->labels[r] < 0 || n->labels[r] >= n->outputs)
        return gs_fail(GS_EINVAL, "y[%d] must be an integer in 0..%d, got %d", r, n->outputs - 1, n->labels[r]);
  } else {
    for (size_t k = 0; k < (size_t)rows * n->outputs; k++)
      if (!isfinite(n->targets[k])) return gs_fail(GS_EINVAL, "y[%d][%d] must be a finite number", (int)(k / n->outputs), (int)(k % n->outputs));
  }
  return GS_OK;
}

GS_API int gs_forward(gs_net *n, int rows, int training) {
  int rc = check_rows(n, rows);
  if (rc) return rc;
  net_forward(n, n->x, rows, training ? FORWARD_TRAIN : FORWARD_EVAL);
  if (training) commit_running_stats(n);   /* torch's train mode; skipped for non-finite batch stats */
  return GS_OK;
}

GS_API int gs_backward(gs_net *n, int rows, int want_input_grad) {
  int rc = check_rows(n, rows);
  if (!rc) rc = check_targets(n, rows);
  if (rc) return rc;
  return net_backward(n, n->x, rows, want_input_grad);
}

/* clip → optimiser, after a finite backward */
static int apply_step(gs_net *n, int fresh_sums) {
  clip_gradients(n, fresh_sums);
  optimizer_step(n);
  n->have_grads = 0;
  n->gstats[GS_G_STEP] = (double)n->step_count;
  return GS_OK;
}

GS_API int gs_step(gs_net *n) {
  if (!n) return gs_fail(GS_EINVAL, "net is NULL");
  if (!n->have_grads) return gs_fail(GS_EINVAL, "step() needs gradients: call backward() first");
  if (n->gstats[GS_G_NON_FINITE_LAYER] >= 0)
    return gs_fail(GS_ENONFINITE, "step() refused: the gradients hold NaN/Inf (layer %d)", (int)n->gstats[GS_G_NON_FINITE_LAYER]);
  return apply_step(n, 0);   /* JS may have written the gradients since backward */
}

GS_API int gs_train_step(gs_net *n, int rows) {
  int rc = gs_backward(n, rows, 0);
  if (rc) return rc;
  return apply_step(n, 1);
}

/* ======================================================================
 * Multi-step runs over a dataset, and evaluation
 * ====================================================================== */

static int check_data(const gs_net *n, const gs_data *d) {
  if (!n) return gs_fail(GS_EINVAL, "net is NULL");
  if (!d) return gs_fail(GS_EINVAL, "dataset is NULL");
  if (data_features(d) != n->inputs)
    return gs_fail(GS_EINVAL, "inputs must equal the dataset's features (%d), got %d", data_features(d), n->inputs);
  if (data_classes(d) != n->outputs)
    return gs_fail(GS_EINVAL, "outputs must equal the dataset's classes (%d), got %d", data_classes(d), n->outputs);
  return GS_OK;
}

/* Copies rows idx[0..rows) of the dataset into the input block, with their
 * labels (cross-entropy) or one-hot targets (mse). */
static void gather(gs_net *n, const gs_data *d, const int32_t *idx, int rows) {
  const int I = n->inputs, O = n->outputs;
  for (int r = 0; r < rows; r++) {
    memcpy(n->x + (size_t)r * I, data_row(d, idx[r]), (size_t)I * sizeof(float));
    int32_t y = data_label(d, idx[r]);
    n->labels[r] = y;
    if (n->loss == GS_LOSS_MSE)
      for (int k = 0; k < O; k++) n->targets[(size_t)r * O + k] = k == y ? 1.0f : 0.0f;
  }
}

GS_API int gs_train_steps(gs_net *n, gs_data *d, int k) {
  int rc = check_data(n, d);
  if (rc) return rc;
  if (k < GS_MIN_STEPS_PER_CALL || k > GS_MAX_STEPS_PER_CALL)
    return gs_fail(GS_EINVAL, "steps must be an integer in %d..%d, got %d", GS_MIN_STEPS_PER_CALL, GS_MAX_STEPS_PER_CALL, k);
  int32_t *idx = (int32_t *)n->dA1;   /* free until backward starts; gather copies out first */
  const size_t rec = RECORD_DOUBLES(n);
  for (int s = 0; s < k; s++) {
    int rows = data_next_batch(d, idx, n->batch);
    gather(n, d, idx, rows);
    int bad = net_backward(n, n->x, rows, 0) != GS_OK;
    if (!bad) apply_step(n, 1);
    else n->gstats[GS_G_STEP] = (double)n->step_count;
    double *r = n->ring + (size_t)s * rec;
    memcpy(r, n->gstats, sizeof n->gstats);
    memcpy(r + GS_G_COUNT, n->lstats, (size_t)n->L * GS_S_COUNT * sizeof(double));
    if (bad) return s + 1;
  }
  return k;
}

GS_API int gs_evaluate(gs_net *n, gs_data *d, int split, double *out) {
  int rc = check_data(n, d);
  if (rc) return rc;
  if (split != 0 && split != 1) return gs_fail(GS_EINVAL, "split must be 0 (train) or 1 (test), got %d", split);
  if (!out) return gs_fail(GS_EINVAL, "out is NULL");
  int count;
  const int32_t *rows_of = data_split_rows(d, split, &count);
  double loss = 0.0; long right = 0;
  for (int at = 0; at < count; at += n->batch) {
    int rows = count - at < n->batch ? count - at : n->batch;
    gather(n, d, rows_of + at, rows);
    net_forward(n, n->x, rows, FORWARD_EVAL);
    int correct = 0;
    gs_layer *top = &n->layer[n->L - 1];
    loss += rows * loss_forward_backward(n->dA0, top->a, n->labels, n->targets, rows, top->out, n->loss, &correct);
    right += correct;
  }
  out[0] = count ? loss / count : 0.0;
  out[1] = count ? (double)right / count : 0.0;
  return count;
}
