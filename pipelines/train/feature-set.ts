// Samples held in memory as flat arrays (inputs, standardised targets, foreground masks) and cut into batches.
import * as tf from '@tensorflow/tfjs';
import type { ChannelStats } from './geoad-model.js';

/** Floor of per-channel standard deviations: features are scaled to about [-1, 1] by their extractors. */
export const MIN_STD = 0.01;

/** One sample ready for the network: the extractor's input and the geometric target on its grid. */
export interface SampleFeatures {
  /** Extractor input, [h, w, c] row-major. */
  readonly input: Float32Array;
  /** Geometric features [grid, grid, channels]. */
  readonly target: Float32Array;
  /** 1 on foreground cells of the geometric grid. */
  readonly mask: Uint8Array;
}

/** A split in memory. */
export interface FeatureSet {
  readonly count: number;
  readonly inputShape: readonly [number, number, number];
  readonly grid: number;
  readonly channels: number;
  readonly inputs: Float32Array;
  readonly targets: Float32Array;
  readonly masks: Float32Array;
}

/**
 * Mean and standard deviation per channel of interleaved `arrays` (only cells whose mask is 1, when given). The
 * deviation is floored at `minStd` so that a channel almost constant in training (e.g. an FPFH bin that is nearly
 * always empty) does not turn tiny deviations into huge standardised errors that swamp the loss and the maps.
 */
export function computeChannelStats(arrays: readonly Float32Array[], channels: number, masks?: readonly Uint8Array[], minStd = MIN_STD): ChannelStats {
  const sum = new Float64Array(channels);
  const sq = new Float64Array(channels);
  let n = 0;
  arrays.forEach((a, s) => {
    const mask = masks?.[s];
    for (let cell = 0; cell < a.length / channels; cell++) {
      if (mask && mask[cell] === 0) continue;
      n++;
      for (let c = 0; c < channels; c++) {
        const v = a[cell * channels + c];
        sum[c] += v;
        sq[c] += v * v;
      }
    }
  });
  const mean = Array.from(sum, (s) => (n > 0 ? s / n : 0));
  const std = Array.from(sq, (s, c) => Math.max(Math.sqrt(Math.max(0, n > 0 ? s / n - mean[c] ** 2 : 0)), minStd));
  return { mean, std };
}

/** (x − mean) / std per channel, into a new array; cells with mask 0 become 0. */
export function standardiseChannels(data: Float32Array, stats: ChannelStats, mask?: Uint8Array): Float32Array {
  const c = stats.mean.length;
  const out = new Float32Array(data.length);
  for (let cell = 0; cell < data.length / c; cell++) {
    if (mask && mask[cell] === 0) continue;
    for (let k = 0; k < c; k++) out[cell * c + k] = (data[cell * c + k] - stats.mean[k]) / stats.std[k];
  }
  return out;
}

/** Packs samples (already standardised) into one FeatureSet. */
export function packFeatureSet(samples: readonly SampleFeatures[], inputShape: readonly [number, number, number], grid: number, channels: number): FeatureSet {
  const inSize = inputShape[0] * inputShape[1] * inputShape[2];
  const cells = grid * grid;
  const inputs = new Float32Array(samples.length * inSize);
  const targets = new Float32Array(samples.length * cells * channels);
  const masks = new Float32Array(samples.length * cells);
  samples.forEach((s, i) => {
    if (s.input.length !== inSize) throw new Error(`sample ${i}: input has ${s.input.length} values, expected ${inSize}`);
    if (s.target.length !== cells * channels) throw new Error(`sample ${i}: target has ${s.target.length} values, expected ${cells * channels}`);
    inputs.set(s.input, i * inSize);
    targets.set(s.target, i * cells * channels);
    masks.set(s.mask, i * cells);
  });
  return { count: samples.length, inputShape, grid, channels, inputs, targets, masks };
}

/** The batch of `indices` as tensors: inputs [B, h, w, c], targets [B, g, g, C], masks [B, g, g, 1]. */
export function sliceBatch(set: FeatureSet, indices: readonly number[]): { inputs: tf.Tensor4D; targets: tf.Tensor4D; masks: tf.Tensor4D } {
  const [h, w, c] = set.inputShape;
  const inSize = h * w * c;
  const cells = set.grid * set.grid;
  const b = indices.length;
  const inputs = new Float32Array(b * inSize);
  const targets = new Float32Array(b * cells * set.channels);
  const masks = new Float32Array(b * cells);
  indices.forEach((idx, i) => {
    inputs.set(set.inputs.subarray(idx * inSize, (idx + 1) * inSize), i * inSize);
    targets.set(set.targets.subarray(idx * cells * set.channels, (idx + 1) * cells * set.channels), i * cells * set.channels);
    masks.set(set.masks.subarray(idx * cells, (idx + 1) * cells), i * cells);
  });
  return {
    inputs: tf.tensor4d(inputs, [b, h, w, c]),
    targets: tf.tensor4d(targets, [b, set.grid, set.grid, set.channels]),
    masks: tf.tensor4d(masks, [b, set.grid, set.grid, 1]),
  };
}
