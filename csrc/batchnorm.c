/* batchnorm.c — batch normalisation between the dense layer and φ
 * (Ioffe & Szegedy 2015), with torch.nn.BatchNorm1d semantics:
 *
 *   train:  μ = mean_n z,  σ²_b = mean_n (z−μ)²  (biased, two-pass: a one-pass
 *           E[z²]−E[z]² in float loses features whose variance is below eps)
 *           x̂ = (z−μ)/√(σ²_b + ε),  u = γ·x̂ + β
 *           running_mean ← 0.9·running_mean + 0.1·μ
 *           running_var  ← 0.9·running_var  + 0.1·σ²_b·B/(B−1)   (unbiased)
 *   eval:   u = γ·(z − running_mean)/√(running_var + ε) + β
 *
 * The running statistics move only when the step is known to be finite
 * (bn_commit_running, called by net.c): a batch that overflowed must not
 * poison eval mode, the decision boundary and the test loss.
 *
 * With B = 1, torch refuses to train (the unbiased variance divides by 0);
 * we accept it so the playground never stops, and use the biased variance
 * for the running estimate. Sums are accumulated in double. */
#include <math.h>
#include "core.h"

#define BN_EPS 1e-5
#define BN_MOMENTUM 0.1

/* u holds z (B×O) on entry and γ·x̂ + β on return. */
void bn_forward_train(gs_net *n, gs_layer *ly, float *u, const float *gamma, const float *beta, int B) {
  const int O = ly->out;
  double *mean = n->col_sum, *var = n->col_sum2;
  for (int j = 0; j < O; j++) { mean[j] = 0.0; var[j] = 0.0; }
  for (int r = 0; r < B; r++) for (int j = 0; j < O; j++) mean[j] += u[(size_t)r * O + j];
  for (int j = 0; j < O; j++) mean[j] /= B;
  for (int r = 0; r < B; r++)
    for (int j = 0; j < O; j++) { double d = u[(size_t)r * O + j] - mean[j]; var[j] += d * d; }
  for (int j = 0; j < O; j++) {
    double var_b = var[j] / B;
    double unbiased = B > 1 ? var_b * B / (B - 1) : var_b;
    ly->bn_mean[j] = (float)mean[j];
    ly->bn_invstd[j] = (float)(1.0 / sqrt(var_b + BN_EPS));
    ly->pending_mean[j] = mean[j];
    ly->pending_var[j] = unbiased;
  }
  for (int r = 0; r < B; r++) {
    for (int j = 0; j < O; j++) {
      size_t k = (size_t)r * O + j;
      float xh = (float)((u[k] - mean[j]) * ly->bn_invstd[j]);
      ly->xhat[k] = xh;
      u[k] = gamma[j] * xh + beta[j];
    }
  }
}

int bn_commit_running(gs_layer *ly) {
  for (int j = 0; j < ly->out; j++)
    if (!isfinite(ly->pending_mean[j]) || !isfinite(ly->pending_var[j])) return 0;
  for (int j = 0; j < ly->out; j++) {
    ly->running_mean[j] = (float)((1.0 - BN_MOMENTUM) * ly->running_mean[j] + BN_MOMENTUM * ly->pending_mean[j]);
    ly->running_var[j] = (float)((1.0 - BN_MOMENTUM) * ly->running_var[j] + BN_MOMENTUM * ly->pending_var[j]);
  }
  return 1;
}

void bn_forward_eval(gs_layer *ly, float *u, const float *gamma, const float *beta, int B) {
  const int O = ly->out;
  for (int j = 0; j < O; j++) {
    /* fold into one multiply-add per element: u = z·s + t */
    double s = gamma[j] / sqrt((double)ly->running_var[j] + BN_EPS);
    double t = beta[j] - ly->running_mean[j] * s;
    for (int r = 0; r < B; r++) { size_t k = (size_t)r * O + j; u[k] = (float)(u[k] * s + t); }
  }
}

/* Given du = ∂L/∂u, accumulate ∂L/∂γ = Σ du·x̂, ∂L/∂β = Σ du and write
 *   dz = γ/(B·σ) · (B·du − Σ du − x̂·Σ du·x̂)
 * (the mean and the variance both depend on every row, hence the two sums). */
void bn_backward(gs_net *n, gs_layer *ly, float *dz, const float *du, const float *gamma,
                 float *dgamma, float *dbeta, int B) {
  const int O = ly->out;
  double *sum_du = n->col_sum, *sum_du_xhat = n->col_sum2;
  for (int j = 0; j < O; j++) { sum_du[j] = 0.0; sum_du_xhat[j] = 0.0; }
  for (int r = 0; r < B; r++)
    for (int j = 0; j < O; j++) {
      size_t k = (size_t)r * O + j;
      sum_du[j] += du[k];
      sum_du_xhat[j] += (double)du[k] * ly->xhat[k];
    }
  for (int j = 0; j < O; j++) { dgamma[j] += (float)sum_du_xhat[j]; dbeta[j] += (float)sum_du[j]; }
  for (int r = 0; r < B; r++)
    for (int j = 0; j < O; j++) {
      size_t k = (size_t)r * O + j;
      double c = (double)gamma[j] * ly->bn_invstd[j] / B;
      dz[k] = (float)(c * ((double)B * du[k] - sum_du[j] - ly->xhat[k] * sum_du_xhat[j]));
    }
}
