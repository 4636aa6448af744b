// report.js — turns the three parts' results into the ratio table, the
// PASS/FAIL list against the targets, markdown for stdout and
// bench/results/latest.md, and the JSON written to bench/results/latest.json.
// Owns the targets (one table, below) and all formatting; measures nothing.

import { OPS, CUBES, MLP_SHAPES, SCALAR_MAX_CUBE, rateOf, pctOf } from './matmul.js';
import { stepMatmuls, IMPLS } from './training.js';

export const TARGETS = Object.freeze({
  matmulPctOfCeiling: 85,        // each product, at ≥ 128³ and at the MLP shapes
  vsTfWasm: { '10×256 b128 tanh': 12, '50×64 b64 tanh': 8 },
  vsConvnet: { '10×256 b128 tanh': 30, '50×64 b64 tanh': 30 },
  floorRatio: 1.3,               // step time ÷ matmul floor, plain configs
  simdVsScalar: 4,               // plain configs
});

const IMPL_LABEL = { 'gradscope-simd': 'gradscope SIMD', 'gradscope-scalar': 'gradscope scalar', 'tfjs-wasm': 'TF.js wasm', 'tfjs-cpu': 'TF.js cpu', convnetjs: 'ConvNetJS' };

const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const ms = (x) => (!Number.isFinite(x) ? 'n/a' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const ratio = (x) => (Number.isFinite(x) ? `${x >= 100 ? x.toFixed(0) : x.toFixed(1)}×` : 'n/a');
const range = (s, fmt) => (s && s.n ? `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})` : 'n/a');
const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const verdict = (ok) => (ok === null ? 'n/a' : ok ? 'PASS' : 'FAIL');

/** The matmul floor of one step in ms: Σ flops ÷ the simd kernel's measured rate at that op and shape. */
export function matmulFloor(matmul, spec) {
  let forwardMs = 0, backwardMs = 0, flops = 0;
  for (const m of stepMatmuls(spec)) {
    const t = m.flops / (rateOf(matmul, m.op, m.B, m.I, m.O) * 1e6);
    if (m.phase === 'forward') forwardMs += t; else backwardMs += t;
    flops += m.flops;
  }
  return { forwardMs, backwardMs, totalMs: forwardMs + backwardMs, flops };
}

/** Derived numbers: ratios, floors and the PASS/FAIL list. */
export function analyse({ matmul, training, size }) {
  const out = { ratios: [], targets: [] };

  if (matmul) {
    for (const op of OPS) {
      const shapes = [...CUBES.filter((n) => n >= 128).map((n) => [n, n, n]), ...MLP_SHAPES];
      const pcts = shapes.map(([B, I, O]) => ({ shape: `${B}×${I}×${O}`, pct: pctOf(matmul, op, B, I, O) }));
      const worst = pcts.reduce((w, p) => (!(p.pct >= w.pct) ? p : w), { pct: Infinity });
      const ok = pcts.every((p) => p.pct >= TARGETS.matmulPctOfCeiling);
      out.targets.push({ target: `${op} ≥ ${TARGETS.matmulPctOfCeiling} % of ceiling at ≥ 128³ and MLP shapes`, value: `worst ${f(worst.pct, 0)} % at ${worst.shape}`, ok });
    }
  }

  if (training) {
    for (const row of training.configs) {
      const simd = row.results['gradscope-simd']?.median;
      const r = { id: row.id, base: row.base, variant: row.variant, simdMs: simd };
      for (const impl of IMPLS.slice(1)) r[impl] = row.results[impl] ? row.results[impl].median / simd : NaN;
      if (matmul) {
        r.floor = matmulFloor(matmul, row);
      }
      if (row.floor) {   // measured in the same rounds as the step (training.js createFloorPeer)
        r.floorMs = row.floor.median;
        r.floorGflops = row.floor.gflops;
        r.floorRatio = row.floor.ratio.median;
      }
      out.ratios.push(r);
    }
    const plain = out.ratios.filter((r) => r.variant === 'plain');
    for (const [base, want] of Object.entries(TARGETS.vsTfWasm)) {
      const r = plain.find((x) => x.base === base);
      if (r) out.targets.push({ target: `${base}: SIMD ≥ ${want}× faster than TF.js wasm`, value: ratio(r['tfjs-wasm']), ok: Number.isFinite(r['tfjs-wasm']) ? r['tfjs-wasm'] >= want : null });
    }
    for (const [base, want] of Object.entries(TARGETS.vsConvnet)) {
      const r = plain.find((x) => x.base === base);
      if (r) out.targets.push({ target: `${base}: SIMD ≥ ${want}× faster than ConvNetJS`, value: ratio(r.convnetjs), ok: Number.isFinite(r.convnetjs) ? r.convnetjs >= want : null });
    }
    if (plain.some((r) => Number.isFinite(r.floorRatio))) {
      const worst = plain.reduce((w, r) => (!(r.floorRatio <= w.floorRatio) ? r : w), { floorRatio: -Infinity });
      out.targets.push({ target: `step ≤ ${TARGETS.floorRatio}× matmul floor (plain configs)`, value: `worst ${f(worst.floorRatio, 2)}× (${worst.id})`, ok: plain.every((r) => r.floorRatio <= TARGETS.floorRatio) });
    }
    const worstScalar = plain.reduce((w, r) => (!(r['gradscope-scalar'] >= w['gradscope-scalar']) ? r : w), { 'gradscope-scalar': Infinity });
    out.targets.push({ target: `SIMD ≥ ${TARGETS.simdVsScalar}× scalar build on the step (plain configs)`, value: `worst ${ratio(worstScalar['gradscope-scalar'])} (${worstScalar.id})`, ok: plain.every((r) => r['gradscope-scalar'] >= TARGETS.simdVsScalar) });
    const mismatches = training.configs.flatMap((row) => Object.entries(row.lossCheck).filter(([, c]) => !c.ok).map(([impl]) => `${impl} @ ${row.id}`));
    out.targets.push({ target: 'every peer computes the same step (first loss within tolerance)', value: mismatches.length ? mismatches.join(', ') : 'all agree', ok: mismatches.length === 0 });
  }

  if (size) {
    out.targets.push({ target: 'wasm + JS API ≤ 40 KB gzip', value: kb(size.core.gzip), ok: size.core.gzip <= size.core.target });
    out.targets.push({ target: 'page without Chart.js ≤ 120 KB gzip', value: kb(size.page.gzip), ok: size.page.gzip <= size.page.target });
  }
  return out;
}

/** Where the main thread ran (bench/cores.js): pinned vCPU checks and moves, probe times per vCPU. */
function coresLine(c) {
  if (!c.pinned) return `Main thread not pinned: ${c.reason || 'no check ran'}.`;
  const probes = Object.entries(c.probeNs).filter(([, v]) => v).map(([cpu, v]) => `vCPU ${cpu} ${range(v, (x) => f(x, 3))}`).join(', ');
  return `Main thread pinned (bench/cores.js) to the vCPU whose register-only integer probe ran fastest, checked every ${c.checkIntervalMs / 1000} s between cases: ` +
    `${c.checks} checks, ${c.moves} move${c.moves === 1 ? '' : 's'}. Probe ns/iteration per vCPU, median (min–max): ${probes}.`;
}

/** The whole report as markdown. */
export function toMarkdown({ meta, matmul, training, size, cores }, derived) {
  const md = [];
  md.push(`# gradscope bench — ${meta.date}`);
  md.push('');
  md.push(`Machine: ${meta.cpu} (${meta.cores} cores) · Node ${meta.node} (V8 ${meta.v8}) · ${meta.rounds} interleaved rounds, median (min–max) · ${meta.wasmDir}`);
  if (meta.load) md.push(`Load average at start: ${meta.load}`);
  if (cores) md.push('', coresLine(cores));

  if (matmul) {
    const c = matmul.ceiling;
    md.push('', '## (a) Matmul GFLOP/s and % of the measured SIMD ceiling', '');
    md.push(`Ceiling (gs_bench_ceiling: register-only loops of 12 independent f32x4.mul, then of 12 f32x4.add; a 1:1 mul+add mix runs at most 2 × 4 lanes × the slower pipe's op rate): **${range(c.simd, (x) => f(x))} GFLOP/s** = 100 %. ` +
      `The same loops on scalar f32 (scalar build): ${range(c.scalar, (x) => f(x))} GFLOP/s.`);
    md.push('');
    const shapes = [];
    for (const c0 of matmul.cases) if (!shapes.some((s) => s.build === c0.build && s.B === c0.B && s.I === c0.I && s.O === c0.O)) shapes.push(c0);
    const rows = shapes.filter((s) => s.kind !== 'step').map((s) => {
      const cells = OPS.map((op) => {
        const k = matmul.cases.find((x) => x.build === s.build && x.op === op && x.B === s.B && x.I === s.I && x.O === s.O);
        if (!k?.available) return 'missing';
        return `${f(k.gflops.median)} (${f(k.gflops.min)}–${f(k.gflops.max)}) · **${f(k.pctOfCeiling.median, 0)} %**`;
      });
      const checks = OPS.map((op) => matmul.cases.find((x) => x.build === s.build && x.op === op && x.B === s.B && x.I === s.I && x.O === s.O)?.check);
      const worst = checks.some((x) => x === null || x === undefined) ? '—' : Math.max(...checks).toExponential(1);
      return [`${s.B}×${s.I}×${s.O}${s.kind === 'mlp' ? ' (MLP)' : ''}`, s.build, ...cells, worst];
    });
    md.push(table(['B×I×O', 'build', 'xwt Y=X·Wᵀ', 'dyw dX=dY·W', 'dytx dW+=dYᵀ·X', 'max rel. diff vs scalar twin'], rows));
    md.push('', `Cells: GFLOP/s median (min–max) · % of the SIMD ceiling, the median over rounds of (sample ÷ a ceiling run made just before it). ` +
      `Scalar rows: the scalar build's reference kernels (cubes up to ${SCALAR_MAX_CUBE}³), also against the SIMD ceiling.`);
    const steps = shapes.filter((s) => s.kind === 'step');
    if (steps.length) {
      md.push('', 'Step shapes (simd, used for the matmul floor): ' + steps.map((s) => `${s.B}×${s.I}×${s.O}: ` + OPS.map((op) => `${op} ${f(rateOf(matmul, op, s.B, s.I, s.O))}`).join(', ')).join(' · '));
    }
  }

  if (training) {
    md.push('', '## (b) ms per training step', '');
    const w = training.tfjs.wasm;
    if (w) md.push(`TF.js ${w.version}: wasm backend SIMD support ${w.hasSimdSupport}, threads ${w.hasThreads}, binary read: ${w.wasmFilesRead.join(', ') || 'none seen'} → ${w.simdBinary ? '**SIMD binary confirmed**' : '**NOT the SIMD binary**'}. Inputs = width, 10 classes, softmax cross-entropy, SGD lr 0.01, one fixed batch; clip = global norm ≤ 0.05; gradscope via trainSteps(k).`, '');
    md.push(table(['config', ...IMPLS.map((i) => IMPL_LABEL[i]), 'first loss: gradscope / float64', 'worst peer Δrel (tolerance)'], training.configs.map((row) => {
      const worst = Object.entries(row.lossCheck).reduce((m, [, c]) => Math.max(m, c.relFirst), 0);
      const ok = Object.values(row.lossCheck).every((c) => c.ok);
      return [row.id, ...IMPLS.map((i) => range(row.results[i], ms)), `${f(row.lossCheck['gradscope-simd'].losses[0], 6)} / ${f(row.reference.loss, 6)}`,
        `${worst.toExponential(1)} (${row.reference.tolerance.toExponential(0)}) ${ok ? 'ok' : 'MISMATCH'}`];
    })));
    md.push('', 'Tolerance = max(1e-4, 10 × sensitivity), sensitivity = relative change of the float64 loss when the input gets one float32 rounding of noise (bench/reference.js): deep relu + batch-norm nets amplify rounding ~300×, so correct float32 peers drift apart there.');
    md.push('', 'Loss after one step, per peer (checks gradients and update): ' + training.configs.filter((r) => r.variant === 'plain').map((row) =>
      `${row.id}: ` + Object.entries(row.lossCheck).map(([i, c]) => `${IMPL_LABEL[i]} ${f(c.losses[1], 5)}`).join(', ')).join(' · '));
    const clipRows = training.configs.filter((r) => r.clipMax);
    if (clipRows.length) md.push('', 'First-step clip scale (gradscope): ' + clipRows.map((r) => `${r.id} ${f(r.clipScale, 3)}`).join(', '));

    md.push('', '## Ratios (same run, medians)', '');
    md.push(table(['config', 'SIMD step ms', '× vs TF.js wasm', '× vs TF.js cpu', '× vs ConvNetJS', 'SIMD vs scalar', 'matmul floor ms (GFLOP/s)', 'step ÷ floor'], derived.ratios.map((r) => [
      r.id, ms(r.simdMs), ratio(r['tfjs-wasm']), ratio(r['tfjs-cpu']), ratio(r.convnetjs), ratio(r['gradscope-scalar']),
      Number.isFinite(r.floorMs) ? `${ms(r.floorMs)} (${f(r.floorGflops)})` : 'n/a', Number.isFinite(r.floorRatio) ? `${f(r.floorRatio, 2)}×` : 'n/a'])));
    md.push('', 'Matmul floor: the step\'s own matmul calls (same shapes, order and packing; forward Y = X·Wᵀ + b, dW, dX) run back to back through the raw kernel hook, timed in the same interleaved rounds as the step; step ÷ floor is the median over rounds of the two samples\' ratio. Everything else a step does (activations, loss, bias sums, the per-layer statistics the charts show, the optimiser, the stats ring) is the excess over 1×.');

    md.push('', '## Where a gradscope SIMD step goes (ms, medians of per-round differences: gs_forward, gs_backward, gs_train_step and trainSteps(1) timed in turn)', '');
    md.push(table(['config', 'step (trainSteps(1))', 'forward', 'loss + backward + stats', 'clip + SGD', 'gather + ring + JS', 'matmul floor fwd / bwd (from part a rates)'], training.configs.map((row) => {
      const p = row.profile?.['gradscope-simd'];
      const fl = derived.ratios.find((r) => r.id === row.id)?.floor;
      if (!p) return [row.id, 'n/a', '', '', '', '', ''];
      return [row.id, ms(p.stepMs), ms(p.forwardMs), ms(p.backwardMs), ms(p.optimizerMs), ms(p.trainStepsOverheadMs), fl ? `${ms(fl.forwardMs)} / ${ms(fl.backwardMs)}` : 'n/a'];
    })));
  }

  if (size) {
    md.push('', '## (c) Bundle size (gzip -9, each file on its own)', '');
    md.push(table(['bundle', 'files', 'raw', 'gzip', 'target'], [
      ['wasm + JS API', size.core.files.map((x) => x.file + (x.missing ? ' (missing)' : '')).join(', '), kb(size.core.raw), kb(size.core.gzip), kb(size.core.target)],
      ['page without Chart.js', `${size.page.files.length} files (everything dist/index.html loads (imports, workers), minified, without Chart.js, the digits data and the scalar wasm)`, kb(size.page.raw), kb(size.page.gzip), kb(size.page.target)],
    ]));
    const missing = size.page.files.filter((x) => x.missing).map((x) => x.file);
    if (missing.length) md.push('', `Missing (not counted): ${missing.join(', ')}`);
  }

  md.push('', '## Targets (issue 3)', '');
  md.push(table(['target', 'measured', 'verdict'], derived.targets.map((t) => [t.target, t.value, verdict(t.ok)])));
  md.push('');
  return md.join('\n');
}
