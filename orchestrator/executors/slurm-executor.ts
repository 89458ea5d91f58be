// Slurm executor: attempts that become ready together are submitted as one `sbatch --array` (GPU and CPU jobs
// apart), polled with squeue (and scontrol for tasks that left the queue); each task's exit-code file is ingested.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { writeFileAtomic } from '../util/atomic-write.js';
import { GeoadError, errorMessage } from '../util/errors.js';
import { renderSbatchScript, type SlurmOptions } from './slurm-script.js';
import type { AttemptRequest, AttemptResult, Executor } from './types.js';

export interface SlurmExecutorOptions extends SlurmOptions {
  /** Where batch scripts and Slurm's own output files go (RUN/slurm). */
  readonly scriptDir: string;
  /** Job-name prefix. */
  readonly name: string;
  /** Exit-code file of a job attempt. */
  readonly exitPath: (jobId: string, attempt: number) => string;
}

interface Task {
  readonly request: AttemptRequest;
  readonly attempt: number;
  readonly exitPath: string;
  readonly startedAt: number;
  readonly resolve: (result: AttemptResult) => void;
}

const TERMINAL = /^(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|PREEMPTED|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE)/;

/** Reads `JobState=` and `ExitCode=` of a task from `scontrol show job -o` output. */
export function parseScontrolJob(text: string): { state: string | null; exitCode: number | null } {
  const state = /\bJobState=(\S+)/.exec(text)?.[1] ?? null;
  const code = /\bExitCode=(\d+):(\d+)/.exec(text);
  return { state, exitCode: code ? Number(code[1]) : null };
}

/** Task ids (`123_4`) listed by `squeue -h -r -o '%i %T'`. */
export function parseSqueue(text: string): Map<string, string> {
  const tasks = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [id, state] = line.trim().split(/\s+/);
    if (id && state) tasks.set(id, state);
  }
  return tasks;
}

/** Runs attempts as Slurm array tasks. */
export class SlurmExecutor implements Executor {
  readonly kind = 'slurm' as const;
  private waiting: { request: AttemptRequest; resolve: (r: AttemptResult) => void }[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly tasks = new Map<string, Task>();
  private pollTimer: NodeJS.Timeout | undefined;
  private batches = 0;
  private stopping = false;

  constructor(private readonly options: SlurmExecutorOptions) {}

  runAttempt(request: AttemptRequest): Promise<AttemptResult> {
    return new Promise((resolve) => {
      if (this.stopping) return resolve(notStarted());
      this.waiting.push({ request, resolve });
      this.flushTimer ??= setTimeout(() => void this.flush(), 200);
    });
  }

  private async flush(): Promise<void> {
    this.flushTimer = undefined;
    const waiting = this.waiting;
    this.waiting = [];
    for (const gpu of [true, false]) {
      const group = waiting.filter((w) => w.request.job.gpu === gpu);
      if (group.length > 0) await this.submit(group, gpu);
    }
    this.pollTimer ??= setTimeout(() => void this.poll(), (this.options.pollSeconds ?? 5) * 1000);
  }

  private async submit(group: { request: AttemptRequest; resolve: (r: AttemptResult) => void }[], gpu: boolean): Promise<void> {
    if (this.stopping) return group.forEach((w) => w.resolve(notStarted()));
    const started = group.map((w) => {
      const attempt = w.request.start();
      const exitPath = this.options.exitPath(w.request.job.id, attempt);
      rmSync(exitPath, { force: true });
      return { ...w, attempt, exitPath };
    });
    this.batches += 1;
    const batchName = `${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${process.pid}-${this.batches}-${started[0].request.job.stage}`;
    mkdirSync(this.options.scriptDir, { recursive: true });
    const scriptPath = join(this.options.scriptDir, `${batchName}.sh`);
    const script = renderSbatchScript(
      {
        name: `geoad-${this.options.name}-${started[0].request.job.stage}`,
        tasks: started.map((s) => ({ jobId: s.request.job.id, command: s.request.command, logPath: s.request.logPath, exitPath: s.exitPath, timeoutSeconds: s.request.job.timeoutSeconds })),
        gpu,
        outputPattern: join(this.options.scriptDir, `${batchName}-%a.out`),
        workdir: process.cwd(),
      },
      this.options,
    );
    const now = Date.now();
    try {
      await writeFileAtomic(scriptPath, script);
      const env = { ...process.env, ...started[0].request.env };
      const result = await execa('sbatch', ['--parsable', scriptPath], { env, reject: false });
      if (result.exitCode !== 0) throw new GeoadError(`sbatch ${scriptPath} failed (exit ${result.exitCode}): ${String(result.stderr).trim() || String(result.stdout).trim()}`);
      const arrayId = String(result.stdout).trim().split(';')[0];
      if (!/^\d+$/.test(arrayId)) throw new GeoadError(`sbatch ${scriptPath} printed no job id: \`${String(result.stdout).trim()}\``);
      started.forEach((s, i) => {
        const taskId = `${arrayId}_${i}`;
        s.request.started(`slurm:${taskId}`);
        this.tasks.set(taskId, { request: s.request, attempt: s.attempt, exitPath: s.exitPath, startedAt: now, resolve: s.resolve });
      });
    } catch (error) {
      for (const s of started) s.resolve({ status: 'failed', exitCode: null, signal: null, timedOut: false, error: errorMessage(error), durationMs: Date.now() - now });
    }
  }

  private async poll(): Promise<void> {
    this.pollTimer = undefined;
    if (this.tasks.size === 0 || this.stopping) return;
    const arrays = [...new Set([...this.tasks.keys()].map((t) => t.split('_')[0]))];
    const squeue = await execa('squeue', ['-h', '-r', '-j', arrays.join(','), '-o', '%i %T'], { reject: false });
    const queued = squeue.exitCode === 0 ? parseSqueue(String(squeue.stdout)) : new Map<string, string>();
    for (const [taskId, task] of [...this.tasks]) {
      if (this.stopping) return;
      const exit = readExitFile(task.exitPath);
      if (exit === null && queued.has(taskId)) continue;
      let state: string | null = null;
      if (exit === null) {
        const shown = await execa('scontrol', ['show', 'job', '-o', taskId], { reject: false });
        state = shown.exitCode === 0 ? parseScontrolJob(String(shown.stdout)).state : 'VANISHED';
        if (state !== null && !TERMINAL.test(state) && state !== 'VANISHED') continue;
      }
      const late = exit ?? readExitFile(task.exitPath);
      this.tasks.delete(taskId);
      const durationMs = Date.now() - task.startedAt;
      if (late === 0) {
        task.resolve({ status: 'done', exitCode: 0, signal: null, timedOut: false, error: null, durationMs });
        continue;
      }
      const timedOut = late === 124 || state === 'TIMEOUT';
      const why = late !== null ? (late === 124 ? `timed out after ${task.request.job.timeoutSeconds} s` : `exited with code ${late}`) : `ended as ${state} without an exit code`;
      task.resolve({ status: 'failed', exitCode: late, signal: null, timedOut, error: `${task.request.job.label}: ${why} (Slurm task ${taskId}; log ${task.request.logPath})`, durationMs });
    }
    if (this.tasks.size > 0 && !this.stopping) this.pollTimer = setTimeout(() => void this.poll(), (this.options.pollSeconds ?? 5) * 1000);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.pollTimer) clearTimeout(this.pollTimer);
    for (const w of this.waiting) w.resolve(notStarted());
    this.waiting = [];
    const ids = [...this.tasks.keys()];
    if (ids.length > 0) await execa('scancel', ids, { reject: false });
    for (const task of this.tasks.values()) {
      task.resolve({ status: 'interrupted', exitCode: null, signal: 'SIGTERM', timedOut: false, error: 'cancelled by the orchestrator', durationMs: Date.now() - task.startedAt });
    }
    this.tasks.clear();
  }

  describeRunning(): string[] {
    return [...this.tasks].map(([id, t]) => `${t.request.job.label} (Slurm task ${id})`);
  }
}

function readExitFile(path: string): number | null {
  if (!existsSync(path)) return null;
  const code = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
  return Number.isInteger(code) ? code : null;
}

function notStarted(): AttemptResult {
  return { status: 'not-started', exitCode: null, signal: null, timedOut: false, error: null, durationMs: 0 };
}
