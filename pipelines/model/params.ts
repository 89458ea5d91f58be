// Named trainable weights: stable names (for checkpoints) independent of tfjs's global variable registry.
import * as tf from '@tensorflow/tfjs';
import { glorotUniform, type Rng } from './random.js';

/** A trainable tensor with the name it has in checkpoints. */
export interface NamedVariable {
  readonly name: string;
  readonly variable: tf.Variable;
}

/** Collects weights in creation order (the order is part of the checkpoint contract). */
export class ParamStore {
  readonly entries: NamedVariable[] = [];
  constructor(private readonly rng: Rng) {}

  /** A [fanIn, fanOut] matrix, Glorot-uniform scaled by `gain`. */
  matrix(name: string, fanIn: number, fanOut: number, gain = 1): tf.Variable<tf.Rank.R2> {
    return this.add(name, tf.tensor2d(glorotUniform(fanIn, fanOut, this.rng, gain), [fanIn, fanOut])) as tf.Variable<tf.Rank.R2>;
  }

  /** A zero bias of length n. */
  bias(name: string, n: number): tf.Variable<tf.Rank.R1> {
    return this.add(name, tf.zeros([n])) as tf.Variable<tf.Rank.R1>;
  }

  private add(name: string, initial: tf.Tensor): tf.Variable {
    if (this.entries.some((e) => e.name === name)) throw new Error(`duplicate weight name ${name}`);
    const variable = tf.variable(initial, true);
    initial.dispose();
    this.entries.push({ name, variable });
    return variable;
  }
}

/** Number of scalar weights. */
export function countParameters(variables: readonly NamedVariable[]): number {
  return variables.reduce((sum, v) => sum + v.variable.size, 0);
}

/** Frees every weight. */
export function disposeVariables(variables: readonly NamedVariable[]): void {
  for (const v of variables) v.variable.dispose();
}
