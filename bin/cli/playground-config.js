// playground-config.js — from command-line flags (and an optional playground
// link) to a playground config, exactly the way the page builds one:
// config.parseEntries over the link's entries followed by the flags (a flag
// overrides the link), then toDatasetSpec / toNetConfig for the JS API.
//
// Link problems are the page's notices (the page shows them and falls back
// to the default, so the CLI does the same and warns on stderr); a bad flag
// is a usage error naming the flag (exit 2).

import { SCHEMA_BY_KEY, RESERVED_HASH_KEYS, MAX_HASH_LENGTH, parseEntries, crossCheck, toDatasetSpec, toNetConfig } from '../../web/config.js';
import { UsageError, coerceFlag, choiceFlag, last } from './args.js';
import { readFileSync } from 'node:fs';
import { parseCSV, decodeSmallDataset } from '../../web/csv.js';

/** The hash part of a playground URL, a '#…' hash, or a bare 'depth=20&…'. */
export function hashOf(url) {
  const text = String(url);
  const at = text.indexOf('#');
  if (at >= 0) return text.slice(at + 1);
  if (/^[a-z]+:\/\//i.test(text)) return '';   // a URL without a hash: all defaults
  return text.startsWith('?') ? text.slice(1) : text;
}

/** [key, raw] entries of a link, without the page-state keys (lang, lesson …). */
function linkEntries(url, warn) {
  let hash = hashOf(url);
  if (hash.length > MAX_HASH_LENGTH) { warn(`--url: the link's hash is ${hash.length} characters long (at most ${MAX_HASH_LENGTH}); using defaults`); hash = ''; }
  return [...new URLSearchParams(hash).entries()].filter(([k]) => !RESERVED_HASH_KEYS.has(k));
}

/**
 * The data set a playground link carries (`data=`, the page's small data
 * sets: ≤ 200 points), as { X, y, rows, features, classes, encoded }, or null when the
 * link has none. A damaged value is a usage error naming --url.
 */
export function linkData(url) {
  if (url === undefined) return null;
  const hash = hashOf(url);
  if (hash.length > MAX_HASH_LENGTH) return null;   // buildConfig already warned
  const text = new URLSearchParams(hash).get('data');
  if (!text) return null;
  try { return { ...decodeSmallDataset(text), encoded: text }; } catch (e) { throw new UsageError(`--url: ${e.message}`); }
}

/**
 * Your own data for a run, from --data FILE (with --labelColumn, --normalize,
 * --header) or from the link's data= when the link's dataset is csv; null for
 * the built-in data sets. Sets config.dataset to 'csv' when a file is given.
 * Returns the parsed data ({ X, y, features, classes, … }).
 */
export function resolveData({ given, config, warn }) {
  const file = last(given, 'data');
  if (file === undefined) {
    for (const name of ['labelColumn', 'normalize', 'header']) if (given.has(name)) throw new UsageError(`--${name} needs --data FILE`);
    if (config.dataset !== 'csv') return null;
    // a page link with the learner's own points in it (data=), as the page reads it
    const fromLink = linkData(last(given, 'url'));
    if (!fromLink) throw new UsageError('the dataset is csv (your own data) but there is none: give --data FILE (a link carries its data only when it holds ≤ 200 points)');
    return fromLink;
  }
  const csv = loadCsvData(file, {
    labelColumn: last(given, 'labelColumn', 'last'),
    normalize: choiceFlag(given, 'normalize', ['none', 'standard', 'minmax'], 'none'),
    header: choiceFlag(given, 'header', ['auto', 'true', 'false'], 'auto'),
  });
  for (const name of ['dataset', 'rows', 'noise', 'classes']) if (given.has(name)) warn(`--${name} is ignored with --data (the file decides)`);
  config.dataset = 'csv';
  return csv;
}

/**
 * One line about the run's own data, for the table output:
 * "points.csv — 300 rows × 2 features (x, y), 3 classes (a, b, c), label column 3, normalize standard",
 * or for a link's data "the link's data — 40 rows × 2 features, 2 classes".
 */
export function describeData(file, csv) {
  const list = (names) => (names.length > 8 ? [...names.slice(0, 8), '…'] : names).join(', ');
  const size = `${csv.rows} rows × ${csv.features} feature${csv.features === 1 ? '' : 's'}`;
  if (file === undefined) return `the link's data — ${size}, ${csv.classes} classes`;
  return `${file} — ${size}${csv.featureNames ? ` (${list(csv.featureNames)})` : ''}, ` +
    `${csv.classes} classes (${list(csv.classNames)}), label column ${csv.labelColumn}${csv.labelName ? ` "${csv.labelName}"` : ''}, normalize ${csv.normalize}`;
}

/**
 * One config from --url plus single-valued schema flags.
 * `flagValues` maps key → raw string (already one value per key).
 * Returns the config; warnings about the link go through warn().
 */
export function buildConfig({ url, flagValues, warn }) {
  const flagEntries = [];
  for (const [key, raw] of flagValues) {
    coerceFlag(key, raw);              // throws a UsageError naming --key
    flagEntries.push([key, raw]);
  }
  const flagged = new Set(flagEntries.map(([k]) => k));
  const fromLink = url === undefined ? [] : linkEntries(url, warn).filter(([k]) => !flagged.has(k));
  const { config, notices } = parseEntries([...fromLink, ...flagEntries]);
  for (const n of notices) {
    // crossCheck problems caused by a flag (say --layers with the wrong count) are usage errors.
    const culprit = n.key === 'layers' && (flagged.has('layers') || flagged.has('depth'));
    if (culprit) throw new UsageError(`--${n.error.replace(/; using .*$/, '')}`);
    warn(`--url: ${n.error}`);
  }
  return config;
}

/** Split a list flag's occurrences into values: commas separate, except for the comma-separated `layers` (repeat the flag). */
export function listValues(key, raws) {
  if (SCHEMA_BY_KEY[key].type === 'string') return raws;
  return raws.flatMap((r) => r.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * The sweep grid: every combination of the listed values (the first list on
 * the command line varies slowest), each a complete config. Single values and the
 * link fill the rest. Returns { axes: [{ key, values }], configs: [...] }.
 */
export function buildGrid({ url, given, warn }) {
  const axes = [];
  const single = [];
  for (const f of [...given.keys()].filter((k) => Object.hasOwn(SCHEMA_BY_KEY, k)).map((k) => SCHEMA_BY_KEY[k])) {
    const values = listValues(f.key, given.get(f.key));
    if (values.length === 0) throw new UsageError(`--${f.key} needs at least one value (${f.type === 'enum' ? f.choices.join(', ') : f.type})`);
    for (const v of values) coerceFlag(f.key, v);
    const unique = [...new Set(values)];
    if (unique.length === 1) single.push([f.key, unique[0]]);
    else axes.push({ key: f.key, values: unique });
  }
  const base = buildConfig({ url, flagValues: single, warn });
  let combos = [[]];
  for (const axis of axes) combos = combos.flatMap((c) => axis.values.map((v) => [...c, [axis.key, v]]));
  const configs = combos.map((combo) => {
    const c = { ...base };
    for (const [key, raw] of combo) c[key] = coerceFlag(key, raw);
    const problem = crossCheck(c)[0];
    if (problem) throw new UsageError(`--${problem.error} (in the cell ${combo.map(([k, v]) => `${k}=${v}`).join(' ')})`);
    return c;
  });
  return { axes, base, configs };
}

/**
 * A learner's CSV file (--data) through web/csv.js parseCSV, as the page reads
 * a pasted or uploaded file. A file that cannot be read or parsed is a usage
 * error naming the file and, from parseCSV, the line and column (exit 2).
 * `labelColumn` is a raw flag: 'last', 'first', a 1-based column number or a
 * header name.
 */
export function loadCsvData(file, { labelColumn = 'last', normalize = 'none', header = 'auto' } = {}) {
  let text;
  try { text = readFileSync(file, 'utf8'); } catch (e) {
    throw new UsageError(`--data ${file}: cannot read the file (${e.code === 'ENOENT' ? 'no such file' : e.code ?? e.message})`);
  }
  const label = /^\d+$/.test(labelColumn) ? Number(labelColumn) : labelColumn;
  try {
    return parseCSV(text, { labelColumn: label, normalize, header: header === 'auto' ? 'auto' : header === 'true' });
  } catch (e) {
    throw new UsageError(`--data ${file}: ${e.message}`);
  }
}

/**
 * The dataset and net of a config, as the page's worker makes them. Caller
 * frees both. For config.dataset 'csv', `csv` is parseCSV's result: the
 * features and classes come from it, the rest of the config applies as usual.
 */
export async function createRun(gs, config, csv = null) {
  let data, netConfig = toNetConfig(config);
  if (config.dataset === 'csv') {
    if (!csv) throw new Error("dataset 'csv' needs the parsed file (--data FILE)");
    data = gs.createDataset({ kind: 'arrays', X: csv.X, y: csv.y, features: csv.features, classes: csv.classes, trainShare: config.trainShare, seed: config.seed });
    netConfig = { ...netConfig, inputs: csv.features, outputs: csv.classes };
  } else {
    const spec = toDatasetSpec(config);
    data = spec.kind === 'digits' ? await gs.loadDigits({ trainShare: spec.trainShare, seed: spec.seed }) : gs.createDataset(spec);
  }
  try {
    return { data, net: gs.createNet(netConfig) };
  } catch (e) {
    data.free();
    throw e;
  }
}
