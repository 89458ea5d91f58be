// Runs the built-in renderer over pending samples on a pool of worker threads. Each sample depends only on its
// params, so the files are the same for any worker count; results arrive in completion order.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../orchestrator/util/start-worker.js';
import { GeoadError, errorMessage } from '../../orchestrator/util/errors.js';
import { renderSampleToDisk, type SampleResult } from './encode-sample.js';
import type { SceneParams } from './params.js';
import type { SampleFiles } from './plan.js';

/** A message to a worker: one sample to render. */
export interface WorkerTask {
  readonly params: SceneParams;
  readonly files: SampleFiles;
}

/** A worker's answer. */
export type WorkerReply = { ok: true; result: SampleResult } | { ok: false; key: string; message: string };

export interface BuiltinRunOptions {
  readonly root: string;
  readonly resolution: number;
  /** Worker threads; 0 renders in the main thread. */
  readonly workers: number;
  readonly signal?: AbortSignal;
  /** Called in the main thread when a sample's files are all written. */
  readonly onDone: (result: SampleResult) => void;
}

/** Tasks kept in flight per worker, so that a worker never waits for the main thread. */
const IN_FLIGHT = 2;

/** Renders `tasks`; stops early on abort (finishing samples in flight) or on the first failure (then throws). */
export async function runBuiltin(tasks: readonly WorkerTask[], options: BuiltinRunOptions): Promise<void> {
  if (tasks.length === 0) return;
  if (options.workers === 0) return renderInMainThread(tasks, options);
  const count = Math.min(options.workers, tasks.length);
  let next = 0;
  let failure: GeoadError | undefined;
  const stopping = () => failure !== undefined || options.signal?.aborted === true;
  const runWorker = (worker: Worker) =>
    new Promise<void>((resolve) => {
      let inFlight = 0;
      const finish = () => {
        worker.removeAllListeners();
        void worker.terminate();
        resolve();
      };
      const feed = () => {
        while (inFlight < IN_FLIGHT && next < tasks.length && !stopping()) {
          worker.postMessage(tasks[next++]);
          inFlight++;
        }
        if (inFlight === 0) finish();
      };
      worker.on('message', (reply: WorkerReply) => {
        inFlight--;
        if (reply.ok) options.onDone(reply.result);
        else failure ??= new GeoadError(`Rendering sample ${reply.key} failed: ${reply.message}`);
        feed();
      });
      worker.on('error', (error) => {
        failure ??= new GeoadError(`A synth worker crashed: ${error.message}`, { cause: error });
        inFlight = 0;
        finish();
      });
      worker.on('exit', (code) => {
        if (inFlight > 0) {
          failure ??= new GeoadError(`A synth worker exited with code ${code} while rendering`);
          inFlight = 0;
          resolve();
        }
      });
      feed();
    });
  const workerData = { root: options.root, resolution: options.resolution };
  const workers = Array.from({ length: count }, () => startWorker(import.meta.url, 'synth-worker', workerData));
  await Promise.all(workers.map(runWorker));
  if (failure) throw failure;
}

// `--workers 0`: the same rendering, one sample at a time in this thread (for debugging and profiling). Yields to
// the event loop between samples so that Ctrl-C is seen.
async function renderInMainThread(tasks: readonly WorkerTask[], options: BuiltinRunOptions): Promise<void> {
  for (const task of tasks) {
    if (options.signal?.aborted) return;
    let result: SampleResult;
    try {
      result = renderSampleToDisk(options.root, task.params, task.files, options.resolution);
    } catch (error) {
      throw new GeoadError(`Rendering sample ${task.params.key} failed: ${errorMessage(error)}`, { cause: error });
    }
    options.onDone(result);
    await yieldToEventLoop();
  }
}
