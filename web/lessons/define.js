// define.js — turns a lesson spec into the lesson object the page, the CLI and
// the tests use (the contract is documented at the top of index.js).
//
// A spec gives `judge(records, ctx) → [conditions]` instead of `check`: the
// wrapper cuts the history to the records the lesson reads (the first
// max(1, steps)), answers "pending" while they are still coming, and turns the
// conditions into { passed, measured, expected, details }. So a check never
// looks past its window: a learner who keeps training after the badge was
// decided does not flip it.

import { window, pending, verdict } from './util.js';

const isHistory = (h) => Array.isArray(h) && (h.length === 0 || !Array.isArray(h[0]));

function judgeOne(judge, history, steps, ctx, prefix, nets = 1) {
  const w = window(history, steps, nets);
  if (!w.complete) return { ...pending(w.records.length, w.need), conditions: [] };
  const conditions = judge(w.records, ctx);
  return { ...verdict(conditions, prefix), conditions, records: w.records };
}

export function defineLesson(spec) {
  const { judge, variants, compare, ...rest } = spec;
  for (const v of variants ?? []) {
    if (v.nets !== undefined && !(Number.isInteger(v.nets) && v.nets >= 1 && spec.steps === 0))
      throw new Error(`${spec.id}/${v.id}: nets must be an integer ≥ 1, on a lesson read at initialisation (steps 0)`);
  }
  if (!variants) {
    const lesson = {
      ...rest,
      check(history, ctx = {}) {
        const r = judgeOne(judge, history, spec.steps, { ...ctx, config: ctx.config ?? spec.config }, '');
        const { conditions, records, ...out } = r;
        return out;
      },
    };
    return Object.freeze(lesson);
  }

  const vlist = variants.map((v) => Object.freeze({
    ...v,
    /** This variant's own badge: the same conditions as in the lesson check, for one run. */
    check(history, ctx = {}) {
      const r = judgeOne(v.judge ?? (() => []), history, spec.steps, { ...ctx, config: ctx.config ?? v.config }, `${v.id}.`, v.nets);
      const { conditions, records, ...out } = r;
      return out;
    },
  }));

  const lesson = {
    ...rest,
    config: vlist[0].config,   // a page that runs one config gets the first variant
    ...(vlist[0].setup ? { setup: vlist[0].setup } : {}),
    variants: Object.freeze(vlist),
    check(histories, ctx = {}) {
      // One history (a page running one variant): that variant's own check.
      if (isHistory(histories)) {
        const i = ctx.variant ?? 0;
        const r = vlist[i].check(histories, ctx);
        if (compare) return { ...r, passed: false, partial: true, details: `${r.details}\n(the claim compares variants: run all ${vlist.length} to decide it)` };
        return { ...r, partial: vlist.length > 1 };
      }
      const parts = vlist.map((v, i) => judgeOne(v.judge ?? (() => []), histories[i], spec.steps, { ...ctx, config: v.config, variant: i }, `${v.id}.`, v.nets));
      const waiting = parts.find((p) => p.pending);
      if (waiting) return { passed: false, pending: true, measured: waiting.measured, expected: waiting.expected, details: waiting.details };
      const cross = compare ? verdict(compare(parts.map((p) => p.records), ctx)) : { passed: true, measured: {}, expected: {}, details: '' };
      const measured = Object.assign({}, ...parts.map((p) => p.measured), cross.measured);
      const expected = Object.assign({}, ...parts.map((p) => p.expected), cross.expected);
      const details = [...parts.map((p, i) => `[${vlist[i].id}]\n${p.details}`), cross.details ? `[compare]\n${cross.details}` : ''].filter(Boolean).join('\n');
      return { passed: parts.every((p) => p.passed) && cross.passed, measured, expected, details };
    },
  };
  return Object.freeze(lesson);
}
