/* rng.c — PCG32 (O'Neill 2014, pcg-random.org) with explicit state.
 * Every consumer owns a gs_rng seeded with (seed, stream): the same seed
 * gives the same numbers in Node, in every browser and in the native build,
 * because only integer arithmetic and correctly rounded math (sqrt) plus
 * libm's log run here. */
#include <math.h>
#include "core.h"

void rng_seed(gs_rng *r, uint64_t seed, uint64_t stream) {
  r->state = 0u;
  r->inc = (stream << 1u) | 1u;   /* the increment must be odd */
  (void)rng_u32(r);
  r->state += seed;
  (void)rng_u32(r);
}

uint32_t rng_u32(gs_rng *r) {
  uint64_t old = r->state;
  r->state = old * 6364136223846793005ULL + r->inc;
  uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
  uint32_t rot = (uint32_t)(old >> 59u);
  return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
}

double rng_uniform(gs_rng *r) {
  /* 27 + 26 = 53 bits: every double in [0,1) on a 2^-53 grid. */
  uint32_t a = rng_u32(r) >> 5, b = rng_u32(r) >> 6;
  return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

double rng_normal(gs_rng *r) {
  /* Marsaglia's polar method (1964): a point (u, v) uniform in the unit disc
   * (rejection from the square, accepted with probability π/4) gives
   * u·√(−2 ln s / s), s = u² + v², distributed N(0, 1). The same law as
   * Box–Muller without its cos, so libm's sin/cos argument reduction stays
   * out of the module. We do not keep the second value (v·√…) so that every
   * draw depends only on the stream position. */
  double u, v, s;
  do {
    u = 2.0 * rng_uniform(r) - 1.0;
    v = 2.0 * rng_uniform(r) - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  return u * sqrt(-2.0 * log(s) / s);
}

uint32_t rng_below(gs_rng *r, uint32_t n) {
  /* Lemire's multiply-shift with rejection: no modulo bias. */
  uint64_t m = (uint64_t)rng_u32(r) * n;
  uint32_t low = (uint32_t)m;
  if (low < n) {
    uint32_t threshold = (uint32_t)(-n) % n;
    while (low < threshold) { m = (uint64_t)rng_u32(r) * n; low = (uint32_t)m; }
  }
  return (uint32_t)(m >> 32);
}
