// app.js — the page wrapper around the playground component (playground.js):
// the URL hash (config + language, written on every change, read back on
// hashchange), the page header and title, the share button, and — with
// ?embed=1 — the iframe mode (compact, no header, sized to its content,
// scripted by the parent through iframe-api.js). Everything else (controls,
// views, the worker) lives in mountPlayground.
//
// Language: switching re-labels the playground, sets <html lang>, and
// writes `lang=` into the hash so a reload or a shared link keeps it.
// Lessons: `lesson=<id>` in the hash picks a lesson (lesson-runner.js: the
// panel, the setup the worker applies, the badge); the page also gets the
// edge-of-chaos map (views/chaos-map.js).
// Your own data: `data=` carries a small data set (csv.js
// encodeSmallDataset); a larger one is not in the link (the playground offers
// it as a file). Compare: `compare=B:activation=relu|C:…` (compare-state.js)
// holds runs B–D as differences from the config, written readably after the
// rest of the hash.

import { parseHash, serializeHash } from './config.js';
import { decodeSmallDataset } from './csv.js';
import { hashSafe } from './compare-state.js';
import { pickLanguage, translator, applyStrings, LANGUAGES } from './i18n.js';
import { mountPlayground } from './playground.js';
import { readEmbedOptions, installFrameApi } from './iframe-api.js';
import { LessonController, parseLessonRef } from './lesson-runner.js';
import { mountChaosMap } from './views/chaos-map.js';

/** Show the page's static strings (header, title) in `lang`. */
function applyLanguage(lang) {
  const t = translator(lang);
  document.documentElement.lang = lang;
  document.title = t('app.title');
  applyStrings(document.querySelector('.page-header'), t);
}

/**
 * The learner's data from a parsed hash (`data=`), or null. A damaged value,
 * or dataset=csv with no data in the link, adds a notice; the page then waits
 * for the data (the data panel says how to give it).
 */
function readData(parsed, notices) {
  const text = parsed.extra.data;
  if (text) {
    try { return decodeSmallDataset(text); } catch (e) { notices.push({ key: 'data', error: `${e.message}; add your data again` }); }
  } else if (parsed.config.dataset === 'csv') {
    notices.push({ key: 'data', error: 'the link uses your own data, which is not in it (too large for a link): open your CSV file again' });
  }
  return null;
}

async function main() {
  let lang = pickLanguage(location.search, location.hash, navigator.languages);
  applyLanguage(lang);
  const start = parseHash(location.hash);
  const embed = readEmbedOptions(location.search, location.origin);
  if (embed) document.documentElement.classList.add('embed');
  let writtenHash = '';
  let config = start.config;
  let dataValue = null;      // encodeSmallDataset text of the learner's data (dataset 'csv'), or null
  let compareValue = '';     // the compare= text
  const startData = readData(start, start.notices);
  if (!embed) compareValue = start.extra.compare ?? '';
  let frameApi = null;
  let chaos = null;
  const lessonRef = parseLessonRef(embed ? embed.lesson : start.extra.lesson);
  // Embedded, the lesson's badge reads the run as it comes: the learner presses play (or
  // the author's autoplay does), nothing starts by itself.
  const lessons = new LessonController({ lang, ref: lessonRef, onRefChange: () => writeHash(), autoRun: !!lessonRef && !embed });

  function writeHash() {
    writtenHash = serializeHash(config, { lang, lesson: embed ? null : lessons.hashValue(), data: config.dataset === 'csv' ? dataValue : null });
    if (compareValue) writtenHash += `&compare=${hashSafe(compareValue)}`;
    if (location.hash !== writtenHash) history.replaceState(null, '', location.pathname + location.search + writtenHash);
  }

  const pg = await mountPlayground(document.getElementById('app'), {
    config: await (embed?.lesson ? embed.lessonConfig(start.config) : lessons.startConfig(location.hash, start.config)),
    setupFor: (c) => lessons.setupFor(c),
    lang,
    notices: start.notices,
    data: startData,
    compare: embed ? '' : compareValue,
    embed: !!embed,
    views: embed?.views,
    controls: embed?.controls,
    locked: embed?.locked,
    stopAt: embed?.steps ?? null,
    pageUrl: () => location.href,
    onEvent(type, detail) {
      if (type === 'config') { config = detail.config; writeHash(); }
      else if (type === 'ready') document.body.dataset.run = String(detail.run);   // the worker has the net (tests wait for this)
      else if (type === 'language') { lang = detail.lang; applyLanguage(lang); writeHash(); }
      else if (type === 'share') share();
      else if (type === 'data') { dataValue = detail.value; writeHash(); }
      else if (type === 'compare') { compareValue = detail.value; writeHash(); }
      lessons.onEvent(type, detail);
      chaos?.onEvent(type, detail);
      frameApi?.event(type, detail);
    },
  });
  if (embed) {
    frameApi = installFrameApi(pg, embed);
    if (lessonRef) lessons.mount(pg, { fixed: true });   // its text and live badge, without the picker
  } else { lessons.mount(pg); chaos = mountChaosMap(pg, { translator, lang }); }
  if (embed?.autoplay) pg.ready.then(() => pg.play()).catch(() => {});

  async function share() {
    writeHash();
    const t = translator(lang);
    try { await navigator.clipboard.writeText(location.href); pg.root.querySelector('.share-message').textContent = t('ui.shareDone'); }
    catch { pg.notices.show((tr) => tr('ui.shareManual'), [location.href], null, 'info'); }
  }

  window.addEventListener('hashchange', () => {
    if (location.hash === writtenHash) return;
    const parsed = parseHash(location.hash);
    if (Object.hasOwn(LANGUAGES, parsed.extra.lang ?? '') && parsed.extra.lang !== lang) pg.setLanguage(parsed.extra.lang);
    pg.showNotices(parsed.notices);
    if (!embed) lessons.selectFromHash(parsed.extra.lesson ?? '');
    const data = readData(parsed, parsed.notices);
    if (data) pg.setData(data).catch(() => {});
    if (!embed && (parsed.extra.compare ?? '') !== compareValue) pg.setCompare(parsed.extra.compare ?? '').catch(() => {});
    pg.setConfig(embed ? parsed.config : lessons.startConfig(location.hash, parsed.config)).catch(() => {});
  });
}

main().catch((e) => {
  const p = document.createElement('p');
  p.className = 'notice notice-error';
  p.textContent = `gradscope could not start: ${e?.message ?? e}`;
  document.body.append(p);
});
