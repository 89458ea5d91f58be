// Options of `geoad train` and `geoad infer`: typed, readonly, defaults filled and validated in one place each.
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../orchestrator/util/errors.js';
import { normalizeProgressMode, type ProgressMode } from '../../orchestrator/util/progress.js';
import { expectInteger, expectNumber, expectOneOf } from '../../orchestrator/util/validate.js';
import { BACKENDS, type BackendChoice } from '../model/backend.js';
import { VARIANTS, type Variant } from '../model/network.js';
import { VISUAL_KINDS, type VisualSpec } from '../visual/index.js';
import { DEFAULT_PREPROCESSING, defaultCacheDir, type Preprocessing } from './samples.js';

/** Options of train() / `geoad train`. */
export interface TrainOptions {
  /** Dataset root in the MVTec 3D-AD layout. */
  readonly data: string;
  readonly category: string;
  /** Output folder: checkpoints, train-log.jsonl, summary.json. */
  readonly out: string;
  /** @default 'full' */
  readonly variant?: Variant;
  /** @default 20 */
  readonly epochs?: number;
  /** @default 8 */
  readonly batchSize?: number;
  /** Peak learning rate. @default 0.001 */
  readonly lr?: number;
  /** Decoupled (AdamW) weight decay on weight matrices; 0 gives Adam. @default 0.0001 */
  readonly weightDecay?: number;
  /** @default 'cosine' */
  readonly schedule?: 'cosine' | 'constant';
  /** Linear warmup steps; default 5% of all steps, at most 100. */
  readonly warmupSteps?: number;
  /** Global gradient-norm clip (0: off). @default 1 */
  readonly clipNorm?: number;
  /** @default 0 */
  readonly seed?: number;
  /** @default 'auto' */
  readonly backend?: BackendChoice;
  /** Continue from OUT's last checkpoint. @default false */
  readonly resume?: boolean;
  /** Built-in visual features. @default 'colour-gradient' */
  readonly visual?: (typeof VISUAL_KINDS)[number];
  /** A TensorFlow.js model folder used as visual backbone instead of the built-in features. */
  readonly visualBackbone?: string;
  /** Width of the enhanced features. @default 64 */
  readonly hidden?: number;
  /** Query/key width of the attention. @default 32 */
  readonly attentionDim?: number;
  /** Prepared image side. @default 224 */
  readonly imageSize?: number;
  /** Visual feature grid side. @default 28 */
  readonly visualGrid?: number;
  /** Geometric feature grid side. @default 56 */
  readonly geometricGrid?: number;
  /** Use at most this many training samples (0: all). @default 0 */
  readonly limit?: number;
  /** Progress display: a bar on a TTY; `plain` lines; `off` (`none`: its old name, still accepted). @default 'auto' */
  readonly progress?: ProgressChoice | 'none';
  /** The data layer's preprocessing/feature cache folder; false computes without caching. @default `<data>/.geoad-cache` */
  readonly cache?: string | false;
  /** Worker threads that fill the cache before loading (0: compute misses one at a time in this thread). @default os.availableParallelism() */
  readonly workers?: number;
  /** Background-plane distance threshold in metres (as `geoad data prepare --distance-threshold`). @default 0.005 */
  readonly distanceThreshold?: number;
  /** Keep only the largest connected component (as `geoad data prepare --largest-component`). @default false */
  readonly largestComponent?: boolean;
  /** RANSAC seed of the plane removal (`geoad data prepare --seed`; `seed` is the training seed). @default 0 */
  readonly prepareSeed?: number;
  /** FPFH radius in metres, or `auto` (as `geoad data prepare --fpfh-radius`). @default 'auto' */
  readonly fpfhRadius?: number | 'auto';
}

/** `--progress` values of every command. */
export type ProgressChoice = ProgressMode;

type PreprocessingKeys = 'distanceThreshold' | 'largestComponent' | 'prepareSeed' | 'fpfhRadius';

export type NormalizedTrainOptions = Required<Omit<TrainOptions, 'visualBackbone' | 'warmupSteps' | 'visual' | 'progress' | PreprocessingKeys>> & {
  readonly visual: VisualSpec;
  readonly warmupSteps: number | null;
  readonly progress: ProgressChoice;
  readonly preprocessing: Preprocessing;
};

/** The options that shape the optimisation after the model is built; a resumed run must keep them (`--epochs` may grow). */
export type Hyperparameters = Pick<NormalizedTrainOptions, 'lr' | 'batchSize' | 'weightDecay' | 'schedule' | 'warmupSteps' | 'clipNorm' | 'limit'>;

/** The hyperparameters of a run, as checkpoints record them. */
export function pickHyperparameters(o: NormalizedTrainOptions): Hyperparameters {
  return { lr: o.lr, batchSize: o.batchSize, weightDecay: o.weightDecay, schedule: o.schedule, warmupSteps: o.warmupSteps, clipNorm: o.clipNorm, limit: o.limit };
}

const FPFH_RADIUS_RANGE = { min: 1e-9, max: 10 };
const fpfhRadiusError = (got: string) =>
  new UsageError(`Expected \`--fpfh-radius\` to be \`auto\` or a number from ${FPFH_RADIUS_RANGE.min} to ${FPFH_RADIUS_RANGE.max}, got \`${got}\``);

/** `--fpfh-radius` as typed: `auto` or a number (the range is checked with the other options); other text is named as typed. */
export function parseFpfhRadius(text: string): number | 'auto' {
  if (text === 'auto') return 'auto';
  const value = Number(text);
  if (text.trim() === '' || Number.isNaN(value)) throw fpfhRadiusError(text);
  return value;
}

// The four preprocessing flags, validated with the data layer's ranges and named as on the command line.
function normalizePreprocessing(options: Pick<TrainOptions, PreprocessingKeys>): Preprocessing {
  const largest = options.largestComponent ?? DEFAULT_PREPROCESSING.keepLargestComponent;
  if (typeof largest !== 'boolean') throw new UsageError(`Expected \`--largest-component\` to be a boolean, got \`${String(largest)}\``);
  const radius = options.fpfhRadius ?? DEFAULT_PREPROCESSING.fpfhRadius;
  return {
    distanceThreshold: expectNumber('--distance-threshold', options.distanceThreshold ?? DEFAULT_PREPROCESSING.distanceThreshold, 1e-6, 1),
    keepLargestComponent: largest,
    seed: expectInteger('--prepare-seed', options.prepareSeed ?? DEFAULT_PREPROCESSING.seed, 0, 0xffffffff),
    fpfhRadius: radius === 'auto' ? 'auto' : expectFpfhRadius(radius),
  };
}

// A radius in the data layer's range (the message offers `auto` too).
function expectFpfhRadius(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < FPFH_RADIUS_RANGE.min || value > FPFH_RADIUS_RANGE.max) throw fpfhRadiusError(String(value));
  return value;
}

/**
 * An output folder that exists or can be created: a file at the path or above it would only fail at the first
 * write (ENOTDIR), after the work — so it is refused here, naming the option.
 */
function expectOutputFolder(name: string, path: string): string {
  for (let p = resolve(path); ; p = dirname(p)) {
    if (existsSync(p)) {
      if (statSync(p).isDirectory()) return path;
      const where = p === resolve(path) ? 'a file' : `below the file ${p}`;
      throw new UsageError(`Expected \`${name}\` to be a folder, got \`${path}\`, ${where}`);
    }
    if (dirname(p) === p) return path;
  }
}


const normalizeWorkers = (workers: number | undefined): number => expectInteger('--workers', workers ?? availableParallelism(), 0, 256);

/** Fills defaults and validates; messages name the option and the value received. */
export function normalizeTrainOptions(options: TrainOptions): NormalizedTrainOptions {
  for (const key of ['data', 'category', 'out'] as const) {
    if (typeof options[key] !== 'string' || options[key].length === 0) throw new UsageError(`Expected \`--${key}\` to be a non-empty string, got \`${String(options[key])}\``);
  }
  const visualKind = expectOneOf('--visual', options.visual ?? 'colour-gradient', VISUAL_KINDS);
  if (options.visualBackbone !== undefined && options.visual !== undefined) {
    throw new UsageError('Give either `--visual` or `--visual-backbone`, not both');
  }
  const imageSize = expectInteger('--image-size', options.imageSize ?? 224, 16, 1024);
  const visualGrid = expectInteger('--visual-grid', options.visualGrid ?? 28, 2, 128);
  if (imageSize % (2 * visualGrid) !== 0) {
    throw new UsageError(`Expected \`--image-size\` to be a multiple of 2 × \`--visual-grid\` (${2 * visualGrid}), got \`${imageSize}\``);
  }
  return {
    data: options.data,
    category: options.category,
    out: expectOutputFolder('--out', options.out),
    variant: expectOneOf('--variant', options.variant ?? 'full', VARIANTS),
    epochs: expectInteger('--epochs', options.epochs ?? 20, 1, 10_000),
    batchSize: expectInteger('--batch-size', options.batchSize ?? 8, 1, 1024),
    lr: expectNumber('--lr', options.lr ?? 1e-3, 1e-8, 10),
    weightDecay: expectNumber('--weight-decay', options.weightDecay ?? 1e-4, 0, 1),
    schedule: expectOneOf('--schedule', options.schedule ?? 'cosine', ['cosine', 'constant'] as const),
    warmupSteps: options.warmupSteps === undefined ? null : expectInteger('--warmup-steps', options.warmupSteps, 0, 1_000_000),
    clipNorm: expectNumber('--clip-norm', options.clipNorm ?? 1, 0, 1e6),
    seed: expectInteger('--seed', options.seed ?? 0, 0, 0xffffffff),
    backend: expectOneOf('--backend', options.backend ?? 'auto', BACKENDS),
    resume: options.resume ?? false,
    // An absolute backbone folder, so a resumed run or inference from another working directory finds the same one.
    visual: options.visualBackbone !== undefined ? { kind: 'backbone', dir: resolve(options.visualBackbone) } : { kind: visualKind },
    hidden: expectInteger('--hidden', options.hidden ?? 64, 4, 1024),
    attentionDim: expectInteger('--attention-dim', options.attentionDim ?? 32, 2, 1024),
    imageSize,
    visualGrid,
    geometricGrid: expectInteger('--geometric-grid', options.geometricGrid ?? 56, 2, 512),
    limit: expectInteger('--limit', options.limit ?? 0, 0),
    progress: normalizeProgressMode(options.progress),
    cache: normalizeCache(options.cache, options.data),
    workers: normalizeWorkers(options.workers),
    preprocessing: normalizePreprocessing(options),
  };
}

// `--cache DIR`, `--no-cache` (false) or the data layer's default below the dataset root.
function normalizeCache(cache: string | false | undefined, data: string): string | false {
  if (cache === false) return false;
  if (cache === undefined) return defaultCacheDir(data);
  if (typeof cache !== 'string' || cache.length === 0) throw new UsageError(`Expected \`--cache\` to be a folder, got \`${String(cache)}\``);
  return cache;
}

/** Options of infer() / `geoad infer`. */
export interface InferOptions {
  /** A `geoad train --out` folder or a checkpoint folder. */
  readonly model: string;
  readonly data: string;
  readonly category: string;
  /** Maps root: MAPS/<category>/<split>/<defect>/<id>.tiff. */
  readonly out: string;
  /** @default 'auto' */
  readonly backend?: BackendChoice;
  /** Gaussian smoothing σ in pixels of the prepared image. @default 4 */
  readonly sigma?: number;
  /** Samples per forward pass. @default 8 */
  readonly batchSize?: number;
  /** Progress display: a bar on a TTY; `plain` lines; `off` (`none`: its old name, still accepted). @default 'auto' */
  readonly progress?: ProgressChoice | 'none';
  /** Preprocessing/feature cache folder; false computes without caching. @default `<data>/.geoad-cache` */
  readonly cache?: string | false;
  /** Worker threads that fill the cache before loading (0: compute misses in this thread). @default os.availableParallelism() */
  readonly workers?: number;
}

export type NormalizedInferOptions = Required<Omit<InferOptions, 'progress'>> & { readonly progress: ProgressChoice };

/** Fills defaults and validates `geoad infer` options. */
export function normalizeInferOptions(options: InferOptions): NormalizedInferOptions {
  for (const key of ['model', 'data', 'category', 'out'] as const) {
    if (typeof options[key] !== 'string' || options[key].length === 0) throw new UsageError(`Expected \`--${key}\` to be a non-empty string, got \`${String(options[key])}\``);
  }
  return {
    model: options.model,
    data: options.data,
    category: options.category,
    out: expectOutputFolder('--out', options.out),
    backend: expectOneOf('--backend', options.backend ?? 'auto', BACKENDS),
    sigma: expectNumber('--sigma', options.sigma ?? 4, 0, 64),
    batchSize: expectInteger('--batch-size', options.batchSize ?? 8, 1, 1024),
    progress: normalizeProgressMode(options.progress),
    cache: normalizeCache(options.cache, options.data),
    workers: normalizeWorkers(options.workers),
  };
}
