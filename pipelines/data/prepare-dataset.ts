// Fills the preprocessing + feature cache for a dataset with worker threads and a progress bar. Every sample is
// computed independently from its own files and seed, so results do not depend on the worker count.
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../orchestrator/util/start-worker.js';
import { DataError, GeoadError, UsageError } from '../../orchestrator/util/errors.js';
import type { Progress } from '../../orchestrator/util/progress.js';
import { expectInteger, expectOneOf } from '../../orchestrator/util/validate.js';
import { normalizeFeatureOptions, type FeatureOptions } from '../features/geometric-features.js';
import { discoverDataset, listSamples, SPLITS } from './discover.js';
import { normalizePrepareOptions, type PrepareOptions } from './prepare-sample.js';
import { normalizeProgressMode, startProgressIn, type ProgressMode } from '../../orchestrator/util/progress.js';
import { runPrepareTask, type PrepareTask, type PrepareTaskResult, type TaskError } from './prepare-task.js';
import type { SampleRef, Split } from './types.js';

export interface PrepareDatasetOptions {
  readonly root: string;
  /** Categories to prepare; all when absent or empty. */
  readonly categories?: readonly string[];
  /** The option the categories came from, named when one is unknown. @default '--category' */
  readonly categoryOption?: string;
  /** Splits to prepare. @default ['train', 'validation', 'test'] */
  readonly splits?: readonly Split[];
  /** Cache folder. @default `<root>/.geoad-cache` (hidden, so discovery skips it) */
  readonly cacheDir?: string;
  /** Worker threads; 0 runs in the calling thread. @default os.availableParallelism() */
  readonly workers?: number;
  readonly prepare?: PrepareOptions;
  readonly features?: FeatureOptions;
  /** `auto` (a bar on a TTY, plain lines otherwise), `plain` or `off`; true/false mean auto/off. @default 'auto' */
  readonly progress?: ProgressMode | boolean;
}

export interface PrepareDatasetResult {
  readonly cacheDir: string;
  readonly samples: number;
  /** Samples whose prepared data / features were already cached. */
  readonly preparedHits: number;
  readonly featuresHits: number;
  readonly nonFinitePoints: number;
  readonly durationMs: number;
}

type NormalizedOptions = Required<Omit<PrepareDatasetOptions, 'categories' | 'progress'>> & {
  readonly categories: readonly string[];
  readonly progress: ProgressMode;
};

/** The `geoad data prepare` flags of the preprocessing and feature options, named in errors as typed. */
const PREPARE_FLAGS = { size: '--size', distanceThreshold: '--distance-threshold', keepLargestComponent: '--largest-component', seed: '--seed' } as const;
const FEATURE_FLAGS = { grid: '--grid', fpfhRadius: '--fpfh-radius' } as const;

/** Fills defaults and validates every option (including the preprocessing and feature options) before any work. */
export function normalizePrepareDatasetOptions(options: PrepareDatasetOptions): NormalizedOptions {
  if (typeof options.root !== 'string' || options.root.length === 0) throw new UsageError('Expected `root` to be a dataset folder');
  const root = resolve(options.root);
  const splits = (options.splits ?? SPLITS).map((s) => expectOneOf('--splits', s, SPLITS));
  if (splits.length === 0) throw new UsageError('Expected `--splits` to name at least one split');
  const { size } = normalizePrepareOptions(options.prepare, PREPARE_FLAGS);
  const { grid } = normalizeFeatureOptions(options.features, FEATURE_FLAGS);
  // Checked per sample too, but only after the progress bar started: a cross-field check belongs here.
  if (grid > size) throw new UsageError(`Expected \`--grid\` to be at most \`--size\` (${size}), got \`${grid}\``);
  return {
    root,
    categories: options.categories ?? [],
    categoryOption: options.categoryOption ?? '--category',
    splits,
    cacheDir: resolve(options.cacheDir ?? join(root, '.geoad-cache')),
    workers: expectInteger('--workers', options.workers ?? availableParallelism(), 0, 256),
    prepare: options.prepare ?? {},
    features: options.features ?? {},
    progress: normalizeProgressMode(options.progress),
  };
}

// Rebuilds a task's error on this thread: a DataError stays a DataError (same file, same message).
function rebuildError(error: TaskError): Error {
  const rebuilt = error.file !== undefined ? new DataError(error.file, '') : new GeoadError(error.message, { exitCode: error.exitCode });
  rebuilt.message = error.message;
  rebuilt.name = error.name;
  if (error.stack) rebuilt.stack = error.stack;
  return rebuilt;
}

const startPrepareWorker = () => startWorker(import.meta.url, 'prepare-worker', { role: 'geoad-prepare' });

// Runs tasks on `count` worker threads, at most one in flight per worker; stops handing out work on the first failure.
async function runOnWorkers(tasks: readonly PrepareTask[], count: number, onResult: (r: PrepareTaskResult) => void): Promise<void> {
  const workers = Array.from({ length: Math.min(count, tasks.length) }, () => startPrepareWorker());
  let next = 0;
  let failed: Error | undefined;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolveWorker, rejectWorker) => {
            const feed = () => {
              if (failed || next >= tasks.length) return resolveWorker();
              worker.postMessage(tasks[next++]);
            };
            worker.on('message', (result: PrepareTaskResult) => {
              if (!result.ok && !failed) failed = rebuildError(result.error);
              onResult(result);
              feed();
            });
            worker.on('error', (error) => {
              failed ??= error;
              rejectWorker(error);
            });
            // A thread that ends without an error event (process.exit in a dependency) must not hang the pool.
            worker.on('exit', (code) => rejectWorker(new Error(`prepare worker thread exited early (code ${code})`)));
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  if (failed) throw failed;
}

/** Where and how prepareSamples fills the cache. */
export interface PrepareSamplesOptions {
  readonly cacheDir: string;
  /** Worker threads; 0 runs in the calling thread. */
  readonly workers: number;
  readonly prepare?: PrepareOptions;
  readonly features?: FeatureOptions;
  /** Ticked once per finished sample. */
  readonly progress?: Progress;
}

/** Cache hits and missing points of a prepareSamples pass. */
export type PrepareSamplesResult = Omit<PrepareDatasetResult, 'cacheDir' | 'durationMs'>;

/**
 * Fills the cache for `refs` (any samples, e.g. the splits one training run needs) on worker threads. The first
 * failure stops handing out work and is rethrown (file first); records already written stay.
 */
export async function prepareSamples(refs: readonly SampleRef[], options: PrepareSamplesOptions): Promise<PrepareSamplesResult> {
  const tasks: PrepareTask[] = refs.map((ref, i) => ({ index: i, ref, options: { prepare: options.prepare ?? {}, features: options.features ?? {} }, cacheDir: options.cacheDir }));
  let preparedHits = 0, featuresHits = 0, nonFinitePoints = 0;
  const onResult = (result: PrepareTaskResult) => {
    if (result.ok) {
      preparedHits += result.preparedHit ? 1 : 0;
      featuresHits += result.featuresHit ? 1 : 0;
      nonFinitePoints += result.nonFinitePoints;
    }
    options.progress?.tick();
  };
  if (options.workers === 0 || tasks.length <= 1) {
    for (const task of tasks) {
      const result = await runPrepareTask(task);
      onResult(result);
      if (!result.ok) throw rebuildError(result.error);
    }
  } else {
    await runOnWorkers(tasks, options.workers, onResult);
  }
  return { samples: tasks.length, preparedHits, featuresHits, nonFinitePoints };
}

/** Prepares and computes features for every sample of the selected categories/splits, filling the cache. */
export async function prepareDataset(options: PrepareDatasetOptions): Promise<PrepareDatasetResult> {
  const o = normalizePrepareDatasetOptions(options);
  const started = Date.now();
  const index = discoverDataset(o.root, { categories: o.categories, categoryOption: o.categoryOption });
  const refs = listSamples(index, { splits: o.splits });
  const progress = startProgressIn(o.progress, { label: 'prepare', total: refs.length });
  try {
    const result = await prepareSamples(refs, { cacheDir: o.cacheDir, workers: o.workers, prepare: o.prepare, features: o.features, progress });
    return { cacheDir: o.cacheDir, ...result, durationMs: Date.now() - started };
  } finally {
    progress?.stop();
  }
}
