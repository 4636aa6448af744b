// lessons.test.js — every lesson runs headless and its claim holds, over many
// seeds; every lesson is complete in both languages; and the checks can fail:
// the same check on a run without the phenomenon does not pass.
// Run: node --test tests/lessons.test.js
// LESSON_SEEDS=30 node --test tests/lessons.test.js   (more seeds; default 10)
//
// The tolerances live in the lesson files (web/lessons/*.js), next to the
// claims, and were chosen from the spread over 30 seeds, not tuned to one.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { loadGradscope } from '../web/gradscope.js';
import { SCHEMA, coerce, crossCheck } from '../web/config.js';
import { LESSONS, runLesson, runConfig, lessonRuns, lessonById, LANGS } from '../web/lessons/index.js';

const gs = await loadGradscope();
const SEED_COUNT = Number(process.env.LESSON_SEEDS ?? 10);
const SEEDS = Array.from({ length: SEED_COUNT }, (_, i) => i + 1);

// ---- structure -------------------------------------------------------------

const CJK = /[\u4e00-\u9fff]/;
function sentences(text, lang) {
  if (lang === 'zh-Hant') return text.split(/[。！？]/).filter((s) => s.trim()).length;
  return text.replace(/\bet al\./g, 'et al').replace(/\be\.g\./g, 'eg').split(/(?<=[.!?])\s+/).filter((s) => s.trim()).length;
}
function assertCompleteConfig(config, where) {
  for (const f of SCHEMA) {
    assert.ok(f.key in config, `${where}: config lacks ${f.key}`);
    const r = coerce(f, config[f.key]);
    assert.ok(!r.error, `${where}: ${r.error}`);
  }
  assert.deepEqual(crossCheck(config), [], `${where}: cross-field problems`);
  for (const k of Object.keys(config)) assert.ok(SCHEMA.some((f) => f.key === k), `${where}: ${k} is not a config key`);
}

describe('lesson objects', () => {
  test('at least the 8 lessons of the issue, with unique URL-safe ids', () => {
    const ids = LESSONS.map((l) => l.id);
    assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids}`);
    for (const id of ids) assert.match(id, /^[a-z0-9-]+$/);
    for (const id of ['vanishing-sigmoid', 'chain-rule', 'init-tanh', 'relu-he', 'dead-relu', 'exploding', 'batchnorm', 'edge-of-chaos'])
      assert.ok(lessonById(id), `missing lesson ${id}`);
  });

  for (const lesson of LESSONS) {
    test(`${lesson.id}: both languages, a source, a valid config, a check`, () => {
      for (const field of ['title', 'text', 'claim']) {
        for (const lang of LANGS) {
          const s = lesson[field]?.[lang];
          assert.equal(typeof s, 'string', `${field}.${lang}`);
          assert.ok(s.trim().length > 0, `${field}.${lang} is empty`);
        }
        assert.ok(CJK.test(lesson[field]['zh-Hant']), `${field}.zh-Hant has no Chinese text`);
        assert.notEqual(lesson[field].en, lesson[field]['zh-Hant']);
      }
      for (const lang of LANGS) {
        const n = sentences(lesson.text[lang], lang);
        assert.ok(n >= 3 && n <= 6, `text.${lang} has ${n} sentences (3–6 wanted)`);
        assert.equal(sentences(lesson.claim[lang], lang), 1, `claim.${lang} must be one sentence`);
      }
      assert.equal(typeof lesson.source, 'string');
      assert.match(lesson.source, /(19|20)\d\d/, 'the source names a year');
      assert.ok(Number.isInteger(lesson.steps) && lesson.steps >= 0 && lesson.steps <= 2000, `steps ${lesson.steps}`);
      assert.equal(typeof lesson.check, 'function');
      assertCompleteConfig(lesson.config, lesson.id);
      if (lesson.variants) {
        const vids = lesson.variants.map((v) => v.id);
        assert.equal(new Set(vids).size, vids.length, `duplicate variant ids in ${lesson.id}`);
        assert.ok(lesson.variants.length >= 2);
        for (const v of lesson.variants) {
          for (const lang of LANGS) assert.ok(v.label?.[lang]?.trim(), `${lesson.id}/${v.id}: label.${lang}`);
          assert.equal(typeof v.check, 'function');
          assertCompleteConfig(v.config, `${lesson.id}/${v.id}`);
        }
        assert.equal(lesson.config, lesson.variants[0].config);
      }
    });
  }

  test('a check waits for its records, and ignores records past its window', async () => {
    const lesson = lessonById('relu-he-training');
    assert.equal(lesson.check([], {}).pending, true);
    const r = await runLesson(gs, lessonById('two-lenses'), { seed: 1 });
    assert.equal(r.passed, true);
    const l2 = lessonById('two-lenses');
    const junk = { ...r.history[0], global: { ...r.history[0].global, loss: NaN, nonFiniteLayer: 3 } };
    assert.deepEqual(l2.check([...r.history, junk, junk], { gs }), l2.check(r.history, { gs }));
  });
});

// ---- every lesson passes over the seeds --------------------------------------

const spread = {};   // lesson id → measured name → [min, max]
for (const lesson of LESSONS) {
  test(`${lesson.id}: the claim holds for seeds 1–${SEED_COUNT}`, async (t) => {
    const failures = [];
    const ranges = (spread[lesson.id] = {});
    let slowest = 0;
    for (const seed of SEEDS) {
      const t0 = performance.now();
      const r = await runLesson(gs, lesson, { seed });
      slowest = Math.max(slowest, performance.now() - t0);
      for (const [k, v] of Object.entries(r.measured)) {
        const [lo, hi] = ranges[k] ?? [Infinity, -Infinity];
        ranges[k] = [Math.min(lo, v), Math.max(hi, v)];
      }
      if (!r.passed) failures.push(`seed ${seed}:\n${r.details}`);
    }
    t.diagnostic(`slowest run ${slowest.toFixed(0)} ms; measured over ${SEED_COUNT} seeds: ` +
      Object.entries(ranges).map(([k, [lo, hi]]) => `${k} ∈ [${+lo.toPrecision(3)}, ${+hi.toPrecision(3)}]`).join('; '));
    assert.deepEqual(failures, [], failures.join('\n\n'));
  });
}

test('a variant run alone gets its own (partial) badge', async () => {
  const lesson = lessonById('relu-he-training');
  const he = await runLesson(gs, lesson, { seed: 2, variant: 1 });
  assert.equal(he.partial, true);
  assert.equal(he.passed, true, he.details);
  assert.ok('he.finalLoss' in he.measured);
  assert.equal(lesson.variants[1].check(he.history, { gs }).passed, true);
  // a comparison lesson cannot be decided from one run
  const one = await runLesson(gs, lessonById('batchnorm-scale'), { seed: 2, variant: 1 });
  assert.equal(one.passed, false);
  assert.equal(one.partial, true);
});

// ---- the checks can fail -----------------------------------------------------
// The same check, on runs whose configs lack the phenomenon. Each must FAIL for
// every seed tried.

/** Run the lesson's variants with config overrides (one object per variant, or one for all) and check. */
async function checkWith(lesson, overrides, { seed = 1, setups } = {}) {
  const runs = lessonRuns(lesson);
  const histories = [];
  for (const [i, r] of runs.entries()) {
    const over = Array.isArray(overrides) ? overrides[i] ?? {} : overrides;
    const setup = setups ? setups[i] : r.setup;
    histories.push(await runConfig(gs, { ...r.config, ...over, seed }, lesson.steps, setup));
  }
  return lesson.variants ? lesson.check(histories, { gs }) : lesson.check(histories[0], { gs, config: lesson.config });
}

const BROKEN = {
  // ReLU + He instead of sigmoid: no 0.2× per layer
  'vanishing-sigmoid': { overrides: { activation: 'relu', init: 'he_normal', biasStd: 0 } },
  // w = 4 in both chains: the factor is exactly 1, neither 25 nor 1/4
  'chain-rule': { setups: async () => { const { chainSetup } = await import('../web/lessons/chain-rule.js'); return [chainSetup(4), chainSetup(4)]; } },
  // the "old" run initialised like Glorot: no 1/3 per layer
  'init-tanh': { overrides: [{ init: 'xavier_uniform', initScale: 1 }] },
  // Xavier instead of N(0, 0.01²): δ does not vanish
  'two-lenses': { overrides: { init: 'xavier_normal', initScale: 1 } },
  // He in both: the "Xavier" run keeps its variance
  'relu-he': { overrides: { init: 'he_normal' } },
  // He in both: the "Xavier" run trains
  'relu-he-training': { overrides: { init: 'he_normal' } },
  // a gentle learning rate: ReLUs do not die
  'dead-relu': { overrides: { lr: 0.05 } },
  // He-scaled weights: nothing explodes
  'exploding': { overrides: [{ initScale: Math.sqrt(2 / 64) }, { initScale: Math.sqrt(1 / 128) }] },
  // the "no clipping" run clipped: it stays finite
  'clipping': { overrides: [{ clip: 'norm', clipMax: 1 }] },
  // the batch-normalised runs without batch normalisation
  'batchnorm': { overrides: { batchnorm: false } },
  // without batch normalisation, scaling W changes the loss
  'batchnorm-scale': { overrides: { batchnorm: false } },
  // σ_w² = 2.5 in every run: the ordered phase's vanishing is gone
  'edge-of-chaos': { overrides: { initScale: Math.sqrt(2.5 / 256) } },
};

for (const lesson of LESSONS) {
  test(`${lesson.id}: the same check FAILS on a run without the phenomenon`, async () => {
    const broken = BROKEN[lesson.id];
    assert.ok(broken, `no broken variant defined for ${lesson.id}`);
    const setups = broken.setups ? await broken.setups() : undefined;
    for (const seed of [1, 2, 3]) {
      const r = await checkWith(lesson, broken.overrides ?? {}, { seed, setups });
      assert.equal(r.passed, false, `seed ${seed}: the check passed on a broken run:\n${r.details}`);
    }
  });
}
