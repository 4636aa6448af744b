// lessons.js — `gradscope lessons`: lists the lessons (web/lessons/index.js,
// written alongside the page) and, with --check, runs each one headless and
// compares what it measured with what it claims, so CI notices when a lesson
// stops demonstrating its result. GRADSCOPE_LESSONS=path points at another
// module with the same interface (the tests use a tiny fake one):
//
//   export const LESSONS = [{ id, title: { en, 'zh-Hant' }, source, config,
//                             check(...) }] and runLesson(gs, lesson) → { passed, measured, expected, details }
//   (a lesson may instead carry its own async run(gs))
//
// config is the lesson's playground settings (an object or [key, value] pairs).

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadGradscope } from '../../web/gradscope.js';
import { parseEntries, serializeHash } from '../../web/config.js';
import { COMMON, EXIT, UsageError, parseArgv, helpText, choiceFlag, simdFlag, last } from './args.js';
import { sig6, table, createOutput } from './format.js';

const DEFAULT_MODULE = fileURLToPath(new URL('../../web/lessons/index.js', import.meta.url));
const LANGS = ['en', 'zh-Hant'];

const FLAGS = [
  { name: 'check', bool: true, help: 'run every lesson headless; print pass/fail with measured vs expected; exit 1 if any fails' },
  { name: 'only', meta: 'id,…', values: 'lesson ids, comma-separated', help: 'list or check only these lessons' },
  { name: 'lang', meta: 'en|zh-Hant', values: LANGS.join(' or '), help: 'language of the titles (default en)' },
  { name: 'format', meta: 'table|json', values: 'table or json', help: 'output format (default table)' },
  COMMON.out, COMMON.simd,
];

export const HELP = helpText({
  usage: 'gradscope lessons [--check] [--only id,…] [--lang en|zh-Hant] [--format table|json]',
  description: `List the lessons (web/lessons/index.js) with their sources. With --check, run each
lesson headless on the wasm core and print PASS or FAIL with the measured and expected
numbers; the exit code is 1 when any lesson fails, so CI can run it.
GRADSCOPE_LESSONS=path/to/module.js checks another lessons module with the same interface.`,
  flags: FLAGS,
  examples: ['gradscope lessons', 'gradscope lessons --check', 'gradscope lessons --lang zh-Hant --only vanishing-sigmoid'],
});

/** A measured/expected value for people: numbers to 6 digits, objects as key=value. */
export function show(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return sig6(v);
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}=${show(x)}`).join(' ');
  return String(v);
}

const titleOf = (lesson, lang) => (typeof lesson.title === 'string' ? lesson.title : lesson.title?.[lang] ?? lesson.title?.en ?? lesson.id);

function linkOf(lesson) {
  const entries = Array.isArray(lesson.config) ? lesson.config : Object.entries(lesson.config ?? {});
  return serializeHash(parseEntries(entries).config, { lesson: lesson.id });
}

export async function run(argv) {
  const { given, help } = parseArgv(argv, FLAGS, 'lessons');
  if (help) { process.stdout.write(HELP); return EXIT.OK; }
  const lang = choiceFlag(given, 'lang', LANGS, 'en');
  const format = choiceFlag(given, 'format', ['table', 'json'], 'table');
  const check = given.has('check') && last(given, 'check') !== 'false' && last(given, 'check') !== '0';
  const out = createOutput(last(given, 'out'));

  const modulePath = process.env.GRADSCOPE_LESSONS ? resolve(process.env.GRADSCOPE_LESSONS) : DEFAULT_MODULE;
  if (!existsSync(modulePath)) {
    out.write(format === 'json' ? '{"lessons":[]}\n' : 'no lessons available yet\n');
    out.finish();
    return EXIT.OK;
  }
  const lessonModule = await import(pathToFileURL(modulePath).href);
  const { LESSONS } = lessonModule;
  if (!Array.isArray(LESSONS)) throw new Error(`${modulePath} must export LESSONS, an array of lessons`);
  let lessons = LESSONS;
  if (given.has('only')) {
    const ids = last(given, 'only').split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = ids.find((id) => !LESSONS.some((l) => l.id === id));
    if (unknown !== undefined) throw new UsageError(`--only: no lesson ${JSON.stringify(unknown.slice(0, 60))}; lessons: ${LESSONS.map((l) => l.id).join(', ')}`);
    lessons = LESSONS.filter((l) => ids.includes(l.id));
  }

  if (!check) {
    if (format === 'json') out.write(JSON.stringify({ lessons: lessons.map((l) => ({ id: l.id, title: titleOf(l, lang), source: l.source ?? null, link: linkOf(l) })) }, null, 1) + '\n');
    else out.write(table(['id', 'title', 'source'], lessons.map((l) => [l.id, titleOf(l, lang), l.source ?? '—']), { left: [0, 1, 2] }));
    out.finish();
    return EXIT.OK;
  }

  const gs = await loadGradscope({ simd: simdFlag(given) });
  const results = [];
  for (const [i, lesson] of lessons.entries()) {
    process.stderr.write(`[${i + 1}/${lessons.length}] ${lesson.id} …\n`);
    const t0 = performance.now();
    let r;
    try {
      // web/lessons/index.js runs a lesson with runLesson(gs, lesson); a module may
      // also give each lesson its own run(gs).
      r = typeof lesson.run === 'function' ? await lesson.run(gs) : await lessonModule.runLesson(gs, lesson);
      if (!r || typeof r !== 'object') throw new Error(`run() returned ${String(r)}, not { passed, measured, expected }`);
    } catch (e) {
      r = { passed: false, measured: null, expected: null, details: `error: ${e?.message ?? e}` };
    }
    results.push({ id: lesson.id, title: titleOf(lesson, lang), passed: r.passed === true, measured: r.measured ?? null, expected: r.expected ?? null, details: r.details ?? '', seconds: (performance.now() - t0) / 1000 });
  }
  const failed = results.filter((r) => !r.passed).length;
  if (format === 'json') {
    out.write(JSON.stringify({ passed: results.length - failed, failed, lessons: results.map(({ seconds, ...r }) => r) }, null, 1) + '\n');
  } else {
    out.write(table(['result', 'id', 'measured', 'expected', 'details'],
      results.map((r) => [r.passed ? 'PASS' : 'FAIL', r.id, show(r.measured), show(r.expected), typeof r.details === 'string' ? r.details : show(r.details)]), { left: [0, 1, 2, 3, 4] }));
    out.write(`${results.length - failed} passed, ${failed} failed\n`);
  }
  out.finish();
  process.stderr.write(`checked ${results.length} lessons in ${results.reduce((s, r) => s + r.seconds, 0).toFixed(1)} s\n`);
  return failed ? EXIT.FAILURE : EXIT.OK;
}
