// peers/tfjs.js — TensorFlow.js 4.22 (wasm backend: XNNPACK + SIMD; cpu
// backend: plain JS) computing the same training step as gradscope.
//
// The model is what a developer writes with tfjs-core: kernels stored [I][O]
// as tf.layers.dense stores them (gradscope's W [O][I], transposed on copy),
// forward h·K + b → [tf.moments + tf.batchNorm] → φ, softmax cross-entropy,
// tf.variableGrads, optional clip by global norm (torch's rule, as in
// csrc/optim.c), plain SGD — all inside tf.tidy, with dataSync on the loss at
// the end of every step so the timing covers the work, not its scheduling.

import { createRequire, register } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const BN_EPS = 1e-5;   // csrc/batchnorm.c

let tf = null;
let peerCount = 0;   // variable names are global in tfjs: make each peer's unique
const wasmFilesRead = [];

/** Load tfjs-core and both backends once; returns { tf, info }. */
export async function loadTf() {
  if (tf) return tf;
  // Record which .wasm binary the wasm backend reads (Emscripten in Node uses fs.readFileSync).
  const readFileSync = fs.readFileSync;
  fs.readFileSync = function (file, ...rest) {
    const name = String(file instanceof URL ? file.pathname : file);
    if (name.endsWith('.wasm')) wasmFilesRead.push(path.basename(name));
    return readFileSync.call(this, file, ...rest);
  };
  tf = require('@tensorflow/tfjs-core');
  // The gradients, as the @tensorflow/tfjs umbrella registers them (see tfjs-esm-hooks.js).
  register('./tfjs-esm-hooks.js', import.meta.url);
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  require('@tensorflow/tfjs-backend-cpu');
  const wasm = require('@tensorflow/tfjs-backend-wasm');
  const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
  wasm.setWasmPaths(dir + path.sep);
  tf.env().set('PROD', true);   // no debug checks of every op
  return tf;
}

/** Initialise a backend; for wasm, report whether the SIMD binary was loaded. */
export async function useBackend(name) {
  await loadTf();
  if (!(await tf.setBackend(name))) throw new Error(`tfjs: backend ${name} failed to initialise`);
  await tf.ready();
  const info = { backend: tf.getBackend(), version: tf.version_core };
  if (name === 'wasm') {
    info.hasSimdSupport = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    info.hasThreads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    info.wasmFilesRead = [...new Set(wasmFilesRead)];
    info.simdBinary = info.wasmFilesRead.includes('tfjs-backend-wasm-simd.wasm');
  }
  return info;
}

export async function createTfPeer(backend, name, spec, batch, params) {
  await useBackend(backend);
  const lr = spec.lr;
  const tag = `${name}#${++peerCount}`;
  const vars = params.map((p, l) => {
    const K = new Float32Array(p.I * p.O);   // [I][O] = Wᵀ
    for (let o = 0; o < p.O; o++) for (let i = 0; i < p.I; i++) K[i * p.O + o] = p.W[o * p.I + i];
    return {
      K: tf.variable(tf.tensor2d(K, [p.I, p.O]), true, `l${l}K_${tag}`),
      b: tf.variable(tf.tensor1d(p.b), true, `l${l}b_${tag}`),
      gamma: p.gamma ? tf.variable(tf.tensor1d(p.gamma), true, `l${l}g_${tag}`) : null,
      beta: p.beta ? tf.variable(tf.tensor1d(p.beta), true, `l${l}be_${tag}`) : null,
    };
  });
  const varList = vars.flatMap((v) => [v.K, v.b, v.gamma, v.beta].filter(Boolean));
  const x = tf.keep(tf.tensor2d(batch.X, [spec.batch, spec.inputs]));
  const onehot = tf.keep(tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(batch.y, 'int32'), spec.outputs), 'float32')));
  const phi = spec.activation === 'tanh' ? tf.tanh : tf.relu;
  const L = vars.length;

  const lossFn = () => {
    let h = x;
    for (let l = 0; l < L; l++) {
      const v = vars[l];
      let z = tf.add(tf.matMul(h, v.K), v.b);
      if (v.gamma) {
        const { mean, variance } = tf.moments(z, 0);
        z = tf.batchNorm(z, mean, variance, v.beta, v.gamma, BN_EPS);
      }
      h = l < L - 1 ? phi(z) : z;
    }
    return tf.losses.softmaxCrossEntropy(onehot, h);
  };

  const step = () => tf.tidy(() => {
    const { value, grads } = tf.variableGrads(lossFn, varList);
    let scale = null;
    if (spec.clipMax) {
      const total = tf.sqrt(tf.addN(varList.map((v) => tf.sum(tf.square(grads[v.name])))));
      scale = tf.minimum(1, tf.div(spec.clipMax, tf.add(total, 1e-6)));
    }
    for (const v of varList) {
      const g = scale ? tf.mul(grads[v.name], scale) : grads[v.name];
      v.assign(tf.sub(v, tf.mul(g, lr)));
    }
    return value.dataSync()[0];
  });

  return {
    name, maxStepsPerCall: Infinity,
    async activate() { await tf.setBackend(backend); },
    losses(n) { return Array.from({ length: n }, step); },
    steps(n) { for (let i = 0; i < n; i++) step(); },
    dispose() { varList.forEach((v) => v.dispose()); x.dispose(); onehot.dispose(); },
  };
}
