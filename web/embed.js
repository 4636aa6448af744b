// embed.js — the authoring page (embed.html): the author's choices → the
// attributes of a live <grad-scope> preview → a snippet to copy. The
// snippet's URLs are absolute (this folder's URL), so it works pasted into
// a blank HTML file served from anywhere — the element from the same origin
// as this folder (browsers run workers from the page's origin only), the
// iframe from any origin.

import './element.js';
import { SCHEMA, defaults, parseEntries, serializeHash } from './config.js';
import { Controls } from './controls.js';
import { translator, LANGUAGES } from './i18n.js';
import { VIEW_NAMES, DEFAULT_ELEMENT_VIEWS, DEFAULT_ELEMENT_CONTROLS, lessonList } from './embed-options.js';

const BASE = new URL('./', import.meta.url).href;
const t = translator('en');
const $ = (id) => document.getElementById(id);
const VIEW_LABELS = { flow: 'view.flow.title', profile: 'view.profile.title', loss: 'view.loss.title', activations: 'view.act.title', boundary: 'view.boundary.title', ratio: 'view.ratio.title' };
const kebab = (key) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const escapeAttr = (v) => String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

const state = {
  lesson: '', base: defaults(), config: defaults(),
  views: [...DEFAULT_ELEMENT_VIEWS], show: new Set(DEFAULT_ELEMENT_CONTROLS), locked: new Set(),
  lang: 'en', height: '', steps: '', autoplay: false, kind: 'element',
};

// ---- the form ------------------------------------------------------------------
const lessons = await lessonList();
for (const l of lessons) { const o = document.createElement('option'); o.value = l.id; o.textContent = l.title?.en ?? l.id; $('lesson').append(o); }
for (const [code, { name }] of Object.entries(LANGUAGES)) { const o = document.createElement('option'); o.value = code; o.textContent = name; $('lang').append(o); }

for (const v of VIEW_NAMES) {
  const row = document.createElement('div'); row.className = 'control control-check';
  const input = document.createElement('input'); input.type = 'checkbox'; input.id = `view-${v}`; input.value = v; input.checked = state.views.includes(v);
  const label = document.createElement('label'); label.htmlFor = input.id; label.textContent = `${t(VIEW_LABELS[v])} (${v})`;
  input.addEventListener('change', () => { state.views = VIEW_NAMES.filter((n) => $(`view-${n}`).checked); update(); });
  row.append(input, label); $('views-field').append(row);
}

for (const f of SCHEMA) {
  const tr = document.createElement('tr');
  const name = document.createElement('th'); name.scope = 'row'; name.textContent = t(f.label);
  const cell = (set, what) => {
    const td = document.createElement('td');
    const box = document.createElement('input'); box.type = 'checkbox'; box.checked = set.has(f.key); box.name = `${what}-${f.key}`;
    box.setAttribute('aria-label', `${what} ${t(f.label)}`);
    box.addEventListener('change', () => { if (box.checked) set.add(f.key); else set.delete(f.key); update(); });
    td.append(box); return td;
  };
  tr.append(name, cell(state.show, 'show'), cell(state.locked, 'lock'));
  $('keys').append(tr);
}

const settings = new Controls($('settings'), t, (key, value) => {
  const checked = parseEntries(Object.entries({ ...state.config, [key]: value }).map(([k, v]) => [k, v === null ? 'default' : v]));
  state.config = checked.config;
  update();
});

$('lesson').addEventListener('change', () => {
  state.lesson = $('lesson').value;
  const lesson = lessons.find((l) => l.id === state.lesson);
  state.base = lesson?.config ? { ...defaults(), ...lesson.config } : defaults();
  state.config = { ...state.base };
  update();
});
$('lang').addEventListener('change', () => { state.lang = $('lang').value; update(); });
$('height').addEventListener('change', () => { state.height = $('height').value; update(); });
$('steps').addEventListener('change', () => { state.steps = $('steps').value; update(); });
$('autoplay').addEventListener('change', () => { state.autoplay = $('autoplay').checked; update(); });
for (const r of document.querySelectorAll('input[name="kind"]')) r.addEventListener('change', () => { state.kind = r.value; update(); });
$('copy').addEventListener('click', async () => {
  try { await navigator.clipboard.writeText($('snippet').value); $('copy-message').textContent = 'Copied.'; }
  catch { $('snippet').select(); $('copy-message').textContent = 'Select the text and copy it (Ctrl+C).'; }
});

// ---- the snippet -----------------------------------------------------------------
/** The element's attributes: [name, value] (value '' = boolean attribute). */
export function elementAttributes(s = state) {
  const attrs = [];
  if (s.lesson) attrs.push(['lesson', s.lesson]);
  for (const f of SCHEMA) {
    if (f.key === 'initScale') continue;
    const v = s.config[f.key];
    if (f.key === 'init') {
      // init="normal:1": the initialiser and its scale in one attribute.
      if (v !== s.base.init || s.config.initScale !== s.base.initScale) attrs.push(['init', `${v}:${s.config.initScale}`]);
      continue;
    }
    if (v !== s.base[f.key]) attrs.push([kebab(f.key), v === null ? 'default' : String(v)]);
  }
  if (s.views.join() !== DEFAULT_ELEMENT_VIEWS.join()) attrs.push(['views', s.views.join(',') || 'flow']);
  const shown = SCHEMA.map((f) => f.key).filter((k) => s.show.has(k) && !s.locked.has(k));
  if (shown.join() !== DEFAULT_ELEMENT_CONTROLS.join()) attrs.push(['controls', shown.join(',') || 'none']);
  if (s.locked.size) attrs.push(['locked', SCHEMA.map((f) => f.key).filter((k) => s.locked.has(k)).join(',')]);
  if (s.lang !== 'en') attrs.push(['lang', s.lang]);
  if (s.height) attrs.push(['height', s.height]);
  if (s.steps) attrs.push(['steps', s.steps]);
  if (s.autoplay) attrs.push(['autoplay', '']);
  return attrs;
}

function iframeUrl(s = state) {
  const q = new URLSearchParams({ embed: '1' });
  if (s.lesson) q.set('lesson', s.lesson);
  q.set('views', s.views.join(',') || 'flow');
  const shown = SCHEMA.map((f) => f.key).filter((k) => s.show.has(k) && !s.locked.has(k));
  q.set('controls', shown.join(',') || 'none');
  if (s.locked.size) q.set('locked', [...s.locked].join(','));
  if (s.steps) q.set('steps', s.steps);
  if (s.autoplay) q.set('autoplay', '1');
  return `${BASE}index.html?${q}${serializeHash(s.config, { lang: s.lang })}`;
}

export function snippet(s = state) {
  if (s.kind === 'iframe') {
    return `<iframe src="${escapeAttr(iframeUrl(s))}" title="gradscope" width="100%" height="${escapeAttr(s.height || 900)}" loading="lazy"></iframe>`;
  }
  const attrs = elementAttributes(s).map(([k, v]) => (v === '' ? ` ${k}` : ` ${k}="${escapeAttr(v)}"`)).join('');
  return `<script type="module" src="${BASE}element.js"></script>\n<grad-scope${attrs}></grad-scope>`;
}

// ---- the preview ---------------------------------------------------------------------
const preview = document.createElement('grad-scope');
preview.id = 'preview-element';
$('preview').append(preview);

function update() {
  settings.set(state.config);
  const wanted = new Map(elementAttributes());
  for (const a of [...preview.attributes]) if (a.name !== 'id' && !wanted.has(a.name)) preview.removeAttribute(a.name);
  for (const [k, v] of wanted) if (preview.getAttribute(k) !== v) preview.setAttribute(k, v);
  $('snippet').value = snippet();
  $('snippet-note').textContent = state.kind === 'iframe'
    ? 'The iframe works on any site. To script it (set-config, run, get-stats) add &origin=<your site\'s origin> to its URL; it posts gradscope:resize messages with its height.'
    : `The element must be served from the same origin as your page (${new URL(BASE).origin}); elsewhere, use the iframe.`;
  $('copy-message').textContent = '';
}
update();
