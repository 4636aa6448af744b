// bars.test.js — the per-layer bars (gradient profile, its step-1 ghost,
// update/weight ratio, saturated and dead meters) are drawn by chart-kit's
// own bar plugin, not by Chart.js. This reads the canvas pixels back: every
// bar is painted in its layer's (or series') colour, from the axis floor up
// to its value on the chart's own y scale, at its layer's x position.
// And the idle warm-up (chart-kit.js warmUp) leaves no made-up point behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, openPage, waitForStep } from './helpers.js';

let env;
before(async () => { env = await startBrowser(); });
after(async () => { await env?.close(); });

test('per-layer bars are painted in their colour, at their layer, up to their value', async () => {
  // ReLU + He: every layer has a finite gradient and update, and some dead units.
  const { page, context, problems } = await openPage(env, '#depth=12&width=32&activation=relu&init=he_normal&seed=3',
    { viewport: { width: 1280, height: 4000 } });
  for (let i = 1; i <= 3; i++) { await page.click('button.step'); await waitForStep(page, i); }
  // every chart has drawn step 3 (the profile's bars hold 13 layers)
  await page.waitForFunction(() => Object.values(Chart.instances).filter((c) => c.$bars?.some((b) => b.data.length === 13)).length >= 3);
  await page.waitForTimeout(300);

  const report = await page.evaluate(() => {
    const parse = (c) => {
      if (c.startsWith('#')) return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)).concat(1);
      const v = c.match(/[\d.]+/g).map(Number);
      return [v[0], v[1], v[2], v[3] ?? 1];
    };
    const out = [];
    for (const chart of Object.values(Chart.instances)) {
      if (!chart.$bars) continue;
      const name = chart.canvas.closest('section').id + (chart.canvas.closest('.chart-box-short') ? ' meters' : '');
      const ctx = chart.canvas.getContext('2d'), dpr = chart.currentDevicePixelRatio;
      const { chartArea: area, scales: { x: xs, y: ys } } = chart;
      const base = ys.type === 'logarithmic' ? area.bottom : ys.getPixelForValue(0);
      const pixel = (x, y) => [...ctx.getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data.slice(0, 3)];
      chart.$bars.forEach((bars, k) => {
        bars.data.forEach((p, i) => {
          if (!p || p.y == null) return;
          const top = Math.max(area.top, ys.getPixelForValue(p.y));
          if (base - top < 12) return;   // too short to sample
          const [r, g, b, a] = parse(typeof bars.color === 'string' ? bars.color : bars.color[i]);
          const want = [r, g, b].map((c) => Math.round(a * c + (1 - a) * 255));   // over a white background
          // inside the bar's width, clear of the narrower bar drawn over a wide one
          const x = xs.getPixelForValue(p.x + (bars.shift ?? 0)) + (k === 0 && chart.$bars.length === 2 && bars.width > 0.6 ? 0.38 * bars.width * (xs.getPixelForValue(2) - xs.getPixelForValue(1)) : 0);
          out.push({ name, bar: k, layer: i + 1, want,
            inside: [0.25, 0.5, 0.75].map((f) => pixel(x, top + f * (base - top))),
            above: top > area.top + 6 ? pixel(x, top - 4) : null });
        });
      });
    }
    return out;
  });
  const close = (c, want) => c.every((v, i) => Math.abs(v - want[i]) <= 10);
  const names = new Set(report.map((r) => r.name));
  assert.ok(names.has('view-profile') && names.has('view-ratio') && names.has('view-activations meters'), `bar charts seen: ${[...names]}`);
  assert.ok(report.length >= 30, `only ${report.length} bars were tall enough to check`);
  for (const r of report) {
    const where = `${r.name} bar set ${r.bar}, layer ${r.layer}`;
    // a line drawn over a bar (the 10⁻³ reference, the dashed guide) may cover one sample
    assert.ok(r.inside.filter((c) => close(c, r.want)).length >= 2, `${where}: painted ${JSON.stringify(r.inside)}, want ${r.want}`);
    if (r.above) assert.ok(!close(r.above, r.want), `${where}: the bar goes on above its value`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

// Each chart draws once with made-up points in idle time before the first
// step (chart-kit.js warmUp), then its own data again: none may stay.
test('after the idle warm-up, no chart shows a point before the first step', async () => {
  const { page, context, problems } = await openPage(env, '#depth=12&width=32', { viewport: { width: 1280, height: 4000 } });
  await page.waitForTimeout(2500);   // idle time: every chart has been warmed
  const held = await page.evaluate(() => Object.values(Chart.instances).map((c) => ({
    id: c.canvas.closest('section')?.id,
    points: c.data.datasets.reduce((n, d) => n + d.data.length, 0),
    marks: (c.$lines ?? []).reduce((n, l) => n + l.points.length, 0) + (c.$bars ?? []).reduce((n, b) => n + b.data.length, 0) + (c.$bands ?? []).reduce((n, b) => n + b.x.length, 0),
  })));
  assert.ok(held.length >= 6, `charts: ${held.length}`);
  // the update ratio's 10⁻³ reference line is a fixed pair of points; everything else is empty
  for (const h of held) assert.ok(h.marks === 0 && h.points <= (h.id === 'view-ratio' ? 2 : 0), `${h.id} holds ${h.points} points and ${h.marks} marks before any step`);
  assert.equal(await page.textContent('#step-counter'), '0');
  assert.deepEqual(problems, []);
  await context.close();
});
