// element.d.ts — types for the <grad-scope> custom element
// (`import 'gradscope/element'`, or <script type="module" src=".../element.js">).

import type { Activation, InitKind, LossKind, ClipKind, LayerStats } from './gradscope.js';

/** A playground config (web/config.js SCHEMA): what the element's attributes set. */
export interface PlaygroundConfig {
  dataset: 'spiral' | 'circles' | 'xor' | 'moons' | 'gaussians' | 'digits';
  noise: number; rows: number; classes: number; trainShare: number;
  depth: number; width: number; activation: Activation; layers: string; slope: number | null; batchnorm: boolean;
  init: InitKind; initScale: number; biasStd: number;
  loss: LossKind; optimizer: 'sgd' | 'adam'; lr: number; momentum: number; batchSize: number; l2: number;
  clip: ClipKind; clipMax: number; seed: number;
}

export type ViewName = 'flow' | 'profile' | 'loss' | 'activations' | 'boundary' | 'ratio';

/**
 * The element's attributes (all strings in HTML). Config fields accept the
 * key as written, lower-case or kebab-case (initScale / initscale / init-scale).
 * A bad value keeps its default and shows a notice inside the element.
 */
export interface GradScopeAttributes {
  dataset?: PlaygroundConfig['dataset']; noise?: string; rows?: string; classes?: string; 'train-share'?: string;
  depth?: string; width?: string; activation?: Activation; layers?: string; slope?: string; batchnorm?: '' | 'true' | 'false';
  /** 'normal' or 'normal:1' (initialiser and its scale). */
  init?: InitKind | `${InitKind}:${number}`; 'init-scale'?: string; 'bias-std'?: string;
  loss?: LossKind; optimizer?: 'sgd' | 'adam'; lr?: string; momentum?: string; 'batch-size'?: string; l2?: string;
  clip?: ClipKind; 'clip-max'?: string; seed?: string;
  /** A lesson id (web/lessons): its config first, the other attributes on top. */
  lesson?: string;
  lang?: 'en' | 'zh-Hant';
  /** Comma-separated ViewName list, or 'all'. Default 'flow,profile,loss'. */
  views?: string;
  /** Comma-separated config keys to show, 'all' or 'none'. Default 'depth,activation,init,initScale,lr'. */
  controls?: string;
  /** Comma-separated config keys shown but disabled. */
  locked?: string;
  /** Present: start training when loaded (and after each reconfiguration). */
  autoplay?: '' | 'true';
  /** Play stops at this step and 'finished' fires. */
  steps?: string;
  /** Height of the element (it scrolls inside): 600, 600px, 40rem, 80vh. */
  height?: string;
}

export interface StepDetail {
  step: number; loss: number | null; accuracy: number | null; gradNorm: number | null;
  trainAccuracy: number | null; testAccuracy: number | null;
  /** Per layer (hidden layers, then the output layer); non-finite values are null. */
  layers: { [K in keyof LayerStats]: number | null }[];
}
export interface DivergedDetail { kind: 'nonfinite' | 'exploding'; step: number; layer: number; phase: 'forward' | 'loss' | 'backward' | 'update' | 'none' | 'exploding'; gradNorm: number | null }
export interface FinishedDetail { step: number }

export interface GradScopeEventMap extends HTMLElementEventMap {
  step: CustomEvent<StepDetail>;
  diverged: CustomEvent<DivergedDetail>;
  finished: CustomEvent<FinishedDetail>;
  ready: CustomEvent<{ config: PlaygroundConfig }>;
}

export declare class GradScopeElement extends HTMLElement {
  /** Resolves when the first net is built. */
  readonly ready: Promise<GradScopeElement>;
  readonly config: PlaygroundConfig | null;
  readonly running: boolean;
  play(): Promise<unknown>;
  pause(): Promise<unknown>;
  step(): Promise<unknown>;
  /** Train n more minibatches; resolves when done (or cut short). */
  run(steps: number): Promise<{ step: number; finished: boolean; diverged?: boolean }>;
  stats(): (StepDetail & { run: number }) | null;
  addEventListener<K extends keyof GradScopeEventMap>(type: K, listener: (this: GradScopeElement, ev: GradScopeEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

export const STEP_EVENT_MS: number;

declare global {
  interface HTMLElementTagNameMap { 'grad-scope': GradScopeElement }
}
