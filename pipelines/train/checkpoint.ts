// Checkpoints: OUT/checkpoints/epoch-NNN/{model.json, weights.bin} (weights + AdamW moments, tfjs weight format,
// written through our file IOHandler) and OUT/checkpoint.json pointing at the latest complete one, written last.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeJsonAtomic } from '../../orchestrator/util/atomic-write.js';
import { DataError, UsageError, errorMessage } from '../../orchestrator/util/errors.js';
import { createFileSaver, readModelArtifacts } from '../model/file-io.js';
import type { VisualSpec } from '../visual/index.js';
import { MODEL_SPEC_VERSION, type GeoadModel, type ModelSpec, type RunSpec } from './geoad-model.js';
import type { EpochRecord } from './loop.js';
import type { AdamW } from './optimizer.js';
import type { Hyperparameters } from './options.js';
import { DEFAULT_PREPROCESSING } from './samples.js';

/** The `format` field of a checkpoint's model.json. */
export const CHECKPOINT_FORMAT = 'geoad-checkpoint';

/** Metadata stored in a checkpoint's model.json. */
export interface CheckpointMeta {
  readonly spec: ModelSpec;
  readonly epoch: number;
  readonly step: number;
  readonly optimizerStep: number;
  readonly history: readonly EpochRecord[];
  readonly baselineValidationLoss: number | null;
  readonly parameterCount: number;
  readonly backend: string;
  readonly savedAt: string;
  /** What `--resume` must keep (absent in checkpoints written before they were recorded: not checked). */
  readonly hyperparameters?: Hyperparameters;
}

/** A checkpoint read back: where it was, its metadata and tensors by name. */
export interface LoadedCheckpoint {
  readonly dir: string;
  readonly meta: CheckpointMeta;
  readonly tensors: tf.NamedTensorMap;
}

/** Folder of epoch `epoch`'s checkpoint inside a training output folder. */
export function checkpointDir(out: string, epoch: number): string {
  return join(out, 'checkpoints', `epoch-${String(epoch).padStart(3, '0')}`);
}

/** Saves weights and optimiser state for `meta.epoch`, then points OUT/checkpoint.json at it. */
export async function saveCheckpoint(out: string, model: GeoadModel, optimizer: AdamW, meta: CheckpointMeta): Promise<string> {
  const dir = checkpointDir(out, meta.epoch);
  const named: { name: string; tensor: tf.Tensor }[] = [
    ...model.variables.map((v) => ({ name: `model/${v.name}`, tensor: v.variable as tf.Tensor })),
    ...optimizer.moments.flatMap((m) => [
      { name: `optimizer/m/${m.name}`, tensor: m.m as tf.Tensor },
      { name: `optimizer/v/${m.name}`, tensor: m.v as tf.Tensor },
    ]),
  ];
  const { data, specs } = await tf.io.encodeWeights(named);
  await createFileSaver(dir).save!({
    format: CHECKPOINT_FORMAT,
    generatedBy: 'geoad-bench',
    weightSpecs: specs,
    weightData: data,
    userDefinedMetadata: meta as unknown as Record<string, object>,
  });
  await writeJsonAtomic(join(out, 'checkpoint.json'), { latest: relative(out, dir), epoch: meta.epoch });
  return dir;
}

/** Resolves a training output folder (via checkpoint.json) or a checkpoint folder to the checkpoint folder. */
export function resolveCheckpointDir(path: string): string {
  const pointer = join(path, 'checkpoint.json');
  if (existsSync(pointer)) {
    try {
      const { latest } = JSON.parse(readFileSync(pointer, 'utf8')) as { latest?: unknown };
      if (typeof latest !== 'string') throw new Error('no `latest` string');
      return resolve(path, latest);
    } catch (error) {
      throw new DataError(pointer, `cannot read the checkpoint pointer: ${errorMessage(error)}`, { cause: error });
    }
  }
  if (existsSync(join(path, 'model.json'))) return path;
  throw new UsageError(`No checkpoint in ${path}: expected checkpoint.json (a \`geoad train --out\` folder) or model.json (a checkpoint folder)`);
}

/** Reads a checkpoint (from a training output folder or a checkpoint folder). */
export async function loadCheckpoint(path: string): Promise<LoadedCheckpoint> {
  const dir = resolveCheckpointDir(path);
  const artifacts = await readModelArtifacts(dir);
  if (artifacts.format !== CHECKPOINT_FORMAT) {
    throw new DataError(join(dir, 'model.json'), `not a geoad checkpoint (format \`${String(artifacts.format)}\`, expected \`${CHECKPOINT_FORMAT}\`)`);
  }
  const saved = artifacts.userDefinedMetadata as unknown as CheckpointMeta;
  if (saved?.spec?.schema !== 'geoad-model') throw new DataError(join(dir, 'model.json'), 'checkpoint metadata has no geoad model spec');
  // Version 1 specs predate `preprocessing`: those models were always trained with the data layer's defaults.
  const spec: ModelSpec = (saved.spec.version as number) === 1 ? { ...saved.spec, version: MODEL_SPEC_VERSION, preprocessing: DEFAULT_PREPROCESSING } : saved.spec;
  const tensors = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  return { dir, meta: { ...saved, spec }, tensors };
}

// Backbone folders are compared absolute (older checkpoints may hold a path relative to the working directory).
const describeVisual = (v: VisualSpec): string => (v.kind === 'backbone' ? resolve(v.dir) : v.kind);

/**
 * Options a checkpoint was trained with that differ from this run's, each naming the flag and both values (empty
 * when resumable). The geometric channel count is not known before the data is read; loading checks it.
 */
export function compareSpecs(saved: ModelSpec, wanted: RunSpec): string[] {
  const a = saved.reconstructor;
  const b = wanted.reconstructor;
  const pairs: [string, unknown, unknown][] = [
    // Older checkpoints do not name their category: nothing to compare.
    ['--category', saved.category ?? wanted.category, wanted.category],
    ['--variant', a.variant, b.variant],
    ['--visual/--visual-backbone', describeVisual(saved.visual), describeVisual(wanted.visual)],
    ['--seed', saved.seed, wanted.seed],
    ['--hidden', a.hidden, b.hidden],
    ['--attention-dim', a.attentionDim, b.attentionDim],
    ['--visual-grid', a.visualGrid, b.visualGrid],
    ['--geometric-grid', a.geometricGrid, b.geometricGrid],
    ['--image-size', saved.imageSize, wanted.imageSize],
    ['--distance-threshold', saved.preprocessing.distanceThreshold, wanted.preprocessing.distanceThreshold],
    ['--largest-component', saved.preprocessing.keepLargestComponent, wanted.preprocessing.keepLargestComponent],
    ['--prepare-seed', saved.preprocessing.seed, wanted.preprocessing.seed],
    ['--fpfh-radius', saved.preprocessing.fpfhRadius, wanted.preprocessing.fpfhRadius],
  ];
  return describeDiffs(pairs);
}

// `--warmup-steps` is null when not given (5% of all steps).
const describeValue = (value: unknown): string => (value === null ? 'default' : String(value));

function describeDiffs(pairs: readonly [string, unknown, unknown][]): string[] {
  return pairs.filter(([, x, y]) => x !== y).map(([flag, x, y]) => `\`${flag}\` ${describeValue(x)} (this run: ${describeValue(y)})`);
}

/** Hyperparameters that differ between a checkpoint and this run (empty when the checkpoint did not record them). */
export function compareHyperparameters(saved: Hyperparameters | undefined, wanted: Hyperparameters): string[] {
  if (!saved) return [];
  return describeDiffs([
    ['--lr', saved.lr, wanted.lr],
    ['--batch-size', saved.batchSize, wanted.batchSize],
    ['--weight-decay', saved.weightDecay, wanted.weightDecay],
    ['--schedule', saved.schedule, wanted.schedule],
    ['--warmup-steps', saved.warmupSteps, wanted.warmupSteps],
    ['--clip-norm', saved.clipNorm, wanted.clipNorm],
    ['--limit', saved.limit, wanted.limit],
  ]);
}

/**
 * Refuses to resume from a checkpoint trained with other options or hyperparameters (UsageError: nothing was done;
 * more `--epochs` is how a run continues, so they may change) or whose visual extractor gave another channel count
 * (DataError: the backbone's files changed). Messages name the checkpoint.
 */
export function assertResumable(checkpoint: LoadedCheckpoint, wanted: RunSpec, hyperparameters: Hyperparameters): void {
  const file = join(checkpoint.dir, 'model.json');
  const diffs = [...compareSpecs(checkpoint.meta.spec, wanted), ...compareHyperparameters(checkpoint.meta.hyperparameters, hyperparameters)];
  if (diffs.length > 0) {
    throw new UsageError(`Cannot \`--resume\` from ${file}: it was trained with ${diffs.join(', ')}; pass the same options, or choose another \`--out\``);
  }
  const channels = checkpoint.meta.spec.reconstructor.visualChannels;
  if (channels !== wanted.reconstructor.visualChannels) {
    throw new DataError(file, `checkpoint has ${channels} visual feature channels, the visual extractor now gives ${wanted.reconstructor.visualChannels}`);
  }
}

/** Copies checkpoint tensors into the model (and optimiser); every weight must be present with its shape. */
export function restoreWeights(checkpoint: LoadedCheckpoint, model: GeoadModel, optimizer: AdamW | null): void {
  const file = join(checkpoint.dir, 'model.json');
  const take = (name: string, target: tf.Variable) => {
    const t = checkpoint.tensors[name];
    if (!t) throw new DataError(file, `checkpoint lacks weight \`${name}\` (written by another variant or version?)`);
    if (t.shape.join('x') !== target.shape.join('x')) {
      throw new DataError(file, `weight \`${name}\` has shape [${t.shape.join(', ')}], the model needs [${target.shape.join(', ')}]`);
    }
    target.assign(t);
  };
  for (const v of model.variables) take(`model/${v.name}`, v.variable);
  if (optimizer) {
    for (const m of optimizer.moments) {
      take(`optimizer/m/${m.name}`, m.m);
      take(`optimizer/v/${m.name}`, m.v);
    }
    optimizer.step = checkpoint.meta.optimizerStep;
  }
}

/** Frees the decoded tensors of a checkpoint. */
export function disposeCheckpoint(checkpoint: LoadedCheckpoint): void {
  tf.dispose(Object.values(checkpoint.tensors));
}
