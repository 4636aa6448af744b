/* data.c — datasets and minibatch sampling.
 *
 * Synthetic 2-D sets are generated here from a seed (the playground's
 * classics): spiral, circles, xor, moons and gaussian blobs, each with
 * Gaussian noise of a given std added to the coordinates, scaled to about
 * [−1, 1]². Arrays from JS (the 8×8 digits, a learner's CSV) arrive through
 * gs_data_alloc + gs_data_x/y. A dataset is split into train/test by a seeded
 * permutation, and its sampler deals training minibatches epoch by epoch
 * (reshuffled each epoch; the tail shorter than a batch starts the next epoch).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"

#define PI 3.14159265358979323846

/* sin and cos of one angle, for the generators' angles (|x| < 2^20).
 * libm's sin/cos carry a Payne–Hanek reduction for any double (__rem_pio2,
 * ~3 KB of wasm with its table of 2/π bits); our angles are below ~20 rad,
 * where Cody–Waite reduction by π/2 in two parts is exact enough: k·PIO2_HI
 * is exact (33 + 20 bits), so r = x − k·π/2 carries only PIO2_LO's rounding
 * (~1e-27·k). The kernels on [−π/4, π/4] are fdlibm's __kernel_sin/__kernel_cos
 * polynomials (error < 1 ulp). Results agree with libm to ~1 ulp. */
static void sin_cos(double x, double *sin_out, double *cos_out) {
  const double PIO2_HI = 1.57079632673412561417e+00, PIO2_LO = 6.07710050650619224932e-11;
  const double k = floor(x * 0.63661977236758134308 + 0.5);   /* nearest multiple of π/2 */
  const double r = (x - k * PIO2_HI) - k * PIO2_LO, z = r * r;
  const double s = r + r * z * (-1.66666666666666324348e-01 + z * (8.33333333332248946124e-03 +
                   z * (-1.98412698298579493134e-04 + z * (2.75573137070700676789e-06 +
                   z * (-2.50507602534068634195e-08 + z * 1.58969099521155010221e-10)))));
  const double c = 1.0 - 0.5 * z + z * z * (4.16666666666666019037e-02 + z * (-1.38888888888741095749e-03 +
                   z * (2.48015872894767294178e-05 + z * (-2.75573143513906633035e-07 +
                   z * (2.08757232129817482790e-09 + z * -1.13596475577881948265e-11)))));
  switch ((long)k & 3) {   /* x = r + k·π/2 */
  case 0: *sin_out = s; *cos_out = c; break;
  case 1: *sin_out = c; *cos_out = -s; break;
  case 2: *sin_out = -s; *cos_out = -c; break;
  default: *sin_out = -c; *cos_out = s; break;
  }
}

struct gs_data {
  int rows, features, classes, train_rows;
  float *x;          /* rows × features */
  int32_t *y;        /* rows */
  int32_t *order;    /* rows: the split permutation (train first, then test) */
  int32_t *deal;     /* train_rows: the sampler's current epoch order */
  int cursor;        /* next position in deal */
  gs_rng sampler;
  uint32_t seed;
};

GS_API gs_data *gs_data_alloc(int rows, int features, int classes) {
  if (rows < GS_MIN_DATASET_ROWS || rows > GS_MAX_DATASET_ROWS) {
    gs_fail(GS_EINVAL, "rows must be an integer in %d..%d, got %d", GS_MIN_DATASET_ROWS, GS_MAX_DATASET_ROWS, rows);
    return NULL;
  }
  if (features < GS_MIN_INPUTS || features > GS_MAX_INPUTS) {
    gs_fail(GS_EINVAL, "features must be an integer in %d..%d, got %d", GS_MIN_INPUTS, GS_MAX_INPUTS, features);
    return NULL;
  }
  if (classes < 1 || classes > GS_MAX_OUTPUTS) {
    gs_fail(GS_EINVAL, "classes must be an integer in 1..%d, got %d", GS_MAX_OUTPUTS, classes);
    return NULL;
  }
  size_t bytes = sizeof(gs_data) + (size_t)rows * features * sizeof(float) + 3 * (size_t)rows * sizeof(int32_t);
  if (bytes > (size_t)GS_LIMIT_DATA_HEAP_MB << 20) {
    gs_fail(GS_ENOMEM, "dataset needs %.1f MiB, over the %d MiB budget", bytes / 1048576.0, GS_LIMIT_DATA_HEAP_MB);
    return NULL;
  }
  gs_data *d = calloc(1, bytes);
  if (!d) { gs_fail(GS_ENOMEM, "out of memory allocating a dataset of %.1f MiB", bytes / 1048576.0); return NULL; }
  d->rows = rows; d->features = features; d->classes = classes;
  d->x = (float *)(d + 1);
  d->y = (int32_t *)(d->x + (size_t)rows * features);
  d->order = d->y + rows;
  d->deal = d->order + rows;
  d->train_rows = rows;
  for (int r = 0; r < rows; r++) d->order[r] = r;
  return d;
}

GS_API float *gs_data_x(gs_data *d) { return d ? d->x : NULL; }
GS_API int32_t *gs_data_y(gs_data *d) { return d ? d->y : NULL; }
GS_API void gs_data_destroy(gs_data *d) { free(d); }

GS_API int gs_data_info(const gs_data *d, int what) {
  if (!d) return gs_fail(GS_EINVAL, "dataset is NULL");
  switch (what) {
  case 0: return d->rows;
  case 1: return d->features;
  case 2: return d->classes;
  case 3: return d->train_rows;
  default: return gs_fail(GS_EINVAL, "what must be an integer in 0..3, got %d", what);
  }
}

static void shuffle(int32_t *v, int count, gs_rng *rng) {
  for (int i = count - 1; i > 0; i--) {   /* Fisher–Yates */
    int j = (int)rng_below(rng, (uint32_t)i + 1);
    int32_t t = v[i]; v[i] = v[j]; v[j] = t;
  }
}

/* Rewinds the sampler too: the same split and seed always deal the same batches. */
GS_API int gs_data_split(gs_data *d, double train_share, int seed) {
  if (!d) return gs_fail(GS_EINVAL, "dataset is NULL");
  if (!(train_share > 0.0 && train_share <= 1.0))
    return gs_fail(GS_EINVAL, "trainShare must be a number in (0, 1], got %g", train_share);
  for (int y = 0, r = 0; r < d->rows; r++) {
    y = d->y[r];
    if (y < 0 || y >= d->classes)
      return gs_fail(GS_EINVAL, "y[%d] must be an integer in 0..%d, got %d", r, d->classes - 1, y);
  }
  for (size_t k = 0; k < (size_t)d->rows * d->features; k++)
    if (!isfinite(d->x[k]))
      return gs_fail(GS_EINVAL, "x[%d][%d] must be a finite number", (int)(k / d->features), (int)(k % d->features));
  d->seed = (uint32_t)seed;
  gs_rng rng;
  rng_seed(&rng, d->seed, STREAM_SPLIT);
  for (int r = 0; r < d->rows; r++) d->order[r] = r;
  shuffle(d->order, d->rows, &rng);
  int train = (int)floor(train_share * d->rows + 0.5);
  if (train < 1) train = 1;
  if (train > d->rows) train = d->rows;
  d->train_rows = train;
  rng_seed(&d->sampler, d->seed, STREAM_SAMPLER);
  d->cursor = d->train_rows;   /* forces a shuffle before the first batch */
  return GS_OK;
}

/* Writes the indices of the next training minibatch; returns its rows. */
int data_next_batch(gs_data *d, int32_t *idx, int batch) {
  int rows = batch < d->train_rows ? batch : d->train_rows;
  if (d->cursor + rows > d->train_rows) {
    memcpy(d->deal, d->order, (size_t)d->train_rows * sizeof(int32_t));
    shuffle(d->deal, d->train_rows, &d->sampler);
    d->cursor = 0;
  }
  memcpy(idx, d->deal + d->cursor, (size_t)rows * sizeof(int32_t));
  d->cursor += rows;
  return rows;
}

/* The split permutation: rows order[0..train_rows) train, the rest test. */
GS_API const int32_t *gs_data_order(const gs_data *d) { return d ? d->order : NULL; }

/* Row indices of a split: train = order[0..train_rows), test = the rest. */
const int32_t *data_split_rows(const gs_data *d, int split, int *count) {
  if (split == 0) { *count = d->train_rows; return d->order; }
  *count = d->rows - d->train_rows;
  return d->order + d->train_rows;
}
int data_features(const gs_data *d) { return d->features; }
int data_classes(const gs_data *d) { return d->classes; }
const float *data_row(const gs_data *d, int r) { return d->x + (size_t)r * d->features; }
int32_t data_label(const gs_data *d, int r) { return d->y[r]; }

GS_API gs_data *gs_data_generate(int kind, int rows, double noise, int classes, double train_share, int seed) {
  if (kind < 0 || kind >= GS_DATA_ARRAYS) {
    gs_fail(GS_EINVAL, "dataset must be one of spiral, circles, xor, moons, gaussians (0..%d), got %d", GS_DATA_ARRAYS - 1, kind);
    return NULL;
  }
  if (!(noise >= 0.0 && noise <= 1.0)) { gs_fail(GS_EINVAL, "noise must be a number in 0..1, got %g", noise); return NULL; }
  if (kind == GS_DATA_SPIRAL || kind == GS_DATA_GAUSSIANS) {
    if (classes < 2 || classes > 10) { gs_fail(GS_EINVAL, "classes must be an integer in 2..10, got %d", classes); return NULL; }
  } else {
    classes = 2;
  }
  gs_data *d = gs_data_alloc(rows, 2, classes);
  if (!d) return NULL;
  gs_rng rng;
  rng_seed(&rng, (uint32_t)seed, STREAM_DATA);
  for (int r = 0; r < rows; r++) {
    int c = r % classes;            /* balanced classes */
    double x = 0, y = 0;
    switch (kind) {
    case GS_DATA_SPIRAL: {          /* arms winding out from the centre */
      double t = rng_uniform(&rng);
      double angle = 1.75 * 2 * PI * t + 2 * PI * c / classes;
      double sa, ca; sin_cos(angle, &sa, &ca);
      x = t * sa; y = t * ca;
      break;
    }
    case GS_DATA_CIRCLES: {         /* a disc inside a ring */
      double radius = c == 0 ? 0.5 * rng_uniform(&rng) : 0.7 + 0.3 * rng_uniform(&rng);
      double angle = 2 * PI * rng_uniform(&rng);
      double sa, ca; sin_cos(angle, &sa, &ca);
      x = radius * ca; y = radius * sa;
      break;
    }
    case GS_DATA_XOR: {             /* quadrants: same sign → class 0 */
      do { x = 2 * rng_uniform(&rng) - 1; y = 2 * rng_uniform(&rng) - 1; }
      while (fabs(x) < 0.05 || fabs(y) < 0.05 || ((x * y > 0) != (c == 0)));
      break;
    }
    case GS_DATA_MOONS: {           /* two interleaved half circles (sklearn's make_moons), centred */
      double t = PI * rng_uniform(&rng);
      double st, ct; sin_cos(t, &st, &ct);
      if (c == 0) { x = ct; y = st; } else { x = 1 - ct; y = 0.5 - st; }
      x = (x - 0.5) * 0.75; y = (y - 0.25) * 0.75;
      break;
    }
    case GS_DATA_GAUSSIANS: {       /* blobs on a circle */
      double angle = 2 * PI * c / classes;
      double sa, ca; sin_cos(angle, &sa, &ca);
      x = 0.6 * ca + 0.15 * rng_normal(&rng);
      y = 0.6 * sa + 0.15 * rng_normal(&rng);
      break;
    }
    }
    if (noise > 0) { x += noise * rng_normal(&rng); y += noise * rng_normal(&rng); }
    d->x[2 * r] = (float)x; d->x[2 * r + 1] = (float)y;
    d->y[r] = c;
  }
  if (gs_data_split(d, train_share, seed) != GS_OK) { gs_data_destroy(d); return NULL; }
  return d;
}
