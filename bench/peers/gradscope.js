// peers/gradscope.js — gradscope (SIMD or scalar build) as a bench peer.
// Trains the way the page does: a one-batch 'arrays' dataset inside wasm and
// net.trainSteps(k), k steps in one call, no copy across the boundary per step.
//
// Peer interface (all peers): { name, losses(n) → first n step losses from the
// initial parameters, steps(n) → run n more steps (the caller times it),
// maxStepsPerCall, dispose() }.

/** The gradscope net config of a bench spec (see training.js CONFIGS). */
export function netConfig(spec) {
  return {
    inputs: spec.inputs, outputs: spec.outputs, batchSize: spec.batch, seed: 1,
    depth: spec.depth, width: spec.width, activation: spec.activation, batchnorm: spec.batchnorm,
    init: spec.activation === 'relu' ? 'he_normal' : 'xavier_normal',
    optimizer: { kind: 'sgd', lr: spec.lr },
    clip: spec.clipMax ? { kind: 'norm', max: spec.clipMax } : { kind: 'none' },
  };
}

/** Initial parameters every peer copies: [{ W [O][I], b, gamma?, beta? }] per layer. */
export function initialParams(gs, spec) {
  const net = gs.createNet(netConfig(spec));
  try {
    return Array.from({ length: net.layerCount }, (_, l) => {
      const { W, b, gamma, beta } = net.getParams(l);
      return { W, b, gamma, beta, I: net.sizes[l], O: net.sizes[l + 1] };
    });
  } finally { net.free(); }
}

export function createGradscopePeer(gs, name, spec, batch, params) {
  const net = gs.createNet(netConfig(spec));
  params.forEach((p, l) => net.setParams(l, p.gamma ? { W: p.W, b: p.b, gamma: p.gamma, beta: p.beta } : { W: p.W, b: p.b }));
  const data = gs.createDataset({ kind: 'arrays', X: batch.X, y: batch.y, features: spec.inputs, classes: spec.outputs, trainShare: 1, seed: 1 });
  if (data.trainRows !== spec.batch) throw new Error(`${name}: the one-batch dataset has ${data.trainRows} train rows, want ${spec.batch}`);
  const max = gs.limits.stepsPerCall.max;
  return {
    name, net, data, maxStepsPerCall: max,
    losses(n) {
      const run = net.trainSteps(data, n);
      return Array.from({ length: run.steps }, (_, i) => run.records[i * run.stride]);   // loss is GLOBAL_STATS[0]
    },
    /** The clip scale of the latest step (1 = no clipping happened). */
    clipScale() { return net.globals().clipScale; },
    steps(n) {
      for (let left = n; left > 0; left -= max) net.trainSteps(data, Math.min(left, max));
    },
    dispose() { data.free(); net.free(); },
  };
}
