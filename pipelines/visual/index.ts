// Visual feature extractors behind one interface: frozen colour/gradient features (the default), a conv encoder
// trained jointly, or a user-supplied TensorFlow.js backbone. Frozen ones are computed once per sample.
import * as tf from '@tensorflow/tfjs';
import type { NamedVariable } from '../model/params.js';
import { loadVisualBackbone } from './backbone.js';
import { COLOUR_GRADIENT_CHANNELS, computeColourGradientFeatures } from './colour-gradient.js';
import { CONV_ENCODER_CHANNELS, createConvEncoder } from './conv-encoder.js';

/** Built-in extractors (values of `--visual`). */
export const VISUAL_KINDS = ['colour-gradient', 'conv-encoder'] as const;

/** Which extractor; saved in checkpoints. */
export type VisualSpec = { readonly kind: 'colour-gradient' } | { readonly kind: 'conv-encoder' } | { readonly kind: 'backbone'; readonly dir: string };

/** A visual extractor: what is stored per sample (input) and how a batch of inputs becomes features. */
export interface VisualExtractor {
  readonly spec: VisualSpec;
  /** Channels of the feature map fed to the reconstructor. */
  readonly channels: number;
  /** [h, w, c] of one prepared input. */
  readonly inputShape: readonly [number, number, number];
  /** Trainable weights (empty when frozen). */
  readonly variables: readonly NamedVariable[];
  /** Frozen features get standardised per channel with training-set statistics. */
  readonly standardise: boolean;
  /** Per-sample input from the prepared RGB image (size × size × 3 bytes). */
  prepareInput(rgb: Uint8Array): Float32Array;
  /** inputs [B, ...inputShape] → features [B, grid, grid, channels]. */
  encode(inputs: tf.Tensor4D): tf.Tensor4D;
  dispose(): void;
}

/** Builds the extractor for `spec` on images of side `size` and a feature grid of side `grid`. */
export async function createVisualExtractor(spec: VisualSpec, options: { readonly size: number; readonly grid: number; readonly seed: number }): Promise<VisualExtractor> {
  const { size, grid } = options;
  if (spec.kind === 'colour-gradient') {
    return {
      spec,
      channels: COLOUR_GRADIENT_CHANNELS,
      inputShape: [grid, grid, COLOUR_GRADIENT_CHANNELS],
      variables: [],
      standardise: true,
      prepareInput: (rgb) => computeColourGradientFeatures(rgb, size, grid),
      encode: (inputs) => inputs,
      dispose() {},
    };
  }
  if (spec.kind === 'conv-encoder') {
    if (size !== grid * 8) throw new Error(`the conv encoder maps ${grid * 8}×${grid * 8} images to a ${grid}×${grid} grid, got size ${size}`);
    const encoder = createConvEncoder(options.seed);
    return {
      spec,
      channels: CONV_ENCODER_CHANNELS,
      inputShape: [size, size, 3],
      variables: encoder.variables,
      standardise: false,
      prepareInput: (rgb) => Float32Array.from(rgb, (v) => v / 255 - 0.5),
      encode: (inputs) => encoder.encode(inputs),
      dispose() {
        for (const v of encoder.variables) v.variable.dispose();
      },
    };
  }
  const backbone = await loadVisualBackbone(spec.dir, { grid, imageSize: size });
  return {
    spec,
    channels: backbone.channels,
    inputShape: [grid, grid, backbone.channels],
    variables: [],
    standardise: true,
    prepareInput: (rgb) => backbone.extract(rgb),
    encode: (inputs) => inputs,
    dispose: () => backbone.dispose(),
  };
}
