/* gemm.h — the three matrix products a dense layer needs, and nothing else.
 *
 * Size glossary (used in every file of the core):
 *   B  rows in the batch        I  inputs of a layer (fan-in)
 *   O  outputs of a layer (fan-out, units)
 * All matrices are row-major float32. W is stored [O][I] like torch.nn.Linear.
 *
 *   forward         Y[B][O]  = X[B][I] · W[O][I]ᵀ + bias[O]     (overwrites Y)
 *   input gradient  dX[B][I] = dY[B][O] · W[O][I]              (overwrites dX)
 *   weight gradient dW[O][I]  = dY[B][O]ᵀ · X[B][I]             (overwrites dW)
 *
 * Every product has a scalar twin (gemm_scalar.c: plain loops, the reference)
 * and a wasm SIMD128 version (gemm_simd.c). The names say op, ISA:
 *   gemm_xwt_*, gemm_dyw_*, gemm_dytx_*.
 * The gemm_xwt / gemm_dyw / gemm_dytx macros pick the fastest one the build has.
 *
 * `work` is scratch memory the caller owns (the net allocates it once, at
 * create, sized by gemm_work_floats over all its layers): kernels that pack a
 * panel write there and never allocate. All sizes are ≥ 1; any B, I, O works
 * (tails are handled inside the kernels). Pointers need only 4-byte alignment.
 */
#ifndef GS_GEMM_H
#define GS_GEMM_H

#include <stddef.h>

/* Blocking of the SIMD kernels (gemm_simd.c), also used by gemm_work_floats
 * to size the scratch they pack into: one place for these numbers. */
#define GEMM_MR 4   /* rows of C per micro-tile (broadcasts of A)          */
#define GEMM_NR 8   /* columns of C per micro-tile (two f32x4 of P)        */
#define GEMM_KC 512 /* K block: a panel block is KC·NR floats = 16 KB (L1) */
#define GEMM_MC 128 /* M block: a packed A block is MC·KC floats = 256 KB  */
/* Why 512 × 128 and not 256 × 256 (the same 256 KB A block): every K block
 * after the first reloads and rewrites all of C, so a longer K block halves
 * that traffic at K = 1024. Paired runs on a Zen 5: xwt +2 to +4 points of the
 * ceiling at 512³, 1024³ and 128×512×512, dyw +0.4 to +2, dytx and every
 * shape with K ≤ 256 unchanged. A 16 KB panel still leaves most of a 32 KB
 * L1 for the A quad that streams past it. */

/* Floats of scratch the kernels may use for one product of this shape. */
size_t gemm_work_floats(int B, int I, int O);

void gemm_xwt_scalar(float *Y, const float *X, const float *W, const float *bias,
                     int B, int I, int O, float *work);
void gemm_dyw_scalar(float *dX, const float *dY, const float *W,
                     int B, int O, int I, float *work);
void gemm_dytx_scalar(float *dW, const float *dY, const float *X,
                      int B, int O, int I, float *work);

#ifdef __wasm_simd128__
void gemm_xwt_simd128(float *Y, const float *X, const float *W, const float *bias,
                      int B, int I, int O, float *work);
void gemm_dyw_simd128(float *dX, const float *dY, const float *W,
                      int B, int O, int I, float *work);
void gemm_dytx_simd128(float *dW, const float *dY, const float *X,
                       int B, int O, int I, float *work);
#define gemm_xwt  gemm_xwt_simd128
#define gemm_dyw  gemm_dyw_simd128
#define gemm_dytx gemm_dytx_simd128
#else
#define gemm_xwt  gemm_xwt_scalar
#define gemm_dyw  gemm_dyw_scalar
#define gemm_dytx gemm_dytx_scalar
#endif

#endif
