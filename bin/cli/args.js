// args.js — command-line flags for every gradscope command: one parser, the
// playground schema (web/config.js SCHEMA) turned into flags named exactly
// after its keys (--depth, --initScale, --batchSize …), the --help text
// generated from the same table, and the usage error that exits with 2.
//
// It does not build nets or read files; it only turns argv into raw strings
// per flag and checks them. Values are validated by config.coerce, so a flag
// accepts exactly what the page's URL accepts and fails with the same words.

import { SCHEMA, SCHEMA_BY_KEY, coerce } from '../../web/config.js';

export const EXIT = Object.freeze({ OK: 0, FAILURE: 1, USAGE: 2, DIVERGED: 3 });

export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  failure (a lesson check failed, a file could not be written, an internal error)
  2  usage error: an unknown flag or a value outside its range (the message names the flag)
  3  training diverged: a step produced NaN/Inf (train only; the step, layer and phase are printed)`;

/** A mistake in the command line: printed with the command's name, exit code 2. */
export class UsageError extends Error {
  constructor(message) { super(message); this.name = 'UsageError'; }
}

// i18n labels give each schema flag a one-line description; the table may be
// missing while the page is being written, so fall back to the key.
let LABELS = {};
try { LABELS = (await import('../../web/i18n/en.js')).default ?? {}; } catch { LABELS = {}; }

/** What values a schema field takes, for help and errors: "integer 1..100", "one of a, b". */
export function describeField(f) {
  switch (f.type) {
    case 'enum': return `one of ${f.choices.join(', ')}`;
    case 'bool': return 'true or false';
    case 'string': return f.key === 'layers' ? 'comma-separated activations, one per hidden layer (empty = all --activation)' : `text (at most ${f.maxLength} characters)`;
    case 'int': return `integer ${f.min}..${f.max}`;
    default: return `number ${f.min}..${f.max}${f.nullable ? ' or "default"' : ''}`;
  }
}

/** Flag specs for every schema key: { name, kind: 'schema', field, bool }. */
export const SCHEMA_FLAGS = SCHEMA.map((f) => ({ name: f.key, kind: 'schema', field: f, bool: f.type === 'bool' }));

const BOOL_WORDS = /^(true|false|1|0)(,(true|false|1|0))*$/;
const LOOKS_LIKE_NUMBER = /^-(\d|\.\d|Infinity)/;
const squash = (s) => s.toLowerCase().replace(/[-_]/g, '');

/**
 * Parse argv against `flags` (a list of { name, bool?, values?, help }).
 * Returns { given: Map(name → [raw, …] in order), help: bool }. Accepts
 * --name value, --name=value; a bool flag may stand alone (= true).
 * Throws UsageError for unknown flags, missing values and positionals.
 */
export function parseArgv(argv, flags, command) {
  const byName = new Map(flags.map((f) => [f.name, f]));
  const given = new Map();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--help' || token === '-h') { help = true; continue; }
    if (!token.startsWith('--') || token === '--') {
      throw new UsageError(`unexpected argument ${JSON.stringify(token.slice(0, 60))}: flags are written --name value (see gradscope ${command} --help)`);
    }
    const eq = token.indexOf('=');
    const name = token.slice(2, eq < 0 ? undefined : eq);
    const flag = byName.get(name);
    if (!flag) {
      const near = flags.find((f) => squash(f.name) === squash(name));
      throw new UsageError(`unknown flag --${name.slice(0, 40)} for gradscope ${command}` +
        (near ? `; did you mean --${near.name}?` : `; allowed: ${flags.map((f) => '--' + f.name).join(' ')}`));
    }
    let raw;
    if (eq >= 0) raw = token.slice(eq + 1);
    else if (flag.bool) {
      const next = argv[i + 1];
      if (next !== undefined && BOOL_WORDS.test(next)) { raw = next; i++; } else raw = 'true';
    } else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && !LOOKS_LIKE_NUMBER.test(next))) {
        throw new UsageError(`--${name} needs a value (${flagValues(flag)})`);
      }
      raw = next; i++;
    }
    if (!given.has(name)) given.set(name, []);
    given.get(name).push(raw);
  }
  return { given, help };
}

function flagValues(flag) {
  if (flag.kind === 'schema') return describeField(flag.field);
  return flag.values ?? 'a value';
}

/** The last value given for a flag, or `fallback`. */
export function last(given, name, fallback) {
  const list = given.get(name);
  return list ? list[list.length - 1] : fallback;
}

/** An option flag restricted to choices; throws a UsageError naming it. */
export function choiceFlag(given, name, choices, fallback) {
  const v = last(given, name, fallback);
  if (!choices.includes(v)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(String(v).slice(0, 40))}`);
  return v;
}

/** An integer option flag in min..max; throws a UsageError naming it. */
export function intFlag(given, name, min, max, fallback) {
  const raw = last(given, name, undefined);
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(v) || v < min || v > max) {
    throw new UsageError(`--${name} must be an integer in ${min}..${max}, got ${JSON.stringify(String(raw).slice(0, 40))}`);
  }
  return v;
}

/** --simd auto|true|false → the loadGradscope option. */
export function simdFlag(given) {
  const v = choiceFlag(given, 'simd', ['auto', 'true', 'false'], 'auto');
  return v === 'auto' ? 'auto' : v === 'true';
}

/** Check one schema flag value with the page's own coerce; the error names the flag. */
export function coerceFlag(key, raw) {
  const r = coerce(SCHEMA_BY_KEY[key], raw);
  if (r.error) throw new UsageError(`--${r.error}`);
  return r.value;
}

/** Common option flags shared by several commands. */
export const COMMON = Object.freeze({
  format: { name: 'format', meta: 'table|csv|json', values: 'table, csv or json', help: 'output format (default table)' },
  out: { name: 'out', meta: 'FILE', hideValues: true, values: 'a file path', help: 'write the output to FILE instead of stdout' },
  simd: { name: 'simd', meta: 'auto|true|false', values: 'auto, true or false', help: 'which wasm build: SIMD, scalar, or auto (SIMD when the runtime has it; default)' },
  url: { name: 'url', meta: 'LINK', hideValues: true, values: 'a playground URL or its #hash', help: 'start from a playground link (a URL or its #hash); flags given too override it' },
});

/** Your own data (train and sweep): the file and how to read it. */
export const DATA_FLAGS = Object.freeze([
  { name: 'data', meta: 'FILE', hideValues: true, values: 'a CSV file', help: 'train on your own CSV file (rows of numbers, one label column; see the README, "Your own data"): features and classes come from the file and the dataset setting becomes csv' },
  { name: 'labelColumn', meta: 'COLUMN', hideValues: true, values: 'last, first, a column number from 1, or a header name', help: 'with --data: the column of the class labels: last (default), first, a column number from 1, or a header name' },
  { name: 'normalize', meta: 'none|standard|minmax', values: 'none, standard or minmax', help: 'with --data: rescale each feature to mean 0 and std 1 (standard) or onto [-1, 1] (minmax); default none' },
  { name: 'header', meta: 'auto|true|false', values: 'auto, true or false', help: 'with --data: is the first row a header (default auto: yes when a feature cell is not a number)' },
]);

const HELP_WIDTH = 100, HELP_INDENT = 26;

/** "  --name <value>   text…" with the text wrapped under itself. */
function helpEntry(left, text) {
  const pad = ' '.repeat(HELP_INDENT);
  const words = text.split(' ');
  const lines = [];
  let line = left.length + 1 < HELP_INDENT ? left.padEnd(HELP_INDENT) : null;
  if (line === null) { lines.push(left); line = pad; }
  for (const w of words) {
    if (line.trim() !== '' && line.length + w.length + 1 > HELP_WIDTH && line.length > HELP_INDENT) { lines.push(line.trimEnd()); line = pad; }
    line += (line.length > HELP_INDENT ? ' ' : '') + w;
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}

/** The help text: usage line, description, the command's own flags, then the schema flags. */
export function helpText({ usage, description, flags, schemaNote, examples = [] }) {
  const lines = [`Usage: ${usage}`, '', description, ''];
  const own = flags.filter((f) => f.kind !== 'schema');
  if (own.length) {
    lines.push('Options:');
    for (const f of own) {
      const meta = f.meta ?? 'value';
      const values = f.values && !f.bool && !f.hideValues && !meta.includes('|') ? ` (${f.values})` : '';
      lines.push(helpEntry(`  --${f.name}${f.bool ? '' : ` <${meta}>`}`, `${f.help ?? ''}${values}`));
    }
    lines.push(helpEntry('  --help', 'this text'), '');
  }
  if (flags.some((f) => f.kind === 'schema')) {
    lines.push(`Playground settings — the keys of the page's URL (web/config.js)${schemaNote ? '; ' + schemaNote : ''}:`);
    for (const f of SCHEMA) {
      const meaning = LABELS[f.label] ?? f.key;
      const def = f.default === null ? 'default' : f.type === 'string' ? JSON.stringify(f.default) : String(f.default);
      lines.push(helpEntry(`  --${f.key} <${f.type}>`, `${meaning}: ${describeField(f)}; default ${def}`));
    }
    lines.push('');
  }
  if (examples.length) lines.push('Examples:', ...examples.map((e) => '  ' + e), '');
  lines.push(EXIT_CODES_HELP, '');
  return lines.join('\n');
}
