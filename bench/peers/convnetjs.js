// peers/convnetjs.js — ConvNetJS 0.3.0 computing the same training step.
// ConvNetJS trains one example at a time (Float64, plain JS); its Trainer with
// batch_size = B and method 'sgd' (momentum 0, no decay) averages the B
// example gradients and updates once per B calls, which is one step of
// mini-batch SGD on the mean loss. It has no batch norm and no gradient
// clipping: those configs are n/a.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function convnetSupports(spec) { return !spec.batchnorm && !spec.clipMax; }

export function createConvnetPeer(name, spec, batch, params) {
  const convnetjs = require('convnetjs');
  const defs = [{ type: 'input', out_sx: 1, out_sy: 1, out_depth: spec.inputs }];
  for (let l = 0; l < spec.depth; l++) defs.push({ type: 'fc', num_neurons: spec.width, activation: spec.activation });
  defs.push({ type: 'softmax', num_classes: spec.outputs });   // adds the output fc layer itself
  const net = new convnetjs.Net();
  net.makeLayers(defs);
  const fcs = net.layers.filter((ly) => ly.layer_type === 'fc');
  if (fcs.length !== params.length) throw new Error(`convnetjs: ${fcs.length} fc layers, want ${params.length}`);
  fcs.forEach((ly, l) => {
    const p = params[l];
    for (let o = 0; o < p.O; o++) {
      const w = ly.filters[o].w;
      for (let i = 0; i < p.I; i++) w[i] = p.W[o * p.I + i];
      ly.biases.w[o] = p.b[o];
    }
  });
  const trainer = new convnetjs.Trainer(net, { method: 'sgd', learning_rate: spec.lr, batch_size: spec.batch, momentum: 0, l2_decay: 0, l1_decay: 0 });
  const rows = Array.from({ length: spec.batch }, (_, r) => {
    const v = new convnetjs.Vol(1, 1, spec.inputs, 0);
    for (let i = 0; i < spec.inputs; i++) v.w[i] = batch.X[r * spec.inputs + i];
    return v;
  });
  const step = () => {
    let loss = 0;
    for (let r = 0; r < spec.batch; r++) loss += trainer.train(rows[r], batch.y[r]).cost_loss;
    return loss / spec.batch;
  };
  return {
    name, maxStepsPerCall: Infinity,
    losses(n) { return Array.from({ length: n }, step); },
    steps(n) { for (let i = 0; i < n; i++) step(); },
    dispose() {},
  };
}
