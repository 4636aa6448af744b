// chaos-map.js — the edge-of-chaos map: σ_w² (x) × depth (y) for the current
// activation and σ_b², coloured by the mean-field prediction of how much
// ‖δ‖ changes from the last hidden layer to the first,
//     log10(‖δ_1‖ / ‖δ_L‖) ≈ (L − 1)·½·log10 χ₁(σ_w², σ_b²)
// (purple: ordered phase, gradients vanish; orange: chaotic phase, they
// explode; PuOr from ColorBrewer, readable with any colour vision), with the
// critical line χ₁ = 1 (gs.criticalSw2), the trainable-depth line 6·|ξ|
// (ξ = −1/ln χ₁, Schoenholz et al. 2017) and the current config as a dot the
// learner can drag (pointer) or move (arrow keys). Dropping the dot calls
// onPick({ sw2, depth }); the page turns that into init normal with
// initScale = √(σ_w²/width) and resets with the same seed.
//
// Plain canvas (no Chart.js). χ₁ does not depend on depth, so the map needs
// one theory call per σ_w² sample (121 of them), not one per cell (a 60×50
// grid would be 3000 calls, ~0.6 s for tanh). Those calls and
// gs.criticalSw2 (10–700 ms by activation) run in theory-worker.js; the page
// only interpolates and paints (a few ms).

import { buildPanel, fillTable } from './chart-kit.js';
import { applyStrings } from '../i18n.js';
import { formatNumber } from '../format.js';
import { mapAsync, theoryInputs, sw2Of, sb2Of, slopeOf } from './theory-guide.js';

const SAMPLES = 121;
const DEPTH_MIN = 1, DEPTH_MAX = 100;
const LOG_CLAMP = 6;          // colours saturate at 10^±6
const COMMIT_KEYS_MS = 600;   // keyboard moves become a new config after this pause
// ColorBrewer PuOr, purple (vanishing) → white (critical) → orange (exploding).
const PUOR = [[84, 39, 136], [128, 115, 172], [178, 171, 210], [216, 218, 235], [247, 247, 247], [254, 224, 182], [253, 184, 99], [224, 130, 20], [179, 88, 6]];
const MARGIN = { left: 46, right: 12, top: 12, bottom: 38 };

/** PuOr colour of t in [0, 1] as [r, g, b]. */
export function puor(t) {
  const x = Math.min(1, Math.max(0, t)) * (PUOR.length - 1);
  const i = Math.min(PUOR.length - 2, Math.floor(x)), f = x - i;
  return PUOR[i].map((v, k) => Math.round(v + f * (PUOR[i + 1][k] - v)));
}

/** The predicted log10 ratio ‖δ_1‖/‖δ_L‖ for a net of `depth` hidden layers. */
export const predictedLog10Ratio = (chi1, depth) => (depth - 1) * 0.5 * Math.log10(chi1);

/** Text with a white halo, readable on the darkest and the palest cells. */
function halo(ctx, text, x, y) {
  ctx.save();
  ctx.lineWidth = 3; ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)'; ctx.lineJoin = 'round';
  ctx.strokeText(text, x, y);
  ctx.fillStyle = '#111'; ctx.fillText(text, x, y);
  ctx.restore();
}

export class ChaosMapView {
  /** onPick({ sw2, depth }) — the dot was dropped (pointer up, or a pause after arrow keys / Enter). */
  constructor(root, t, { onPick } = {}) {
    this.t = t;
    this.root = root;
    this.onPick = onPick ?? (() => {});
    this.parts = buildPanel(root, t, 'chaos');
    this.parts.empty.hidden = true;
    this.parts.box.classList.add('chaos-box');
    const cv = this.parts.canvas;
    this.canvas = cv;
    // A 2-D slider: focusable, arrow keys move the dot, the summary is its value text.
    cv.setAttribute('role', 'slider');
    cv.setAttribute('tabindex', '0');
    cv.setAttribute('aria-valuemin', '0');
    cv.removeAttribute('aria-describedby');
    this.summary = document.createElement('p');
    this.summary.className = 'panel-summary chaos-summary';
    this.summary.id = `${root.id}-summary`;
    this.summary.setAttribute('aria-live', 'polite');
    this.note = document.createElement('p');
    this.note.className = 'panel-summary chaos-note';
    this.note.hidden = true;
    this.legend = document.createElement('div');
    this.legend.className = 'chaos-legend';
    for (const cls of ['chaos-legend-lo', 'chaos-colorbar', 'chaos-legend-hi', 'chaos-key-critical', 'chaos-key-trainable']) { const s = document.createElement('span'); s.className = cls; this.legend.append(s); }
    this.parts.box.after(this.legend, this.summary, this.note);
    cv.setAttribute('aria-describedby', `${root.id}-desc ${this.summary.id}`);
    this.keysHint = document.createElement('span');
    this.keysHint.dataset.i18n = 'chaos.keys';
    this.parts.tools.append(this.keysHint);

    this.config = null;
    this.key = '';            // activation|sb2|slope of the computed samples
    this.samples = null;      // { sw2: Float64Array, logChi: Float64Array, xi: Float64Array, crit, xMax }
    this.dot = null;          // { sw2, depth } shown (moves while dragging)
    this.background = null;   // offscreen canvas of the coloured map
    this.commitTimer = 0;
    this.dirty = true;

    cv.addEventListener('pointerdown', (e) => this.#pointer(e, 'down'));
    cv.addEventListener('pointermove', (e) => this.#pointer(e, 'move'));
    cv.addEventListener('pointerup', (e) => this.#pointer(e, 'up'));
    cv.addEventListener('pointercancel', () => { this.dragging = false; });
    cv.addEventListener('keydown', (e) => this.#key(e));
    cv.style.touchAction = 'none';
    new ResizeObserver(() => { this.background = null; this.dirty = true; this.onDirty?.(); }).observe(this.parts.box);
    this.relabel(t);
  }

  relabel(t) {
    this.t = t;
    applyStrings(this.root, t);
    this.legend.querySelector('.chaos-legend-lo').textContent = t('chaos.legendLo');
    this.legend.querySelector('.chaos-legend-hi').textContent = t('chaos.legendHi');
    this.legend.querySelector('.chaos-key-critical').textContent = t('chaos.criticalKey');
    this.legend.querySelector('.chaos-key-trainable').textContent = t('chaos.trainableLine');
    this.canvas.setAttribute('aria-label', t('chaos.label'));
    this.#describe();
    this.#fillTable();
    this.dirty = true;
  }

  /** The playground's config changed: move the dot; recompute the map if the activation or σ_b² changed. */
  setConfig(config) {
    this.config = config;
    clearTimeout(this.commitTimer); this.commitTimer = 0;
    const sw2 = sw2Of(config);
    this.dot = sw2 > 0 ? { sw2, depth: config.depth } : null;
    const key = `${config.activation}|${sb2Of(config)}|${slopeOf(config)}`;
    if (key !== this.key) { this.key = key; this.samples = null; this.background = null; this.#compute(key, config); }
    this.#describe();
    this.dirty = true;
  }

  async #compute(key, config) {
    const args = { activation: config.activation, sb2: sb2Of(config), slope: slopeOf(config) };
    let samples;
    try { samples = await mapAsync(args, SAMPLES); } catch { return; }
    if (key !== this.key) return;
    this.samples = { ...samples, args };
    this.background = null;
    this.#describe();
    this.#fillTable();
    this.dirty = true;
    this.onDirty?.();
  }

  /** ln χ₁ at any σ_w² in the sampled range (linear interpolation). */
  #logChiAt(s) {
    const S = this.samples;
    const x = (s - S.xMin) / (S.xMax - S.xMin) * (SAMPLES - 1);
    const i = Math.max(0, Math.min(SAMPLES - 2, Math.floor(x))), f = Math.min(1, Math.max(0, x - i));
    return S.logChi[i] + f * (S.logChi[i + 1] - S.logChi[i]);
  }

  // ---- geometry ----------------------------------------------------------------
  #plot() {
    const w = this.parts.box.clientWidth, h = this.parts.box.clientHeight;
    return { x0: MARGIN.left, y0: MARGIN.top, w: Math.max(10, w - MARGIN.left - MARGIN.right), h: Math.max(10, h - MARGIN.top - MARGIN.bottom), cw: w, ch: h };
  }
  #toPx(p, sw2, depth) {
    const S = this.samples;
    return [p.x0 + (sw2 - S.xMin) / (S.xMax - S.xMin) * p.w, p.y0 + (1 - (depth - DEPTH_MIN) / (DEPTH_MAX - DEPTH_MIN)) * p.h];
  }
  #fromPx(p, px, py) {
    const S = this.samples;
    const sw2 = S.xMin + Math.min(1, Math.max(0, (px - p.x0) / p.w)) * (S.xMax - S.xMin);
    const depth = DEPTH_MIN + Math.min(1, Math.max(0, 1 - (py - p.y0) / p.h)) * (DEPTH_MAX - DEPTH_MIN);
    return { sw2: Math.round(sw2 * 100) / 100, depth: Math.round(depth) };
  }

  // ---- input ------------------------------------------------------------------
  #pointer(e, phase) {
    if (!this.samples || !this.config) return;
    const r = this.canvas.getBoundingClientRect();
    const at = this.#fromPx(this.#plot(), e.clientX - r.left, e.clientY - r.top);
    if (phase === 'down') {
      if (e.button !== 0) return;
      this.dragging = true;
      this.canvas.setPointerCapture?.(e.pointerId);
      this.canvas.focus({ preventScroll: true });
    }
    if (!this.dragging) return;
    this.#move(at);
    if (phase === 'up') { this.dragging = false; this.#commit(); }
  }

  #key(e) {
    if (!this.samples || !this.config) return;
    const cur = this.dot ?? { sw2: 1, depth: this.config.depth };
    const big = e.shiftKey;
    let next = null;
    switch (e.key) {
      case 'ArrowLeft': next = { sw2: cur.sw2 - (big ? 0.25 : 0.05), depth: cur.depth }; break;
      case 'ArrowRight': next = { sw2: cur.sw2 + (big ? 0.25 : 0.05), depth: cur.depth }; break;
      case 'ArrowUp': next = { sw2: cur.sw2, depth: cur.depth + (big ? 10 : 1) }; break;
      case 'ArrowDown': next = { sw2: cur.sw2, depth: cur.depth - (big ? 10 : 1) }; break;
      case 'PageUp': next = { sw2: cur.sw2, depth: cur.depth + 10 }; break;
      case 'PageDown': next = { sw2: cur.sw2, depth: cur.depth - 10 }; break;
      case 'Enter': e.preventDefault(); this.#commit(); return;
      default: return;
    }
    e.preventDefault();
    const S = this.samples;
    this.#move({ sw2: Math.round(Math.min(S.xMax, Math.max(S.xMin, next.sw2)) * 100) / 100, depth: Math.min(DEPTH_MAX, Math.max(DEPTH_MIN, Math.round(next.depth))) });
    clearTimeout(this.commitTimer);
    this.commitTimer = setTimeout(() => this.#commit(), COMMIT_KEYS_MS);
  }

  #move(at) {
    this.dot = at;
    this.#describe();
    this.dirty = true;
    this.onDirty?.();
  }

  #commit() {
    clearTimeout(this.commitTimer); this.commitTimer = 0;
    if (!this.dot || !this.config) return;
    const same = Math.abs(this.dot.sw2 - (sw2Of(this.config) ?? NaN)) < 1e-9 && this.dot.depth === this.config.depth && this.config.init === 'normal';
    if (!same) this.onPick({ ...this.dot });
  }

  // ---- text --------------------------------------------------------------------
  #describe() {
    const t = this.t, S = this.samples, c = this.config;
    if (!S || !c) { this.summary.textContent = t('chaos.computing'); return; }
    const critText = Number.isFinite(S.crit) ? t('chaos.critical', { sw2: formatNumber(S.crit, 3) }) : t('chaos.noCritical');
    const parts = [t('chaos.context', { activation: t(`choice.activation.${c.activation}`), sb2: formatNumber(S.args.sb2, 3) }), critText];
    if (this.dot) {
      const inRange = this.dot.sw2 >= S.xMin && this.dot.sw2 <= S.xMax;
      const logChi = inRange ? this.#logChiAt(this.dot.sw2) : NaN;
      const ratio = Number.isFinite(logChi) ? predictedLog10Ratio(Math.exp(logChi), this.dot.depth) : NaN;
      const phase = !Number.isFinite(logChi) ? '' : logChi < 0 ? t('chaos.ordered') : t('chaos.chaotic');
      const xiAbs = Number.isFinite(logChi) && logChi !== 0 ? 1 / Math.abs(logChi) : Infinity;
      parts.push(t('chaos.dot', { sw2: formatNumber(this.dot.sw2, 3), depth: this.dot.depth }));
      const ratioText = !Number.isFinite(ratio) ? '—' : Math.abs(ratio) < 300 ? formatNumber(10 ** ratio, 3) : `10^${Math.round(ratio)}`;
      if (inRange) parts.push(t('chaos.prediction', { phase, ratio: ratioText, trainable: Number.isFinite(xiAbs) ? formatNumber(6 * xiAbs, 3) : '∞' }));
      else parts.push(t('chaos.outside'));
      this.canvas.setAttribute('aria-valuenow', String(this.dot.sw2));
      this.canvas.setAttribute('aria-valuetext', parts.slice(2).join(' '));
    } else {
      parts.push(t('chaos.noDot'));
      this.canvas.removeAttribute('aria-valuenow');
      this.canvas.setAttribute('aria-valuetext', t('chaos.noDot'));
    }
    this.summary.textContent = parts.join(' ');
    const inputs = theoryInputs(c);
    const why = !inputs.applies && inputs.reason !== 'theory.why.zeros' ? inputs.reason : null;
    this.note.hidden = !why;
    if (why) this.note.textContent = `${t('chaos.notThisNet')} ${t(why)}`;
  }

  #fillTable() {
    const S = this.samples, t = this.t;
    if (!S) return;
    const rows = [];
    const depth = this.config?.depth ?? 20;
    for (let i = 0; i < SAMPLES; i += 10) {
      const chi = Math.exp(S.logChi[i]);
      rows.push([formatNumber(S.sw2[i], 3), formatNumber(chi, 4), formatNumber(Math.abs(S.xi[i]), 4), formatNumber(6 * Math.abs(S.xi[i]), 4), formatNumber(predictedLog10Ratio(chi, depth), 3)]);
    }
    fillTable(this.parts.table, [t('chaos.axisX'), 'χ₁', '|ξ|', '6|ξ|', t('chaos.colRatio', { depth })], rows);
  }

  // ---- drawing -----------------------------------------------------------------
  #paintBackground(p, dpr) {
    const S = this.samples;
    const W = Math.round(p.w * dpr), H = Math.round(p.h * dpr);
    const off = document.createElement('canvas');
    off.width = W; off.height = H;
    const ctx = off.getContext('2d');
    const img = ctx.createImageData(W, H);
    const colLog = new Float64Array(W);
    for (let x = 0; x < W; x++) colLog[x] = this.#logChiAt(S.xMin + (x + 0.5) / W * (S.xMax - S.xMin)) * 0.5 / Math.LN10;
    // One 256-entry colour table, one 32-bit write per pixel (no allocation in the loop).
    const lut = new Uint32Array(256);
    for (let i = 0; i < 256; i++) { const [r, g, b] = puor(i / 255); lut[i] = (255 << 24) | (b << 16) | (g << 8) | r; }   // little-endian RGBA
    const pixels = new Uint32Array(img.data.buffer);
    const scale = 255 / (2 * LOG_CLAMP);
    for (let y = 0; y < H; y++) {
      const depth = DEPTH_MIN + (1 - (y + 0.5) / H) * (DEPTH_MAX - DEPTH_MIN);
      for (let x = 0, k = y * W; x < W; x++, k++) {
        const v = (depth - 1) * colLog[x];
        pixels[k] = lut[Math.round((Math.max(-LOG_CLAMP, Math.min(LOG_CLAMP, v)) + LOG_CLAMP) * scale)];
      }
    }
    ctx.putImageData(img, 0, 0);
    return off;
  }

  draw() {
    if (!this.dirty) return;
    this.dirty = false;
    const cv = this.canvas, dpr = window.devicePixelRatio || 1;
    const p = this.#plot();
    if (cv.width !== Math.round(p.cw * dpr) || cv.height !== Math.round(p.ch * dpr)) {
      cv.width = Math.round(p.cw * dpr); cv.height = Math.round(p.ch * dpr);
      cv.style.width = `${p.cw}px`; cv.style.height = `${p.ch}px`;
      this.background = null;
    }
    const ctx = cv.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, p.cw, p.ch);
    const S = this.samples;
    if (!S) return;
    if (!this.background) this.background = this.#paintBackground(p, dpr);
    ctx.drawImage(this.background, p.x0, p.y0, p.w, p.h);
    const style = getComputedStyle(this.root);
    const ink = style.color || '#222';
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = ink; ctx.strokeStyle = ink; ctx.lineWidth = 1;
    ctx.strokeRect(p.x0 + 0.5, p.y0 + 0.5, p.w - 1, p.h - 1);

    // Axes: σ_w² ticks at round steps, depth at 1, 20, 40, … 100.
    ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    const step = S.xMax - S.xMin > 8 ? 2 : 0.5;
    for (let s = Math.ceil(S.xMin / step) * step; s <= S.xMax + 1e-9; s += step) {
      const [x] = this.#toPx(p, s, 1);
      ctx.beginPath(); ctx.moveTo(x, p.y0 + p.h); ctx.lineTo(x, p.y0 + p.h + 4); ctx.stroke();
      ctx.fillText(formatNumber(s, 3), x, p.y0 + p.h + 5);
    }
    ctx.fillText(this.t('chaos.axisX'), p.x0 + p.w / 2, p.y0 + p.h + 20);
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    for (const d of [1, 20, 40, 60, 80, 100]) {
      const [, y] = this.#toPx(p, S.xMin, d);
      ctx.beginPath(); ctx.moveTo(p.x0 - 4, y); ctx.lineTo(p.x0, y); ctx.stroke();
      ctx.fillText(String(d), p.x0 - 6, y);
    }
    ctx.save();
    ctx.translate(11, p.y0 + p.h / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = 'center';
    ctx.fillText(this.t('chaos.axisY'), 0, 0);
    ctx.restore();

    ctx.save();
    ctx.beginPath(); ctx.rect(p.x0, p.y0, p.w, p.h); ctx.clip();
    // Trainable depth ≈ 6·|ξ|: dashed curve.
    ctx.setLineDash([5, 4]); ctx.lineWidth = 1.5; ctx.strokeStyle = '#111';
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < SAMPLES; i++) {
      const d = 6 * Math.abs(S.xi[i]);
      if (!Number.isFinite(d) || d > DEPTH_MAX * 1.5) { pen = false; continue; }
      const [x, y] = this.#toPx(p, S.sw2[i], Math.max(DEPTH_MIN, d));
      if (pen) ctx.lineTo(x, y); else ctx.moveTo(x, y);
      pen = true;
    }
    ctx.stroke();
    // Critical line χ₁ = 1.
    if (Number.isFinite(S.crit) && S.crit >= S.xMin && S.crit <= S.xMax) {
      const [x] = this.#toPx(p, S.crit, 1);
      ctx.setLineDash([]); ctx.lineWidth = 2; ctx.strokeStyle = '#000';
      ctx.beginPath(); ctx.moveTo(x, p.y0); ctx.lineTo(x, p.y0 + p.h); ctx.stroke();
      const right = x < p.x0 + p.w - 60;
      ctx.textAlign = right ? 'left' : 'right'; ctx.textBaseline = 'top';
      halo(ctx, this.t('chaos.criticalLine'), right ? x + 5 : x - 5, p.y0 + 5);
    }
    // Phase names, on the side each phase is (dark text on a white halo: readable on any colour).
    ctx.setLineDash([]); ctx.textBaseline = 'bottom';
    ctx.textAlign = 'left'; halo(ctx, this.t('chaos.ordered'), p.x0 + 6, p.y0 + p.h - 6);
    if (Number.isFinite(S.crit) && S.crit < S.xMax - 0.3) { ctx.textAlign = 'right'; halo(ctx, this.t('chaos.chaotic'), p.x0 + p.w - 6, p.y0 + p.h - 6); }
    ctx.restore();

    // The dot (clamped to the map when its σ_w² is outside; then hollow).
    if (this.dot) {
      const inside = this.dot.sw2 >= S.xMin && this.dot.sw2 <= S.xMax;
      const [x, y] = this.#toPx(p, Math.min(S.xMax, Math.max(S.xMin, this.dot.sw2)), this.dot.depth);
      ctx.beginPath(); ctx.arc(x, y, 7, 0, 2 * Math.PI);
      ctx.fillStyle = inside ? '#000' : '#fff'; ctx.fill();
      ctx.lineWidth = 2.5; ctx.strokeStyle = '#fff'; ctx.stroke();
      ctx.beginPath(); ctx.arc(x, y, 9, 0, 2 * Math.PI); ctx.lineWidth = 1.5; ctx.strokeStyle = '#000'; ctx.stroke();
      if (document.activeElement === this.canvas) {
        ctx.beginPath(); ctx.arc(x, y, 13, 0, 2 * Math.PI); ctx.lineWidth = 2; ctx.strokeStyle = '#0072B2'; ctx.stroke();
      }
    }
  }

  reset() { this.dirty = true; }
  append() {}
}

/**
 * Put the map after a playground's profile panel and keep it in step with
 * the playground (the page calls this; the map is not one of the embeddable
 * views). Dropping the dot applies init 'normal' with initScale = √(σ_w²/width)
 * and the new depth — a fresh net with the same seed. Returns { view, onEvent }.
 */
export function mountChaosMap(pg, { translator, lang }) {
  const section = document.createElement('section');
  section.id = 'view-chaos';
  const profile = pg.root.querySelector('#view-profile');
  if (profile) profile.after(section); else (pg.root.querySelector('.views') ?? pg.root).append(section);
  const view = new ChaosMapView(section, translator(lang), {
    onPick: ({ sw2, depth }) => {
      const c = pg.config;
      const next = { ...c, init: 'normal', initScale: Math.sqrt(sw2 / c.width), depth, layers: c.layers && depth !== c.depth ? '' : c.layers };
      pg.setConfig(next).catch(() => {});
    },
  });
  let frame = 0;
  view.onDirty = () => { if (!frame) frame = requestAnimationFrame(() => { frame = 0; view.draw(); }); };
  view.setConfig(pg.config);
  view.onDirty();
  return {
    view,
    onEvent(type, detail) {
      if (type === 'config') { view.setConfig(detail.config); view.onDirty(); }
      else if (type === 'language') { view.relabel(translator(detail.lang)); view.onDirty(); }
    },
  };
}
