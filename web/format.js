// format.js — numbers for people. Gradient norms span 1e-20 … 1e30, so a
// fixed number of decimals is useless: values in [0.001, 10000) print in
// plain decimals (4 significant digits), everything else in scientific
// notation with a real superscript exponent ("3.2×10⁻¹⁷"), which stays
// readable at any size. Non-finite values are spelled out, never "NaN".

const SUPERSCRIPT = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
const sup = (n) => String(n).split('').map((ch) => SUPERSCRIPT[ch] ?? ch).join('');

/** Trim "1.200" → "1.2", "3.000" → "3". */
const trim = (s) => (s.includes('.') && !s.includes('e') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);

/** A short readable number: "0.4213", "1234", "3.2×10⁻¹⁷", "∞", "not a number". */
export function formatNumber(v, digits = 4) {
  if (v === null || v === undefined) return '—';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e4) return trim(v.toPrecision(digits));
  const [m, e] = v.toExponential(digits - 2).split('e');
  return `${trim(m)}×10${sup(Number(e))}`;
}

/** Full precision for hover and tables (what the export holds, readable). */
export function formatExact(v) { return formatNumber(v, 7); }

/** A power-of-ten tick label for log axes ("10⁻²⁰"), or '' for minor ticks. */
export function formatLogTick(v) {
  if (!(v > 0)) return '';
  const e = Math.log10(v);
  if (Math.abs(e - Math.round(e)) > 1e-9) return '';
  const n = Math.round(e);
  if (n >= -2 && n <= 3) return String(10 ** n >= 1 ? 10 ** n : Number((10 ** n).toFixed(-n)));
  return `10${sup(n)}`;
}

/** "12.5 %". */
export function formatPercent(fraction) {
  if (!Number.isFinite(fraction)) return '—';
  return `${(100 * fraction).toFixed(fraction < 0.1 ? 1 : 0)} %`;
}

/** Layer l (0-based) of a net with layerCount layers, for people: "1" … "20", "out". */
export function layerName(l, layerCount, t) {
  return l === layerCount - 1 ? t('layer.output') : t('layer.hidden', { n: l + 1 });
}
