// The trained artefact: a visual extractor + a reconstructor + the feature statistics they were trained with.
// `ModelSpec` is everything needed to rebuild it; checkpoints carry it as metadata.
import * as tf from '@tensorflow/tfjs';
import { createReconstructor, type Reconstructor, type ReconstructorConfig } from '../model/network.js';
import { countParameters, type NamedVariable } from '../model/params.js';
import { createVisualExtractor, type VisualExtractor, type VisualSpec } from '../visual/index.js';
import type { Preprocessing } from './samples.js';

/** Bumped when ModelSpec changes meaning (2: `preprocessing` recorded; version 1 always used the defaults). */
export const MODEL_SPEC_VERSION = 2;

/** Per-channel mean and standard deviation used to standardise features. */
export interface ChannelStats {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** How a model is built; saved with every checkpoint. */
export interface ModelSpec {
  readonly schema: 'geoad-model';
  readonly version: typeof MODEL_SPEC_VERSION;
  /** The category trained on (absent in checkpoints written before it was recorded). */
  readonly category?: string;
  readonly reconstructor: ReconstructorConfig;
  readonly visual: VisualSpec;
  /** Side of the prepared images (the data layer's `size`). */
  readonly imageSize: number;
  /** The data layer's options the training samples were prepared with; inference uses the same. */
  readonly preprocessing: Preprocessing;
  readonly seed: number;
  /** Standardisation of frozen visual features (null for trainable extractors). */
  readonly visualStats: ChannelStats | null;
  /** Standardisation of the geometric targets (over foreground cells of the training split). */
  readonly geometricStats: ChannelStats;
}

/** What a run decides before reading data: the spec without statistics and the geometric channel count. */
export type RunSpec = Omit<ModelSpec, 'reconstructor' | 'visualStats' | 'geometricStats'> & {
  readonly reconstructor: Omit<ReconstructorConfig, 'geometricChannels'>;
};

/** A built model, ready to train or predict. */
export interface GeoadModel {
  readonly spec: ModelSpec;
  readonly extractor: VisualExtractor;
  readonly reconstructor: Reconstructor;
  /** Trainable weights: the extractor's (if any), then the reconstructor's. */
  readonly variables: readonly NamedVariable[];
  readonly parameterCount: number;
  /** Stored per-sample inputs [B, ...] → predicted (standardised) geometric features [B, gg, gg, Cg]. */
  predict(inputs: tf.Tensor4D): tf.Tensor4D;
  dispose(): void;
}

/** Builds the extractor and reconstructor of `spec` with seeded weights. */
export async function buildModel(spec: ModelSpec): Promise<GeoadModel> {
  const extractor = await createVisualExtractor(spec.visual, { size: spec.imageSize, grid: spec.reconstructor.visualGrid, seed: spec.seed });
  if (extractor.channels !== spec.reconstructor.visualChannels) {
    extractor.dispose();
    throw new Error(`visual extractor gives ${extractor.channels} channels, the model expects ${spec.reconstructor.visualChannels}`);
  }
  const reconstructor = createReconstructor(spec.reconstructor, spec.seed);
  const variables = [...extractor.variables, ...reconstructor.variables];
  return {
    spec,
    extractor,
    reconstructor,
    variables,
    parameterCount: countParameters(variables),
    predict: (inputs) => reconstructor.predict(extractor.encode(inputs)),
    dispose() {
      extractor.dispose();
      reconstructor.dispose();
    },
  };
}
