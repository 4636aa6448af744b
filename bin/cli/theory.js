// theory.js — `gradscope theory`: the mean-field numbers of csrc/theory.c for
// a deep net with weights N(0, σ_w²/fan_in) and biases N(0, σ_b²)
// (Poole et al. 2016, Schoenholz et al. 2017): the fixed point q* of the
// pre-activation variance, χ₁ = σ_w² E[φ′(√q* z)²] (per-layer factor of
// ‖δ‖²: < 1 vanishing, > 1 exploding), the depth scale ξ = −1/ln χ₁, and the
// critical σ_w² where χ₁ = 1 for this activation and σ_b².

import { loadGradscope } from '../../web/gradscope.js';
import { ACTIVATIONS } from '../../web/limits.js';
import { COMMON, EXIT, UsageError, parseArgv, helpText, choiceFlag, simdFlag, last } from './args.js';
import { sig6, exact, table, csvLine, createOutput, finiteOrNull } from './format.js';

const SW2_MAX = 20, SB2_MAX = 100;

const FLAGS = [
  { name: 'activation', meta: 'name', values: ACTIVATIONS.join(', '), help: 'the activation φ (default tanh)' },
  { name: 'sw2', meta: 'σ_w²', values: `number in (0, ${SW2_MAX}]`, help: 'weight variance σ_w² (× 1/fan_in); default 1' },
  { name: 'sb2', meta: 'σ_b²', values: `number in 0..${SB2_MAX}`, help: 'bias variance σ_b²; default 0' },
  { name: 'slope', meta: 'a', values: 'number in -1..1', help: 'negative slope of leaky_relu / prelu (default 0.01 / 0.25)' },
  COMMON.format, COMMON.out, COMMON.simd,
];

export const HELP = helpText({
  usage: 'gradscope theory --activation tanh --sw2 1.5 --sb2 0.05 [--slope a] [--format table|csv|json]',
  description: `Mean-field theory of signal propagation for weights N(0, σ_w²/fan_in) and biases N(0, σ_b²):
q* (fixed point of the pre-activation variance), χ₁ (per-layer factor of ‖δ‖²: below 1
gradients vanish, above 1 they explode), the depth scale ξ = −1/ln χ₁ (layers over which
‖δ‖² shrinks or grows by e) and the critical σ_w² (χ₁ = 1) for this activation and σ_b².
Xavier init with gain g is σ_w² = g² × 2·fan_in/(fan_in+fan_out) (= g² for equal widths);
He init is σ_w² = 2.`,
  flags: FLAGS,
  examples: ['gradscope theory --activation tanh --sw2 1.5 --sb2 0.05', 'gradscope theory --activation relu --sw2 2 --format json'],
});

function numberFlag(given, name, min, max, fallback, { minOpen = false } = {}) {
  const raw = last(given, name);
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || (minOpen ? v <= min : v < min) || v > max) {
    throw new UsageError(`--${name} must be a number in ${minOpen ? '(' : '['}${min}, ${max}], got ${JSON.stringify(raw.slice(0, 40))}`);
  }
  return v;
}

export async function run(argv) {
  const { given, help } = parseArgv(argv, FLAGS, 'theory');
  if (help) { process.stdout.write(HELP); return EXIT.OK; }
  const activation = choiceFlag(given, 'activation', ACTIVATIONS, 'tanh');
  const sw2 = numberFlag(given, 'sw2', 0, SW2_MAX, 1, { minOpen: true });
  const sb2 = numberFlag(given, 'sb2', 0, SB2_MAX, 0);
  const slope = numberFlag(given, 'slope', -1, 1, undefined);
  const format = choiceFlag(given, 'format', ['table', 'csv', 'json'], 'table');
  const out = createOutput(last(given, 'out'));

  const gs = await loadGradscope({ simd: simdFlag(given) });
  const { qStar, chi1, depthScale } = gs.theory({ activation, sw2, sb2, slope });
  const criticalSw2 = gs.criticalSw2({ activation, sb2, slope });
  const regime = Math.abs(chi1 - 1) < 1e-9 ? 'critical (edge of chaos)' : chi1 < 1 ? 'ordered: gradients vanish with depth' : 'chaotic: gradients explode with depth';
  const result = { activation, sw2, sb2, slope: slope ?? null, qStar, chi1, depthScale, criticalSw2, regime };

  if (format === 'json') out.write(JSON.stringify(Object.fromEntries(Object.entries(result).map(([k, v]) => [k, typeof v === 'number' ? finiteOrNull(v) : v])), null, 1) + '\n');
  else if (format === 'csv') {
    const keys = ['activation', 'sw2', 'sb2', 'slope', 'qStar', 'chi1', 'depthScale', 'criticalSw2'];
    out.write(csvLine(keys) + csvLine(keys.map((k) => (typeof result[k] === 'number' ? exact(result[k]) : result[k] ?? ''))));
  } else {
    out.write(`mean field for ${activation}${slope !== undefined ? ` (slope ${slope})` : ''}, σ_w² = ${sw2}, σ_b² = ${sb2}\n`);
    out.write(table(['quantity', 'value', 'meaning'], [
      ['q*', sig6(qStar), 'fixed point of the pre-activation variance'],
      ['χ₁', sig6(chi1), `per-layer factor of ‖δ‖² — ${regime}`],
      ['ξ', sig6(depthScale), 'depth scale −1/ln χ₁ (layers per factor e of ‖δ‖²)'],
      ['critical σ_w²', Number.isFinite(criticalSw2) ? sig6(criticalSw2) : 'none', `σ_w² where χ₁ = 1 for ${activation}, σ_b² = ${sb2}${Number.isFinite(criticalSw2) ? '' : ' (none in (0, 20])'}`],
    ], { left: [0, 2] }));
  }
  out.finish();
  return EXIT.OK;
}
