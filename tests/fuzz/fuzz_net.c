/* fuzz_net.c — libFuzzer target: arbitrary bytes become a net config, a
 * dataset and a schedule of calls (create → train steps → stats → evaluate →
 * param access → destroy). Built with -fsanitize=fuzzer,address,undefined by
 * `./build.sh fuzz`; run briefly in CI from the committed seed corpus
 * (tests/fuzz/corpus/). Any crash, leak, overflow or UB is a finding; each
 * one found becomes a regression input in the corpus.
 *
 * Each config field takes one byte, mapped through a table of interesting
 * values (0, ±1, limits, limits ± 1, NaN, ±Inf, huge, tiny) so the fuzzer
 * reaches both valid nets and every validation branch quickly. */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "../../csrc/gradscope.h"

static const double VALUES[32] = {
  0, 1, 2, 3, 4, 5, 7, 8, 16, 0.5, 0.1, 0.01, 1e-6, 0.9, 0.999, -1,
  -0.5, 64, 100, 101, 1024, 1025, 4294967295.0, 4294967296.0, 1e9, 1e300, NAN, INFINITY, -INFINITY, 10, 0.25, 6,
};

typedef struct { const uint8_t *p; size_t n; } reader;
static uint8_t byte(reader *r) { if (!r->n) return 0; r->n--; return *r->p++; }
static double val(reader *r) { return VALUES[byte(r) & 31]; }
static int small(reader *r, int mod) { return byte(r) % mod; }
/* A valid but large count (65…1024 units, inputs, outputs or rows) becomes
 * 64: a net of 1024-unit layers is valid, and tested elsewhere, but under the
 * sanitizers initialising it twice took 36 s — a fuzzer timeout, not a
 * finding. Invalid counts (0, 1025, 2³², NaN, …) pass through unchanged, so
 * every validation branch is still reached. */
static double tame(double v) { return v > 64 && v <= 1024 && v == floor(v) ? 64 : v; }
/* C's double → int cast is undefined out of range: saturate first. */
static int to_int(double v) { return isnan(v) ? 0 : v > 1e9 ? 1000000000 : v < -1e9 ? -1000000000 : (int)v; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  reader r = { data, size };
  double cfg[GS_CFG_HEADER + 8 * GS_LAYER_FIELDS];
  int depth = 1 + small(&r, 8);                 /* keep nets small so the fuzzer stays fast */
  for (int i = 0; i < GS_CFG_HEADER; i++) cfg[i] = val(&r);
  /* mostly-valid structural fields, with a chance of the raw value instead */
  if (byte(&r) & 1) {
    cfg[GS_CFG_DEPTH] = depth; cfg[GS_CFG_INPUTS] = 1 + small(&r, 6); cfg[GS_CFG_OUTPUTS] = 1 + small(&r, 5);
    cfg[GS_CFG_BATCH] = 1 + small(&r, 9); cfg[GS_CFG_LOSS] = small(&r, 2); cfg[GS_CFG_INIT] = small(&r, GS_INIT_COUNT);
    cfg[GS_CFG_OPT] = small(&r, 2); cfg[GS_CFG_CLIP] = small(&r, GS_CLIP_COUNT);
  }
  cfg[GS_CFG_INPUTS] = tame(cfg[GS_CFG_INPUTS]); cfg[GS_CFG_OUTPUTS] = tame(cfg[GS_CFG_OUTPUTS]);
  cfg[GS_CFG_BATCH] = tame(cfg[GS_CFG_BATCH]);
  int nd = cfg[GS_CFG_DEPTH] >= 1 && cfg[GS_CFG_DEPTH] <= 8 && cfg[GS_CFG_DEPTH] == floor(cfg[GS_CFG_DEPTH]) ? (int)cfg[GS_CFG_DEPTH] : depth;
  for (int l = 0; l < nd; l++) {
    double *rec = cfg + GS_CFG_HEADER + l * GS_LAYER_FIELDS;
    rec[GS_LAYER_UNITS] = (byte(&r) & 1) ? 1 + small(&r, 9) : tame(val(&r));
    rec[GS_LAYER_ACT] = (byte(&r) & 1) ? small(&r, GS_ACT_COUNT) : val(&r);
    rec[GS_LAYER_SLOPE] = val(&r);
    rec[GS_LAYER_BATCHNORM] = (byte(&r) & 1) ? small(&r, 2) : val(&r);
  }
  int ncfg = GS_CFG_HEADER + nd * GS_LAYER_FIELDS;
  if (byte(&r) == 255) ncfg--;   /* sometimes a wrong length */
  gs_net *net = gs_create(cfg, ncfg);

  /* a dataset: generated, or arrays with raw float bits (NaN/Inf possible) */
  gs_data *d = NULL;
  if (byte(&r) & 1) {
    d = gs_data_generate(small(&r, GS_DATA_COUNT + 1) - 1 + (byte(&r) & 1), 1 + small(&r, 64), val(&r),
                         to_int(val(&r)), val(&r), byte(&r));
  } else {
    int rows = 1 + small(&r, 32), features = 1 + small(&r, 6), classes = 1 + small(&r, 5);
    d = gs_data_alloc(rows, features, classes);
    if (d) {
      for (int k = 0; k < rows * features; k++) {
        uint32_t bits = (uint32_t)byte(&r) | ((uint32_t)byte(&r) << 24);
        float f; memcpy(&f, &bits, 4);
        gs_data_x(d)[k] = (byte(&r) & 1) ? f : (float)(small(&r, 21) - 10) / 4.0f;
      }
      for (int k = 0; k < rows; k++) gs_data_y(d)[k] = small(&r, classes + 1) - (byte(&r) == 7);
      if (gs_data_split(d, val(&r), byte(&r)) != GS_OK) { gs_data_destroy(d); d = NULL; }
    }
  }

  if (net) {
    int L = gs_layer_count(net);
    gs_set_lr(net, val(&r));
    for (int round = 0; round < 3 && r.n; round++) {
      switch (small(&r, 5)) {
      case 0: if (d) gs_train_steps(net, d, 1 + small(&r, 4)); break;
      case 1: {   /* the one-batch API with fuzzed inputs */
        int rows = small(&r, 10);
        float *x = gs_input(net);
        for (int k = 0; k < rows * (int)cfg[GS_CFG_INPUTS] && k < 1024 * 10; k++) x[k] = (float)val(&r);
        int32_t *y = gs_labels(net);
        float *t = gs_targets(net);
        for (int k = 0; k < rows && k < (int)cfg[GS_CFG_BATCH]; k++) y[k] = small(&r, 7) - 1;
        for (int k = 0; k < rows * (int)cfg[GS_CFG_OUTPUTS] && k < 1024 * 10; k++) t[k] = (float)val(&r);
        if (gs_backward(net, rows, byte(&r) & 1) == GS_OK) gs_step(net);
        break;
      }
      case 2: { double out[2]; if (d) gs_evaluate(net, d, small(&r, 3) - 1, out); break; }
      case 3: {
        int l = small(&r, L + 2) - 1, kind = small(&r, GS_P_COUNT + 2) - 1;
        float *p = gs_param(net, l, kind);
        int len = gs_param_len(net, l, kind);
        if (p) for (int k = 0; k < len; k++) p[k] = (float)val(&r);
        break;
      }
      case 4: gs_forward(net, small(&r, 10), byte(&r) & 1); break;
      }
    }
    double *ls = gs_layer_stats(net);
    volatile double sink = ls[0] + gs_global_stats(net)[0];
    (void)sink;
    gs_reinit(net, byte(&r));
  }
  double th[3];
  gs_theory(small(&r, GS_ACT_COUNT + 2) - 1, val(&r), val(&r), val(&r), th);
  gs_data_destroy(d);
  gs_destroy(net);
  return 0;
}
