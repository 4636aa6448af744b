/* gemm_scalar.c — the reference loops for the three dense-layer products.
 * Plain C, one output element at a time: easy to read, easy to trust. They
 * are the scalar build's kernels and the oracle every SIMD kernel is tested
 * against (tests/kernels.test.js). Shapes: see gemm.h. */
#include <string.h>

#include "gemm.h"

size_t gemm_work_floats(int B, int I, int O) {
  /* What the SIMD kernels (gemm_simd.c) pack, for the largest of the three
   * products: one matrix in column panels of 8 (W for xwt and dyw, a block of
   * ≤ KC rows of X for dytx) plus one block of A interleaved by four rows
   * (≤ MC×KC of X or dY, or of dYᵀ for dytx), plus 16 floats to align the
   * panels to 32 bytes.
   * The block sizes are gemm.h's GEMM_KC, GEMM_MC and GEMM_NR. */
  const size_t kc = GEMM_KC, mc = GEMM_MC, nr = GEMM_NR;
  const size_t b = (size_t)B, i = (size_t)I, o = (size_t)O;
  const size_t i8 = (i + nr - 1) / nr * nr, o8 = (o + nr - 1) / nr * nr;
  const size_t a_rows = b < mc ? b : mc;
  const size_t xwt = o8 * i + a_rows * (i < kc ? i : kc);
  const size_t dyw = i8 * o + a_rows * (o < kc ? o : kc);
  const size_t dytx = (i8 + (o < mc ? o : mc)) * (b < kc ? b : kc);
  size_t most = xwt > dyw ? xwt : dyw;
  if (dytx > most) most = dytx;
  return most + 16;
}

/* Y[n][j] = bias[j] + Σ_i X[n][i]·W[j][i] — each output is a dot product of
 * two contiguous rows, which is why torch stores W as [out][in]. */
void gemm_xwt_scalar(float *Y, const float *X, const float *W, const float *bias,
                     int B, int I, int O, float *work) {
  (void)work;
  for (int n = 0; n < B; n++) {
    const float *x = X + (size_t)n * I;
    for (int j = 0; j < O; j++) {
      const float *w = W + (size_t)j * I;
      float acc = bias ? bias[j] : 0.0f;
      for (int i = 0; i < I; i++) acc += x[i] * w[i];
      Y[(size_t)n * O + j] = acc;
    }
  }
}

/* dX[n][i] = Σ_j dY[n][j]·W[j][i] — the chain rule through z = x·Wᵀ. */
void gemm_dyw_scalar(float *dX, const float *dY, const float *W,
                     int B, int O, int I, float *work) {
  (void)work;
  for (int n = 0; n < B; n++) {
    float *dx = dX + (size_t)n * I;
    for (int i = 0; i < I; i++) dx[i] = 0.0f;
    for (int j = 0; j < O; j++) {
      const float g = dY[(size_t)n * O + j];
      const float *w = W + (size_t)j * I;
      for (int i = 0; i < I; i++) dx[i] += g * w[i];
    }
  }
}

/* dW[j][i] = Σ_n dY[n][j]·X[n][i] — every row of the batch adds its outer
 * product δ_n ⊗ x_n onto a zeroed dW. */
void gemm_dytx_scalar(float *dW, const float *dY, const float *X,
                      int B, int O, int I, float *work) {
  (void)work;
  memset(dW, 0, (size_t)O * I * sizeof(float));
  for (int n = 0; n < B; n++) {
    const float *x = X + (size_t)n * I;
    for (int j = 0; j < O; j++) {
      const float g = dY[(size_t)n * O + j];
      float *dw = dW + (size_t)j * I;
      for (int i = 0; i < I; i++) dw[i] += g * x[i];
    }
  }
}
