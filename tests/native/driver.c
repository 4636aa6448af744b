/* driver.c — native exerciser for the C core, built with AddressSanitizer +
 * UndefinedBehaviorSanitizer by `./build.sh native` and run by `npm run test:native`.
 *
 * It walks every activation × initialiser × optimiser × clipping mode × batch
 * norm switch, every dataset, and the degenerate cases (batch 1 with batch
 * norm, width 1, depth 100, zero-variance features, all-equal labels,
 * exploding and vanishing nets, invalid configs). The sanitizers turn any
 * out-of-bounds access, use-after-free, leak, signed overflow or misaligned
 * load into a failure; the driver itself checks that invalid input is refused
 * with a message and that finite configs stay finite. Exit code 0 = clean. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "../../csrc/gradscope.h"

static int failures = 0;
#define CHECK(cond, ...) do { if (!(cond)) { failures++; fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); fprintf(stderr, __VA_ARGS__); fprintf(stderr, "\n"); } } while (0)

typedef struct { int inputs, outputs, batch, seed, loss, init; double scale, bias_std; int opt; double lr, mom; int nest; double wd; int clip; double clip_max; int depth, units, act, bn; double slope; } spec;

static int make_cfg(double *c, const spec *s) {
  memset(c, 0, sizeof(double) * GS_CFG_HEADER);
  c[GS_CFG_INPUTS] = s->inputs; c[GS_CFG_OUTPUTS] = s->outputs; c[GS_CFG_BATCH] = s->batch; c[GS_CFG_SEED] = s->seed;
  c[GS_CFG_LOSS] = s->loss; c[GS_CFG_INIT] = s->init; c[GS_CFG_INIT_SCALE] = s->scale; c[GS_CFG_BIAS_STD] = s->bias_std;
  c[GS_CFG_OPT] = s->opt; c[GS_CFG_LR] = s->lr; c[GS_CFG_MOMENTUM] = s->mom; c[GS_CFG_NESTEROV] = s->nest;
  c[GS_CFG_WEIGHT_DECAY] = s->wd; c[GS_CFG_BETA1] = 0.9; c[GS_CFG_BETA2] = 0.999; c[GS_CFG_EPS] = 1e-8;
  c[GS_CFG_CLIP] = s->clip; c[GS_CFG_CLIP_MAX] = s->clip_max; c[GS_CFG_DEPTH] = s->depth;
  for (int l = 0; l < s->depth; l++) {
    double *r = c + GS_CFG_HEADER + l * GS_LAYER_FIELDS;
    r[GS_LAYER_UNITS] = s->units; r[GS_LAYER_ACT] = s->act;
    r[GS_LAYER_SLOPE] = s->slope; r[GS_LAYER_BATCHNORM] = s->bn;
  }
  return GS_CFG_HEADER + s->depth * GS_LAYER_FIELDS;
}

static double cfgbuf[GS_CFG_HEADER + GS_MAX_DEPTH * GS_LAYER_FIELDS];

/* Train k steps on d; returns the steps run. Checks the stats are finite when expected. */
static int train(gs_net *n, gs_data *d, int k, int expect_finite, const char *what) {
  int steps = gs_train_steps(n, d, k);
  CHECK(steps > 0, "%s: gs_train_steps failed: %s", what, gs_last_error());
  double *g = gs_global_stats(n);
  if (expect_finite) {
    CHECK(g[GS_G_NON_FINITE_LAYER] < 0, "%s: non-finite at layer %g phase %g", what, g[GS_G_NON_FINITE_LAYER], g[GS_G_NON_FINITE_PHASE]);
    CHECK(isfinite(g[GS_G_LOSS]), "%s: loss %g", what, g[GS_G_LOSS]);
  }
  double out[2];
  int rc = gs_evaluate(n, d, 0, out);
  CHECK(rc >= 0, "%s: evaluate failed: %s", what, gs_last_error());
  return steps;
}

static void sweep(void) {
  gs_data *spiral = gs_data_generate(GS_DATA_SPIRAL, 200, 0.1, 3, 0.8, 1);
  CHECK(spiral != NULL, "spiral: %s", gs_last_error());
  for (int act = 0; act < GS_ACT_COUNT; act++)
    for (int init = 0; init < GS_INIT_COUNT; init++)
      for (int bn = 0; bn <= 1; bn++) {
        int opt = (act + init) % 2, clip = (act + init + bn) % GS_CLIP_COUNT;
        spec s = { 2, 3, 16, act * 31 + init, (act + bn) % 2, init, init == GS_INIT_NORMAL ? 0.5 : 1.0, 0.1,
                   opt, opt ? 0.01 : 0.05, opt ? 0 : 0.9, !opt && init % 2, 1e-4, clip, 1.0, 3, 7, act, bn, 0.1 };
        int nc = make_cfg(cfgbuf, &s);
        gs_net *n = gs_create(cfgbuf, nc);
        CHECK(n != NULL, "create act=%d init=%d bn=%d: %s", act, init, bn, gs_last_error());
        if (!n) continue;
        char what[64]; snprintf(what, sizeof what, "act=%d init=%d bn=%d", act, init, bn);
        train(n, spiral, 20, 1, what);
        for (int l = 0; l < gs_layer_count(n); l++)
          for (int kind = 0; kind < GS_P_COUNT; kind++) {
            int len = gs_param_len(n, l, kind);
            float *p = gs_param(n, l, kind);
            CHECK((len > 0) == (p != NULL), "param pointer/len mismatch l=%d kind=%d", l, kind);
            for (int i = 0; i < len; i++) CHECK(isfinite(p[i]), "%s: param not finite", what);
          }
        gs_destroy(n);
      }
  gs_data_destroy(spiral);
  for (int kind = 0; kind < GS_DATA_ARRAYS; kind++) {
    gs_data *d = gs_data_generate(kind, 101, 0.2, 4, 0.7, kind);
    CHECK(d != NULL, "dataset %d: %s", kind, gs_last_error());
    if (!d) continue;
    spec s = { 2, gs_data_info(d, 2), 8, 3, 0, GS_INIT_HE_NORMAL, 1, 0, 0, 0.1, 0, 0, 0, 0, 0, 2, 5, GS_ACT_RELU, 0, 0 };
    gs_net *n = gs_create(cfgbuf, make_cfg(cfgbuf, &s));
    CHECK(n != NULL, "net for dataset %d: %s", kind, gs_last_error());
    if (n) { train(n, d, 30, 1, "dataset"); gs_destroy(n); }
    gs_data_destroy(d);
  }
}

static void degenerate(void) {
  /* batch 1 with batch norm: zero batch variance, x̂ = 0 */
  gs_data *d = gs_data_generate(GS_DATA_XOR, 40, 0.0, 2, 0.5, 2);
  spec s = { 2, 2, 1, 1, 0, GS_INIT_XAVIER_NORMAL, 1, 0, 0, 0.1, 0, 0, 0, 0, 0, 4, 6, GS_ACT_TANH, 1, 0 };
  gs_net *n = gs_create(cfgbuf, make_cfg(cfgbuf, &s));
  CHECK(n != NULL, "batch1+bn: %s", gs_last_error());
  if (n) { train(n, d, 50, 1, "batch 1 + batch norm"); gs_destroy(n); }
  /* width 1, depth 100 */
  spec w1 = { 2, 2, 8, 1, 0, GS_INIT_HE_NORMAL, 1, 0, 0, 0.01, 0, 0, 0, 1, 1.0, 100, 1, GS_ACT_LEAKY_RELU, 0, 0.1 };
  n = gs_create(cfgbuf, make_cfg(cfgbuf, &w1));
  CHECK(n != NULL, "width 1 depth 100: %s", gs_last_error());
  if (n) { train(n, d, 20, 1, "width 1, depth 100"); gs_destroy(n); }
  /* depth 100 × width 64 with batch norm */
  spec deep = { 2, 2, 16, 1, 0, GS_INIT_XAVIER_NORMAL, 1, 0, 1, 0.001, 0, 0, 0, 2, 0.5, 100, 64, GS_ACT_SIGMOID, 1, 0 };
  n = gs_create(cfgbuf, make_cfg(cfgbuf, &deep));
  CHECK(n != NULL, "depth 100 bn: %s", gs_last_error());
  if (n) { train(n, d, 5, 1, "depth 100 + bn"); gs_destroy(n); }
  gs_data_destroy(d);

  /* zero-variance features and all-equal labels */
  gs_data *flat = gs_data_alloc(30, 3, 2);
  for (int r = 0; r < 30; r++) { for (int j = 0; j < 3; j++) gs_data_x(flat)[r * 3 + j] = 0.5f; gs_data_y(flat)[r] = 1; }
  CHECK(gs_data_split(flat, 0.8, 5) == GS_OK, "split flat: %s", gs_last_error());
  spec fs = { 3, 2, 8, 1, 1, GS_INIT_ORTHOGONAL, 1, 0, 0, 0.1, 0.5, 1, 0, 3, 0.1, 3, 4, GS_ACT_ELU, 1, 0 };
  n = gs_create(cfgbuf, make_cfg(cfgbuf, &fs));
  CHECK(n != NULL, "flat data: %s", gs_last_error());
  if (n) { train(n, flat, 40, 1, "zero-variance features, one label"); gs_destroy(n); }
  gs_data_destroy(flat);

  /* exploding: relu, N(0,10²), lr 10 → stops with a non-finite report, never crashes */
  gs_data *sp = gs_data_generate(GS_DATA_SPIRAL, 100, 0.1, 2, 0.8, 1);
  spec boom = { 2, 2, 16, 1, 0, GS_INIT_NORMAL, 10, 0, 0, 10, 0, 0, 0, 0, 0, 20, 32, GS_ACT_RELU, 0, 0 };
  n = gs_create(cfgbuf, make_cfg(cfgbuf, &boom));
  CHECK(n != NULL, "explode: %s", gs_last_error());
  if (n) {
    int steps = gs_train_steps(n, sp, 50);
    CHECK(steps >= 1 && steps < 50 && gs_global_stats(n)[GS_G_NON_FINITE_LAYER] >= 0,
          "exploding net should stop early with a layer (steps %d)", steps);
    gs_destroy(n);
  }
  /* vanishing: tanh N(0, 0.01²) × 30 layers: tiny but non-zero norms */
  spec vanish = { 2, 2, 16, 1, 0, GS_INIT_NORMAL, 0.01, 0, 0, 0.1, 0, 0, 0, 0, 0, 30, 64, GS_ACT_TANH, 0, 0 };
  n = gs_create(cfgbuf, make_cfg(cfgbuf, &vanish));
  if (n) {
    train(n, sp, 1, 1, "vanishing");
    double g0 = gs_layer_stats(n)[GS_S_GRAD_NORM_W];
    CHECK(g0 > 0 && g0 < 1e-20, "vanishing first-layer ‖dW‖ should be tiny but non-zero, got %g", g0);
    gs_destroy(n);
  }
  gs_data_destroy(sp);
}

static void invalid(void) {
  spec ok = { 2, 2, 8, 1, 0, GS_INIT_HE_NORMAL, 1, 0, 0, 0.1, 0, 0, 0, 0, 0, 3, 5, GS_ACT_RELU, 0, 0 };
  int nc = make_cfg(cfgbuf, &ok);
  struct { int field; double value; const char *needle; } cases[] = {
    { GS_CFG_DEPTH, 0, "depth" }, { GS_CFG_LR, NAN, "optimizer.lr" }, { GS_CFG_LR, 0, "optimizer.lr" },
    { GS_CFG_BATCH, 1e9, "batchSize" }, { GS_CFG_INIT, 99, "init" }, { GS_CFG_CLIP, 1, "clip.max" },
    { GS_CFG_HEADER + GS_LAYER_UNITS, 0, "hidden[0].units" }, { GS_CFG_HEADER + GS_LAYER_ACT, -1, "hidden[0].activation" },
    { GS_CFG_MOMENTUM, 1, "optimizer.momentum" }, { GS_CFG_SEED, -1, "seed" }, { GS_CFG_INPUTS, INFINITY, "inputs" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    double saved = cfgbuf[cases[i].field];
    cfgbuf[cases[i].field] = cases[i].value;
    gs_net *n = gs_create(cfgbuf, nc);
    CHECK(n == NULL, "invalid case %zu accepted", i);
    CHECK(strstr(gs_last_error(), cases[i].needle) != NULL, "message '%s' should name %s", gs_last_error(), cases[i].needle);
    gs_destroy(n);
    cfgbuf[cases[i].field] = saved;
  }
  CHECK(gs_create(cfgbuf, nc - 1) == NULL, "short config accepted");
  CHECK(gs_create(NULL, 0) == NULL, "NULL config accepted");
  /* over budget: refused up front, with the size it needed */
  spec huge = { 1024, 1024, 1024, 1, 0, GS_INIT_ZEROS, 1, 0, 1, 0.1, 0, 0, 0, 0, 0, 100, 1024, GS_ACT_RELU, 0, 0 };
  gs_net *n = gs_create(cfgbuf, make_cfg(cfgbuf, &huge));
  CHECK(n == NULL && strstr(gs_last_error(), "MiB"), "huge net: %s", gs_last_error());
  /* API misuse on a valid net */
  n = gs_create(cfgbuf, make_cfg(cfgbuf, &ok));
  CHECK(gs_step(n) < 0, "step before backward accepted");
  CHECK(gs_forward(n, 0, 0) < 0 && gs_forward(n, 9, 0) < 0, "bad rows accepted");
  gs_labels(n)[0] = 7;
  CHECK(gs_backward(n, 1, 0) < 0 && strstr(gs_last_error(), "y[0]"), "bad label accepted: %s", gs_last_error());
  CHECK(gs_param(n, 99, 0) == NULL && gs_param(n, 0, 99) == NULL, "bad layer/kind accepted");
  CHECK(gs_set_lr(n, 11) < 0 && gs_set_lr(n, 0.5) == GS_OK, "set_lr range");
  gs_data *d = gs_data_generate(GS_DATA_MOONS, 50, 0, 2, 0.8, 1);
  CHECK(gs_train_steps(n, d, 0) < 0 && gs_train_steps(n, d, GS_MAX_STEPS_PER_CALL + 1) < 0, "bad k accepted");
  CHECK(gs_data_generate(99, 10, 0, 2, 0.8, 1) == NULL, "bad dataset kind accepted");
  CHECK(gs_data_generate(GS_DATA_SPIRAL, 10, 5, 2, 0.8, 1) == NULL, "bad noise accepted");
  gs_data_destroy(d);
  gs_destroy(n);
}

int main(void) {
  sweep();
  degenerate();
  invalid();
  printf("%d passed, %d failed\n", failures ? 0 : 1, failures ? 1 : 0);
  if (failures) fprintf(stderr, "%d checks failed\n", failures);
  return failures ? 1 : 0;
}
