/* gradscope.h — the C training core's public API (the table of contents).
 *
 * Owns: deep fully-connected nets (dense → [batch norm] → activation, repeated,
 * then a linear output layer), their losses, initialisers, optimisers,
 * gradient clipping, datasets and per-layer statistics, for one thread.
 * Does not own: parsing configs from text, file I/O, threads, printing. Those
 * live in JS (web/). Nothing here calls exit() or abort(): in WebAssembly that
 * would kill the page. Every function validates its arguments and returns a
 * status (or NULL); gs_last_error() then says which field was wrong and what
 * range is allowed.
 *
 * Size glossary: B batch rows, I inputs of a layer, O outputs (units) of a
 * layer, L layers (hidden layers + the output layer), G global stats,
 * P per-layer stats. Matrices are row-major float32; W is [O][I].
 *
 * Memory: all of a net's memory is allocated by gs_create and nothing is
 * allocated by a step, so JS views into the wasm heap stay valid while training.
 */
#ifndef GRADSCOPE_H
#define GRADSCOPE_H

#include <stddef.h>
#include <stdint.h>
#include "generated/limits.h"

#ifdef __wasm__
#define GS_API __attribute__((used, visibility("default")))
#else
#define GS_API
/* ---- mean-field theory (theory.c) --------------------------------------
 * For weights N(0, sw2/fan_in) and biases N(0, sb2): out[0] = q*, out[1] = χ₁,
 * out[2] = ξ = −1/ln χ₁. */
GS_API int gs_theory(int act, double slope, double sw2, double sb2, double *out);
GS_API double gs_theory_critical_sw2(int act, double slope, double sb2);

#endif

/* ---- status codes ------------------------------------------------------ */
enum {
  GS_OK = 0,
  GS_EINVAL = -1,     /* an argument or config field is out of range */
  GS_ENOMEM = -2,     /* over the heap budget, or malloc failed */
  GS_ENONFINITE = -3, /* a NaN/Inf appeared; see the step's nonFinite stats */
};

/* ---- configuration ------------------------------------------------------
 * A net is described by a flat array of doubles: GS_CFG_HEADER fields, then
 * depth records of GS_LAYER_FIELDS. A flat array crosses the wasm boundary in
 * one copy, is easy to fuzz, and has no struct-layout pitfalls. */
enum {
  GS_CFG_INPUTS, GS_CFG_OUTPUTS, GS_CFG_BATCH, GS_CFG_SEED, GS_CFG_LOSS,
  GS_CFG_INIT,        /* GS_INIT_* for every layer's W (output layer included) */
  GS_CFG_INIT_SCALE,  /* normal: std; uniform: limit; orthogonal/xavier: gain; else unused */
  GS_CFG_BIAS_CONST,  /* every bias starts at this constant ... */
  GS_CFG_BIAS_STD,    /* ... plus N(0, std²) noise when std > 0 (Nielsen's N(0,1) biases) */
  GS_CFG_OPT, GS_CFG_LR, GS_CFG_MOMENTUM, GS_CFG_NESTEROV, GS_CFG_WEIGHT_DECAY,
  GS_CFG_BETA1, GS_CFG_BETA2, GS_CFG_EPS,
  GS_CFG_CLIP, GS_CFG_CLIP_MAX,
  GS_CFG_DEPTH,       /* number of hidden layers; GS_LAYER_FIELDS records follow */
  GS_CFG_HEADER
};
enum { GS_LAYER_UNITS, GS_LAYER_ACT, GS_LAYER_SLOPE, GS_LAYER_BATCHNORM, GS_LAYER_FIELDS };

/* Parameter / gradient / buffer kinds of one layer. */
enum { GS_P_W, GS_P_B, GS_P_GAMMA, GS_P_BETA, GS_P_SLOPE, GS_P_RUNNING_MEAN, GS_P_RUNNING_VAR, GS_P_COUNT };

typedef struct gs_net gs_net;
typedef struct gs_data gs_data;

/* ---- lifecycle ---------------------------------------------------------- */
GS_API gs_net *gs_create(const double *cfg, int ncfg);
GS_API void gs_destroy(gs_net *net);
GS_API const char *gs_last_error(void);
GS_API int gs_layer_count(const gs_net *net);
GS_API size_t gs_net_bytes(const gs_net *net);

/* ---- parameters, gradients, caches (pointers into the net's blocks) ----- */
GS_API float *gs_param(gs_net *net, int layer, int kind);   /* NULL if the layer has none */
GS_API float *gs_grad(gs_net *net, int layer, int kind);
GS_API int gs_param_len(const gs_net *net, int layer, int kind);
GS_API int gs_reinit(gs_net *net, int seed);               /* fresh draws, moments cleared */

/* ---- one batch at a time: the caller fills the input block ------------- */
GS_API float *gs_input(gs_net *net);        /* B×I_0 floats */
GS_API int32_t *gs_labels(gs_net *net);     /* B ints (cross-entropy) */
GS_API float *gs_targets(gs_net *net);      /* B×O_out floats (mse) */
GS_API float *gs_output(gs_net *net);       /* B×O_out logits of the last forward */
GS_API float *gs_preact(gs_net *net, int layer);  /* B×O u = input of φ (after BN) */
GS_API float *gs_act(gs_net *net, int layer);     /* B×O a = φ(u) */
GS_API float *gs_input_grad(gs_net *net);   /* B×I_0 ∂L/∂X, valid after backward with want_input_grad */
GS_API int gs_forward(gs_net *net, int rows, int training);
GS_API int gs_backward(gs_net *net, int rows, int want_input_grad);
GS_API int gs_step(gs_net *net);
GS_API int gs_train_step(gs_net *net, int rows);
GS_API int gs_set_lr(gs_net *net, double lr);

/* ---- statistics: the latest step, and the ring of the last multi-step call */
GS_API double *gs_global_stats(gs_net *net);   /* G doubles (GS_G_*) */
GS_API double *gs_layer_stats(gs_net *net);    /* L×P doubles (GS_S_*) */
GS_API double *gs_ring(gs_net *net);           /* per step: G then L×P doubles */

/* ---- datasets ------------------------------------------------------------
 * Synthetic 2-D sets are generated in C from the seed. Arrays (digits, user
 * CSV) are created empty with gs_data_alloc, filled by JS, then split. */
GS_API gs_data *gs_data_generate(int kind, int rows, double noise, int classes,
                                 double train_share, int seed);
GS_API gs_data *gs_data_alloc(int rows, int features, int classes);
GS_API float *gs_data_x(gs_data *d);
GS_API int32_t *gs_data_y(gs_data *d);
GS_API int gs_data_split(gs_data *d, double train_share, int seed);
GS_API int gs_data_info(const gs_data *d, int what);  /* 0 rows 1 features 2 classes 3 train rows */
GS_API const int32_t *gs_data_order(const gs_data *d); /* rows: train rows first, then test rows */
GS_API void gs_data_destroy(gs_data *d);

/* k minibatch steps sampled from the training split, entirely inside wasm.
 * Returns the number of steps run (< k if a non-finite value stopped it,
 * in which case the offending step's update was not applied), or < 0. */
GS_API int gs_train_steps(gs_net *net, gs_data *d, int k);
/* Eval-mode mean loss and accuracy over a split (0 train, 1 test) → out[2]. */
GS_API int gs_evaluate(gs_net *net, gs_data *d, int split, double *out);

/* ---- mean-field theory (theory.c) --------------------------------------
 * For weights N(0, sw2/fan_in) and biases N(0, sb2): out[0] = q*, out[1] = χ₁,
 * out[2] = ξ = −1/ln χ₁. */
GS_API int gs_theory(int act, double slope, double sw2, double sb2, double *out);
GS_API double gs_theory_critical_sw2(int act, double slope, double sb2);

#endif
