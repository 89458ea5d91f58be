// The training stage's public surface: train a variant, write anomaly maps, read checkpoints.
export { train, type TrainResult, type TrainContext } from './train.js';
export { infer, type InferResult, type InferContext } from './infer.js';
export { normalizeTrainOptions, normalizeInferOptions, parseFpfhRadius, type TrainOptions, type InferOptions, type ProgressChoice } from './options.js';
export { loadCheckpoint, resolveCheckpointDir, type CheckpointMeta } from './checkpoint.js';
export { buildAnomalyMap, resizeBilinearAligned } from './anomaly-map.js';
export { DEFAULT_PREPROCESSING } from './samples.js';
export type { SampleLoader, LoadedSample, Preprocessing } from './samples.js';
