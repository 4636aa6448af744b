// gradscope.d.ts — hand-written types for the JS API (web/gradscope.js),
// the package's main entry: `import { loadGradscope } from 'gradscope'`.
// Works in Node ≥ 20 (the wasm is read from inside the package) and browsers.

export type Activation = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'prelu' | 'elu' | 'selu' | 'swish';
export type InitKind = 'zeros' | 'normal' | 'uniform' | 'xavier_uniform' | 'xavier_normal' | 'he_uniform' | 'he_normal' | 'lecun_normal' | 'orthogonal';
export type LossKind = 'cross_entropy' | 'mse';
export type ClipKind = 'none' | 'norm' | 'value' | 'layer_norm';
export type DatasetKind = 'spiral' | 'circles' | 'xor' | 'moons' | 'gaussians';

export interface HiddenLayer { units: number; activation?: Activation; slope?: number; batchnorm?: boolean }

/** A net config: either `hidden` layers, or the shorthand depth × width with one activation. */
export interface NetConfig {
  inputs: number;
  outputs: number;
  hidden?: HiddenLayer[];
  depth?: number;
  width?: number;
  activation?: Activation;
  slope?: number;
  batchnorm?: boolean;
  batchSize?: number;
  seed?: number;
  loss?: LossKind;
  init?: InitKind | { kind: InitKind; std?: number; limit?: number; gain?: number };
  bias?: { constant?: number; std?: number };
  optimizer?: { kind: 'sgd'; lr?: number; momentum?: number; nesterov?: boolean; weightDecay?: number }
    | { kind: 'adam'; lr?: number; beta1?: number; beta2?: number; eps?: number; weightDecay?: number };
  clip?: { kind: ClipKind; max?: number };
}

export type DatasetSpec =
  | { kind: DatasetKind; rows?: number; noise?: number; classes?: number; trainShare?: number; seed?: number }
  | { kind: 'arrays'; X: ArrayLike<number>; y: ArrayLike<number>; features: number; classes?: number; trainShare?: number; seed?: number };

export interface GlobalStats { loss: number; accuracy: number; gradNorm: number; clipScale: number; nonFiniteLayer: number; nonFinitePhase: number; step: number }
/** Per-layer statistics of one step (hidden layers first, the output layer last). */
export interface LayerStats {
  gradNormW: number; gradNormB: number; deltaNorm: number; actMean: number; actStd: number; saturated: number; dead: number;
  weightNorm: number; updateRatio: number; gain: number; clipScale: number; preactStd: number; slope: number;
}
export interface NonFinite { layer: number; phase: 'none' | 'forward' | 'loss' | 'backward' | 'update'; step: number }

export interface Params { W: Float32Array; b: Float32Array; gamma?: Float32Array; beta?: Float32Array; slope?: Float32Array; runningMean?: Float32Array; runningVar?: Float32Array }

export interface Dataset {
  readonly kind: DatasetKind | 'arrays';
  readonly rows: number; readonly features: number; readonly classes: number; trainRows: number; testRows: number;
  arrays(): { X: Float32Array; y: Int32Array };
  splitRows(split: 'train' | 'test'): Int32Array;
  split(trainShare: number, seed: number): void;
  free(): void;
}

export interface TrainStepsResult { steps: number; records: Float64Array; stride: number; last: GlobalStats; nonFinite: NonFinite | null }

export interface Net {
  readonly config: Required<Pick<NetConfig, 'inputs' | 'outputs' | 'batchSize' | 'seed' | 'loss'>> & NetConfig;
  readonly layerCount: number;
  readonly bytes: number;
  setParams(layer: number, values: Partial<Record<keyof Params, ArrayLike<number> | number>>): void;
  getParams(layer: number): Params;
  getGrads(layer: number): Omit<Params, 'runningMean' | 'runningVar'>;
  forward(X: ArrayLike<number>, options?: { training?: boolean }): Float32Array;
  predict(X: Float32Array | number[]): Float32Array;
  backward(X: ArrayLike<number>, y: ArrayLike<number>, options?: { inputGrad?: boolean }): number;
  inputGrad(): Float32Array;
  activations(layer: number): { pre: Float32Array; post: Float32Array };
  step(): { gradNorm: number; clipScale: number };
  trainStep(X: ArrayLike<number>, y: ArrayLike<number>): { loss: number; gradNorm: number; clipScale: number; nonFinite?: NonFinite };
  setLearningRate(lr: number): void;
  reset(seed?: number): void;
  globals(): GlobalStats;
  nonFinite(g?: GlobalStats): NonFinite | null;
  layerStats(): LayerStats[];
  /** k (1..256) minibatch steps inside wasm; stats of every step in `records`. */
  trainSteps(data: Dataset, k: number): TrainStepsResult;
  evaluate(data: Dataset, split?: 'train' | 'test'): { loss: number; accuracy: number; rows: number };
  free(): void;
}

export interface Gradscope {
  /** true when the SIMD build was loaded. */
  readonly simd: boolean;
  readonly limits: typeof LIMITS;
  readonly globalStats: typeof GLOBAL_STATS;
  readonly layerStats: typeof LAYER_STATS;
  createNet(config: NetConfig): Net;
  createDataset(spec: DatasetSpec): Dataset;
  loadDigits(options?: { trainShare?: number; seed?: number }): Promise<Dataset>;
  theory(options: { activation: Activation; sw2: number; sb2?: number; slope?: number }): { qStar: number; chi1: number; depthScale: number };
  criticalSw2(options: { activation: Activation; sb2?: number; slope?: number }): number;
}

/** Load the core: the SIMD build where WebAssembly SIMD works, the scalar twin elsewhere. */
export function loadGradscope(options?: { simd?: 'auto' | boolean; url?: string | URL }): Promise<Gradscope>;
/** Unpack record i of a trainSteps result. */
export function readRecord(records: Float64Array, i: number, layerCount: number): { global: GlobalStats; layers: LayerStats[] };
export function normalizeNetConfig(config: NetConfig): NetConfig;
export const statIndex: { global: Record<keyof GlobalStats, number>; layer: Record<keyof LayerStats, number> };

export const LIMITS: Readonly<{
  depth: { min: number; max: number }; units: { min: number; max: number }; inputs: { min: number; max: number };
  outputs: { min: number; max: number }; batchSize: { min: number; max: number }; lr: { min: number; max: number };
  stepsPerCall: { min: number; max: number }; datasetRows: { min: number; max: number }; netHeapMb: number; dataHeapMb: number;
}>;
export const GLOBAL_STATS: readonly (keyof GlobalStats)[];
export const LAYER_STATS: readonly (keyof LayerStats)[];
export const NONFINITE_PHASES: readonly NonFinite['phase'][];
