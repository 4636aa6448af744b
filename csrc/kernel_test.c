/* kernel_test.c — exported hooks that let JS tests call any gemm kernel
 * directly, scalar or SIMD, on memory they filled themselves (tests/kernels*).
 * Owns nothing else: no allocation (the caller mallocs every buffer, `work`
 * sized by gs_kernel_work_floats), no checking of results (the test does it).
 *
 *   op 0  xwt   out = Y[B][O],  a = X[B][I],  b = W[O][I], bias[O] or NULL
 *   op 1  dyw   out = dX[B][I], a = dY[B][O], b = W[O][I]
 *   op 2  dytx  out = dW[O][I], a = dY[B][O], b = X[B][I]
 *   impl  0 scalar twin, 1 SIMD128 (-1 when the build has none)
 * The bench's 100 % line (register-only mul+add throughput) is
 * gs_bench_ceiling in bench_ceiling.c.
 */
#include <stddef.h>

#include "gemm.h"

/* export_name is a wasm attribute; the native sanitizer build ignores it. */
#ifdef __wasm__
#define GS_KERNEL_EXPORT(name) __attribute__((used, export_name(name)))
#else
#define GS_KERNEL_EXPORT(name)
#endif

/* Prototypes, so -Wmissing-prototypes stays quiet and the ABI reads as a list. */
int gs_kernel_run(int op, int impl, float *out, const float *a, const float *b,
                  const float *bias, int B, int I, int O, float *work);
size_t gs_kernel_work_floats(int B, int I, int O);

/* Returns 0, or -1 for an unknown op/impl or an impl this build lacks. */
GS_KERNEL_EXPORT("gs_kernel_run")
int gs_kernel_run(int op, int impl, float *out, const float *a, const float *b,
                  const float *bias, int B, int I, int O, float *work) {
  if (impl == 0) {
    switch (op) {
      case 0: gemm_xwt_scalar(out, a, b, bias, B, I, O, work); return 0;
      case 1: gemm_dyw_scalar(out, a, b, B, O, I, work); return 0;
      case 2: gemm_dytx_scalar(out, a, b, B, O, I, work); return 0;
      default: return -1;
    }
  }
#ifdef __wasm_simd128__
  if (impl == 1) {
    switch (op) {
      case 0: gemm_xwt_simd128(out, a, b, bias, B, I, O, work); return 0;
      case 1: gemm_dyw_simd128(out, a, b, B, O, I, work); return 0;
      case 2: gemm_dytx_simd128(out, a, b, B, O, I, work); return 0;
      default: return -1;
    }
  }
#endif
  return -1;
}

GS_KERNEL_EXPORT("gs_kernel_work_floats")
size_t gs_kernel_work_floats(int B, int I, int O) { return gemm_work_floats(B, I, O); }
