/* error.c — the last error message, for gs_last_error().
 * The message always names the field and the allowed range, e.g.
 * "hidden[2].units must be an integer in 1..1024, got 0". One buffer is
 * enough: the core is single-threaded (each Web Worker has its own instance). */
#include <stdarg.h>
#include <stdio.h>
#include "core.h"

static char last_error[512] = "";

int gs_fail(int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(last_error, sizeof last_error, fmt, ap);
  va_end(ap);
  return code;
}

GS_API const char *gs_last_error(void) { return last_error; }
