// iframe-api.js — the page's iframe mode (index.html?embed=1) and its
// postMessage API, so a course page can script a self-checking exercise.
//
// URL:  index.html?embed=1[&views=flow,profile][&controls=activation,init]
//                 [&locked=depth][&lesson=vanishing-sigmoid][&steps=500][&autoplay=1]
//                 [&lang=zh-Hant][&origin=https://course.example.org,https://lms.example]
//                 #depth=20&activation=sigmoid&…   (config: the page's hash format)
//
// Who may talk to the frame: a message is handled only when it comes from
// the parent window (event.source === window.parent) AND its origin is
// allowed: the origins listed in ?origin= (comma-separated), or by default
// the frame's own origin. Anything else is ignored silently. Replies go to
// event.source with the sender's origin as targetOrigin; unsolicited
// messages (ready, resize, finished, diverged) go to the parent once per
// allowed origin, so they are only delivered to an allowed page.
//
// Parent → frame (an optional `id` is echoed in the reply):
//   { type: 'gradscope:set-config', config: { activation: 'relu', … } }
//       fields merged into the current config (unknown keys ignored, bad
//       values keep the current one); a fresh net at step 0
//       → { type: 'gradscope:config', config, notices: [..] }
//   { type: 'gradscope:run', steps: 200 }   train 200 more minibatches
//       → { type: 'gradscope:finished', step, finished, diverged? } when done
//   { type: 'gradscope:get-stats' }
//       → { type: 'gradscope:stats', step, loss, accuracy, gradNorm, trainAccuracy,
//           testAccuracy, layers: [{ gradNormW, gradNormB, … } per layer], config, running }
//   { type: 'gradscope:play' } / { type: 'gradscope:pause' } / { type: 'gradscope:reset' }
//       → { type: 'gradscope:ok', request }
// Frame → parent, unsolicited:
//   { type: 'gradscope:ready', config }          the first net is built
//   { type: 'gradscope:resize', height }         the content's height in CSS px
//   { type: 'gradscope:diverged', step, layer, phase, kind }
//   { type: 'gradscope:finished', step, finished: true }   the `steps` cap was reached
// A request that fails → { type: 'gradscope:error', request, error }.

import { configFromEntries, readOptions, lessonConfig, VIEW_NAMES } from './embed-options.js';
import { SCHEMA } from './config.js';

export const MESSAGE_PREFIX = 'gradscope:';

/** The allowed origins from ?origin= (normalised; junk dropped), or [own]. */
export function allowedOrigins(originParam, ownOrigin) {
  const out = new Set();
  for (const item of String(originParam ?? '').split(',')) {
    const text = item.trim();
    if (!text) continue;
    try {
      const u = new URL(text);
      if (u.protocol === 'http:' || u.protocol === 'https:') out.add(u.origin);
    } catch { /* not an origin: ignored */ }
  }
  if (out.size === 0) out.add(ownOrigin);
  return [...out];
}

/** The iframe options from the query string, or null when ?embed=1 is absent. */
export function readEmbedOptions(search, ownOrigin) {
  const params = new URLSearchParams(String(search).replace(/^\?/, ''));
  if (!['1', 'true', ''].includes(params.get('embed') ?? 'no')) return null;
  const options = readOptions((name) => params.get(name), { defaultViews: VIEW_NAMES, defaultControls: null });
  return {
    ...options,
    origins: allowedOrigins(params.get('origin'), ownOrigin),
    /** The start config: the lesson's, with the hash's explicit fields on top. */
    async lessonConfig(hashConfig) {
      const { config: base, notices } = await lessonConfig(options.lesson);
      options.notices.push(...notices);
      if (!base) return hashConfig;
      const hash = new URLSearchParams(location.hash.replace(/^#/, ''));
      return configFromEntries([...hash.entries()], base).config;
    },
  };
}

/**
 * Wire a mounted playground to the parent window. Returns { event(type, detail) }
 * for the page to forward playground events, and stop().
 */
export function installFrameApi(pg, { origins, steps, notices = [] }, win = window) {
  const parent = win.parent;
  const allowed = new Set(origins);
  const toParent = (message) => { if (parent !== win) for (const origin of allowed) parent.postMessage(message, origin); };
  if (notices.length) pg.showNotices(notices.map((error) => ({ error })));
  const abort = new AbortController();

  win.addEventListener('message', async (event) => {
    if (parent === win || event.source !== parent || !allowed.has(event.origin)) return;
    const data = event.data;
    if (!data || typeof data !== 'object' || typeof data.type !== 'string' || !data.type.startsWith(MESSAGE_PREFIX)) return;
    const request = data.type.slice(MESSAGE_PREFIX.length);
    const id = typeof data.id === 'string' || typeof data.id === 'number' ? data.id : undefined;
    const reply = (message) => event.source.postMessage({ ...message, ...(id !== undefined ? { id } : {}) }, event.origin);
    try {
      switch (request) {
        case 'set-config': {
          const entries = data.config && typeof data.config === 'object' ? Object.entries(data.config).filter(([k]) => SCHEMA.some((f) => f.key === k)) : [];
          const { config, notices: problems } = configFromEntries(entries, pg.config);
          await pg.setConfig(config);
          reply({ type: 'gradscope:config', config, notices: problems });
          break;
        }
        case 'run': {
          const result = await pg.run(data.steps);
          reply({ type: 'gradscope:finished', ...result });
          break;
        }
        case 'get-stats':
          reply({ type: 'gradscope:stats', ...pg.stats(), config: pg.config, running: pg.running });
          break;
        case 'play': await pg.play(); reply({ type: 'gradscope:ok', request }); break;
        case 'pause': await pg.pause(); reply({ type: 'gradscope:ok', request }); break;
        case 'reset': await pg.setConfig(pg.config); reply({ type: 'gradscope:ok', request }); break;
        default: break;   // unknown requests are ignored, like unknown senders
      }
    } catch (e) {
      reply({ type: 'gradscope:error', request, error: String(e?.message ?? e) });
    }
  }, { signal: abort.signal });

  // Size: the parent sets the iframe's height from these (the frame never scrolls itself).
  let lastHeight = 0;
  const measure = () => {
    const height = Math.ceil(win.document.body.getBoundingClientRect().height);
    if (height !== lastHeight) { lastHeight = height; toParent({ type: 'gradscope:resize', height }); }
  };
  const observer = new ResizeObserver(measure);
  observer.observe(win.document.body);

  return {
    event(type, detail) {
      if (type === 'ready' && detail.run === 1) toParent({ type: 'gradscope:ready', config: detail.config });
      else if (type === 'diverged') toParent({ type: 'gradscope:diverged', ...detail });
      else if (type === 'finished' && steps !== null && detail.step >= steps) toParent({ type: 'gradscope:finished', step: detail.step, finished: true });
    },
    stop() { abort.abort(); observer.disconnect(); },
  };
}
