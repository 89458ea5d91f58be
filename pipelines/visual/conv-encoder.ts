// A small convolutional encoder trained jointly with the reconstructor (no download): 4×4 patch embedding,
// 2×2 patch merging, then a residual 3×3 convolution — patches by reshape/transpose and the 3×3 kernel as 9
// shifted slices concatenated on channels, each followed by one 2-D matMul, so it trains on wasm and cpu alike.
import * as tf from '@tensorflow/tfjs';
import { gelu, linear } from '../model/ops.js';
import { ParamStore, type NamedVariable } from '../model/params.js';
import { createRng, deriveSeed } from '../model/random.js';

/** Channels the encoder outputs. */
export const CONV_ENCODER_CHANNELS = 48;
const STEM = 32;

/** A trainable encoder: weights and rgb [B, S, S, 3] (0..1, centred) → features [B, S/8, S/8, 48]. */
export interface ConvEncoder {
  readonly variables: readonly NamedVariable[];
  encode(rgb: tf.Tensor4D): tf.Tensor4D;
}

// [B, H, W, C] → rows of non-overlapping p×p patches [B·(H/p)·(W/p), p·p·C].
function patchify(x: tf.Tensor4D, p: number): tf.Tensor2D {
  const [b, h, w, c] = x.shape;
  const blocks = tf.reshape(x, [b, h / p, p, w / p, p, c]);
  return tf.reshape(tf.transpose(blocks, [0, 1, 3, 2, 4, 5]), [b * (h / p) * (w / p), p * p * c]);
}

// [B, g, g, C] → rows of 3×3 neighbourhoods (zero padded) [B·g·g, 9·C].
function gatherNeighbourhoods(x: tf.Tensor4D): tf.Tensor2D {
  const [b, g, , c] = x.shape;
  const padded = tf.pad(x, [
    [0, 0],
    [1, 1],
    [1, 1],
    [0, 0],
  ]);
  const shifts: tf.Tensor4D[] = [];
  for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) shifts.push(tf.slice(padded, [0, dy, dx, 0], [b, g, g, c]) as tf.Tensor4D);
  return tf.reshape(tf.concat(shifts, 3), [b * g * g, 9 * c]);
}

/** Builds the encoder with seeded weights (names prefixed `encoder/`). */
export function createConvEncoder(seed: number): ConvEncoder {
  const store = new ParamStore(createRng(deriveSeed(seed, 2)));
  const c = CONV_ENCODER_CHANNELS;
  const w1 = store.matrix('encoder/patch4/w', 48, STEM);
  const b1 = store.bias('encoder/patch4/b', STEM);
  const w2 = store.matrix('encoder/merge2/w', 4 * STEM, c);
  const b2 = store.bias('encoder/merge2/b', c);
  const w3 = store.matrix('encoder/conv3/w', 9 * c, c, 0.5);
  const b3 = store.bias('encoder/conv3/b', c);
  return {
    variables: store.entries,
    encode(rgb) {
      const [b, s] = rgb.shape;
      if (s % 8 !== 0) throw new Error(`conv encoder needs an image side divisible by 8, got ${s}`);
      const stem = gelu(linear(patchify(rgb, 4), w1, b1));
      const merged = gelu(linear(patchify(tf.reshape(stem, [b, s / 4, s / 4, STEM]), 2), w2, b2));
      const g = s / 8;
      const grid = tf.reshape(merged, [b, g, g, c]) as tf.Tensor4D;
      const local = gelu(linear(gatherNeighbourhoods(grid), w3, b3));
      return tf.reshape(tf.add(merged, local), [b, g, g, c]) as tf.Tensor4D;
    },
  };
}
