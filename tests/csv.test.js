// csv.test.js — "bring your own data" (web/csv.js) and `gradscope train --data`.
// Run: node --test tests/csv.test.js
//
// What it checks: the CSV reader's edge cases (RFC 4180 quotes, CRLF, lone
// CR, BOM, header or not, empty lines, trailing delimiter, whitespace,
// ';' / tab delimiters with decimal commas, string and integer labels,
// label column by position or name); every error message with its 1-based
// line of the original text (and column); the row / feature / class limits;
// normalisation statistics in closed form; toCSV → parseCSV bit-exact round
// trip; the URL encoding of small point sets (exact round trip of the
// quantised values, size cap, damaged strings); and the CLI training on a CSV
// file, reproducing the JS API to the last bit, and exiting 2 with the line of
// a broken file.
//
// The issue's other Node test — "the same seed with two initialisers gives
// weights that are exact rescalings of each other where the initialisers are
// both Gaussian" — is tests/determinism.test.js "(d) Gaussian initialisers are
// exact rescalings of each other (closed-form std ratio)"; not repeated here.

import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { CLI, gradscope } from './helpers/cli.js';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  parseCSV, toCSV, detectDelimiter, featureStats, float32String,
  encodeSmallDataset, decodeSmallDataset, quantizeSmallDataset, SMALL_DATASET_DEFAULTS,
} from '../web/csv.js';
import { loadGradscope, readRecord } from '../web/gradscope.js';
import { defaults, serializeHash, toNetConfig, MAX_HASH_LENGTH } from '../web/config.js';

const tmp = mkdtempSync(join(tmpdir(), 'gradscope-csv-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const arr = (typed) => Array.from(typed);
/** parseCSV must throw; returns the error. */
function parseError(text, options) {
  try { parseCSV(text, options); } catch (e) { return e; }
  assert.fail(`expected an error for ${JSON.stringify(text.slice(0, 60))}`);
}
/** A seeded generator (mulberry32) so the random cases are reproducible. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('parseCSV: reading', () => {
  test('a 2-D point set with a header: x, y, class (string labels)', () => {
    const d = parseCSV('x,y,class\n0.5,-1,red\n2,3e-1,blue\n-0.25,.5,red\n');
    assert.equal(d.rows, 3); assert.equal(d.features, 2); assert.equal(d.classes, 2);
    assert.deepEqual(arr(d.X), [0.5, -1, 2, Math.fround(0.3), -0.25, 0.5]);
    assert.ok(d.X instanceof Float32Array && d.y instanceof Int32Array);
    assert.deepEqual(arr(d.y), [0, 1, 0]);
    assert.deepEqual(d.header, ['x', 'y', 'class']);
    assert.deepEqual(d.featureNames, ['x', 'y']);
    assert.equal(d.labelName, 'class'); assert.equal(d.labelColumn, 3);
    assert.deepEqual(d.classNames, ['red', 'blue']);
    assert.deepEqual(arr(d.lines), [2, 3, 4]);
  });

  test('no header: detected when every feature cell of row 1 is a number; string labels do not make a header', () => {
    const d = parseCSV('1,2,cat\n3,4,dog\n');
    assert.equal(d.header, null); assert.equal(d.featureNames, null); assert.equal(d.rows, 2);
    assert.deepEqual(d.classNames, ['cat', 'dog']);
    // header: true takes even a numeric-looking first row as names; header: false reads it as data
    const forced = parseCSV('1,2,3\n4,5,0\n6,7,1\n', { header: true });
    assert.deepEqual(forced.header, ['1', '2', '3']); assert.equal(forced.rows, 2);
    const asData = parseCSV('1,2,3\n4,5,0\n6,7,3\n', { header: false });
    assert.equal(asData.rows, 3);
    // header: false with a word in a feature cell is a bad number on line 1
    assert.equal(parseError('x,y,c\n1,2,0\n', { header: false }).message, 'line 1, column 1: "x" is not a number');
  });

  test('RFC 4180 quotes: delimiters, "" and line breaks inside quotes; quoted "1,5" is 1.5', () => {
    const text = '"x","y, second",label\n"1,5", 2 ,"say ""hi"""\n3,"4","a\nb"\n5,6,"say ""hi"""\n';
    const d = parseCSV(text);
    assert.deepEqual(d.header, ['x', 'y, second', 'label']);
    assert.deepEqual(arr(d.X), [1.5, 2, 3, 4, 5, 6]);
    assert.deepEqual(d.classNames, ['say "hi"', 'a\nb']);
    assert.deepEqual(arr(d.y), [0, 1, 0]);
    // the quoted line break is inside row 2 (lines 3–4): the next row is on line 5
    assert.deepEqual(arr(d.lines), [2, 3, 5]);
    assert.equal(parseError(text + '7,x,a\n').message, 'line 6, column 2: "x" is not a number');
    // "1,500" in a comma file could be a thousands separator
    assert.equal(parseError('1,"1,500",0\n2,3,1\n').message, 'line 1, column 2: "1,500" is ambiguous: write "1.500" or "1500"');
  });

  test('line ends: CRLF, lone CR and a mix count lines alike; a UTF-8 BOM is ignored', () => {
    const rows = ['a,b,c', '1,2,0', '3,4,1', '5,6,0'];
    const ref = parseCSV(rows.join('\n'));
    for (const text of [rows.join('\r\n') + '\r\n', rows.join('\r'), '\uFEFF' + rows.join('\r\n'), 'a,b,c\r1,2,0\r\n3,4,1\n5,6,0\r']) {
      const d = parseCSV(text);
      assert.deepEqual(d.header, ['a', 'b', 'c'], JSON.stringify(text));
      assert.deepEqual(arr(d.X), arr(ref.X)); assert.deepEqual(arr(d.y), arr(ref.y));
      assert.deepEqual(arr(d.lines), [2, 3, 4]);
    }
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = ['a,b,c', '1,2,0', '', '3,oops,1'].join(eol);
      assert.equal(parseError(text).message, 'line 4, column 2: "oops" is not a number', JSON.stringify(eol));
    }
    // BOM + no header: the first cell is still a number
    assert.equal(parseCSV('\uFEFF1,2,0\n3,4,1\n').header, null);
  });

  test('empty lines and all-empty rows are skipped, but line numbers count them', () => {
    const text = '\n\nx,y,c\n\n1,2,0\n   \n,,\n3,4,1\n\n\n';
    const d = parseCSV(text);
    assert.deepEqual(d.header, ['x', 'y', 'c']);
    assert.equal(d.rows, 2);
    assert.deepEqual(arr(d.lines), [5, 8]);
    assert.equal(parseError(text + '5,6\n').message, 'line 11 has 2 columns, expected 3 (like the header on line 3) — columns are separated by ","');
  });

  test('trailing delimiter and whitespace around values', () => {
    const d = parseCSV(' x , y , label ,\n 1 ,\t2 , cat ,\n3,4,dog,\n');
    assert.deepEqual(d.header, ['x', 'y', 'label']);
    assert.deepEqual(arr(d.X), [1, 2, 3, 4]);
    assert.deepEqual(d.classNames, ['cat', 'dog']);
    // a trailing delimiter on some rows only
    assert.deepEqual(arr(parseCSV('1,2,0,\n3,4,1\n').X), [1, 2, 3, 4]);
  });

  test('delimiters: ";" (with decimal commas) and tab are detected; the delimiter can be forced', () => {
    assert.equal(detectDelimiter('a;b;c\n1,5;2;0\n'), ';');
    assert.equal(detectDelimiter('a\tb\tc\n1\t2\t0\n'), '\t');
    assert.equal(detectDelimiter('"a;b",c,d\n1,2,0\n'), ',');
    assert.equal(detectDelimiter('1,\t2,\t0\n'), ',');
    const semi = parseCSV('x;y;label\n1,5;-2,25;a\n3;4;b\n');
    assert.equal(semi.delimiter, ';');
    assert.deepEqual(arr(semi.X), [1.5, -2.25, 3, 4]);
    const tab = parseCSV('x\ty\tlabel\n1.5\t 2 \ta b\n3\t4\tc\n');
    assert.equal(tab.delimiter, '\t');
    assert.deepEqual(arr(tab.X), [1.5, 2, 3, 4]);
    assert.deepEqual(tab.classNames, ['a b', 'c']);
    const semiForced = parseCSV('1,5;0\n2,5;1\n', { delimiter: ';' });
    assert.deepEqual(arr(semiForced.X), [1.5, 2.5]);
    const commaForced = parseCSV('1,5;0\n2,5;1\n', { delimiter: ',' });
    assert.deepEqual(arr(commaForced.X), [1, 2]);
    assert.deepEqual(commaForced.classNames, ['5;0', '5;1']);
    // near-numbers stay errors
    assert.equal(parseError('1;2;0\n1;2.5.;1\n').message, 'line 2, column 2: "2.5." is not a number');
    assert.equal(parseError('1,2,0\n1,"2,5x",1\n').message, 'line 2, column 2: "2,5x" is not a number');
  });

  test('labels: integers → classes in increasing numeric order; words → order of first appearance', () => {
    const ints = parseCSV('0,3\n0,1\n0,2\n0,-1\n0,01\n');
    assert.deepEqual(ints.classNames, ['-1', '1', '2', '3']);
    assert.deepEqual(arr(ints.y), [3, 1, 2, 0, 1]);
    const words = parseCSV('0,dog\n0,cat\n0,dog\n0,1\n');
    assert.deepEqual(words.classNames, ['dog', 'cat', '1']);
    assert.deepEqual(arr(words.y), [0, 1, 0, 2]);
    // decimals are words (a regression target is not a class label)
    assert.deepEqual(parseCSV('0,0.5\n0,1\n').classNames, ['0.5', '1']);
    // classNames fixes the order and the set
    const fixed = parseCSV('0,b\n0,a\n', { classNames: ['a', 'b', 'c'] });
    assert.deepEqual(arr(fixed.y), [1, 0]); assert.equal(fixed.classes, 3);
    assert.equal(parseError('0,b\n0,z\n', { classNames: ['a', 'b'] }).message, 'line 2, column 2: label "z" is not one of the classes "a", "b"');
  });

  test('label column: last (default), first, a 1-based number, or a header name', () => {
    const text = 'species,len,width\nsetosa,1,2\nversicolor,3,4\n';
    const first = parseCSV(text, { labelColumn: 'first' });
    assert.deepEqual(first.featureNames, ['len', 'width']);
    assert.deepEqual(first.classNames, ['setosa', 'versicolor']);
    assert.deepEqual(arr(first.X), [1, 2, 3, 4]);
    assert.deepEqual(arr(parseCSV(text, { labelColumn: 'species' }).X), [1, 2, 3, 4]);
    const byNumber = parseCSV('1,7,2\n3,8,4\n', { labelColumn: 2 });
    assert.deepEqual(arr(byNumber.X), [1, 2, 3, 4]); assert.deepEqual(byNumber.classNames, ['7', '8']);
    // the label column decides what "feature cell" means for header detection
    assert.equal(parseCSV('setosa,1,2\nversicolor,3,4\n', { labelColumn: 1 }).header, null);
    assert.equal(parseError(text, { labelColumn: 'petal' }).message, 'line 1: the header has no column named "petal" (it has "species", "len", "width")');
    assert.equal(parseError('1,2,0\n', { labelColumn: 'y', header: false }).message, 'labelColumn "y" is a name, but the file has no header row');
    // a label column given by name means the first row is the header
    assert.equal(parseError('1,2,0\n', { labelColumn: 'y' }).message, 'line 1: the header has no column named "y" (it has "1", "2", "0")');
    assert.equal(parseError('1,2,0\n', { labelColumn: 4 }).message, 'line 1 has 3 columns, so the label column 4 does not exist');
    assert.match(parseError('1,2,0\n', { labelColumn: 0 }).message, /column number from 1/);
  });
});

describe('parseCSV: errors name the line (and column) of the original text', () => {
  test('bad numbers, empty cells and non-finite values', () => {
    const cases = [
      ['x,y,c\n1,2,0\n\n3,abc,1\n', 'line 4, column 2: "abc" is not a number'],
      ['1,2,0\n1,,1\n', 'line 2, column 2: the value is empty'],
      ['1,2,0\n1,0x10,1\n', 'line 2, column 2: "0x10" is not a number'],
      ['1,2,0\n1,2,\n', 'line 2 has 2 columns, expected 3 (like the first row) — columns are separated by ","'],
      ['1,2,0\n1,2," "\n', 'line 2, column 3: the label is empty'],
      ['1,2,0\n1,2,NaN\n', 'line 2, column 3: the label "NaN" is not a class (a missing value?)'],
      ['1,2,0\n1,1.5.2,1\n', 'line 2, column 2: "1.5.2" is not a number'],
      ['1;2;0\n1;2,5,x;1\n', 'line 2, column 2: "2,5,x" is not a number'],
      ['1,2,0\n3,2 5,1\n', 'line 2, column 2: "2 5" is not a number'],
      ['1,2,0\n3,2,5,1\n', 'line 2 has 4 columns, expected 3 (like the first row) — columns are separated by ","'],
    ];
    for (const [text, message] of cases) assert.equal(parseError(text).message, message, JSON.stringify(text));
    // with the delimiter given, the message does not explain it
    assert.equal(parseError('1,2,0\n3,2,5,1\n', { delimiter: ',' }).message, 'line 2 has 4 columns, expected 3 (like the first row)');
    // an unquoted decimal comma in a comma file splits the cell: a ragged row
    assert.equal(parseError('x,y,c\n1,2,0\n1,2,5,1\n', { labelColumn: 'c' }).message, 'line 3 has 4 columns, expected 3 (like the header on line 1) — columns are separated by ","');
    for (const bad of ['NaN', 'nan', 'Infinity', '-Infinity', 'inf', '-inf', '#DIV/0!']) {
      assert.equal(parseError(`1,2,0\n\n1,${bad},1\n`).message, `line 3, column 2: "${bad}" is not a finite number`, bad);
    }
    for (const big of ['1e999', '-1e999', '1e39', '3.5e38']) {
      assert.equal(parseError(`x,y,c\n1,${big},1\n`).message, `line 2, column 2: "${big}" is not a finite number (too large: at most ±3.4e38)`, big);
    }
    assert.equal(parseCSV('1,3.4e38,1\n1,2,0\n').X[1], Math.fround(3.4e38));
    // a non-finite value in the first row is data, not a header
    assert.equal(parseError('1,NaN,0\n').message, 'line 1, column 2: "NaN" is not a finite number');
  });

  test('ragged rows, quoting mistakes, empty files and files without data', () => {
    const e = parseError('a,b,c\n1,2,0\n\n\n\n\n\n\n\n\n\n1,2,3,0\n');
    assert.equal(e.message, 'line 12 has 4 columns, expected 3 (like the header on line 1) — columns are separated by ","');
    assert.equal(e.line, 12); assert.equal(e.column, undefined); assert.equal(e.name, 'CSVError');
    const bad = parseError('1,2,0\n4,x,1');
    assert.equal(bad.line, 2); assert.equal(bad.column, 2);
    assert.equal(parseError('1,2,0\n3,4,"open\n5,6,1\n').message, 'line 2, column 3: a quoted field is not closed (a " is missing)');
    assert.equal(parseError('1,2,0\n3,"4"5,1\n').message, 'line 2, column 2: unexpected text after a closing quote: "5,1" (write "" for a quote inside a quoted field)');
    assert.equal(parseError('').message, 'the file is empty (no rows)');
    assert.equal(parseError('\uFEFF\r\n\n  \n').message, 'the file is empty (no rows)');
    assert.equal(parseError('x,y,label\n\n').message, 'no data rows: the file has only a header (line 1)');
    assert.equal(parseError('\n1\n2\n').message, 'line 2: found 1 column ("1"); a data set needs at least one feature column and a label column, separated by "," ";" or a tab');
    assert.equal(parseError('1,2,a\n3,4,a\n').message, 'the label column (column 3) has 1 class ("a"); at least 2 are needed');
    assert.equal(parseCSV('1,2,a\n', { minClasses: 1 }).classes, 1);
    assert.throws(() => parseCSV(null), /needs the file's text/);
    assert.throws(() => parseCSV('1,0\n2,1\n', { normalize: 'zscore' }), /normalize must be/);
  });

  test('limits: rows, features and classes (each message says the limit)', () => {
    const rowsText = ['x,y,c', ...Array.from({ length: 6 }, (_, i) => `${i},${i},${i % 2}`)].join('\n');
    assert.equal(parseCSV(rowsText, { maxRows: 6 }).rows, 6);
    assert.equal(parseError(rowsText, { maxRows: 5 }).message, 'line 7: too many rows — this is data row 6; at most 5 rows are allowed');
    // the default: 10 000 rows
    const many = 'a,b\n' + Array.from({ length: 10001 }, (_, i) => `${i},${i % 2}`).join('\n');
    assert.equal(parseError(many).message, 'line 10002: too many rows — this is data row 10001; at most 10000 rows are allowed');
    assert.equal(parseCSV(many, { maxRows: 10001 }).rows, 10001);

    const wide = (n) => [Array.from({ length: n + 1 }, (_, j) => String(j % 2)).join(','), Array.from({ length: n + 1 }, (_, j) => String((j + 1) % 2)).join(',')].join('\n');
    assert.equal(parseCSV(wide(1024)).features, 1024);
    assert.equal(parseError(wide(1025)).message, 'line 1 has 1025 feature columns; at most 1024 are allowed');
    assert.equal(parseError(wide(3), { maxFeatures: 2 }).message, 'line 1 has 3 feature columns; at most 2 are allowed');

    const classesText = (k) => Array.from({ length: k }, (_, i) => `${i},class${i}`).join('\n');
    assert.equal(parseCSV(classesText(10)).classes, 10);
    assert.equal(parseError('\n' + classesText(11)).message, 'line 12, column 2: label "class10" would be class number 11; at most 10 classes are allowed (is column 2 the label column?)');
    // integer labels: the 11th distinct value is reported where it first appears
    const ints = Array.from({ length: 12 }, (_, i) => `${i},${i * 7}`).join('\n');
    assert.equal(parseError(ints).message, 'line 11, column 2: label "70" would be class number 11; at most 10 classes are allowed (is column 2 the label column?)');
    assert.equal(parseError(classesText(4), { maxClasses: 3 }).line, 4);
  });
});

describe('parseCSV: normalisation', () => {
  const random = (rows, features, seed) => {
    const next = rng(seed);
    const lines = [];
    for (let r = 0; r < rows; r++) {
      const cells = [];
      for (let j = 0; j < features; j++) cells.push(j === 2 ? '4.25' : ((next() * 10 - 3) * (j + 1) ** 3).toPrecision(7));
      lines.push([...cells, r % 3].join(','));
    }
    return lines.join('\n');
  };

  test('stats are the raw per-feature mean, population std, min and max (closed form)', () => {
    const d = parseCSV('1,10,0\n2,10,1\n3,10,0\n4,10,1\n');
    assert.deepEqual(arr(d.stats.mean), [2.5, 10]);
    assert.deepEqual(arr(d.stats.std), [Math.sqrt(1.25), 0]);
    assert.deepEqual(arr(d.stats.min), [1, 10]);
    assert.deepEqual(arr(d.stats.max), [4, 10]);
    assert.equal(d.normalize, 'none');
    // standard: (x − 2.5)/√1.25; a constant feature becomes 0 (not NaN)
    const s = parseCSV('1,10,0\n2,10,1\n3,10,0\n4,10,1\n', { normalize: 'standard' });
    const z = [1, 2, 3, 4].map((x) => Math.fround((x - 2.5) / Math.sqrt(1.25)));
    assert.deepEqual(arr(s.X), [z[0], 0, z[1], 0, z[2], 0, z[3], 0]);
    assert.deepEqual(arr(s.stats.mean), [2.5, 10], 'stats describe the raw data');
    // minmax: onto [−1, 1]
    const m = parseCSV('1,10,0\n2,10,1\n3,10,0\n4,10,1\n', { normalize: 'minmax' });
    assert.deepEqual(arr(m.X), [-1, 0, -1 / 3, 0, 1 / 3, 0, 1, 0].map(Math.fround));
  });

  test("'standard': every feature has mean 0 and population std 1 within 1e-6; constant features stay finite", () => {
    const d = parseCSV(random(997, 6, 11), { normalize: 'standard' });
    const after = featureStats(d.X, d.rows, d.features);
    for (let j = 0; j < d.features; j++) {
      if (j === 2) {   // the constant column
        assert.equal(d.stats.std[j], 0);
        for (let r = 0; r < d.rows; r++) assert.equal(d.X[r * d.features + j], 0);
        continue;
      }
      assert.ok(Math.abs(after.mean[j]) < 1e-6, `feature ${j} mean ${after.mean[j]}`);
      assert.ok(Math.abs(after.std[j] - 1) < 1e-6, `feature ${j} std ${after.std[j]}`);
    }
    assert.ok(d.X.every(Number.isFinite));
  });

  test("'minmax': every non-constant feature spans exactly [−1, 1]", () => {
    const d = parseCSV(random(300, 5, 3), { normalize: 'minmax' });
    const after = featureStats(d.X, d.rows, d.features);
    for (let j = 0; j < d.features; j++) {
      if (j === 2) { assert.equal(after.min[j], 0); assert.equal(after.max[j], 0); continue; }
      assert.ok(Math.abs(after.min[j] + 1) < 1e-6 && Math.abs(after.max[j] - 1) < 1e-6, `feature ${j}: ${after.min[j]}..${after.max[j]}`);
    }
  });
});

describe('toCSV', () => {
  test('toCSV → parseCSV gives back the same float32 X bit for bit and the same y', () => {
    const next = rng(5);
    const rows = 500, features = 3;
    const X = new Float32Array(rows * features);
    for (let k = 0; k < X.length; k++) X[k] = (next() - 0.5) * 10 ** Math.floor(next() * 20 - 10);
    X.set([0, -0, 1e-40, -3.4e38, 16777216, 0.1], 0);
    const y = Int32Array.from({ length: rows }, (_, r) => (r * 7) % 4);
    for (const classNames of [null, ['cat', 'dog, big', 'say "hi"', ' spaced ']]) {
      const text = toCSV({ X, y, features, header: ['a', 'b', 'c'], classNames });
      // string classes: first appearance here is 0, 3, 2, 1, so give the order (integers sort by themselves)
      const d = parseCSV(text, classNames ? { classNames } : {});
      assert.deepEqual(d.header, ['a', 'b', 'c', 'label']);
      assert.equal(d.rows, rows);
      assert.deepEqual(new Uint32Array(d.X.buffer), new Uint32Array(X.buffer), 'X bits');
      assert.deepEqual(arr(d.y), arr(y));
      if (classNames) assert.deepEqual(d.classNames, classNames);
    }
    assert.equal(float32String(0.1), '0.1');
    assert.equal(float32String(Math.fround(1 / 3)), '0.33333334');
  });

  test('a parsed file written back reads the same (string classes in first-appearance order)', () => {
    const src = parseCSV('len;width;species\n1,5;2;virginica\n3;4;setosa\n5;6;virginica\n');
    const again = parseCSV(toCSV(src));
    assert.deepEqual(again.featureNames, ['len', 'width']);
    assert.equal(again.labelName, 'species');
    assert.deepEqual(arr(again.X), arr(src.X));
    assert.deepEqual(arr(again.y), arr(src.y));
    assert.deepEqual(again.classNames, src.classNames);
    // header names that need quotes; CRLF output
    const text = toCSV({ X: [1, 2], y: [0, 1], features: 1, header: ['x, cm', 'kind'], classNames: ['a', 'b'], lineEnd: '\r\n' });
    assert.equal(text, '"x, cm",kind\r\n1,a\r\n2,b\r\n');
    assert.throws(() => toCSV({ X: [1, NaN], y: [0, 1], features: 1 }), /X\[1, 0\] is NaN/);
    assert.throws(() => toCSV({ X: [1, 2, 3], y: [0, 1], features: 1 }), /rows × features/);
  });
});

describe('small data sets in the URL', () => {
  const points = (n, seed, scale = 1) => {
    const next = rng(seed);
    const X = Float32Array.from({ length: 2 * n }, () => (next() * 2 - 1) * scale);
    const y = Int32Array.from({ length: n }, () => Math.floor(next() * 3));
    return { X, y, features: 2, classes: 3 };
  };

  test('200 2-D points fit a link; decoding gives the quantised values, re-encoding the same string', () => {
    const d = points(200, 1);
    const s = encodeSmallDataset(d);
    assert.equal(typeof s, 'string');
    assert.match(s, /^[A-Za-z0-9_-]+$/);
    assert.ok(s.length <= SMALL_DATASET_DEFAULTS.maxChars, `${s.length} characters`);
    // it fits in a link next to a full config
    const hash = serializeHash(defaults(), { data: s });
    assert.ok(hash.length <= MAX_HASH_LENGTH, `hash ${hash.length}`);
    const back = decodeSmallDataset(new URLSearchParams(hash.slice(1)).get('data'));
    assert.equal(back.rows, 200); assert.equal(back.features, 2); assert.equal(back.classes, 3);
    assert.deepEqual(arr(back.y), arr(d.y));
    // quantisation step ≤ max|x|/16384 → error ≤ half of it
    let maxAbs = [0, 0];
    for (let k = 0; k < d.X.length; k++) maxAbs[k % 2] = Math.max(maxAbs[k % 2], Math.abs(d.X[k]));
    for (let k = 0; k < d.X.length; k++) assert.ok(Math.abs(back.X[k] - d.X[k]) <= maxAbs[k % 2] / 32768, `value ${k}`);
    // exact round trip of the quantised values
    assert.equal(encodeSmallDataset(back), s);
    const twice = decodeSmallDataset(encodeSmallDataset(back));
    assert.deepEqual(new Uint32Array(twice.X.buffer), new Uint32Array(back.X.buffer));
    assert.deepEqual(arr(quantizeSmallDataset(d).X), arr(back.X));
  });

  test('exact round trip at other scales, for an all-zero feature, and for values already on the grid', () => {
    for (const scale of [1e-20, 0.003, 1, 7.5, 12345, 1e30]) {
      const d = points(50, 9, scale);
      d.X[3] = 0;
      const s = encodeSmallDataset(d);
      const back = decodeSmallDataset(s);
      assert.equal(encodeSmallDataset(back), s, `scale ${scale}`);
      for (let k = 0; k < d.X.length; k++) assert.ok(Math.abs(back.X[k] - d.X[k]) <= Math.abs(scale) / 16384, `scale ${scale}, value ${k}`);
    }
    const zeros = { X: new Float32Array(6), y: [0, 1, 0], features: 2, classes: 2 };
    assert.deepEqual(arr(decodeSmallDataset(encodeSmallDataset(zeros)).X), [0, 0, 0, 0, 0, 0]);
    const grid = { X: [0.5, -0.25, 1, 0.125], y: [1, 0], features: 2, classes: 2 };
    assert.deepEqual(arr(decodeSmallDataset(encodeSmallDataset(grid)).X), [0.5, -0.25, 1, 0.125]);
  });

  test('too large → null (offer a file instead)', () => {
    assert.equal(encodeSmallDataset(points(201, 2)), null);
    assert.notEqual(encodeSmallDataset(points(201, 2), { maxRows: 300 }), null);
    assert.equal(encodeSmallDataset(points(150, 2), { maxChars: 500 }), null);
    const wide = { X: new Float32Array(17 * 4), y: [0, 1, 0, 1], features: 17, classes: 2 };
    assert.equal(encodeSmallDataset(wide), null);
    assert.equal(encodeSmallDataset({ X: [], y: [], features: 2, classes: 2 }), null);
    assert.throws(() => encodeSmallDataset({ X: [0, 0], y: [5], features: 2, classes: 2 }), /y\[0\] = 5/);
  });

  test('damaged strings from a link are refused with a reason', () => {
    const s = encodeSmallDataset(points(10, 4));
    assert.throws(() => decodeSmallDataset(''), /damaged \(empty\)/);
    assert.throws(() => decodeSmallDataset(s.slice(0, -4)), /damaged \(\d+ bytes, expected \d+\)/);
    assert.throws(() => decodeSmallDataset(s + 'A'), /damaged/);
    const v2 = Buffer.from(s, 'base64url'); v2[0] = 2;
    assert.throws(() => decodeSmallDataset(v2.toString('base64url')), /damaged \(version 2, this page reads version 1\)/);
    assert.throws(() => decodeSmallDataset('!!!!'), /not base64url/);
    assert.throws(() => decodeSmallDataset('A'.repeat(20000)), /too long/);
    // a label not below the class count
    const bytes = Buffer.from(s, 'base64url');
    bytes[bytes.length - 1] = 9;
    assert.throws(() => decodeSmallDataset(bytes.toString('base64url')), /label 9 of row 10 is not below 3 classes/);
  });
});

// ---------------------------------------------------------------- CLI


describe('gradscope train --data', { concurrency: 3 }, () => {
  const file = join(tmp, 'blobs.csv');
  const next = rng(17);
  const lines = ['x;y;colour'];
  for (let i = 0; i < 240; i++) {
    const c = i % 3, a = (2 * Math.PI * c) / 3;
    lines.push(`${(3 * Math.cos(a) + next()).toFixed(4).replace('.', ',')};${(3 * Math.sin(a) + next()).toFixed(4).replace('.', ',')};${['red', 'green', 'blue'][c]}`);
  }
  writeFileSync(file, '\uFEFF' + lines.join('\r\n') + '\r\n');

  test('trains on the file: features and classes from it, dataset csv, same numbers as the JS API', async () => {
    const args = ['train', '--data', file, '--normalize', 'standard', '--depth', '3', '--width', '8', '--activation', 'relu', '--init', 'he_normal', '--steps', '4', '--every', '1', '--seed', '3'];
    const [table, json] = await Promise.all([gradscope([...args, '--steps', '300', '--every', '100', '--lr', '0.2']), gradscope([...args, '--format', 'json'])]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /, csv, /);
    assert.match(table.stdout, /^data: .*blobs\.csv — 240 rows × 2 features \(x, y\), 3 classes \(red, green, blue\), label column 3 "colour", normalize standard$/m);
    const acc = Number(table.stdout.match(/train loss, accuracy\s+\S+\s+(\S+)/)[1]);
    assert.ok(acc > 0.9, `train accuracy ${acc} on well-separated blobs`);

    assert.equal(json.code, 0, json.stderr);
    const cli = JSON.parse(json.stdout);
    assert.equal(cli.config.dataset, 'csv');
    assert.deepEqual(cli.data, { file, rows: 240, features: 2, classes: 3, classNames: ['red', 'green', 'blue'], featureNames: ['x', 'y'], labelColumn: 3, normalize: 'standard' });
    assert.equal(cli.layerCount, 4);

    // the reference: parseCSV + createDataset(arrays) + toNetConfig, as the page will do
    const { readFileSync } = await import('node:fs');
    const d = parseCSV(readFileSync(file, 'utf8'), { normalize: 'standard' });
    const gs = await loadGradscope();
    const data = gs.createDataset({ kind: 'arrays', X: d.X, y: d.y, features: d.features, classes: d.classes, trainShare: cli.config.trainShare, seed: cli.config.seed });
    const net = gs.createNet({ ...toNetConfig(cli.config), inputs: d.features, outputs: d.classes });
    const r = net.trainSteps(data, 4);
    for (let i = 0; i < 4; i++) {
      const api = readRecord(r.records, i, net.layerCount);
      assert.deepEqual(cli.steps[i].layers.map((l) => l.gradNormW), api.layers.map((l) => l.gradNormW), `step ${i + 1}`);
      assert.equal(cli.steps[i].global.loss, api.global.loss);
    }
    net.free(); data.free();
  });

  test('--labelColumn by name and number; --header false', async () => {
    const f = join(tmp, 'first.csv');
    writeFileSync(f, 'kind,a,b\nx,1,2\ny,3,4\nx,5,6\ny,7,8\n');
    const g = join(tmp, 'noheader.csv');
    writeFileSync(g, '0,1,2\n1,3,4\n0,5,6\n1,7,8\n');
    const [byName, byNumber, noHeader] = await Promise.all([
      gradscope(['train', '--data', f, '--labelColumn', 'kind', '--depth', '2', '--steps', '2', '--format', 'json']),
      gradscope(['train', '--data', f, '--labelColumn', '1', '--depth', '2', '--steps', '2', '--format', 'json']),
      gradscope(['train', '--data', g, '--labelColumn', 'first', '--header', 'false', '--depth', '2', '--steps', '2', '--format', 'json']),
    ]);
    for (const run of [byName, byNumber, noHeader]) assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(byName.stdout).data.classNames, ['x', 'y']);
    assert.deepEqual(JSON.parse(byNumber.stdout).data.featureNames, ['a', 'b']);
    assert.equal(JSON.parse(noHeader.stdout).data.rows, 4);
  });

  test('a broken file exits 2 naming the file and the line; so does a missing file or a stray --normalize', async () => {
    const bad = join(tmp, 'broken.csv');
    writeFileSync(bad, 'x,y,label\n1,2,a\n\n3,4,b\n5,six,a\n');
    const ragged = join(tmp, 'ragged.csv');
    writeFileSync(ragged, '1,2,0\r\n3,4,1\r\n5,6,7,0\r\n');
    const [b, r, missing, stray, badNorm] = await Promise.all([
      gradscope(['train', '--data', bad, '--steps', '5']),
      gradscope(['train', '--data', ragged, '--steps', '5']),
      gradscope(['train', '--data', join(tmp, 'nope.csv')]),
      gradscope(['train', '--normalize', 'standard']),
      gradscope(['train', '--data', bad, '--normalize', 'zscore']),
    ]);
    assert.equal(b.code, 2);
    assert.equal(b.stdout, '', 'nothing trained');
    assert.match(b.stderr, /--data .*broken\.csv: line 5, column 2: "six" is not a number/);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /ragged\.csv: line 3 has 4 columns, expected 3/);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.csv: cannot read the file \(no such file\)/);
    assert.equal(stray.code, 2);
    assert.match(stray.stderr, /--normalize needs --data FILE/);
    assert.equal(badNorm.code, 2);
    assert.match(badNorm.stderr, /--normalize must be one of none, standard, minmax/);
  });
});
