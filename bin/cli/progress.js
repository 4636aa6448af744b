// progress.js — a progress bar with ETA, on stderr only (stdout stays the
// result, byte-identical between runs). On a terminal it redraws one line
// (at most 10 times a second); piped into a log it prints a plain line at
// most once every 2 s, and always the last one.

const BAR_WIDTH = 28;

function duration(seconds) {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

/** createProgress({ total, label }) → { update(done, note), done() }. */
export function createProgress({ total, label = '', stream = process.stderr, quiet = false }) {
  const tty = !!stream.isTTY;
  const t0 = performance.now();
  let lastDraw = -Infinity, shown = false;

  function text(done, note) {
    const elapsed = (performance.now() - t0) / 1000;
    const fraction = total > 0 ? done / total : 1;
    const eta = done > 0 ? elapsed * (total - done) / done : NaN;
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
    return `${label}${label ? ' ' : ''}${bar} ${done}/${total} ${(100 * fraction).toFixed(0).padStart(3)}%  elapsed ${duration(elapsed)}  ETA ${done >= total ? '0s' : duration(eta)}${note ? '  ' + note : ''}`;
  }

  return {
    update(done, note = '') {
      if (quiet) return;
      const now = performance.now();
      const final = done >= total;
      if (!final && now - lastDraw < (tty ? 100 : 2000)) return;
      lastDraw = now;
      shown = true;
      stream.write(tty ? `\r\x1b[2K${text(done, note)}` : `${text(done, note)}\n`);
    },
    done() {
      if (!quiet && tty && shown) stream.write('\n');
    },
  };
}
