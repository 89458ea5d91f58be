// renderWithExternal: splits samples into shards, runs one Blender/BlenderProc process per shard through p-queue
// (`jobs` at a time), retries a failed shard's unfinished samples with exponential backoff, and reports what failed.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import PQueue from 'p-queue';
import { GeoadError, UsageError, errorMessage } from '../../../orchestrator/util/errors.js';
import { expectInteger, expectOneOf } from '../../../orchestrator/util/validate.js';
import type { RenderOutput } from '../types.js';
import { validateRenderScene } from './mesh-file.js';
import { RenderCallbackError, runShardAttempt } from './run-shard.js';
import { sweepStaleShardDirs } from './scratch-dir.js';
import { generateRenderScript } from './script.js';
import { BlenderShardError } from './shard-error.js';
import type { ExternalRenderOptions, ExternalRenderSummary, ExternalRenderTask, FailedShard } from './types.js';

/** First retry waits this long; each further retry doubles it, up to {@link MAX_BACKOFF_MS}. */
const BASE_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

/** A group of samples rendered by one Blender process. */
export interface Shard {
  readonly id: string;
  readonly tasks: readonly ExternalRenderTask[];
}

// Splits tasks, in order, into shards of at most `size` samples. A shard is named after its first sample
// (`shard-bagel-test-crack-000`), so ids stay unique and stable across calls, batches and re-runs (log file names).
export function splitIntoShards(tasks: readonly ExternalRenderTask[], size: number): Shard[] {
  const shards: Shard[] = [];
  for (let start = 0; start < tasks.length; start += size) {
    const id = `shard-${tasks[start].key.replace(/[^A-Za-z0-9._-]+/g, '-')}`;
    shards.push({ id, tasks: tasks.slice(start, start + size) });
  }
  return shards;
}

// Checks the options and the tasks before anything is written or started; messages name the option or sample.
export function validateExternalRender(tasks: readonly ExternalRenderTask[], options: ExternalRenderOptions): void {
  expectOneOf('--renderer', options.renderer, ['blender', 'blenderproc']);
  expectOneOf('--device', options.device, ['cpu', 'cuda', 'optix']);
  expectInteger('--blender-jobs', options.jobs, 1, 256);
  expectInteger('--samples', options.samples, 1, 1 << 20);
  expectInteger('shardSize', options.shardSize, 1, 1 << 20);
  expectInteger('timeoutMs', options.timeoutMs, 1);
  expectInteger('retries', options.retries, 0, 100);
  if (typeof options.workDir !== 'string' || options.workDir.length === 0) throw new UsageError('Expected `workDir` to be a folder path, got an empty value');
  if (options.blenderPath !== undefined && options.blenderPath.length === 0) throw new UsageError('Expected `--blender` to be a path, got an empty string');
  const keys = new Set<string>();
  for (const task of tasks) {
    if (keys.has(task.key)) throw new GeoadError(`Sample key ${task.key} appears twice in the render tasks`);
    keys.add(task.key);
    if (!Number.isSafeInteger(task.seed)) throw new GeoadError(`Sample ${task.key}: seed must be a safe integer, got ${task.seed}`);
    validateRenderScene(task.key, task.scene);
    const { fx, fy } = task.scene.camera;
    if (options.renderer === 'blender' && Math.abs(fx - fy) > 1e-9 * fx) {
      throw new GeoadError(`Sample ${task.key}: the Blender backend needs square pixels (fx = fy), got fx=${fx}, fy=${fy}`);
    }
  }
}

async function runShard(
  shard: Shard,
  script: string,
  options: ExternalRenderOptions,
  onRendered: (key: string, output: RenderOutput) => Promise<void>,
): Promise<{ rendered: number; failure?: FailedShard }> {
  const logFile = join(options.workDir, 'logs', `${shard.id}.log`);
  let remaining = shard.tasks;
  let rendered = 0;
  let lastError: BlenderShardError | undefined;
  for (let attempt = 0; attempt <= options.retries && remaining.length > 0; attempt++) {
    if (options.signal?.aborted) break;
    if (attempt > 0) {
      const delay = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempt - 1));
      options.log(`[${shard.id}] retrying ${remaining.length} sample(s) in ${(delay / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${options.retries + 1})`);
      try {
        await sleep(delay, undefined, { signal: options.signal });
      } catch {
        break;
      }
    }
    try {
      await runShardAttempt({ shard: shard.id, attempt, tasks: remaining, script, logFile, options, onRendered });
      rendered += remaining.length;
      remaining = [];
    } catch (error) {
      if (!(error instanceof BlenderShardError)) throw error;
      rendered += error.finishedKeys.length;
      const finished = new Set(error.finishedKeys);
      remaining = remaining.filter((t) => !finished.has(t.key));
      lastError = error;
      options.log(`[${shard.id}] attempt ${attempt + 1} failed: ${error.message}`);
    }
  }
  if (remaining.length === 0) return { rendered };
  const message = lastError?.message ?? `Shard ${shard.id} was cancelled before it finished`;
  return { rendered, failure: { shard: shard.id, keys: remaining.map((t) => t.key), message } };
}

// Renders every task with Blender or BlenderProc; calls onRendered per finished sample (in the order they finish).
// Failed shards are reported in the summary, not thrown; a failing onRendered or a cancelled signal rejects.
export async function renderWithExternal(
  tasks: readonly ExternalRenderTask[],
  options: ExternalRenderOptions,
  onRendered: (key: string, output: RenderOutput) => Promise<void>,
): Promise<ExternalRenderSummary> {
  validateExternalRender(tasks, options);
  if (tasks.length === 0) return { rendered: 0, failedShards: [] };
  const script = generateRenderScript(options.renderer);
  await mkdir(join(options.workDir, 'logs'), { recursive: true });
  const swept = await sweepStaleShardDirs(options.workDir);
  if (swept.length > 0) options.log(`Removed ${swept.length} scratch folder(s) left by a killed run: ${swept.join(', ')}`);
  const shards = splitIntoShards(tasks, options.shardSize);
  options.log(`Rendering ${tasks.length} sample(s) with ${options.renderer} in ${shards.length} shard(s), ${options.jobs} at a time`);
  const queue = new PQueue({ concurrency: options.jobs });
  const failures = new Map<string, FailedShard>();
  let rendered = 0;
  let fatal: unknown;
  const fatalStop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, fatalStop.signal]) : fatalStop.signal;
  const shardOptions: ExternalRenderOptions = { ...options, signal };
  for (const shard of shards) {
    void queue.add(async () => {
      if (signal.aborted) return;
      try {
        const result = await runShard(shard, script, shardOptions, onRendered);
        rendered += result.rendered;
        if (result.failure) failures.set(shard.id, result.failure);
      } catch (error) {
        fatal ??= error;
        fatalStop.abort(error);
      }
    });
  }
  await queue.onIdle();
  if (fatal !== undefined) throw fatal instanceof RenderCallbackError ? new GeoadError(fatal.message, { cause: fatal.cause }) : fatal;
  if (options.signal?.aborted) {
    throw new GeoadError(`Rendering with ${options.renderer} was cancelled after ${rendered} of ${tasks.length} sample(s): ${errorMessage(options.signal.reason)}`, {
      exitCode: 130,
      cause: options.signal.reason,
    });
  }
  const failedShards = shards.flatMap((s) => (failures.has(s.id) ? [failures.get(s.id)!] : []));
  return { rendered, failedShards };
}
