// lesson-worker.js — a hidden worker that runs the other variants of a
// lesson headless, with exactly the code the Node tests use (runConfig from
// lessons/index.js), while the page's own worker runs the variant the
// learner watches. One request at a time:
//   { id, lessonId, variant, seed }  →  { id, ok, history | error }
// history = readRecord objects of the run's first max(1, steps) records (one
// initialisation record per net for an ensemble variant, see lessons/index.js).
// The page terminates this worker when the lesson changes.

import { loadGradscope } from './gradscope.js';
import { lessonById, lessonRuns, runConfig } from './lessons/index.js';

const ready = loadGradscope();
let queue = Promise.resolve();

self.onmessage = (event) => {
  const { id, lessonId, variant, seed } = event.data ?? {};
  queue = queue.then(async () => {
    try {
      const gs = await ready;
      const lesson = lessonById(String(lessonId));
      const run = lesson && lessonRuns(lesson)[variant];
      if (!run) throw new Error(`no lesson ${String(lessonId).slice(0, 40)} variant ${variant}`);
      const config = Number.isInteger(seed) ? { ...run.config, seed } : run.config;
      const history = await runConfig(gs, config, lesson.steps, run.setup, run.nets);
      self.postMessage({ id, ok: true, history });
    } catch (e) {
      self.postMessage({ id, ok: false, error: String(e?.message ?? e) });
    }
  });
};
