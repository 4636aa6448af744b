// scheduler.js — decides when views redraw, so training never makes the page
// janky:
//   * at most once per animation frame (while training: at most once per
//     slot of MIN_FRAME_INTERVAL_MS), and never while the tab is hidden; the
//     wait for a slot is a timer, since every frame asked for is a frame the
//     browser builds;
//   * charts draw in tasks of their own after the frame, each task only until
//     FRAME_BUDGET_MS is spent (the rest wait for a later task, oldest first),
//     so no single task grows long;
//   * after a draw that took d ms, nothing is drawn for COST_FACTOR × d ms,
//     so drawing takes at most 1/(1 + COST_FACTOR) of the main thread on any
//     machine: a slow phone gets fewer frames, not a frozen page.
//   * while training runs (setBusy(true)), a view scrolled out of sight is not
//     drawn: it waits, and is drawn as soon as it comes within
//     OFFSCREEN_MARGIN_PX of the viewport, or when training stops. Nobody sees
//     an off-screen chart, and on a 2-core machine (one core trains) every
//     canvas drawn costs the page its responsiveness: drawing, compositing and
//     rasterising it share the one core left.
//   * views that declare `cheap = true` (the status line: a few text nodes)
//     are drawn first, outside the budget, the pause and the visibility rule,
//     so the step counter never lags behind the charts. (Every frame that
//     changes the page costs style, paint and a compositor commit, so while
//     training even the status line keeps the 50 ms pace.)
// Views call `scheduler.mark(view)` when they have new data; draw() runs later.
// A view may have a `root` element: the part of the page it draws into.

const FRAME_BUDGET_MS = 6;
const COST_FACTOR = 5;
const MIN_FRAME_INTERVAL_MS = 50;   // ≤ 20 redraws a second: live to the eye, light on the thread
const OFFSCREEN_MARGIN_PX = 200;

export class FrameScheduler {
  #dirty = new Set(); #pending = false; #notBefore = 0; #lastFlush = -Infinity;
  #deferred = new Set();   // dirty views that were off-screen while busy
  #offscreen = new Set();  // roots the observer last saw outside the viewport (+ margin)
  #observed = new WeakSet();
  #busy = false;
  #timer = 0;    // a pending #requestAt timeout, due at #timerAt
  #timerAt = 0;
  #chartTimer = 0;   // a pending #chartsAt timeout
  #drawnThisSlot = new Set();   // while training: views drawn since the last paced frame
  #observer = null;
  #afterFrame;   // a MessagePort: posting to it queues #drawCharts as a new task
  #signal;

  /** signal: an AbortSignal that stops the scheduler (its playground was destroyed). */
  constructor({ signal } = {}) {
    this.#signal = signal;
    const channel = new MessageChannel();
    channel.port1.onmessage = () => this.#drawCharts();
    this.#afterFrame = channel.port2;
    signal?.addEventListener('abort', () => channel.port1.close());
    // Catch up when the tab becomes visible again.
    document.addEventListener('visibilitychange', () => { if (!document.hidden && this.#dirty.size) this.#request(); }, { signal });
    if (typeof IntersectionObserver === 'function') {
      this.#observer = new IntersectionObserver((entries) => {
        for (const e of entries) {
          if (e.isIntersecting) this.#offscreen.delete(e.target); else this.#offscreen.add(e.target);
        }
        this.#undefer((view) => !this.#offscreen.has(view.root));
      }, { rootMargin: `${OFFSCREEN_MARGIN_PX}px` });
      signal?.addEventListener('abort', () => this.#observer.disconnect());
    }
  }

  mark(view) {
    if (this.#signal?.aborted) return;
    if (view.root && this.#observer && !this.#observed.has(view.root)) {
      this.#observed.add(view.root);
      this.#observer.observe(view.root);
    }
    this.#deferred.delete(view);
    this.#dirty.add(view);
    // While training, new data arrives every 25 ms: the next frame waits for the pace.
    if (!document.hidden) this.#requestAt(this.#busy ? this.#lastFlush + MIN_FRAME_INTERVAL_MS : 0);
  }

  /** Training runs (true) or not (false): off-screen views are drawn only when not. */
  setBusy(busy) {
    this.#busy = !!busy;
    if (!this.#busy) this.#undefer(() => true);
  }

  /** Draw every pending view now, on- or off-screen (before an export reads the canvases). */
  flushAll() {
    for (const view of [...this.#dirty, ...this.#deferred]) this.#draw(view);
    this.#dirty.clear();
    this.#deferred.clear();
  }

  #undefer(which) {
    let moved = false;
    for (const view of this.#deferred) {
      if (!which(view)) continue;
      this.#deferred.delete(view);
      this.#dirty.add(view);
      moved = true;
    }
    if (moved && !document.hidden) this.#request();
  }

  #request() {
    if (this.#pending) return;
    this.#pending = true;
    requestAnimationFrame(() => this.#flush());
  }

  /**
   * Ask for a frame no sooner than `time` (a performance.now() value). Not by
   * asking for a frame each frame until then: every requested frame is a
   * frame the browser builds (style, layout, paint, compositor commit: ~2 ms
   * of main thread each, measured), so a pacing loop of requests kept the
   * page at 50+ frames a second while it drew charts at 20.
   */
  #requestAt(time) {
    const wait = time - performance.now();
    if (wait <= 0) { this.#request(); return; }
    if (this.#timer) {
      if (this.#timerAt <= time) return;   // an earlier wake-up is already set
      clearTimeout(this.#timer);
    }
    this.#timerAt = time;
    this.#timer = setTimeout(() => { this.#timer = 0; if (!this.#signal?.aborted && !document.hidden) this.#request(); }, wait);
  }

  #draw(view) {
    try { view.draw(); } catch (e) { console.warn('view draw failed', e); }
  }

  #flush() {
    this.#pending = false;
    if (this.#signal?.aborted) { this.#dirty.clear(); this.#deferred.clear(); return; }
    if (document.hidden) return;   // visibilitychange will bring us back
    const start = performance.now();
    if (this.#busy && start - this.#lastFlush < MIN_FRAME_INTERVAL_MS) { if (this.#dirty.size) this.#requestAt(this.#lastFlush + MIN_FRAME_INTERVAL_MS); return; }
    this.#lastFlush = start;
    this.#drawnThisSlot.clear();
    for (const view of this.#dirty) {
      if (!view.cheap) continue;
      this.#dirty.delete(view);
      this.#draw(view);
    }
    // The charts draw in a task of their own, right after this frame: the
    // browser then composites this frame (its commit, 5–35 ms here with
    // software compositing) in this task and the canvases in the next, instead
    // of one task doing both.
    if (this.#dirty.size) this.#afterFrame.postMessage(null);
  }

  #drawCharts() {
    if (this.#signal?.aborted || document.hidden) return;
    const start = performance.now();
    for (const view of [...this.#dirty]) {   // a Set iterates in insertion order: oldest first
      if (this.#busy && view.root && this.#offscreen.has(view.root)) {
        this.#dirty.delete(view);
        this.#deferred.add(view);
        continue;
      }
      if (this.#busy && this.#drawnThisSlot.has(view)) continue;   // new data since: the next slot
      const now = performance.now();
      if (now - start > FRAME_BUDGET_MS) break;
      if (this.#notBefore > now) break;
      this.#dirty.delete(view);
      this.#draw(view);
      this.#drawnThisSlot.add(view);
      const end = performance.now();
      this.#notBefore = end + COST_FACTOR * (end - now);
    }
    // Charts not yet drawn in this slot draw in later tasks of their own, once
    // the cost pause is over. They need no frame of their own (the browser
    // builds one to show a changed canvas); the rest wait for the next slot.
    const waiting = [...this.#dirty].some((view) => !(this.#busy && this.#drawnThisSlot.has(view)));
    if (waiting) this.#chartsAt(this.#notBefore);
    else if (this.#dirty.size) this.#requestAt(this.#lastFlush + MIN_FRAME_INTERVAL_MS);
  }

  /** Draw the waiting charts in a task at `time` (a performance.now() value). */
  #chartsAt(time) {
    if (this.#chartTimer) return;
    this.#chartTimer = setTimeout(() => { this.#chartTimer = 0; this.#afterFrame.postMessage(null); }, Math.max(0, time - performance.now()));
  }
}
