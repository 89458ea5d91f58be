// Local executor: p-queue with resource slots (CPU workers, GPU indices → CUDA_VISIBLE_DEVICES); each attempt is a
// child process (execa, own process group, log file appended) with a timeout; stop() signals every running group.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { execa, type Options } from 'execa';
import PQueue from 'p-queue';
import { errorMessage } from '../util/errors.js';
import { withParentDeathSignal } from '../util/parent-death.js';
import { JOB_ENV, formatAttemptHeader, type AttemptRequest, type AttemptResult, type Executor } from './types.js';
import { killGroup } from './process-group.js';

export interface LocalExecutorOptions {
  /** Concurrent CPU jobs. */
  readonly workers: number;
  /** GPU indices; GPU jobs run one per index with CUDA_VISIBLE_DEVICES set. Empty: GPU jobs take CPU slots. */
  readonly gpus: readonly number[];
  /** Seconds between SIGTERM and SIGKILL when a job times out or the run stops. @default 5 */
  readonly killGraceSeconds?: number;
}

interface Running {
  readonly label: string;
  readonly pid: number;
  interrupted: boolean;
}


/** Runs attempts as local child processes within the slots. */
export class LocalExecutor implements Executor {
  readonly kind = 'local' as const;
  private readonly cpuQueue: PQueue;
  private readonly gpuQueue: PQueue | null;
  private readonly freeGpus: number[];
  private readonly running = new Set<Running>();
  private readonly graceMs: number;
  private stopping = false;

  constructor(options: LocalExecutorOptions) {
    this.cpuQueue = new PQueue({ concurrency: options.workers });
    this.gpuQueue = options.gpus.length > 0 ? new PQueue({ concurrency: options.gpus.length }) : null;
    this.freeGpus = [...options.gpus];
    this.graceMs = (options.killGraceSeconds ?? 5) * 1000;
  }

  runAttempt(request: AttemptRequest): Promise<AttemptResult> {
    const queue = request.job.gpu && this.gpuQueue ? this.gpuQueue : this.cpuQueue;
    const usesGpu = queue === this.gpuQueue;
    return queue.add(async () => {
      if (this.stopping) return notStarted();
      const gpu = usesGpu ? this.freeGpus.shift() : undefined;
      try {
        return await this.spawnAttempt(request, gpu);
      } finally {
        if (gpu !== undefined) this.freeGpus.push(gpu);
      }
    }) as Promise<AttemptResult>;
  }

  private async spawnAttempt(request: AttemptRequest, gpu: number | undefined): Promise<AttemptResult> {
    const attempt = request.start();
    const started = Date.now();
    mkdirSync(dirname(request.logPath), { recursive: true });
    const fd = openSync(request.logPath, 'a');
    const env: Record<string, string> = { ...request.env, [JOB_ENV]: request.job.id };
    // With `--gpus`, a job sees only its own GPU and CPU jobs see none (so `auto` backends never share one).
    if (gpu !== undefined) env.CUDA_VISIBLE_DEVICES = String(gpu);
    else if (this.gpuQueue) env.CUDA_VISIBLE_DEVICES = '';
    writeSync(fd, formatAttemptHeader(request.job, attempt, request.command, gpu === undefined ? 'local cpu' : `local gpu ${gpu}`));
    const command = withParentDeathSignal(request.command);
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    let running: Running | undefined;
    try {
      const child = execa(command[0], command.slice(1), { detached: true, stdin: 'ignore', stdout: { file: request.logPath, append: true }, stderr: { file: request.logPath, append: true }, env, reject: false, cleanup: false } satisfies Options);
      const pid = child.pid;
      if (pid !== undefined) {
        running = { label: request.job.label, pid, interrupted: false };
        this.running.add(running);
        request.started(`pid:${pid}`);
        const timeout = request.job.timeoutSeconds;
        if (timeout !== null) {
          timer = setTimeout(() => {
            timedOut = true;
            void killGroup(pid, this.graceMs);
          }, timeout * 1000);
        }
      }
      const result = await child;
      const interrupted = running?.interrupted ?? false;
      const durationMs = Date.now() - started;
      const exitCode = result.exitCode ?? null;
      const signal = result.signal ?? null;
      if (interrupted) return { status: 'interrupted', exitCode, signal, timedOut: false, error: 'stopped by the orchestrator', durationMs };
      if (exitCode === 0 && !timedOut) return { status: 'done', exitCode, signal, timedOut, error: null, durationMs };
      const why = timedOut
        ? `timed out after ${request.job.timeoutSeconds} s`
        : signal ? `killed by ${signal}` : exitCode !== null ? `exited with code ${exitCode}` : `could not start: ${errorMessage(result)}`;
      writeSync(fd, `=== geoad matrix: ${request.job.id} attempt ${attempt} failed: ${why}\n`);
      return { status: 'failed', exitCode, signal, timedOut, error: `${request.job.label}: ${why} (log ${request.logPath})`, durationMs };
    } finally {
      if (timer) clearTimeout(timer);
      if (running) this.running.delete(running);
      closeSync(fd);
    }
  }

  async stop(): Promise<void> {
    // Queued tasks are not cleared (their promises would never settle): they see `stopping` and return at once.
    this.stopping = true;
    await Promise.all([...this.running].map((r) => {
      r.interrupted = true;
      return killGroup(r.pid, this.graceMs);
    }));
  }

  describeRunning(): string[] {
    return [...this.running].map((r) => `${r.label} (pid ${r.pid})`);
  }
}

function notStarted(): AttemptResult {
  return { status: 'not-started', exitCode: null, signal: null, timedOut: false, error: null, durationMs: 0 };
}
