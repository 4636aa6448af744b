// csv.js — "bring your own data": a learner's CSV file turned into the
// arrays gs.createDataset({ kind: 'arrays', … }) takes, with errors a teacher
// can act on (every message names the 1-based line of the ORIGINAL text, and
// the column where there is one). Also the way back (toCSV, for "download
// your data") and a compact encoding of a small point set for the URL hash.
//
// Pure module: no DOM, no I/O, no randomness, so the page, the worker, the
// CLI (gradscope train --data FILE) and Node tests share it.
//
//   parseCSV(text, options) → { X, y, features, classes, rows, header, … }
//   toCSV({ X, y, features, header, classNames }) → text
//   encodeSmallDataset({ X, y, features, classes }) → 'base64url…' | null
//   decodeSmallDataset(str) → { X, y, features, classes, rows }
//
// Reading rules (the README's "Your own data" says the same):
//  - Text is RFC 4180 CSV: "quoted fields" may hold the delimiter, line
//    breaks and "" for a quote. Line ends may be LF, CRLF or a lone CR; a
//    UTF-8 byte-order mark is ignored.
//  - The delimiter is ',', ';' or tab, detected from the first lines (the one
//    found the same number of times, > 0, on each of them; ties prefer ';',
//    then ',', then tab). A decimal comma (1,5) is read as 1.5 with ';' or
//    tab, and in a quoted cell ("1,5") with ','; "1,500" there is an error
//    (decimal or thousands?).
//  - Empty lines, and rows whose cells are all empty (',,,' from a
//    spreadsheet), are skipped; line numbers still count them. A delimiter at
//    the end of a row (1,2,0,) is ignored. Spaces around unquoted values are
//    ignored.
//  - Header: 'auto' treats the first row as a header when any of its feature
//    cells is not a number (labels may be words, so the label cell does not
//    count). A header is also assumed when the label column is given by name.
//  - Labels: if every label is an integer (-1, 0, 7, 010), classes are the
//    distinct values in increasing numeric order (labels 1,2,3 → classes
//    0,1,2; classNames '1','2','3'). Otherwise labels are text and classes are
//    numbered in order of first appearance in the file (so a file written by
//    toCSV from parsed data reads back to the same class numbers). Pass
//    `classNames` to fix the order yourself.
//  - Features must be finite numbers that fit a float32 (|x| ≤ 3.4e38);
//    NaN, Infinity, 1e999 and empty cells are errors.

import { LIMITS } from './limits.js';

export const CSV_DEFAULTS = Object.freeze({
  labelColumn: 'last',
  header: 'auto',
  delimiter: 'auto',
  maxRows: 10000,                     // the issue's cap for learner data (the core allows LIMITS.datasetRows.max)
  maxFeatures: LIMITS.inputs.max,     // 1024
  maxClasses: 10,                     // the playground's class limit (config.js 'classes')
  minClasses: 2,
  normalize: false,
});

export const NORMALIZE_MODES = Object.freeze(['none', 'standard', 'minmax']);

const FLOAT32_MAX = 3.4028234663852886e38;
// A number as people write it: optional sign, digits with an optional point, optional exponent.
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_COMMA_RE = /^[+-]?(?:\d+,\d*|,\d+)(?:[eE][+-]?\d+)?$/;
// Spellings of non-finite values that spreadsheets and numpy write.
const NON_FINITE_RE = /^[+-]?(?:nan|inf|infinity|#num!|#div\/0!)$/i;
const INTEGER_RE = /^[+-]?\d+$/;

const show = (s) => JSON.stringify(s.length > 40 ? s.slice(0, 37) + '…' : s);
const delimiterName = (d) => (d === '\t' ? 'tab' : `"${d}"`);

function fail(message) { const e = new Error(message); e.name = 'CSVError'; throw e; }
/** An error tied to a place in the file: e.line (1-based), e.column (1-based or undefined). */
function failAt(line, column, message) {
  // without a column, `message` continues the sentence: ' has 4 columns…' or ': …'
  const e = new Error(column ? `line ${line}, column ${column}: ${message}` : `line ${line}${message}`);
  e.name = 'CSVError'; e.line = line; if (column) e.column = column;
  throw e;
}

// ---------------------------------------------------------------- tokenizer

/** Guess the delimiter from the first (up to 10) non-empty lines, ignoring quoted text. */
export function detectDelimiter(text) {
  const CANDIDATES = [';', ',', '\t'];   // tie order
  const counts = [];
  let line = [0, 0, 0], inQuote = false, nonEmpty = false;
  const end = Math.min(text.length, 1 << 16);
  for (let i = 0; i < end && counts.length < 10; i++) {
    const ch = text[i];
    if (ch === '"') { inQuote = !inQuote; nonEmpty = true; continue; }
    if (inQuote) continue;
    if (ch === '\n' || ch === '\r') {
      if (nonEmpty) counts.push(line);
      line = [0, 0, 0]; nonEmpty = false;
      continue;
    }
    const k = CANDIDATES.indexOf(ch);
    if (k >= 0) line[k]++;
    if (ch !== ' ') nonEmpty = true;
  }
  if (nonEmpty && counts.length < 10) counts.push(line);
  if (counts.length === 0) return ',';
  let best = -1, bestCount = 0;
  for (let k = 0; k < CANDIDATES.length; k++) {
    const c = counts[0][k];
    if (c > bestCount && counts.every((l) => l[k] === c)) { best = k; bestCount = c; }
  }
  if (best < 0) {   // nothing consistent: the most frequent on the first line
    for (let k = 0; k < CANDIDATES.length; k++) if (counts[0][k] > bestCount) { best = k; bestCount = counts[0][k]; }
  }
  return best < 0 ? ',' : CANDIDATES[best];
}

/**
 * Call onRecord(fields, quoted, lines) for each record of `text`; lines[i]
 * is the 1-based line where field i starts (a quoted field may span lines).
 * Fields are trimmed of spaces unless quoted.
 */
function tokenize(text, delim, onRecord) {
  const D = delim.charCodeAt(0), Q = 34, LF = 10, CR = 13, SP = 32, TAB = 9;
  const n = text.length;
  let i = 0, line = 1;
  let fields = [], quoted = [], lines = [];
  const isSpace = (c) => c === SP || (c === TAB && D !== TAB);
  while (i <= n) {
    // one field, starting at i
    let start = i;
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    const fieldLine = line;
    if (i < n && text.charCodeAt(i) === Q) {
      const openLine = line;
      i++;
      let value = '', from = i;
      for (;;) {
        if (i >= n) failAt(openLine, fields.length + 1, 'a quoted field is not closed (a " is missing)');
        const c = text.charCodeAt(i);
        if (c === Q) {
          if (i + 1 < n && text.charCodeAt(i + 1) === Q) { value += text.slice(from, i + 1); i += 2; from = i; continue; }
          value += text.slice(from, i); i++;
          break;
        }
        if (c === CR) { line++; if (i + 1 < n && text.charCodeAt(i + 1) === LF) i++; }
        else if (c === LF) line++;
        i++;
      }
      while (i < n && isSpace(text.charCodeAt(i))) i++;
      if (i < n) {
        const c = text.charCodeAt(i);
        if (c !== D && c !== LF && c !== CR) failAt(line, fields.length + 1, `unexpected text after a closing quote: ${show(text.slice(i, i + 10).split(/[\r\n]/)[0])} (write "" for a quote inside a quoted field)`);
      }
      fields.push(value); quoted.push(true); lines.push(fieldLine);
    } else {
      start = i;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === D || c === LF || c === CR) break;
        i++;
      }
      let stop = i;
      while (stop > start && isSpace(text.charCodeAt(stop - 1))) stop--;
      fields.push(text.slice(start, stop)); quoted.push(false); lines.push(fieldLine);
    }
    // after the field: a delimiter, a line end, or the end of the text
    if (i < n && text.charCodeAt(i) === D) { i++; continue; }
    const recordLine = lines[0];
    if (i < n) {   // line end
      if (text.charCodeAt(i) === CR && i + 1 < n && text.charCodeAt(i + 1) === LF) i++;
      i++;
      onRecord(fields, quoted, lines, recordLine);
      line++;
    } else {
      onRecord(fields, quoted, lines, recordLine);
      i = n + 1;
    }
    fields = []; quoted = []; lines = [];
  }
}

// ---------------------------------------------------------------- numbers

/**
 * Classify one cell: { value } for a finite float32 number, or { error }.
 * A decimal comma (1,5) is read when the delimiter is ';' or tab, or when the
 * cell was quoted (spreadsheets in such locales export "1,5" that way), except
 * "1,500", which could be a thousands separator.
 */
function readNumber(cell, decimalComma, quoted) {
  let s = cell.trim();
  if (s === '') return { error: 'the value is empty' };
  if (!NUMBER_RE.test(s)) {
    if ((decimalComma || quoted) && DECIMAL_COMMA_RE.test(s)) {
      if (!decimalComma && /^[+-]?\d{1,3},\d{3}$/.test(s)) return { error: `${show(s)} is ambiguous: write ${show(s.replace(',', '.'))} or ${show(s.replace(',', ''))}` };
      s = s.replace(',', '.');
    } else if (NON_FINITE_RE.test(s)) return { error: `${show(s)} is not a finite number`, nonFinite: true };
    else return { error: `${show(s)} is not a number` };
  }
  const v = Number(s);
  if (!Number.isFinite(v) || Math.abs(v) > FLOAT32_MAX) return { error: `${show(s)} is not a finite number (too large: at most ±3.4e38)`, nonFinite: true };
  return { value: v };
}
const looksNumeric = (cell, decimalComma, quoted) => {
  const s = cell.trim();
  return NUMBER_RE.test(s) || NON_FINITE_RE.test(s) || ((decimalComma || quoted) && DECIMAL_COMMA_RE.test(s));
};

// ---------------------------------------------------------------- parseCSV

function normalizeMode(m) {
  if (m === false || m === undefined || m === null || m === 'none') return 'none';
  if (m === true) return 'standard';
  if (m === 'standard' || m === 'minmax') return m;
  return fail(`normalize must be false, 'none', 'standard' or 'minmax', got ${show(String(m))}`);
}

function intOption(v, name, min, max) {
  if (!Number.isInteger(v) || v < min || v > max) fail(`${name} must be an integer in ${min}..${max}, got ${show(String(v))}`);
  return v;
}

/**
 * Parse a CSV text into a classification dataset.
 *
 * options:
 *   labelColumn  'last' (default) | 'first' | a 1-based column number (as in
 *                the error messages) | a header name
 *   header       'auto' (default) | true | false
 *   delimiter    'auto' (default) | ',' | ';' | '\t'
 *   maxRows      default 10000;  maxFeatures default 1024;  maxClasses default 10;  minClasses default 2
 *   normalize    false | 'none' (default) | 'standard' (each feature: mean 0,
 *                population std 1; a constant feature becomes 0) | 'minmax'
 *                (each feature onto [−1, 1], like the built-in data sets; a
 *                constant feature becomes 0)
 *   classNames   optional list fixing the classes and their order; a label
 *                not in it is an error
 *
 * Returns { X: Float32Array (rows × features, normalised if asked), y:
 * Int32Array, rows, features, classes, header: [column names in file order]
 * | null, featureNames: [names] | null, labelName: string | null,
 * labelColumn (1-based), classNames: [label text per class index],
 * delimiter, normalize, stats: { mean, std, min, max } (Float64Arrays per
 * feature, of the values BEFORE normalisation; std is the population std),
 * lines: Int32Array (the 1-based source line of each row) }.
 *
 * Throws an Error (name 'CSVError', with .line and .column where they apply)
 * whose message starts "line N, column C: " for a problem at one place.
 */
export function parseCSV(text, options = {}) {
  if (typeof text !== 'string') fail(`parseCSV needs the file's text (a string), got ${text === null ? 'null' : typeof text}`);
  const opt = { ...CSV_DEFAULTS, ...options };
  const maxRows = intOption(opt.maxRows, 'maxRows', 1, LIMITS.datasetRows.max);
  const maxFeatures = intOption(opt.maxFeatures, 'maxFeatures', 1, LIMITS.inputs.max);
  const maxClasses = intOption(opt.maxClasses, 'maxClasses', 1, LIMITS.outputs.max);
  const minClasses = intOption(opt.minClasses, 'minClasses', 1, maxClasses);
  const normalize = normalizeMode(opt.normalize);
  if (!['auto', true, false].includes(opt.header)) fail(`header must be 'auto', true or false, got ${show(String(opt.header))}`);
  if (!['auto', ',', ';', '\t'].includes(opt.delimiter)) fail(`delimiter must be 'auto', ',', ';' or a tab, got ${show(String(opt.delimiter))}`);
  const fixedClasses = opt.classNames == null ? null : opt.classNames.map(String);
  if (fixedClasses) {
    if (fixedClasses.length < 1 || fixedClasses.length > maxClasses) fail(`classNames must list 1..${maxClasses} classes, got ${fixedClasses.length}`);
    if (new Set(fixedClasses).size !== fixedClasses.length) fail('classNames must not repeat a name');
  }

  if (text.charCodeAt(0) === 0xFEFF) text = text.slice(1);
  const delim = opt.delimiter === 'auto' ? detectDelimiter(text) : opt.delimiter;
  const decimalComma = delim !== ',';

  let columns = 0, labelCol = -1, features = 0;
  let header = null, headerLine = 0;
  let rows = 0;
  let X = new Float32Array(0);
  const labelText = [];      // per row
  const rowLines = [];
  let sawRecord = false;

  const resolveLabel = (fields, line) => {
    const spec = opt.labelColumn;
    const n = fields.length;
    if (spec === 'last' || spec === undefined || spec === null) return n - 1;
    if (spec === 'first') return 0;
    if (typeof spec === 'number') {
      if (!Number.isInteger(spec) || spec < 1) fail(`labelColumn must be 'last', 'first', a column number from 1, or a header name; got ${spec}`);
      if (spec > n) failAt(line, 0, ` has ${n} columns, so the label column ${spec} does not exist`);
      return spec - 1;
    }
    if (typeof spec === 'string') {
      if (!header) fail(`labelColumn ${show(spec)} is a name, but the file has no header row`);
      const k = header.indexOf(spec);
      if (k < 0) failAt(headerLine, 0, `: the header has no column named ${show(spec)} (it has ${header.map(show).join(', ')})`);
      return k;
    }
    return fail(`labelColumn must be 'last', 'first', a column number from 1, or a header name; got ${show(String(spec))}`);
  };

  tokenize(text, delim, (fields, quoted, lines, line) => {
    // A delimiter ending the row adds one empty unquoted field: drop it.
    if (fields.length > 1 && fields[fields.length - 1] === '' && !quoted[quoted.length - 1]) { fields.pop(); quoted.pop(); lines.pop(); }
    // Empty line, or only empty cells: skip.
    if (fields.every((f, k) => f === '' && !quoted[k])) return;

    if (!sawRecord) {
      sawRecord = true;
      columns = fields.length;
      if (columns < 2) {
        failAt(line, 0, `: found 1 column (${show(fields[0])}); a data set needs at least one feature column and a label column, separated by "," ";" or a tab` +
          (opt.delimiter === 'auto' ? '' : ` (the delimiter is ${delimiterName(delim)})`));
      }
      let isHeader = opt.header === true || (opt.header === 'auto' && typeof opt.labelColumn === 'string' && opt.labelColumn !== 'last' && opt.labelColumn !== 'first');
      if (opt.header === 'auto' && !isHeader) {
        const lc = resolveLabel(fields, line);
        isHeader = fields.some((f, k) => k !== lc && !looksNumeric(f, decimalComma, quoted[k]));
      }
      if (isHeader) { header = fields.slice(); headerLine = line; }
      labelCol = resolveLabel(fields, line);
      features = columns - 1;
      if (features > maxFeatures) failAt(line, 0, ` has ${features} feature columns; at most ${maxFeatures} are allowed`);
      if (isHeader) return;
    }
    if (fields.length !== columns) {
      failAt(line, 0, ` has ${fields.length} column${fields.length === 1 ? '' : 's'}, expected ${columns}${header ? ` (like the header on line ${headerLine})` : ` (like the first row)`}` +
        (opt.delimiter === 'auto' ? ` — columns are separated by ${delimiterName(delim)}` : ''));
    }
    if (rows >= maxRows) failAt(line, 0, `: too many rows — this is data row ${rows + 1}; at most ${maxRows} rows are allowed`);
    if ((rows + 1) * features > X.length) {
      const grown = new Float32Array(Math.max(features * 64, Math.min(maxRows * features, X.length * 2)));
      grown.set(X); X = grown;
    }
    const base = rows * features;
    for (let k = 0, j = 0; k < columns; k++) {
      if (k === labelCol) continue;
      const r = readNumber(fields[k], decimalComma, quoted[k]);
      if (r.error) failAt(lines[k], k + 1, r.error);
      X[base + j++] = r.value;
    }
    const label = fields[labelCol];   // unquoted cells are already trimmed; quoted ones are kept as written
    if (label.trim() === '') failAt(lines[labelCol], labelCol + 1, 'the label is empty');
    if (NON_FINITE_RE.test(label.trim())) failAt(lines[labelCol], labelCol + 1, `the label ${show(label)} is not a class (a missing value?)`);
    labelText.push(label);
    rowLines.push(line);
    rows++;
  });

  if (!sawRecord) fail('the file is empty (no rows)');
  if (rows === 0) fail(header ? `no data rows: the file has only a header (line ${headerLine})` : 'no data rows');
  X = X.slice(0, rows * features);

  // Labels → class indices.
  const y = new Int32Array(rows);
  let classNames;
  const tooMany = (r, count) => failAt(rowLines[r], labelCol + 1,
    `label ${show(labelText[r])} would be class number ${count}; at most ${maxClasses} classes are allowed (is column ${labelCol + 1} the label column?)`);
  if (fixedClasses) {
    const index = new Map(fixedClasses.map((c, k) => [c, k]));
    for (let r = 0; r < rows; r++) {
      let k = index.get(labelText[r]);
      if (k === undefined && INTEGER_RE.test(labelText[r])) k = index.get(String(Number(labelText[r])));
      if (k === undefined) failAt(rowLines[r], labelCol + 1, `label ${show(labelText[r])} is not one of the classes ${fixedClasses.map(show).join(', ')}`);
      y[r] = k;
    }
    classNames = fixedClasses.slice();
  } else if (labelText.every((s) => INTEGER_RE.test(s))) {
    const values = labelText.map(Number);
    const seen = new Map();
    for (let r = 0; r < rows; r++) {
      if (!seen.has(values[r])) { seen.set(values[r], r); if (seen.size > maxClasses) tooMany(r, seen.size); }
    }
    const sorted = [...seen.keys()].sort((a, b) => a - b);
    const index = new Map(sorted.map((v, k) => [v, k]));
    for (let r = 0; r < rows; r++) y[r] = index.get(values[r]);
    classNames = sorted.map(String);
  } else {
    const index = new Map();
    for (let r = 0; r < rows; r++) {
      let k = index.get(labelText[r]);
      if (k === undefined) {
        k = index.size;
        if (k + 1 > maxClasses) tooMany(r, k + 1);
        index.set(labelText[r], k);
      }
      y[r] = k;
    }
    classNames = [...index.keys()];
  }
  const classes = classNames.length;
  if (classes < minClasses) {
    fail(`the label column (column ${labelCol + 1}${header ? `, ${show(header[labelCol])}` : ''}) has ${classes} class${classes === 1 ? '' : 'es'} (${classNames.map(show).join(', ')}); at least ${minClasses} are needed`);
  }

  const stats = featureStats(X, rows, features);
  if (normalize !== 'none') applyNormalization(X, rows, features, stats, normalize);
  const featureNames = header ? header.filter((_, k) => k !== labelCol) : null;
  return {
    X, y, rows, features, classes, classNames,
    header, featureNames, labelName: header ? header[labelCol] : null, labelColumn: labelCol + 1,
    delimiter: delim, normalize, stats, lines: Int32Array.from(rowLines),
  };
}

// ---------------------------------------------------------------- statistics

/** Per-feature mean, population std, min and max (float64, two passes). */
export function featureStats(X, rows, features) {
  const mean = new Float64Array(features), std = new Float64Array(features);
  const min = new Float64Array(features).fill(Infinity), max = new Float64Array(features).fill(-Infinity);
  for (let r = 0; r < rows; r++) {
    for (let j = 0, b = r * features; j < features; j++) {
      const v = X[b + j];
      mean[j] += v;
      if (v < min[j]) min[j] = v;
      if (v > max[j]) max[j] = v;
    }
  }
  for (let j = 0; j < features; j++) mean[j] /= rows;
  for (let r = 0; r < rows; r++) {
    for (let j = 0, b = r * features; j < features; j++) { const d = X[b + j] - mean[j]; std[j] += d * d; }
  }
  for (let j = 0; j < features; j++) std[j] = Math.sqrt(std[j] / rows);
  return { mean, std, min, max };
}

/**
 * Normalise X in place with `stats` (from featureStats of the raw data):
 * 'standard' → (x − mean)/std, 'minmax' → onto [−1, 1]. A constant feature
 * (std 0, max = min) becomes 0, never NaN. Use the same stats for new points.
 */
export function applyNormalization(X, rows, features, stats, mode) {
  const m = normalizeMode(mode);
  if (m === 'none') return X;
  for (let j = 0; j < features; j++) {
    let shift, scale;
    if (m === 'standard') { shift = stats.mean[j]; scale = stats.std[j] > 0 ? 1 / stats.std[j] : 0; }
    else { const range = stats.max[j] - stats.min[j]; shift = (stats.max[j] + stats.min[j]) / 2; scale = range > 0 ? 2 / range : 0; }
    for (let r = 0; r < rows; r++) { const k = r * features + j; X[k] = scale === 0 ? 0 : (X[k] - shift) * scale; }
  }
  return X;
}

// ---------------------------------------------------------------- toCSV

/**
 * A short decimal that reads back to the same float32: the shortest, except
 * in rare cases where one digit more is used. Rounds to 1, 2, … significant
 * digits with plain arithmetic and keeps the first that reads back (checked
 * with Math.fround, so the result is always exact); toPrecision as a fallback.
 */
export function float32String(v) {
  const f = Math.fround(v);
  if (Object.is(f, -0)) return '-0';
  if (Number.isInteger(f) && Math.abs(f) < 1e21) return String(f);
  const e = Math.floor(Math.log10(Math.abs(f)));
  for (let p = 1; p <= 9; p++) {
    const k = p - 1 - e;
    const c = k >= 0 ? Math.round(f * 10 ** k) / 10 ** k : Math.round(f / 10 ** -k) * 10 ** -k;
    if (Math.fround(c) === f) {
      const s = String(c);
      if (s.length <= p + 9) return s;   // not an artefact like 0.30000000000000004
      break;
    }
  }
  for (let p = 1; p <= 9; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) return String(Number(s));
  }
  return String(f);
}

function quoteCell(s, delim) {
  return /[",;\t\r\n]/.test(s) || s !== s.trim() || s === '' ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The text of a data set as CSV, for "download your data": a header row, then
 * one row per example, the label last (classNames[y] when given, else y).
 * `header` may list the feature names, or the feature names and the label
 * name; by default x1…xn and label. parseCSV(toCSV(d)) gives back the same
 * float32 X bit for bit, and the same y when class k first appears before
 * class k+1 (always true of data parsed from a file) or when the labels are
 * integers — or pass { classNames } to parseCSV.
 */
export function toCSV({ X, y, features, header = null, classNames = null, delimiter = ',', lineEnd = '\n' }) {
  const rows = y.length;
  if (!Number.isInteger(features) || features < 1) fail(`toCSV: features must be a positive integer, got ${features}`);
  if (X.length !== rows * features) fail(`toCSV: X must hold rows × features = ${rows * features} numbers, got ${X.length}`);
  let names;
  if (header == null) names = [...Array.from({ length: features }, (_, j) => `x${j + 1}`), 'label'];
  else if (header.length === features) names = [...header.map(String), 'label'];
  else if (header.length === features + 1) names = header.map(String);
  else fail(`toCSV: header must name the ${features} features (and optionally the label), got ${header.length} names`);
  const out = [names.map((s) => quoteCell(s, delimiter)).join(delimiter)];
  const labels = classNames ? classNames.map((s) => quoteCell(String(s), delimiter)) : null;
  for (let r = 0; r < rows; r++) {
    const cells = new Array(features + 1);
    for (let j = 0; j < features; j++) {
      const v = X[r * features + j];
      if (!Number.isFinite(v)) fail(`toCSV: X[${r}, ${j}] is ${v}`);
      cells[j] = float32String(v);
    }
    const k = y[r];
    if (labels && (labels[k] === undefined)) fail(`toCSV: y[${r}] = ${k} has no class name`);
    cells[features] = labels ? labels[k] : String(k);
    out.push(cells.join(delimiter));
  }
  return out.join(lineEnd) + lineEnd;
}

// ---------------------------------------------------------------- small data sets in the URL

// Layout (version 1), then base64url without padding:
//   byte 0      version (1)
//   byte 1      features (1..16)
//   byte 2      classes (1..255)
//   bytes 3–4   rows (uint16 LE)
//   features bytes: e_j (int8): feature j is stored as q·2^−e_j
//   rows × features int16 LE: q, row-major
//   rows bytes: labels (uint8)
// A value q·2^−e with |q| ≤ 32767 is exact in float32, and e_j is the largest
// exponent that fits the feature's largest |x| into 32767, so decoding then
// encoding again gives the same string, and encoding quantises each feature
// to a step of max|x_j|/16384 at most (about 6e-5 for data in [−1, 1]).
export const SMALL_DATASET_VERSION = 1;
export const SMALL_DATASET_DEFAULTS = Object.freeze({ maxRows: 200, maxFeatures: 16, maxChars: 2400 });

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let k = 0; k < 64; k++) B64_INDEX[B64.charCodeAt(k)] = k;

export function base64urlEncode(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let c = 0; c < chars; c++) s += B64[(n >> (18 - 6 * c)) & 63];
  }
  return s;
}

export function base64urlDecode(s) {
  if (s.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor(s.length * 3 / 4));
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    const chunk = Math.min(4, s.length - i);
    for (let c = 0; c < 4; c++) {
      let v = 0;
      if (c < chunk) {
        const code = s.charCodeAt(i + c);
        v = code < 128 ? B64_INDEX[code] : -1;
        if (v < 0) return null;
      }
      n = (n << 6) | v;
    }
    out[o++] = (n >> 16) & 255;
    if (chunk > 2) out[o++] = (n >> 8) & 255;
    if (chunk > 3) out[o++] = n & 255;
  }
  return out;
}

/** The exponent e with max|x|·2^e rounding into 32767 (largest such e); 0 for an all-zero feature. */
function exponentFor(maxAbs) {
  if (maxAbs === 0) return 0;
  let e = Math.floor(Math.log2(32767 / maxAbs));
  while (Math.round(maxAbs * 2 ** (e + 1)) <= 32767) e++;
  while (Math.round(maxAbs * 2 ** e) > 32767) e--;
  return e;
}

/**
 * A small data set as a short base64url string for the URL hash, or null when
 * it is too large for a link (more than maxRows rows or maxFeatures features,
 * more than 255 classes, or longer than maxChars characters) — then offer the
 * data as a file (toCSV). Coordinates are quantised (see above); labels must be
 * integers in 0..classes−1.
 */
export function encodeSmallDataset({ X, y, features, classes }, limits = {}) {
  const { maxRows, maxFeatures, maxChars } = { ...SMALL_DATASET_DEFAULTS, ...limits };
  const rows = y.length;
  if (!Number.isInteger(features) || features < 1 || X.length !== rows * features) fail(`encodeSmallDataset: X must hold rows × features numbers (features ${features}, rows ${rows}, X ${X.length})`);
  classes ??= rows ? 1 + Math.max(...y) : 1;
  if (rows < 1 || rows > maxRows || rows > 65535 || features > maxFeatures || features > 255 || classes > 255) return null;
  const bytes = new Uint8Array(5 + features + 2 * rows * features + rows);
  const view = new DataView(bytes.buffer);
  bytes[0] = SMALL_DATASET_VERSION; bytes[1] = features; bytes[2] = classes; view.setUint16(3, rows, true);
  const exps = [];
  for (let j = 0; j < features; j++) {
    let maxAbs = 0;
    for (let r = 0; r < rows; r++) {
      const v = X[r * features + j];
      if (!Number.isFinite(v)) fail(`encodeSmallDataset: X[${r}, ${j}] is ${v}`);
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    const e = exponentFor(maxAbs);
    if (e < -128 || e > 127) return null;   // beyond |x| ≈ 1e42 or below ≈ 1e-34: not for a link
    exps.push(e); view.setInt8(5 + j, e);
  }
  let at = 5 + features;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < features; j++, at += 2) view.setInt16(at, Math.round(X[r * features + j] * 2 ** exps[j]), true);
  }
  for (let r = 0; r < rows; r++) {
    const k = y[r];
    if (!Number.isInteger(k) || k < 0 || k >= classes) fail(`encodeSmallDataset: y[${r}] = ${k} is not a class in 0..${classes - 1}`);
    bytes[at++] = k;
  }
  const s = base64urlEncode(bytes);
  return s.length <= maxChars ? s : null;
}

/**
 * The data set of encodeSmallDataset: { X: Float32Array, y: Int32Array, rows,
 * features, classes }. Throws an Error saying what is wrong when the string
 * is damaged (it comes from a URL: never trusted).
 */
export function decodeSmallDataset(str) {
  const bad = (why) => fail(`the data in the link is damaged (${why})`);
  if (typeof str !== 'string' || str.length === 0) bad('empty');
  if (str.length > 16384) bad(`${str.length} characters is too long`);
  const bytes = base64urlDecode(str);
  if (!bytes) bad('not base64url');
  if (bytes.length < 5) bad('too short');
  if (bytes[0] !== SMALL_DATASET_VERSION) bad(`version ${bytes[0]}, this page reads version ${SMALL_DATASET_VERSION}`);
  const view = new DataView(bytes.buffer);
  const features = bytes[1], classes = bytes[2], rows = view.getUint16(3, true);
  if (features < 1 || classes < 1 || rows < 1) bad('no rows, features or classes');
  const expected = 5 + features + 2 * rows * features + rows;
  if (bytes.length !== expected) bad(`${bytes.length} bytes, expected ${expected}`);
  const scale = [];
  for (let j = 0; j < features; j++) scale.push(2 ** -view.getInt8(5 + j));
  const X = new Float32Array(rows * features);
  let at = 5 + features;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < features; j++, at += 2) X[r * features + j] = view.getInt16(at, true) * scale[j];
  }
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    if (bytes[at] >= classes) bad(`label ${bytes[at]} of row ${r + 1} is not below ${classes} classes`);
    y[r] = bytes[at++];
  }
  return { X, y, rows, features, classes };
}

/** What encode → decode gives for X: each feature on its grid (for tests and previews). */
export function quantizeSmallDataset({ X, y, features, classes }) {
  const s = encodeSmallDataset({ X, y, features, classes }, { maxRows: 65535, maxFeatures: 255, maxChars: Infinity });
  return s === null ? null : decodeSmallDataset(s);
}
