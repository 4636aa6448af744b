/* error.c — the last error message, for gs_last_error(), and the small
 * formatter that writes it.
 * The message always names the field and the allowed range, e.g.
 * "hidden[2].units must be an integer in 1..1024, got 0". One buffer is
 * enough: the core is single-threaded (each Web Worker has its own instance).
 *
 * Why not vsnprintf: libc's printf (printf_core + fmt_fp + long-double
 * support) is ~8 KB of wasm, a fifth of the module, for a dozen messages.
 * gs_format knows exactly the conversions the core uses:
 *   %d  int          %s  string
 *   %g  double, as printf: 6 significant digits, trailing zeros dropped,
 *       exponent form (1e+09, 1.5e-05) when the exponent is < −4 or ≥ 6,
 *       nan / inf / -inf
 *   %.Nf  double with N ≤ 9 decimals (for sizes in MiB and integral bounds)
 * Anything else is copied through literally. */
#include <stdarg.h>
#include "core.h"

static char last_error[512] = "";

typedef struct { char *at, *end; } outbuf;

static void put_char(outbuf *o, char c) { if (o->at < o->end) *o->at++ = c; }
static void put_str(outbuf *o, const char *s) { while (*s) put_char(o, *s++); }

/* Unsigned decimal, at least min_digits digits (zero-padded). */
static void put_uint(outbuf *o, unsigned long long v, int min_digits) {
  char digits[24];
  int n = 0;
  do { digits[n++] = (char)('0' + v % 10); v /= 10; } while (v || n < min_digits);
  while (n) put_char(o, digits[--n]);
}

/* Nearest integer to x ≥ 0, ties to even (printf's rounding of exact halves). */
static unsigned long long round_even(double x) {
  unsigned long long v = (unsigned long long)(x + 0.5);
  if ((double)v - x == 0.5 && (v & 1)) v--;
  return v;
}

/* %.Nf for |x| < 2^63 / 10^N (the core formats sizes and integral bounds). */
static void put_fixed(outbuf *o, double x, int decimals) {
  if (x < 0 || (x == 0 && 1 / x < 0)) { put_char(o, '-'); x = -x; }
  unsigned long long scale = 1;
  for (int i = 0; i < decimals; i++) scale *= 10;
  unsigned long long v = round_even(x * (double)scale);
  put_uint(o, v / scale, 1);
  if (decimals) { put_char(o, '.'); put_uint(o, v % scale, decimals); }
}

/* %g: 6 significant digits. x is scaled into [1e5, 1e6) by powers of ten
 * (relative error ~1e-14 after hundreds of steps: far below the 6th digit). */
static void put_general(outbuf *o, double x) {
  if (x != x) { put_str(o, "nan"); return; }
  if (x < 0 || (x == 0 && 1 / x < 0)) { put_char(o, '-'); x = -x; }
  if (x > 1.7976931348623157e308) { put_str(o, "inf"); return; }
  if (x == 0) { put_char(o, '0'); return; }
  int e = 5;   /* x = m · 10^(e−5) with m in [1e5, 1e6) */
  while (x >= 1e6) { x /= 10; e++; }
  while (x < 1e5) { x *= 10; e--; }
  unsigned long long m = round_even(x);
  if (m >= 1000000) { m /= 10; e++; }
  char d[6];
  for (int i = 5; i >= 0; i--) { d[i] = (char)('0' + m % 10); m /= 10; }
  int last = 5;
  while (last > 0 && d[last] == '0') last--;   /* drop trailing zeros */
  if (e < -4 || e >= 6) {   /* d.ddddde±XX */
    put_char(o, d[0]);
    if (last > 0) { put_char(o, '.'); for (int i = 1; i <= last; i++) put_char(o, d[i]); }
    put_char(o, 'e'); put_char(o, e < 0 ? '-' : '+');
    put_uint(o, (unsigned long long)(e < 0 ? -e : e), 2);
  } else if (e >= 0) {      /* ddd.ddd */
    for (int i = 0; i <= e; i++) put_char(o, d[i]);
    if (last > e) { put_char(o, '.'); for (int i = e + 1; i <= last; i++) put_char(o, d[i]); }
  } else {                  /* 0.000ddd */
    put_str(o, "0.");
    for (int i = -1; i > e; i--) put_char(o, '0');
    for (int i = 0; i <= last; i++) put_char(o, d[i]);
  }
}

void gs_vformat(char *buf, size_t cap, const char *fmt, va_list ap) {
  outbuf o = { buf, buf + cap - 1 };
  for (const char *f = fmt; *f; f++) {
    if (*f != '%') { put_char(&o, *f); continue; }
    f++;
    if (*f == 'd') {
      int v = va_arg(ap, int);
      if (v < 0) put_char(&o, '-');
      put_uint(&o, v < 0 ? 0ull - (unsigned long long)(long long)v : (unsigned long long)v, 1);
    } else if (*f == 's') {
      put_str(&o, va_arg(ap, const char *));
    } else if (*f == 'g') {
      put_general(&o, va_arg(ap, double));
    } else if (*f == '.' && f[1] >= '0' && f[1] <= '9' && f[2] == 'f') {
      put_fixed(&o, va_arg(ap, double), f[1] - '0');
      f += 2;
    } else if (*f == '%') {
      put_char(&o, '%');
    } else {   /* not a conversion the core uses: copy it */
      put_char(&o, '%');
      if (!*f) break;
      put_char(&o, *f);
    }
  }
  *o.at = '\0';
}

void gs_format(char *buf, size_t cap, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  gs_vformat(buf, cap, fmt, ap);
  va_end(ap);
}

int gs_fail(int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  gs_vformat(last_error, sizeof last_error, fmt, ap);
  va_end(ap);
  return code;
}

GS_API const char *gs_last_error(void) { return last_error; }
