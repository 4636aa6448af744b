/* init.c — weight initialisers with torch.nn.init's definitions
 * (shared/oracle/init_stats.json), fan_in = I, fan_out = O for W[O][I]:
 *
 *   zeros            0
 *   normal(std)      N(0, std²)                       uniform(limit)  U(−limit, limit)
 *   xavier_normal    std = gain·√(2/(I+O))            xavier_uniform  bound = gain·√(6/(I+O))
 *   he_normal        std = g/√I, g = √(2/(1+a²))      he_uniform      bound = g·√(3/I)
 *                    (a = the layer's leaky/PReLU slope, 0 otherwise: torch's
 *                    kaiming_*_(mode='fan_in', nonlinearity='leaky_relu', a))
 *   lecun_normal     std = 1/√I (untruncated)
 *   orthogonal(gain) rows (or columns) orthonormal, scaled by gain (Saxe et al. 2014)
 *
 * Every Gaussian init draws the same standard normals z from the layer's own
 * stream and multiplies by its std, and every uniform init draws the same
 * u ∈ [−1,1) and multiplies by its bound: two nets with the same seed and
 * different inits are exact rescalings of each other, so a comparison shows
 * the effect of the scale alone. Biases: constant + std·N(0,1) from another stream. */
#include <math.h>
#include <string.h>
#include "core.h"

static double he_gain(const gs_layer *ly) {
  double a = (ly->act == GS_ACT_LEAKY_RELU || ly->act == GS_ACT_PRELU) ? ly->slope_init : 0.0;
  return sqrt(2.0 / (1.0 + a * a));
}

/* Orthonormalise the columns of M (rows×cols, rows ≥ cols, column-major in
 * `m`) by modified Gram–Schmidt, twice ("twice is enough", Giraud et al.
 * 2005). The result equals torch's QR with q·sign(diag r): Gram–Schmidt
 * always yields a positive diagonal in r. */
static void orthonormalise_columns(double *m, int rows, int cols) {
  for (int c = 0; c < cols; c++) {
    double *v = m + (size_t)c * rows;
    for (int pass = 0; pass < 2; pass++) {
      for (int p = 0; p < c; p++) {
        const double *q = m + (size_t)p * rows;
        double dot = 0.0;
        for (int i = 0; i < rows; i++) dot += q[i] * v[i];
        for (int i = 0; i < rows; i++) v[i] -= dot * q[i];
      }
    }
    double norm = 0.0;
    for (int i = 0; i < rows; i++) norm += v[i] * v[i];
    norm = sqrt(norm);
    if (norm < 1e-300) norm = 1.0;   /* measure-zero event; keeps the result finite */
    for (int i = 0; i < rows; i++) v[i] /= norm;
  }
}

static void init_orthogonal(gs_net *n, float *W, int O, int I, double gain, gs_rng *rng) {
  /* Draw the tall orientation: rows = max(O,I), cols = min(O,I). */
  int tall = O >= I;
  int rows = tall ? O : I, cols = tall ? I : O;
  double *m = n->ortho;
  /* Fill W's row-major order from the stream so the draw order matches the
   * Gaussian inits', then view it as the tall matrix. */
  for (int j = 0; j < O; j++)
    for (int i = 0; i < I; i++) {
      double z = rng_normal(rng);
      /* tall: column i of an O×I matrix; wide: column j of the I×O transpose */
      if (tall) m[(size_t)i * rows + j] = z; else m[(size_t)j * rows + i] = z;
    }
  orthonormalise_columns(m, rows, cols);
  for (int j = 0; j < O; j++)
    for (int i = 0; i < I; i++)
      W[(size_t)j * I + i] = (float)(gain * (tall ? m[(size_t)i * rows + j] : m[(size_t)j * rows + i]));
}

void init_layer(gs_net *n, int l) {
  gs_layer *ly = &n->layer[l];
  const int O = ly->out, I = ly->in;
  const size_t count = (size_t)O * I;
  float *W = layer_param(n, l, GS_P_W), *b = layer_param(n, l, GS_P_B);
  gs_rng rng;
  rng_seed(&rng, n->seed, STREAM_WEIGHTS + (uint64_t)l);

  double scale = 0.0;
  int gaussian = 1;
  switch (n->init) {
  case GS_INIT_ZEROS:          scale = 0.0; break;
  case GS_INIT_NORMAL:         scale = n->init_scale; break;
  case GS_INIT_UNIFORM:        scale = n->init_scale; gaussian = 0; break;
  case GS_INIT_XAVIER_NORMAL:  scale = n->init_scale * sqrt(2.0 / (I + O)); break;
  case GS_INIT_XAVIER_UNIFORM: scale = n->init_scale * sqrt(6.0 / (I + O)); gaussian = 0; break;
  case GS_INIT_HE_NORMAL:      scale = he_gain(ly) / sqrt((double)I); break;
  case GS_INIT_HE_UNIFORM:     scale = he_gain(ly) * sqrt(3.0 / I); gaussian = 0; break;
  case GS_INIT_LECUN_NORMAL:   scale = 1.0 / sqrt((double)I); break;
  case GS_INIT_ORTHOGONAL:     init_orthogonal(n, W, O, I, n->init_scale, &rng); gaussian = -1; break;
  }
  if (n->init == GS_INIT_ZEROS) memset(W, 0, count * sizeof(float));   /* nothing to draw */
  else if (gaussian == 1) for (size_t k = 0; k < count; k++) W[k] = (float)(scale * rng_normal(&rng));
  else if (gaussian == 0) for (size_t k = 0; k < count; k++) W[k] = (float)(scale * (2.0 * rng_uniform(&rng) - 1.0));

  gs_rng brng;
  rng_seed(&brng, n->seed, STREAM_BIASES + (uint64_t)l);
  for (int j = 0; j < O; j++)
    b[j] = (float)(n->bias_const + (n->bias_std > 0 ? n->bias_std * rng_normal(&brng) : 0.0));

  float *gamma = layer_param(n, l, GS_P_GAMMA), *beta = layer_param(n, l, GS_P_BETA);
  if (gamma) for (int j = 0; j < O; j++) { gamma[j] = 1.0f; beta[j] = 0.0f; ly->running_mean[j] = 0.0f; ly->running_var[j] = 1.0f; }
  float *slope = layer_param(n, l, GS_P_SLOPE);
  if (slope) *slope = ly->slope_init;
}
