/* theory.c — mean-field signal propagation (Poole et al. 2016; Schoenholz
 * et al. 2017, "Deep Information Propagation"): what a very wide net with
 * weights N(0, σ_w²/fan_in) and biases N(0, σ_b²) does to signals, on average.
 *
 *   length map    q_l = σ_w² · E_z[φ(√q_{l−1}·z)²] + σ_b²,  z ~ N(0,1)
 *   fixed point   q* = the limit of that map (the typical size of u in deep layers)
 *   gradient gain χ₁ = σ_w² · E_z[φ′(√q*·z)²]
 *                 per layer, ‖δ‖² is multiplied by χ₁ on its way to the input:
 *                 χ₁ < 1 ordered phase (gradients vanish), χ₁ > 1 chaotic (explode),
 *                 χ₁ = 1 the edge of chaos, where deep nets train best
 *   depth scale   ξ = −1/ln χ₁: gradients change by a factor e over ξ layers
 *                 (positive: vanish; negative: explode; ±∞ at criticality)
 *
 * Reference values (tests/theory.test.js): ReLU χ₁ = σ_w²/2; leaky slope a:
 * σ_w²(1+a²)/2; tanh, σ_b² = 0.05: χ₁ ≈ 0.759 at σ_w² = 1, 0.939 at 1.5,
 * critical at σ_w² ≈ 1.761.
 *
 * E_z[·] is Gauss–Hermite quadrature with 120 nodes. For the piecewise-linear
 * activations the kink sits at z = 0, between two symmetric nodes, so the
 * half-line integrals come out exact by symmetry. */
#include <math.h>
#include "core.h"

#define GH_NODES 120

/* Nodes x_i and weights w_i of ∫ e^{−x²} f(x) dx ≈ Σ w_i f(x_i) (physicists'
 * Hermite), by Newton's method on the recurrence (Numerical Recipes' gauher). */
static double gh_x[GH_NODES], gh_w[GH_NODES];
static int gh_ready = 0;

static void gauss_hermite(void) {
  const double PIM4 = 0.7511255444649425;   /* π^(−1/4) */
  const int n = GH_NODES, m = (n + 1) / 2;
  double z = 0, pp = 0;
  for (int i = 0; i < m; i++) {
    if (i == 0) z = sqrt(2.0 * n + 1) - 1.85575 * exp(-0.16667 * log(2.0 * n + 1));   /* starting guesses: */
    else if (i == 1) z -= 1.14 * exp(0.426 * log((double)n)) / z;              /* a^b = e^(b·ln a) */
    else if (i == 2) z = 1.86 * z - 0.86 * gh_x[0];
    else if (i == 3) z = 1.91 * z - 0.91 * gh_x[1];
    else z = 2.0 * z - gh_x[i - 2];
    for (int it = 0; it < 100; it++) {
      double p1 = PIM4, p2 = 0.0;
      for (int j = 0; j < n; j++) {
        double p3 = p2; p2 = p1;
        p1 = z * sqrt(2.0 / (j + 1)) * p2 - sqrt((double)j / (j + 1)) * p3;
      }
      pp = sqrt(2.0 * n) * p2;
      double z1 = z;
      z = z1 - p1 / pp;
      if (fabs(z - z1) <= 1e-14) break;
    }
    gh_x[i] = z; gh_x[n - 1 - i] = -z;
    gh_w[i] = 2.0 / (pp * pp); gh_w[n - 1 - i] = gh_w[i];
  }
  gh_ready = 1;
}

static double phi(double u, int act, double a) {
  switch (act) {
  case GS_ACT_SIGMOID: return 1.0 / (1.0 + exp(-u));
  case GS_ACT_TANH: return tanh(u);
  case GS_ACT_RELU: return u > 0 ? u : 0.0;
  case GS_ACT_LEAKY_RELU: case GS_ACT_PRELU: return u > 0 ? u : a * u;
  case GS_ACT_ELU: return u > 0 ? u : expm1(u);
  case GS_ACT_SELU: return 1.0507009873554805 * (u > 0 ? u : 1.6732632423543772 * expm1(u));
  case GS_ACT_SWISH: return u / (1.0 + exp(-u));
  default: return u;
  }
}
static double dphi(double u, int act, double a) {
  switch (act) {
  case GS_ACT_SIGMOID: { double s = 1.0 / (1.0 + exp(-u)); return s * (1 - s); }
  case GS_ACT_TANH: { double t = tanh(u); return 1 - t * t; }
  case GS_ACT_RELU: return u > 0 ? 1.0 : 0.0;
  case GS_ACT_LEAKY_RELU: case GS_ACT_PRELU: return u > 0 ? 1.0 : a;
  case GS_ACT_ELU: return u > 0 ? 1.0 : exp(u);
  case GS_ACT_SELU: return 1.0507009873554805 * (u > 0 ? 1.0 : 1.6732632423543772 * exp(u));
  case GS_ACT_SWISH: { double s = 1.0 / (1.0 + exp(-u)); return s * (1 + u * (1 - s)); }
  default: return 1.0;
  }
}

/* E_z[f(√q·z)²] for f = φ (which = 0) or φ′ (which = 1). */
static double gauss_mean_sq(double q, int act, double a, int which) {
  if (!gh_ready) gauss_hermite();
  double s = 0.0, r = sqrt(q);
  for (int i = 0; i < GH_NODES; i++) {
    double u = r * 1.4142135623730951 * gh_x[i];
    double v = which ? dphi(u, act, a) : phi(u, act, a);
    s += gh_w[i] * v * v;
  }
  return s / 1.7724538509055159;
}

static double fixed_point_q(int act, double a, double sw2, double sb2) {
  double q = 1.0;
  for (int it = 0; it < 5000; it++) {
    double next = sw2 * gauss_mean_sq(q, act, a, 0) + sb2;
    if (!isfinite(next) || next > 1e12) return INFINITY;   /* unbounded: no fixed point */
    if (fabs(next - q) <= 1e-13 * (1 + q)) return next;
    q = next;
  }
  return q;
}

/* out[0] = q*, out[1] = χ₁, out[2] = ξ = −1/ln χ₁. For activations that are
 * positively homogeneous (relu, leaky, prelu, linear) χ₁ does not depend on q*
 * and q* may be infinite (σ_w² above the critical value) — χ₁ is still exact. */
GS_API int gs_theory(int act, double slope, double sw2, double sb2, double *out) {
  if (act < 0 || act >= GS_ACT_COUNT) return gs_fail(GS_EINVAL, "activation must be an integer in 0..%d, got %d", GS_ACT_COUNT - 1, act);
  if (!(isfinite(sw2) && sw2 > 0 && sw2 <= 100)) return gs_fail(GS_EINVAL, "sw2 must be a number in (0, 100], got %g", sw2);
  if (!(isfinite(sb2) && sb2 >= 0 && sb2 <= 100)) return gs_fail(GS_EINVAL, "sb2 must be a number in [0, 100], got %g", sb2);
  if (!(isfinite(slope) && fabs(slope) <= 10)) return gs_fail(GS_EINVAL, "slope must be a number in -10..10, got %g", slope);
  if (!out) return gs_fail(GS_EINVAL, "out is NULL");
  double q = fixed_point_q(act, slope, sw2, sb2);
  /* q* may underflow to 0 (tiny σ_w², σ_b = 0) or be infinite (homogeneous φ
   * above criticality): take the limit from a tiny positive q, or q = 1 —
   * for relu/leaky/linear χ₁ does not depend on q at all. */
  double q_eval = !isfinite(q) ? 1.0 : (q < 1e-300 ? 1e-300 : q);
  double chi = sw2 * gauss_mean_sq(q_eval, act, slope, 1);
  out[0] = q;
  out[1] = chi;
  out[2] = fabs(log(chi)) < 1e-12 ? INFINITY : -1.0 / log(chi);
  return GS_OK;
}

/* The σ_w² at which χ₁ = 1 (the edge of chaos) for this activation and σ_b²,
 * by bisection on [lo, hi]; returns NaN (and GS_OK) when χ₁ never crosses 1 there. */
GS_API double gs_theory_critical_sw2(int act, double slope, double sb2) {
  double lo = 0.01, hi = 20.0, out[3];
  if (gs_theory(act, slope, lo, sb2, out) < 0) return NAN;
  double flo = out[1] - 1;
  gs_theory(act, slope, hi, sb2, out);
  if ((out[1] - 1) * flo > 0) return NAN;
  for (int it = 0; it < 80; it++) {
    double mid = 0.5 * (lo + hi);
    gs_theory(act, slope, mid, sb2, out);
    if ((out[1] - 1) * flo > 0) lo = mid; else hi = mid;
  }
  return 0.5 * (lo + hi);
}
