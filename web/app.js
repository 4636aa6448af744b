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

import { parseHash, serializeHash } from './config.js';
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

async function main() {
  let lang = pickLanguage(location.search, location.hash, navigator.languages);
  applyLanguage(lang);
  const start = parseHash(location.hash);
  const embed = readEmbedOptions(location.search, location.origin);
  if (embed) document.documentElement.classList.add('embed');
  let writtenHash = '';
  let config = start.config;
  let frameApi = null;
  let chaos = null;
  const lessons = new LessonController({ lang, ref: parseLessonRef(embed ? embed.lesson : start.extra.lesson), onRefChange: () => writeHash() });

  function writeHash() {
    writtenHash = serializeHash(config, { lang, lesson: embed ? null : lessons.hashValue() });
    if (location.hash !== writtenHash) history.replaceState(null, '', location.pathname + location.search + writtenHash);
  }

  const pg = await mountPlayground(document.getElementById('app'), {
    config: await (embed?.lesson ? embed.lessonConfig(start.config) : lessons.startConfig(location.hash, start.config)),
    setupFor: (c) => lessons.setupFor(c),
    lang,
    notices: start.notices,
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
      lessons.onEvent(type, detail);
      chaos?.onEvent(type, detail);
      frameApi?.event(type, detail);
    },
  });
  if (embed) frameApi = installFrameApi(pg, embed);
  else { lessons.mount(pg); chaos = mountChaosMap(pg, { translator, lang }); }
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
    pg.setConfig(embed ? parsed.config : lessons.startConfig(location.hash, parsed.config)).catch(() => {});
  });
}

main().catch((e) => {
  const p = document.createElement('p');
  p.className = 'notice notice-error';
  p.textContent = `gradscope could not start: ${e?.message ?? e}`;
  document.body.append(p);
});
