// netconfig.js — turns the JS API's net config (what createNet receives) into
// a complete, validated object, and that object into the flat array of
// doubles the C core reads (csrc/gradscope.h, GS_CFG_*). Pure functions: no
// wasm, no DOM, so the page, the CLI and the tests all validate the same way.
//
// Every error names the field and the allowed range, e.g.
//   hidden[2].units must be an integer in 1..1024, got 0
// The C core checks the same limits again (from the same web/limits.js).

import { LIMITS, ACTIVATIONS, INITS, LOSSES, OPTIMIZERS, CLIPS } from './limits.js';

export const NET_DEFAULTS = Object.freeze({
  batchSize: 32,
  seed: 1,
  loss: 'cross_entropy',
  init: 'xavier_normal',
  activation: 'tanh',
  slope: { leaky_relu: 0.01, prelu: 0.25 },   // default negative slopes (torch's)
  sgd: { lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 },
  adam: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
});

// Which parameter each init kind takes, and its default.
const INIT_PARAM = { normal: ['std', 1], uniform: ['limit', 1], xavier_uniform: ['gain', 1], xavier_normal: ['gain', 1], orthogonal: ['gain', 1] };

// Field order of the flat array: must match the enum in csrc/gradscope.h.
const CFG_FIELDS = ['inputs', 'outputs', 'batchSize', 'seed', 'loss', 'init', 'initScale', 'biasConst', 'biasStd',
  'opt', 'lr', 'momentum', 'nesterov', 'weightDecay', 'beta1', 'beta2', 'eps', 'clip', 'clipMax', 'depth'];
const LAYER_FIELDS = ['units', 'activation', 'slope', 'batchnorm'];
export const CFG_HEADER = CFG_FIELDS.length;
export const CFG_LAYER_FIELDS = LAYER_FIELDS.length;

const TOP_KEYS = new Set(['inputs', 'outputs', 'batchSize', 'seed', 'hidden', 'depth', 'width', 'activation', 'slope',
  'batchnorm', 'loss', 'init', 'bias', 'optimizer', 'clip']);

export function fail(message) { throw new Error(message); }

// How a bad value is quoted in an error message; never throws (a
// null-prototype object has no toString, and the message must still name the field).
const show = (v) => {
  try { return typeof v === 'string' ? JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v) : String(v); } catch { return Object.prototype.toString.call(v); }
};

export function intIn(v, { min, max }, name) {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(`${name} must be an integer in ${min}..${max}, got ${show(v)}`);
  return v;
}
export function numIn(v, min, max, name, { minOpen = false, maxOpen = false } = {}) {
  const ok = typeof v === 'number' && Number.isFinite(v) && (minOpen ? v > min : v >= min) && (maxOpen ? v < max : v <= max);
  if (!ok) fail(`${name} must be a number in ${minOpen ? '(' : '['}${min}, ${max}${maxOpen ? ')' : ']'}, got ${show(v)}`);
  return v;
}
export function oneOf(v, list, name) {
  if (!list.includes(v)) fail(`${name} must be one of ${list.join(', ')}, got ${show(v)}`);
  return v;
}
function bool(v, name) {
  if (v !== true && v !== false) fail(`${name} must be true or false, got ${show(v)}`);
  return v;
}

function normalizeLayer(layer, i, defaults) {
  const name = `hidden[${i}]`;
  if (layer === null || typeof layer !== 'object') fail(`${name} must be an object like { units: 64, activation: 'tanh' }, got ${show(layer)}`);
  for (const k of Object.keys(layer)) if (!LAYER_FIELDS.includes(k)) fail(`${name}.${k} is not a layer field (allowed: ${LAYER_FIELDS.join(', ')})`);
  const units = intIn(layer.units ?? defaults.units, LIMITS.units, `${name}.units`);
  const activation = oneOf(layer.activation ?? defaults.activation, ACTIVATIONS, `${name}.activation`);
  const slope = numIn(layer.slope ?? defaults.slope ?? NET_DEFAULTS.slope[activation] ?? 0, -10, 10, `${name}.slope`);
  const batchnorm = bool(layer.batchnorm ?? defaults.batchnorm ?? false, `${name}.batchnorm`);
  return { units, activation, slope, batchnorm };
}

function normalizeInit(init) {
  if (typeof init === 'string') {
    // 'normal:0.5' is the compact form used by URLs and element attributes
    const parts = init.split(':');
    const [kind, param] = parts;
    const text = init;
    init = { kind };
    if (parts.length > 2) fail(`init must be a name or name:number like "normal:0.5", got ${show(text)}`);
    if (param !== undefined) {
      const p = INIT_PARAM[kind];
      if (!p) fail(`init ${show(kind)} takes no parameter, got ${show(text)}`);
      // Number('') is 0: an empty or blank parameter must be an error, not std 0
      if (param.trim() === '') fail(`init.${p[0]} must be a number in [0, 100], got ${show(text)}`);
      init[p[0]] = Number(param);
    }
  }
  if (init === null || typeof init !== 'object') fail(`init must be a name (${INITS.join(', ')}) or { kind, std | limit | gain }, got ${show(init)}`);
  const kind = oneOf(init.kind, INITS, 'init.kind');
  const p = INIT_PARAM[kind];
  for (const k of Object.keys(init)) if (k !== 'kind' && (!p || k !== p[0])) fail(`init.${k} is not a field of the ${kind} initialiser${p ? ` (it takes ${p[0]})` : ''}`);
  const out = { kind };
  if (p) out[p[0]] = numIn(init[p[0]] ?? p[1], 0, 100, `init.${p[0]}`);
  return out;
}

function normalizeOptimizer(opt = {}) {
  if (typeof opt === 'string') opt = { kind: opt };
  if (opt === null || typeof opt !== 'object') fail(`optimizer must be { kind: 'sgd' | 'adam', lr, ... }, got ${show(opt)}`);
  const kind = oneOf(opt.kind ?? 'sgd', OPTIMIZERS, 'optimizer.kind');
  const d = NET_DEFAULTS[kind];
  for (const k of Object.keys(opt)) if (k !== 'kind' && !(k in d)) fail(`optimizer.${k} is not a field of ${kind} (allowed: ${Object.keys(d).join(', ')})`);
  const out = { kind, lr: numIn(opt.lr ?? d.lr, LIMITS.lr.min, LIMITS.lr.max, 'optimizer.lr', { minOpen: true }) };
  out.weightDecay = numIn(opt.weightDecay ?? d.weightDecay, 0, 1, 'optimizer.weightDecay');
  if (kind === 'sgd') {
    out.momentum = numIn(opt.momentum ?? d.momentum, 0, 1, 'optimizer.momentum', { maxOpen: true });
    out.nesterov = bool(opt.nesterov ?? d.nesterov, 'optimizer.nesterov');
    if (out.nesterov && out.momentum === 0) fail('optimizer.nesterov needs optimizer.momentum in (0, 1), got 0');
  } else {
    out.beta1 = numIn(opt.beta1 ?? d.beta1, 0, 1, 'optimizer.beta1', { maxOpen: true });
    out.beta2 = numIn(opt.beta2 ?? d.beta2, 0, 1, 'optimizer.beta2', { maxOpen: true });
    out.eps = numIn(opt.eps ?? d.eps, 0, 1, 'optimizer.eps', { minOpen: true });
  }
  return out;
}

function normalizeClip(clip = { kind: 'none' }) {
  if (typeof clip === 'string') clip = { kind: clip };
  if (clip === null || typeof clip !== 'object') fail(`clip must be { kind: ${CLIPS.join(' | ')}, max }, got ${show(clip)}`);
  const kind = oneOf(clip.kind ?? 'none', CLIPS, 'clip.kind');
  if (kind === 'none') return { kind };
  return { kind, max: numIn(clip.max, 0, 1e6, 'clip.max', { minOpen: true }) };
}

function normalizeBias(bias = 0) {
  if (typeof bias === 'number') bias = { constant: bias };
  if (bias === null || typeof bias !== 'object') fail(`bias must be a number or { constant, std }, got ${show(bias)}`);
  return { constant: numIn(bias.constant ?? 0, -100, 100, 'bias.constant'), std: numIn(bias.std ?? 0, 0, 100, 'bias.std') };
}

/** Complete and validate a net config; throws an Error naming the bad field. */
export function normalizeNetConfig(config) {
  if (config === null || typeof config !== 'object') fail(`config must be an object, got ${show(config)}`);
  for (const k of Object.keys(config)) if (!TOP_KEYS.has(k)) fail(`${k} is not a config field (allowed: ${[...TOP_KEYS].join(', ')})`);
  const inputs = intIn(config.inputs, LIMITS.inputs, 'inputs');
  const outputs = intIn(config.outputs, LIMITS.outputs, 'outputs');
  const batchSize = intIn(config.batchSize ?? NET_DEFAULTS.batchSize, LIMITS.batchSize, 'batchSize');
  const seed = intIn(config.seed ?? NET_DEFAULTS.seed, { min: 0, max: 4294967295 }, 'seed');
  let hidden;
  const shared = { activation: config.activation ?? NET_DEFAULTS.activation, slope: config.slope, batchnorm: config.batchnorm };
  if (config.hidden !== undefined) {
    if (!Array.isArray(config.hidden)) fail(`hidden must be an array of layers, got ${show(config.hidden)}`);
    intIn(config.hidden.length, LIMITS.depth, 'hidden.length');
    hidden = config.hidden.map((layer, i) => normalizeLayer(layer, i, shared));
  } else {
    const depth = intIn(config.depth, LIMITS.depth, 'depth');
    const units = intIn(config.width, LIMITS.units, 'width');
    hidden = Array.from({ length: depth }, (_, i) => normalizeLayer({}, i, { ...shared, units }));
  }
  return {
    inputs, outputs, batchSize, seed, hidden,
    loss: oneOf(config.loss ?? NET_DEFAULTS.loss, LOSSES, 'loss'),
    init: normalizeInit(config.init ?? NET_DEFAULTS.init),
    bias: normalizeBias(config.bias),
    optimizer: normalizeOptimizer(config.optimizer),
    clip: normalizeClip(config.clip),
  };
}

/** The flat Float64Array the C core's gs_create reads. */
export function netConfigToArray(c) {
  const adam = NET_DEFAULTS.adam;
  const initParam = c.init.std ?? c.init.limit ?? c.init.gain ?? 1;
  const header = {
    inputs: c.inputs, outputs: c.outputs, batchSize: c.batchSize, seed: c.seed,
    loss: LOSSES.indexOf(c.loss), init: INITS.indexOf(c.init.kind), initScale: initParam,
    biasConst: c.bias.constant, biasStd: c.bias.std,
    opt: OPTIMIZERS.indexOf(c.optimizer.kind), lr: c.optimizer.lr, momentum: c.optimizer.momentum ?? 0,
    nesterov: c.optimizer.nesterov ? 1 : 0, weightDecay: c.optimizer.weightDecay,
    beta1: c.optimizer.beta1 ?? adam.beta1, beta2: c.optimizer.beta2 ?? adam.beta2, eps: c.optimizer.eps ?? adam.eps,
    clip: CLIPS.indexOf(c.clip.kind), clipMax: c.clip.max ?? 0, depth: c.hidden.length,
  };
  const out = new Float64Array(CFG_HEADER + c.hidden.length * CFG_LAYER_FIELDS);
  CFG_FIELDS.forEach((f, i) => { out[i] = header[f]; });
  c.hidden.forEach((h, l) => {
    const at = CFG_HEADER + l * CFG_LAYER_FIELDS;
    out[at] = h.units; out[at + 1] = ACTIVATIONS.indexOf(h.activation); out[at + 2] = h.slope; out[at + 3] = h.batchnorm ? 1 : 0;
  });
  return out;
}
