// AdamW (decoupled weight decay on matrices, none on biases) with global-norm gradient clipping and a
// warmup + cosine learning-rate schedule. State is plain tensors so checkpoints can save and restore it.
import * as tf from '@tensorflow/tfjs';
import type { NamedVariable } from '../model/params.js';

/** Hyper-parameters of AdamW. */
export interface AdamWOptions {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  /** Gradients are scaled down when their global L2 norm exceeds this (0: no clipping). */
  readonly clipNorm: number;
}

/** The optimiser: first/second moments per weight and the step count. */
export interface AdamW {
  readonly moments: readonly { readonly name: string; readonly m: tf.Variable; readonly v: tf.Variable }[];
  step: number;
  /** Applies one update with learning rate `lr`, clipping by `norm` (the gradients' global norm, see computeGlobalNorm). */
  apply(grads: readonly tf.Tensor[], lr: number, norm: tf.Scalar): void;
  dispose(): void;
}

/** Creates zeroed AdamW state for `params`. */
export function createAdamW(params: readonly NamedVariable[], options: AdamWOptions): AdamW {
  const moments = params.map((p) => ({ name: p.name, m: tf.variable(tf.zerosLike(p.variable), false), v: tf.variable(tf.zerosLike(p.variable), false) }));
  const state: AdamW = {
    moments,
    step: 0,
    apply(grads, lr, norm) {
      state.step += 1;
      const t = state.step;
      tf.tidy(() => {
        const scale = options.clipNorm > 0 ? tf.minimum(1, tf.div(options.clipNorm, tf.maximum(norm, 1e-12))) : tf.scalar(1);
        const c1 = 1 - options.beta1 ** t;
        const c2 = 1 - options.beta2 ** t;
        params.forEach((p, i) => {
          const g = tf.mul(grads[i], scale);
          const { m, v } = moments[i];
          m.assign(tf.add(tf.mul(m, options.beta1), tf.mul(g, 1 - options.beta1)));
          v.assign(tf.add(tf.mul(v, options.beta2), tf.mul(tf.square(g), 1 - options.beta2)));
          let update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), options.epsilon));
          if (options.weightDecay > 0 && p.variable.rank >= 2) update = tf.add(update, tf.mul(p.variable, options.weightDecay));
          p.variable.assign(tf.sub(p.variable, tf.mul(update, lr)));
        });
      });
    },
    dispose() {
      for (const { m, v } of moments) {
        m.dispose();
        v.dispose();
      }
    },
  };
  return state;
}

/** The global L2 norm of all gradients. */
export function computeGlobalNorm(grads: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
}

/** Learning rate at 0-based `step` of `total`: linear warmup over `warmup` steps, then cosine to 1% (or constant). */
export function scheduleLearningRate(base: number, step: number, total: number, warmup: number, kind: 'cosine' | 'constant'): number {
  if (warmup > 0 && step < warmup) return (base * (step + 1)) / warmup;
  if (kind === 'constant') return base;
  const span = Math.max(1, total - warmup);
  const progress = Math.min(1, (step - warmup) / span);
  const floor = base * 0.01;
  return floor + (base - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
}
