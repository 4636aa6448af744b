// export.js — files for the learner to keep: per-step stats as CSV and JSON,
// the config (JSON, plus the link that reproduces the run) and every chart as
// PNG. Everything is built in the page from data it already has; a download
// is a blob URL on an <a download>, so nothing leaves the machine.

import { serializeHash } from './config.js';

export function download(filename, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url; a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The data: URL of a PNG → a Blob. */
export function dataUrlToBlob(url) {
  const [head, body] = url.split(',');
  const bytes = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type: head.slice(5).split(';')[0] });
}

export function exportCsv(history) { download('gradscope-stats.csv', new Blob([history.toCSV()], { type: 'text/csv' })); }

export function exportJson(history, config) {
  download('gradscope-stats.json', new Blob([JSON.stringify({ config, ...history.toJSON() })], { type: 'application/json' }));
}

export function exportConfig(config, pageUrl) {
  const link = `${pageUrl.split('#')[0]}${serializeHash(config)}`;
  download('gradscope-config.json', new Blob([JSON.stringify({ config, link }, null, 2)], { type: 'application/json' }));
}

/** pngs: [{ name, dataUrl }] — one download each. */
export function exportPngs(pngs) {
  for (const { name, dataUrl } of pngs) download(`gradscope-${name}.png`, dataUrlToBlob(dataUrl));
}
