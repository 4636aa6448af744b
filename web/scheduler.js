// scheduler.js — decides when views redraw, so training never makes the page
// janky:
//   * at most once per animation frame, and never while the tab is hidden;
//   * each frame draws views only until FRAME_BUDGET_MS is spent (the rest
//     wait for the next frame, oldest first), so no single task grows long;
//   * after a draw that took d ms, nothing is drawn for COST_FACTOR × d ms,
//     so drawing takes at most 1/(1 + COST_FACTOR) of the main thread on any
//     machine: a slow phone gets fewer frames, not a frozen page.
//   * views that declare `cheap = true` (the status line: a few text nodes)
//     are drawn every frame first, outside the budget and the pause, so the
//     step counter never lags behind the charts.
// Views call `scheduler.mark(view)` when they have new data; draw() runs later.

const FRAME_BUDGET_MS = 6;
const COST_FACTOR = 5;

export class FrameScheduler {
  #dirty = new Set(); #pending = false; #notBefore = 0;

  #signal;

  /** signal: an AbortSignal that stops the scheduler (its playground was destroyed). */
  constructor({ signal } = {}) {
    this.#signal = signal;
    // Catch up when the tab becomes visible again.
    document.addEventListener('visibilitychange', () => { if (!document.hidden && this.#dirty.size) this.#request(); }, { signal });
  }

  mark(view) {
    if (this.#signal?.aborted) return;
    this.#dirty.add(view);
    if (!document.hidden) this.#request();
  }

  #request() {
    if (this.#pending) return;
    this.#pending = true;
    requestAnimationFrame(() => this.#flush());
  }

  #flush() {
    this.#pending = false;
    if (this.#signal?.aborted) { this.#dirty.clear(); return; }
    if (document.hidden) return;   // visibilitychange will bring us back
    for (const view of this.#dirty) {
      if (!view.cheap) continue;
      this.#dirty.delete(view);
      try { view.draw(); } catch (e) { console.warn('view draw failed', e); }
    }
    const start = performance.now();
    for (const view of [...this.#dirty]) {   // a Set iterates in insertion order: oldest first
      const now = performance.now();
      if (now - start > FRAME_BUDGET_MS) break;
      if (this.#notBefore > now) break;
      this.#dirty.delete(view);
      try { view.draw(); } catch (e) { console.warn('view draw failed', e); }
      const end = performance.now();
      this.#notBefore = end + COST_FACTOR * (end - now);
    }
    if (this.#dirty.size) this.#request();
  }
}
