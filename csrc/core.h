/* core.h — the private shapes of the core: the net struct, the layer record,
 * and the functions each .c file exports to the others. Not part of the API.
 *
 * One net = one arena (a single malloc made by gs_create) cut into named
 * blocks, each laid out layer-major so that "layer l" is one slice:
 *   params  W_l, b_l, [γ_l, β_l], [slope_l]   for l = 0..L-1, contiguous
 *   grads   the same layout as params (one zero-grad clears it in one memset)
 *   moment1, moment2   optimiser state, same layout (only what the optimiser needs)
 *   buffers BN running mean / var (not parameters: untouched by clipping and the optimiser)
 *   caches  per layer u (input of φ), a (output), x̂ and BN batch stats
 *   scratch dA ping-pong, dZ, packed panels for the kernels, stats
 */
#ifndef GS_CORE_H
#define GS_CORE_H

#include "gradscope.h"
#include "gemm.h"

/* ---- rng.c: PCG32 with explicit state (no globals, so nets never share draws) */
typedef struct { uint64_t state, inc; } gs_rng;
void rng_seed(gs_rng *r, uint64_t seed, uint64_t stream);
uint32_t rng_u32(gs_rng *r);
double rng_uniform(gs_rng *r);             /* [0, 1) with 53 random bits */
double rng_normal(gs_rng *r);              /* N(0, 1), Box–Muller, no cached pair */
uint32_t rng_below(gs_rng *r, uint32_t n); /* uniform integer in [0, n), unbiased */

/* RNG streams: each consumer has its own, so changing one setting (say the
 * bias init) never changes another's draws (the weights). */
enum { STREAM_WEIGHTS = 1000, STREAM_BIASES = 3000, STREAM_DATA = 7, STREAM_SPLIT = 8, STREAM_SAMPLER = 9 };

/* ---- error.c ------------------------------------------------------------ */
/* printf-like, for the conversions the core uses only: %d %s %g %.Nf %% (error.c) */
int gs_fail(int code, const char *fmt, ...);   /* records the message, returns code */
void gs_format(char *buf, size_t cap, const char *fmt, ...);

/* ---- one layer ---------------------------------------------------------- */
typedef struct {
  int in, out;          /* I, O */
  int act;              /* GS_ACT_* (linear for the output layer) */
  int bn;               /* batch norm between dense and activation */
  float slope_init;     /* leaky / PReLU negative slope at init */
  size_t off[GS_P_SLOPE + 1];   /* offsets of W, b, γ, β, slope in the params block (SIZE_MAX = absent) */
  size_t off_end;       /* one past this layer's last parameter */
  float *u, *a;         /* caches B×O: input of φ (after BN) and its output */
  float *xhat;          /* B×O, BN only */
  float *bn_mean, *bn_invstd;   /* O, BN only: batch statistics of the last train forward */
  float *running_mean, *running_var;   /* O, BN only (buffers block) */
  double *pending_mean, *pending_var;  /* O, BN only: this batch's μ and unbiased σ², committed to the
                                          running statistics only once the step is known to be finite */
} gs_layer;

struct gs_net {
  /* config */
  int L, depth, inputs, outputs, batch, loss, init, opt, clip, nesterov;
  uint32_t seed;
  double init_scale, bias_const, bias_std;
  double lr, momentum, weight_decay, beta1, beta2, eps, clip_max;
  gs_layer layer[GS_MAX_DEPTH + 1];

  /* blocks */
  void *arena; size_t arena_bytes;
  size_t nparams;
  float *params, *grads, *moment1, *moment2;
  float *x, *targets, *input_grad, *dA0, *dA1, *dZ, *work;
  int32_t *labels;
  double *col_sum, *col_sum2;   /* per-unit double accumulators (BN, stats) */
  double *ortho;                /* orthogonal-init scratch (NULL unless needed) */
  double *ring;                 /* GS_MAX_STEPS_PER_CALL records of G + L×P */
  double gstats[GS_G_COUNT];
  double *lstats;               /* L×P of the latest step */
  int32_t *alive;               /* O counts: on how many rows does this unit pass gradient? (stats.c) */
  double grad_sq[GS_MAX_DEPTH + 1];   /* per layer Σg² over all its gradients, from the latest backward */
  int act_finite[GS_MAX_DEPTH + 1];   /* per layer: were its activations finite in the latest training forward? */

  /* state */
  int rows;           /* rows of the last forward */
  int have_grads;     /* backward ran since the last step */
  int momentum_started;
  long step_count;    /* optimiser steps taken (Adam's t) */
};

#define ABSENT ((size_t)-1)

static inline float *layer_param(gs_net *n, int l, int kind) {
  size_t o = n->layer[l].off[kind];
  return o == ABSENT ? NULL : n->params + o;
}
static inline float *layer_grad(gs_net *n, int l, int kind) {
  size_t o = n->layer[l].off[kind];
  return o == ABSENT ? NULL : n->grads + o;
}
static inline size_t layer_begin(const gs_net *n, int l) { return n->layer[l].off[GS_P_W]; }

/* ---- activation.c -------------------------------------------------------- */
void act_forward(float *a, const float *u, size_t count, int act, float slope);
/* du = da ⊙ φ′(u); returns Σ da·∂a/∂slope (PReLU's slope gradient), else 0. */
double act_backward(float *du, const float *da, const float *u, const float *a,
                    size_t count, int act, float slope);
double act_derivative(float u, float a, int act, float slope);   /* φ′ at one point */
/* The backward pass's three uses of ∂L/∂a in one pass, for the activations
 * act_backward_fuses (sigmoid, tanh, relu, leaky; not before batch norm, whose
 * bias sums come after bn_backward): writes delta = da ⊙ φ′ (delta ≠ da),
 * adds Σ_rows delta into bias_grad, and returns Σ da² (‖∂L/∂a‖², in double). */
int act_backward_fuses(int act);
double act_backward_fused(float *delta, const float *da, const float *u, const float *a,
                          int rows, int O, int act, float slope, float *bias_grad);
void act_derivative_array(float *d, const float *u, const float *a, size_t count, int act, float slope);

/* ---- reduce.c: sums of float arrays accumulated in double ------------------
 * (float32 squares overflow for exploding nets and underflow for vanishing ones) */
double reduce_sumsq(const float *v, size_t count);
void reduce_sum_sumsq(const float *v, size_t count, double *sum, double *sumsq);

/* ---- batchnorm.c ---------------------------------------------------------- */
void bn_forward_train(gs_net *n, gs_layer *ly, float *u, const float *gamma, const float *beta, int B);
int bn_commit_running(gs_layer *ly);   /* returns 0 (and changes nothing) if the batch stats are not finite */
void bn_forward_eval(gs_layer *ly, float *u, const float *gamma, const float *beta, int B);
void bn_backward(gs_net *n, gs_layer *ly, float *dz, const float *du, const float *gamma,
                 float *dgamma, float *dbeta, int B);

/* ---- loss.c --------------------------------------------------------------- */
/* Writes dL/dz into dz (B×O); returns the loss; *correct = rows classified right. */
double loss_forward_backward(float *dz, const float *z, const int32_t *labels, const float *targets,
                             int B, int O, int kind, int *correct);

/* ---- init.c --------------------------------------------------------------- */
void init_layer(gs_net *n, int l);

/* ---- optim.c -------------------------------------------------------------- */
/* Fills gstats[GS_G_GRAD_NORM/CLIP_SCALE] and per-layer clipScale. fresh_sums: the
 * gradients are unchanged since the backward pass, so its n->grad_sq is reused. */
void clip_gradients(gs_net *n, int fresh_sums);
void optimizer_step(gs_net *n);     /* fills per-layer updateRatio */

/* ---- stats.c -------------------------------------------------------------- */
/* Per-layer statistics, each taken in the pass that just touched its data. */
void stats_forward_layer(gs_net *n, int l, int rows);   /* ‖W‖, slope, activation stats */
void stats_backward_layer(gs_net *n, int l);           /* gradient norms, Σg² */
void stats_find_nonfinite(gs_net *n);                  /* the first non-finite layer and phase */

/* ---- net.c ---------------------------------------------------------------- */
/* mode: FORWARD_EVAL, FORWARD_TRAIN (BN batch statistics), or
 * FORWARD_TRAIN_STATS (that, plus the per-layer statistics of a backward pass) */
enum { FORWARD_EVAL, FORWARD_TRAIN, FORWARD_TRAIN_STATS };
int net_forward(gs_net *n, const float *x, int rows, int mode);
int net_backward(gs_net *n, const float *x, int rows, int want_input_grad);

#endif
