// format.js — how the CLI prints numbers and tables, and where output goes.
//
// Two kinds of numbers: `sig6` for the human table (6 significant digits,
// scientific notation outside [1e-4, 1e6), so a 1e-17 gradient stays
// readable), and `exact` for CSV/JSON: String(x), the shortest text that
// reads back to the same double — the same text the page's export writes
// (web/history.js), so the two can be diffed to the last digit.

import { writeFileSync } from 'node:fs';

/** The page export's spelling of a double: String(x), NaN, Inf, -Inf. */
export function exact(v) {
  if (Number.isFinite(v)) return String(v);
  if (Number.isNaN(v)) return 'NaN';
  return v > 0 ? 'Inf' : '-Inf';
}

/** JSON has no NaN/Inf: they become null (as in the page's JSON export). */
export const finiteOrNull = (v) => (Number.isFinite(v) ? v : null);

/** 6 significant digits for tables. */
export function sig6(v) {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return exact(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-4 && a < 1e6 ? v.toPrecision(6) : v.toExponential(5);
}

/** A fraction as a percentage with two decimals ("12.50"). */
export function percent(v) {
  return Number.isFinite(v) ? (100 * v).toFixed(2) : exact(v);
}

/** Fixed decimals, NaN/Inf spelled out (for log10 ratios). */
export function fixed(v, digits = 2) {
  if (Number.isFinite(v)) return v.toFixed(digits);
  return Number.isNaN(v) ? 'NaN' : v > 0 ? '+inf' : '-inf';
}

/**
 * A plain-text table: columns right-aligned except those named in `left`.
 * rows are arrays of strings; header is an array of strings.
 */
export function table(header, rows, { left = [0] } = {}) {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells) => cells.map((s, c) => (left.includes(c) ? String(s).padEnd(widths[c]) : String(s).padStart(widths[c]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/** One CSV line; quotes a cell only when it needs it. */
export function csvLine(cells) {
  return cells.map((c) => {
    const s = String(c);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }).join(',') + '\n';
}

/**
 * Where a command's stdout goes: straight to stdout, or (with --out FILE)
 * collected and written to FILE at the end. Commands only call write().
 */
export function createOutput(outPath) {
  const parts = [];
  return {
    write(text) { if (outPath) parts.push(text); else process.stdout.write(text); },
    finish() {
      if (!outPath) return;
      writeFileSync(outPath, parts.join(''));
      process.stderr.write(`wrote ${outPath}\n`);
    },
  };
}

/** Layer l (0-based) of layerCount, for people: "1" … "20", "out". */
export const layerName = (l, layerCount) => (l === layerCount - 1 ? 'out' : String(l + 1));
