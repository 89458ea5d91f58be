// One unit of prepareDataset's work (used in worker threads and in-process alike): load or compute one sample.
import { DataError, GeoadError, errorMessage } from '../../orchestrator/util/errors.js';
import { loadSampleData, type SampleDataOptions } from './cache.js';
import type { SampleRef } from './types.js';

export interface PrepareTask {
  readonly index: number;
  readonly ref: SampleRef;
  readonly options: SampleDataOptions;
  readonly cacheDir: string;
}

/** A serialisable error: enough to rebuild the DataError / UsageError on the main thread. */
export interface TaskError {
  readonly name: string;
  readonly message: string;
  readonly exitCode: number;
  /** The file a DataError names. */
  readonly file?: string;
  readonly stack?: string;
}

export type PrepareTaskResult =
  | { readonly index: number; readonly ok: true; readonly preparedHit: boolean; readonly featuresHit: boolean; readonly nonFinitePoints: number; readonly foregroundFraction: number }
  | { readonly index: number; readonly ok: false; readonly error: TaskError };

/** Runs one task; never throws (failures come back as a result naming the error). */
export async function runPrepareTask(task: PrepareTask): Promise<PrepareTaskResult> {
  try {
    const data = await loadSampleData(task.ref, task.options, task.cacheDir);
    let fg = 0;
    for (let i = 0; i < data.prepared.foreground.length; i++) fg += data.prepared.foreground[i];
    return {
      index: task.index,
      ok: true,
      preparedHit: data.preparedHit,
      featuresHit: data.featuresHit,
      nonFinitePoints: data.prepared.nonFinitePoints ?? 0,
      foregroundFraction: fg / data.prepared.foreground.length,
    };
  } catch (error) {
    const exitCode = error instanceof GeoadError ? error.exitCode : 1;
    const name = error instanceof Error ? error.name : 'Error';
    const file = error instanceof DataError ? { file: error.file } : {};
    const stack = error instanceof Error && error.stack ? { stack: error.stack } : {};
    return { index: task.index, ok: false, error: { name, message: errorMessage(error), exitCode, ...file, ...stack } };
  }
}
