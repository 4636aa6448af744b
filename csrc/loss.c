/* loss.c — the two losses, with torch's reductions (shared/oracle/SCHEMA.md §1):
 *   cross_entropy  L = −(1/B) Σ_n log softmax(z_n)[y_n]     dL/dz = (softmax(z) − onehot)/B
 *   mse            L = (1/(B·O)) Σ (z − t)²  (no ½)          dL/dz = 2(z − t)/(B·O)
 * Softmax subtracts the row max and sums in double, so huge logits from an
 * exploding net give a huge (finite) loss rather than NaN for as long as possible. */
#include <math.h>
#include "core.h"

static int argmax(const float *v, int O) {
  int best = 0;
  for (int k = 1; k < O; k++) if (v[k] > v[best]) best = k;
  return best;
}

double loss_forward_backward(float *dz, const float *z, const int32_t *labels, const float *targets,
                             int B, int O, int kind, int *correct) {
  double loss = 0.0;
  int right = 0;
  if (kind == GS_LOSS_CROSS_ENTROPY) {
    for (int r = 0; r < B; r++) {
      const float *zr = z + (size_t)r * O;
      float *dr = dz + (size_t)r * O;
      double mx = zr[0];
      for (int k = 1; k < O; k++) if (zr[k] > mx) mx = zr[k];
      double s = 0.0;
      for (int k = 0; k < O; k++) s += exp((double)zr[k] - mx);
      double lse = mx + log(s);
      loss += lse - zr[labels[r]];
      for (int k = 0; k < O; k++) dr[k] = (float)((exp((double)zr[k] - lse) - (k == labels[r])) / B);
      right += argmax(zr, O) == labels[r];
    }
    loss /= B;
  } else {
    const double scale = 1.0 / ((double)B * O);
    for (int r = 0; r < B; r++) {
      const float *zr = z + (size_t)r * O, *tr = targets + (size_t)r * O;
      float *dr = dz + (size_t)r * O;
      for (int k = 0; k < O; k++) {
        double d = (double)zr[k] - tr[k];
        loss += d * d;
        dr[k] = (float)(2.0 * d * scale);
      }
      /* accuracy: the largest output names the class; one output: within 0.5 of the target */
      right += O > 1 ? argmax(zr, O) == argmax(tr, O) : fabs((double)zr[0] - tr[0]) < 0.5;
    }
    loss *= scale;
  }
  *correct = right;
  return loss;
}
