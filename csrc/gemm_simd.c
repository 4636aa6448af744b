/* gemm_simd.c — the three dense-layer products (gemm.h) in wasm SIMD128.
 *
 * Owns: one register-blocked micro-kernel (4 rows × 8 columns, f32x4 mul+add),
 * its one-row tail twin, the packing routines that feed it contiguous memory,
 * and the three drivers gemm_xwt_simd128 / gemm_dyw_simd128 / gemm_dytx_simd128.
 * Does not own: the math (gemm_scalar.c is the reference and the oracle), the
 * scratch size (gemm_work_floats, gemm_scalar.c, mirrors the block sizes below),
 * threads (there are none), allocation (all scratch comes in through `work`).
 *
 * Every product is written as one shape, C[M][N] (+)= A[M][K] · P[K][N]:
 *
 *   product  C    M  N  K   A[m][k]          P[k][n]
 *   xwt      Y    B  O  I   X[n][i]          W[j][i]   (Wᵀ: pack transposes)
 *   dyw      dX   B  I  O   dY[n][j]         W[j][i]   (pack copies)
 *   dytx     dW   O  I  B   dY[n][j] (= dYᵀ) X[n][i]   (pack copies)
 *
 * Why this shape. wasm SIMD has no FMA and V8 on x64 gives us 16 vector
 * registers. A 4×8 tile of C lives in 8 accumulators; each step k broadcasts 4
 * values of A (one per row) and loads 8 contiguous values of P (two vectors),
 * then does 8 mul + 8 add — 64 flops for 6 loads and no shuffles, in exactly
 * the 15 registers V8 allocates (see gemm_4x8_simd128). Wider tiles spill and
 * run at half speed; narrower ones starve the four FP pipes on loads.
 *
 * Why packing. P is rearranged into panels of 8 columns, [panel][k][8], so the
 * inner loop reads one 32-byte row per step from a panel that stays in L1; the
 * last panel is zero-padded, so the column tail runs the same full-width loop
 * and only its store is narrowed. For xwt/dyw, A is also packed, four rows
 * interleaved ([quad][k][4]), so the four broadcasts are one pointer plus
 * constant offsets; for dytx the quad of A = dYᵀ is four adjacent floats of a
 * dY row, so packing is a gather of 16-byte pieces. K is cut into blocks of
 * GEMM_KC so a panel block is 16 KB (L1), and M into blocks of GEMM_MC rows so
 * a packed A block is ≤ 256 KB (L2) in all three products; later K blocks
 * accumulate. The panels are stored K block by K block, [K/KC][panel][kc][8]:
 * the panels one M block sweeps then lie end to end in memory (see
 * gemm_rowmajor_a_simd128).
 *
 * Remainders, handled explicitly at the end of each loop: columns past the last
 * full panel (zero-padded panel, narrowed store), rows past the last full quad
 * (gemm_1x8_simd128, same panel, A read in place), K past the last multiple of
 * 4 when packing (scalar). Any B, I, O ≥ 1 works.
 */
#ifdef __wasm_simd128__

#include <stdint.h>
#include <string.h>
#include <wasm_simd128.h>

#include "gemm.h"

/* Tile and block sizes. gemm_work_floats (gemm_scalar.c) mirrors MC, KC, NR:
 * see there for the scratch each driver carves out of `work`. */

static inline int imin(int a, int b) { return a < b ? a : b; }
static inline int round_up8(int n) { return (n + 7) & ~7; }

/* Scratch is only 4-byte aligned by contract; panels want 32-byte rows so a
 * two-vector load never straddles a cache line. */
static inline float *align32(float *p) {
  return (float *)(((uintptr_t)p + 31) & ~(uintptr_t)31);
}

/* ---------------------------------------------------------------- epilogue */

/* What a tile does with C when its K loop ends. It is a compile-time constant
 * at every call of the 4×8 kernel (each driver loop calls it with one mode), so
 * the tile's last instructions are straight-line loads, adds and stores. When
 * one generic epilogue decided per call (column tail? accumulate? bias?), V8
 * kept all eight accumulators alive across those branches and spilled them to
 * the stack after every tile: ~50 extra instructions per tile. Specialising
 * it gained 0.7 points of the ceiling on dW at 128³ (K = 128: short tiles). */
enum gemm_epilogue {
  GEMM_STORE,      /* C  = acc          (dX, first K block; Y without bias) */
  GEMM_ADD_BIAS,   /* C  = acc + bias8  (Y, first K block)                  */
  GEMM_ACCUMULATE  /* C += acc          (later K blocks; dW always)         */
};

#define GEMM_ALWAYS_INLINE static inline __attribute__((always_inline))

/* One full row of a tile: c[0..8) = lo‖hi, finished as `mode` says. */
GEMM_ALWAYS_INLINE void gemm_store8_simd128(float *c, v128_t lo, v128_t hi,
                                            const float *bias8, enum gemm_epilogue mode) {
  if (mode == GEMM_ACCUMULATE) {
    lo = wasm_f32x4_add(lo, wasm_v128_load(c));
    hi = wasm_f32x4_add(hi, wasm_v128_load(c + 4));
  } else if (mode == GEMM_ADD_BIAS) {
    lo = wasm_f32x4_add(lo, wasm_v128_load(bias8));
    hi = wasm_f32x4_add(hi, wasm_v128_load(bias8 + 4));
  }
  wasm_v128_store(c, lo);
  wasm_v128_store(c + 4, hi);
}

/* One row of ncols ≤ 8 columns, for the tails (last panel, row tail): goes
 * through a padded row so the arithmetic stays vector, and writes only the
 * ncols real columns: the lanes past them are padding. */
static void gemm_store_row_simd128(float *c, int ncols, v128_t lo, v128_t hi,
                                   const float *bias8, enum gemm_epilogue mode) {
  float row[GEMM_NR] = {0};
  if (mode == GEMM_ACCUMULATE) memcpy(row, c, (size_t)ncols * sizeof(float));
  else if (mode == GEMM_ADD_BIAS) memcpy(row, bias8, GEMM_NR * sizeof(float));
  gemm_store8_simd128(row, lo, hi, row, GEMM_ACCUMULATE);
  memcpy(c, row, (size_t)ncols * sizeof(float));
}

/* ----------------------------------------------------------- micro-kernels */

/* C[4][0..8) (+)= A[4][K] · P[K][8], finished as `mode` says.
 *   a: A[r][k] at a[4k + r]   (a packed quad)
 *   p: P[k][c] at p[8k + c]   (a packed panel)
 *   c: C[r][col] at c[r·ldc + col]
 * Registers: V8 issues the six loads of a step (two panel vectors, four
 * broadcasts) before its arithmetic, so a step holds 8 accumulators + 6 loaded
 * vectors + 1 product = 15, every vector register V8 allocates on x64 (xmm15
 * is its scratch). Nothing spills. A fifth row (5×8) or a third panel vector
 * (3×12) needs 18: V8 spills, and a stand-alone test of both kernels ran at
 * 36–44 % of the ceiling where this one ran at 91 %. */
GEMM_ALWAYS_INLINE void gemm_4x8_simd128(float *c, size_t ldc, const float *a,
                                         const float *p, int K, const float *bias8,
                                         enum gemm_epilogue mode) {
  v128_t c0l = wasm_f32x4_splat(0.0f), c0h = c0l, c1l = c0l, c1h = c0l;
  v128_t c2l = c0l, c2h = c0l, c3l = c0l, c3h = c0l;
  /* The loop runs on the panel pointer: V8 then compares two registers, where
   * a k counter against K kept a stack slot and an extra add per step.
   * Not unrolled: V8 keeps wasm loads in program order but schedules the pure
   * mul/add late, so two steps in one body load all 12 operands before any
   * arithmetic; with the 8 accumulators that is 20 live vectors for 16
   * registers, and the spills cost ~30 % (measured by pragma, by hand, and with
   * a compiler barrier between the steps). */
  const float *const p_end = p + (size_t)K * GEMM_NR;
  for (; p != p_end; p += GEMM_NR) {
    const v128_t pl = wasm_v128_load(p), ph = wasm_v128_load(p + 4);
    v128_t ar = wasm_v128_load32_splat(a + 0);
    c0l = wasm_f32x4_add(c0l, wasm_f32x4_mul(ar, pl));
    c0h = wasm_f32x4_add(c0h, wasm_f32x4_mul(ar, ph));
    ar = wasm_v128_load32_splat(a + 1);
    c1l = wasm_f32x4_add(c1l, wasm_f32x4_mul(ar, pl));
    c1h = wasm_f32x4_add(c1h, wasm_f32x4_mul(ar, ph));
    ar = wasm_v128_load32_splat(a + 2);
    c2l = wasm_f32x4_add(c2l, wasm_f32x4_mul(ar, pl));
    c2h = wasm_f32x4_add(c2h, wasm_f32x4_mul(ar, ph));
    ar = wasm_v128_load32_splat(a + 3);
    c3l = wasm_f32x4_add(c3l, wasm_f32x4_mul(ar, pl));
    c3h = wasm_f32x4_add(c3h, wasm_f32x4_mul(ar, ph));
    a += GEMM_MR;
  }
  gemm_store8_simd128(c, c0l, c0h, bias8, mode);
  gemm_store8_simd128(c + ldc, c1l, c1h, bias8, mode);
  gemm_store8_simd128(c + 2 * ldc, c2l, c2h, bias8, mode);
  gemm_store8_simd128(c + 3 * ldc, c3l, c3h, bias8, mode);
}

/* The last panel's tiles (ncols < 8 real columns): the same kernel into a
 * 4×8 scratch tile, then only the real columns reach C. Out of line, so its
 * tail code stays out of the hot drivers. */
__attribute__((noinline))
static void gemm_4x8_tail_simd128(float *c, size_t ldc, int ncols, const float *a,
                                  const float *p, int K, const float *bias8,
                                  enum gemm_epilogue mode) {
  float tile[GEMM_MR * GEMM_NR];
  gemm_4x8_simd128(tile, GEMM_NR, a, p, K, NULL, GEMM_STORE);
  for (int r = 0; r < GEMM_MR; r++)
    gemm_store_row_simd128(c + r * ldc, ncols, wasm_v128_load(tile + r * GEMM_NR),
                           wasm_v128_load(tile + r * GEMM_NR + 4), bias8, mode);
}

/* Every quad of a packed A block against one panel: the tiles of one column
 * strip of C. always_inline with a constant mode, so each call site gets its
 * own straight-line kernel. ap holds quads × K × 4 floats. */
GEMM_ALWAYS_INLINE void gemm_strip_simd128(float *c, size_t ldc, int ncols, const float *ap,
                                           int quads, const float *p, int K,
                                           const float *bias8, enum gemm_epilogue mode) {
  if (ncols < GEMM_NR) {
    for (int q = 0; q < quads; q++)
      gemm_4x8_tail_simd128(c + (size_t)q * GEMM_MR * ldc, ldc, ncols,
                            ap + (size_t)q * K * GEMM_MR, p, K, bias8, mode);
    return;
  }
  for (int q = 0; q < quads; q++)
    gemm_4x8_simd128(c + (size_t)q * GEMM_MR * ldc, ldc, ap + (size_t)q * K * GEMM_MR,
                     p, K, bias8, mode);
}

/* Row tail: C[1][0..ncols) (+)= A[1][K] · P[K][8], A read in place
 * (a[k·a_ks]). Load-bound (3 loads per 4 vector ops), but it runs on at most
 * 3 rows per M block. Two accumulator pairs over even/odd k halve the add
 * latency chain. */
static void gemm_1x8_simd128(float *c, int ncols, const float *a, size_t a_ks,
                             const float *p, int K, const float *bias8,
                             enum gemm_epilogue mode) {
  v128_t el = wasm_f32x4_splat(0.0f), eh = el, ol = el, oh = el;
  int k = 0;
  for (; k + 2 <= K; k += 2) {
    const v128_t a0 = wasm_v128_load32_splat(a), a1 = wasm_v128_load32_splat(a + a_ks);
    el = wasm_f32x4_add(el, wasm_f32x4_mul(a0, wasm_v128_load(p)));
    eh = wasm_f32x4_add(eh, wasm_f32x4_mul(a0, wasm_v128_load(p + 4)));
    ol = wasm_f32x4_add(ol, wasm_f32x4_mul(a1, wasm_v128_load(p + 8)));
    oh = wasm_f32x4_add(oh, wasm_f32x4_mul(a1, wasm_v128_load(p + 12)));
    a += 2 * a_ks;
    p += 2 * GEMM_NR;
  }
  if (k < K) { /* odd K: last step */
    const v128_t a0 = wasm_v128_load32_splat(a);
    el = wasm_f32x4_add(el, wasm_f32x4_mul(a0, wasm_v128_load(p)));
    eh = wasm_f32x4_add(eh, wasm_f32x4_mul(a0, wasm_v128_load(p + 4)));
  }
  gemm_store_row_simd128(c, ncols, wasm_f32x4_add(el, ol), wasm_f32x4_add(eh, oh),
                         bias8, mode);
}

/* ----------------------------------------------------------------- packing */

/* 4×4 transpose in registers: rows r0..r3 in, columns out. */
#define GEMM_TRANSPOSE4(r0, r1, r2, r3)                   \
  do {                                                    \
    const v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5); \
    const v128_t t1 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5); \
    const v128_t t2 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7); \
    const v128_t t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7); \
    r0 = wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5);          \
    r1 = wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7);          \
    r2 = wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5);          \
    r3 = wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7);          \
  } while (0)

/* 16 contiguous floats of one source row — 64 bytes, a cache line's worth —
 * copied as four vectors to d, d + o1, d + o2, d + o3 in a packed layout. The
 * two packers below that read whole lines are this copy in a loop over rows. */
static inline void gemm_copy16_simd128(float *d, const float *s, size_t o1, size_t o2,
                                       size_t o3) {
  const v128_t v0 = wasm_v128_load(s), v1 = wasm_v128_load(s + 4);
  const v128_t v2 = wasm_v128_load(s + 8), v3 = wasm_v128_load(s + 12);
  wasm_v128_store(d, v0);
  wasm_v128_store(d + o1, v1);
  wasm_v128_store(d + o2, v2);
  wasm_v128_store(d + o3, v3);
}

/* Column panels of a row-major src[rows][cols] (row stride ld):
 * dst[panel][r][0..8) = src[r][8·panel ..], zero past cols. Used for a K
 * block of rows (rows = kc ≤ KC) of W in dyw and of X in dytx. */
static void gemm_pack_panels_simd128(float *dst, const float *src, size_t ld,
                                     int rows, int cols) {
  const int full = cols / GEMM_NR;
  /* Two panels per pass over the rows: each row then gives up 64 contiguous
   * bytes (a cache line's worth) at once. One panel per pass read 32 bytes of
   * a line and came back for the other half a whole pass later, by when a
   * source larger than L1 had evicted it (dytx 128³: the pack took ~1.4
   * points of the kernel's ceiling). */
  const size_t panel = (size_t)rows * GEMM_NR;
  int pn = 0;
  for (; pn + 2 <= full; pn += 2) {
    const float *s = src + (size_t)pn * GEMM_NR;
    float *d = dst + (size_t)pn * panel;
    for (int r = 0; r < rows; r++) {
      gemm_copy16_simd128(d, s, 4, panel, panel + 4);
      s += ld;
      d += GEMM_NR;
    }
  }
  for (; pn < full; pn++) { /* an odd last full panel */
    const float *s = src + (size_t)pn * GEMM_NR;
    float *d = dst + (size_t)pn * panel;
    for (int r = 0; r < rows; r++) {
      wasm_v128_store(d, wasm_v128_load(s));
      wasm_v128_store(d + 4, wasm_v128_load(s + 4));
      s += ld;
      d += GEMM_NR;
    }
  }
  const int rest = cols - full * GEMM_NR; /* column tail: one zero-padded panel */
  if (rest) {
    const float *s = src + (size_t)full * GEMM_NR;
    float *d = dst + (size_t)full * panel;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < GEMM_NR; c++) d[c] = c < rest ? s[c] : 0.0f;
      s += ld;
      d += GEMM_NR;
    }
  }
}

/* Transposed column panels of columns [0, kc) of W[O][·] (row stride ld), for
 * xwt: dst[panel][i][c] = W[8·panel+c][i], i < kc, zero past O. Eight W rows
 * at a time, 4 i at a time, via two 4×4 transposes. */
static void gemm_pack_panels_t_simd128(float *dst, const float *W, size_t ld, int kc, int O) {
  const int full = O / GEMM_NR;
  for (int pn = 0; pn < full; pn++) {
    const float *w = W + (size_t)pn * GEMM_NR * ld;
    float *d = dst + (size_t)pn * kc * GEMM_NR;
    int i = 0;
    for (; i + 4 <= kc; i += 4) {
      v128_t a0 = wasm_v128_load(w + 0 * ld + i), a1 = wasm_v128_load(w + 1 * ld + i);
      v128_t a2 = wasm_v128_load(w + 2 * ld + i), a3 = wasm_v128_load(w + 3 * ld + i);
      v128_t b0 = wasm_v128_load(w + 4 * ld + i), b1 = wasm_v128_load(w + 5 * ld + i);
      v128_t b2 = wasm_v128_load(w + 6 * ld + i), b3 = wasm_v128_load(w + 7 * ld + i);
      GEMM_TRANSPOSE4(a0, a1, a2, a3);
      GEMM_TRANSPOSE4(b0, b1, b2, b3);
      float *di = d + (size_t)i * GEMM_NR;
      wasm_v128_store(di + 0, a0);  wasm_v128_store(di + 4, b0);
      wasm_v128_store(di + 8, a1);  wasm_v128_store(di + 12, b1);
      wasm_v128_store(di + 16, a2); wasm_v128_store(di + 20, b2);
      wasm_v128_store(di + 24, a3); wasm_v128_store(di + 28, b3);
    }
    for (; i < kc; i++) /* K tail */
      for (int c = 0; c < GEMM_NR; c++) d[(size_t)i * GEMM_NR + c] = w[(size_t)c * ld + i];
  }
  const int rest = O - full * GEMM_NR; /* O tail: one zero-padded panel */
  if (rest) {
    const float *w = W + (size_t)full * GEMM_NR * ld;
    float *d = dst + (size_t)full * kc * GEMM_NR;
    for (int i = 0; i < kc; i++)
      for (int c = 0; c < GEMM_NR; c++)
        d[(size_t)i * GEMM_NR + c] = c < rest ? w[(size_t)c * ld + i] : 0.0f;
  }
}

/* Row quads of a K block of row-major A (row stride lda), for xwt/dyw:
 * dst[q][k][r] = A[4q + r][k], k < kc, for the quads = ⌊rows/4⌋ full quads. */
static void gemm_pack_quads_simd128(float *dst, const float *A, size_t lda,
                                    int quads, int kc) {
  for (int q = 0; q < quads; q++) {
    const float *a = A + (size_t)q * GEMM_MR * lda;
    float *d = dst + (size_t)q * kc * GEMM_MR;
    int k = 0;
    for (; k + 4 <= kc; k += 4) {
      v128_t r0 = wasm_v128_load(a + k), r1 = wasm_v128_load(a + lda + k);
      v128_t r2 = wasm_v128_load(a + 2 * lda + k), r3 = wasm_v128_load(a + 3 * lda + k);
      GEMM_TRANSPOSE4(r0, r1, r2, r3);
      wasm_v128_store(d + 4 * k, r0);
      wasm_v128_store(d + 4 * k + 4, r1);
      wasm_v128_store(d + 4 * k + 8, r2);
      wasm_v128_store(d + 4 * k + 12, r3);
    }
    for (; k < kc; k++) /* K tail */
      for (int r = 0; r < GEMM_MR; r++) d[4 * k + r] = a[r * lda + k];
  }
}

/* ----------------------------------------------------------------- drivers */

/* C[M][N] (+)= A[M][K] · P, A row-major (lda), P already packed in panels,
 * K block by K block: [K/KC][⌈N/8⌉][kc][8]. Shared by xwt and dyw. On the
 * first K block C is overwritten (plus bias, if any); later K blocks
 * accumulate. `ap` holds one packed A block.
 * Why K block by K block: each M block sweeps every panel of one K block, and
 * the panels come from L3 or memory (P is 4 MB at 1024³). Stored [panel][K][8],
 * a K block's panels were 16 KB pieces 32 KB apart at K = 1024; stored this
 * way they are one sequential 2 MB stream, the pattern hardware prefetchers
 * follow best (the likely reason; not measured directly). Paired runs at
 * 1024³: xwt +1 to +2.5 points of the ceiling, dyw +1 to +2. Shapes with
 * K ≤ KC have one block, laid out exactly as before. */
static void gemm_rowmajor_a_simd128(float *C, const float *A, size_t lda,
                                    const float *P, const float *bias,
                                    int M, int N, int K, float *ap) {
  const int panels = (N + GEMM_NR - 1) / GEMM_NR;
  for (int k0 = 0; k0 < K; k0 += GEMM_KC) {
    const int kc = imin(GEMM_KC, K - k0);
    const int accumulate = k0 > 0;
    for (int m0 = 0; m0 < M; m0 += GEMM_MC) {
      const int mc = imin(GEMM_MC, M - m0);
      const int quads = mc / GEMM_MR;
      const float *a_blk = A + (size_t)m0 * lda + k0;
      gemm_pack_quads_simd128(ap, a_blk, lda, quads, kc);
      for (int pn = 0; pn < panels; pn++) {
        const int n0 = pn * GEMM_NR, ncols = imin(GEMM_NR, N - n0);
        const float *p = P + (size_t)k0 * round_up8(N) + (size_t)pn * kc * GEMM_NR;
        float bias8[GEMM_NR] = {0};
        if (bias && !accumulate) memcpy(bias8, bias + n0, (size_t)ncols * sizeof(float));
        const enum gemm_epilogue mode =
            accumulate ? GEMM_ACCUMULATE : bias ? GEMM_ADD_BIAS : GEMM_STORE;
        float *c = C + (size_t)m0 * N + n0;
        /* One call per mode, so each inlined strip has a constant epilogue. */
        if (mode == GEMM_ACCUMULATE)
          gemm_strip_simd128(c, (size_t)N, ncols, ap, quads, p, kc, NULL, GEMM_ACCUMULATE);
        else if (mode == GEMM_ADD_BIAS)
          gemm_strip_simd128(c, (size_t)N, ncols, ap, quads, p, kc, bias8, GEMM_ADD_BIAS);
        else
          gemm_strip_simd128(c, (size_t)N, ncols, ap, quads, p, kc, NULL, GEMM_STORE);
        for (int r = quads * GEMM_MR; r < mc; r++) /* row tail */
          gemm_1x8_simd128(c + (size_t)r * N, ncols, a_blk + (size_t)r * lda, 1,
                           p, kc, bias8, mode);
      }
    }
  }
}

/* Y[B][O] = X[B][I] · W[O][I]ᵀ + bias[O]. P = Wᵀ in transposed panels. */
void gemm_xwt_simd128(float *Y, const float *X, const float *W, const float *bias,
                      int B, int I, int O, float *work) {
  float *wp = align32(work);                       /* ⌈O/8⌉·8 · I  */
  float *ap = wp + (size_t)round_up8(O) * I;       /* MC · KC      */
  for (int k0 = 0; k0 < I; k0 += GEMM_KC)
    gemm_pack_panels_t_simd128(wp + (size_t)k0 * round_up8(O), W + k0, (size_t)I,
                               imin(GEMM_KC, I - k0), O);
  gemm_rowmajor_a_simd128(Y, X, (size_t)I, wp, bias, B, O, I, ap);
}

/* dX[B][I] = dY[B][O] · W[O][I]. P = W in column panels. */
void gemm_dyw_simd128(float *dX, const float *dY, const float *W,
                      int B, int O, int I, float *work) {
  float *wp = align32(work);                       /* ⌈I/8⌉·8 · O  */
  float *ap = wp + (size_t)round_up8(I) * O;       /* MC · KC      */
  for (int k0 = 0; k0 < O; k0 += GEMM_KC)
    gemm_pack_panels_simd128(wp + (size_t)k0 * round_up8(I), W + (size_t)k0 * I, (size_t)I,
                             imin(GEMM_KC, O - k0), I);
  gemm_rowmajor_a_simd128(dX, dY, (size_t)O, wp, NULL, B, I, O, ap);
}

/* Row quads of a K block of dYᵀ for dytx: dst[q][k][r] = dY[k][4q + r]. The
 * four values are already adjacent in a dY row, so this is a plain gather of
 * 16-byte pieces; it turns the tile's k stride from O floats (a new cache line
 * every step once O ≥ 16) into 4, so the A block streams from L2 in order. */
static void gemm_pack_quads_t_simd128(float *dst, const float *dY, size_t O,
                                      int quads, int kc) {
  /* Four quads per pass over the rows, for the reason gemm_pack_panels_simd128
   * takes two panels: 64 contiguous bytes of each dY row at once (one quad per
   * pass cost dytx 128³ ~2.6 points of the ceiling). */
  const size_t quad = (size_t)kc * GEMM_MR;
  int q = 0;
  for (; q + 4 <= quads; q += 4) {
    const float *s = dY + (size_t)q * GEMM_MR;
    float *d = dst + (size_t)q * quad;
    for (int k = 0; k < kc; k++) {
      gemm_copy16_simd128(d, s, quad, 2 * quad, 3 * quad);
      s += O;
      d += GEMM_MR;
    }
  }
  for (; q < quads; q++) { /* the last 1–3 quads */
    const float *s = dY + (size_t)q * GEMM_MR;
    float *d = dst + (size_t)q * quad;
    for (int k = 0; k < kc; k++) wasm_v128_store(d + 4 * k, wasm_v128_load(s + k * O));
  }
}

/* dW[O][I] = dY[B][O]ᵀ · X[B][I]. K = B is cut into blocks of KC rows, and
 * each block of X is packed into column panels. The rows of dW are cut into
 * blocks of MC (as M is for xwt and dyw), and each block's rows of dYᵀ are
 * packed into quads: a packed block is then ≤ MC·KC floats = 256 KB and stays
 * in L2 while every panel passes over it. (Packing all O rows at once made it
 * O·KC floats: 1 MB at O = 1024, all of this machine's L2.) The O % 4 tail
 * rows of dW read dY in place, stride O. The first K block stores its tiles
 * (dW needs no zeroing beforehand: the net used to memset all its gradients,
 * 800 KB at 50 × 64, then read each dW back from L2/L3 to add onto zeros;
 * storing instead took 1–1.5 % off a 50 × 64 training step in paired runs);
 * later K blocks accumulate. */
void gemm_dytx_simd128(float *dW, const float *dY, const float *X,
                       int B, int O, int I, float *work) {
  const int kc_max = imin(GEMM_KC, B);
  float *xp = align32(work);                        /* ⌈I/8⌉·8 · KC   */
  float *ap = xp + (size_t)round_up8(I) * kc_max;   /* ≤ MC · KC      */
  const int panels = (I + GEMM_NR - 1) / GEMM_NR;
  const int quad_rows = O / GEMM_MR * GEMM_MR;
  for (int n0 = 0; n0 < B; n0 += GEMM_KC) {
    const int kc = imin(GEMM_KC, B - n0);
    const float *dy = dY + (size_t)n0 * O;
    const int first = n0 == 0;   /* store, don't accumulate */
    gemm_pack_panels_simd128(xp, X + (size_t)n0 * I, (size_t)I, kc, I);
    for (int o0 = 0; o0 < quad_rows; o0 += GEMM_MC) {
      const int quads = imin(GEMM_MC, quad_rows - o0) / GEMM_MR;
      gemm_pack_quads_t_simd128(ap, dy + o0, (size_t)O, quads, kc);
      for (int pn = 0; pn < panels; pn++) {
        const int i0 = pn * GEMM_NR, ncols = imin(GEMM_NR, I - i0);
        float *c = dW + (size_t)o0 * I + i0;
        const float *p = xp + (size_t)pn * kc * GEMM_NR;
        /* One call per mode, so each inlined strip has a constant epilogue. */
        if (first) gemm_strip_simd128(c, (size_t)I, ncols, ap, quads, p, kc, NULL, GEMM_STORE);
        else gemm_strip_simd128(c, (size_t)I, ncols, ap, quads, p, kc, NULL, GEMM_ACCUMULATE);
      }
    }
    for (int j = quad_rows; j < O; j++) /* row tail (O % 4 rows of dW) */
      for (int pn = 0; pn < panels; pn++) {
        const int i0 = pn * GEMM_NR, ncols = imin(GEMM_NR, I - i0);
        gemm_1x8_simd128(dW + (size_t)j * I + i0, ncols, dy + j, (size_t)O,
                         xp + (size_t)pn * kc * GEMM_NR, kc, NULL,
                         first ? GEMM_STORE : GEMM_ACCUMULATE);
      }
  }
}

#endif /* __wasm_simd128__ */
