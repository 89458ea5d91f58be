// One job to its end: attempts through the executor (or, for `collect`, in this process), retries with exponential
// backoff, every attempt recorded in the ledger before and after it runs.
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Executor } from '../executors/types.js';
import type { AttemptEnd, Ledger } from '../ledger/ledger.js';
import { ExitCode, errorMessage } from '../util/errors.js';
import { collectCell } from './collect-cell.js';
import type { JobSpec } from './job-spec.js';

export interface RunJobContext {
  readonly ledger: Ledger;
  readonly executor: Executor;
  /** The stage executable, e.g. `[node, bin/geoad.mjs]`. */
  readonly stageCommand: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly retries: number;
  readonly retryDelaySeconds: number;
  readonly logPathOf: (jobId: string) => string;
  readonly signal: AbortSignal;
  readonly print: (line: string) => void;
  /** Waits between attempts; injectable so tests can check the backoff without a clock. @default a timer */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** The longest wait between two attempts, however many retries: an hour (the largest `retryDelaySeconds`). */
export const MAX_RETRY_DELAY_SECONDS = 3600;

/** Seconds to wait before the retry after the `failures`-th failed attempt: base × 2^(failures − 1), capped. */
export function backoffSeconds(baseSeconds: number, failures: number): number {
  return Math.min(baseSeconds * 2 ** Math.max(0, failures - 1), MAX_RETRY_DELAY_SECONDS);
}

/** Waits `ms` or until `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The last `count` lines a stage wrote to its log (the orchestrator's own `===` lines left out), joined by ` | `. */
export function readLogTail(path: string, count = 3): string {
  let text = '';
  try {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      const buffer = Buffer.alloc(Math.min(size, 4096));
      readSync(fd, buffer, 0, buffer.length, size - buffer.length);
      text = buffer.toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('=== geoad matrix'));
  return lines.slice(-count).join(' | ').slice(-400);
}

// Seconds per stage of the cell, from its jobs' successful attempts in the ledger.
function cellDurations(job: JobSpec, ledger: Ledger): Record<string, number> {
  const durations: Record<string, number> = {};
  for (const [stage, id] of Object.entries(job.collect?.stageJobs ?? {})) {
    const ms = ledger.getJob(id)?.durationMs;
    if (typeof ms === 'number') durations[stage] = ms / 1000;
  }
  return durations;
}

async function runCollectAttempt(job: JobSpec, context: RunJobContext): Promise<AttemptEnd> {
  const started = Date.now();
  try {
    await collectCell(job.collect!, job.resultPath!, cellDurations(job, context.ledger));
    return { status: 'done', exitCode: 0, durationMs: Date.now() - started };
  } catch (error) {
    return { status: 'failed', exitCode: null, error: `${job.label}: ${errorMessage(error)}`, durationMs: Date.now() - started };
  }
}

/** Runs `job` until it is done, failed past its retries, or the run stops (then it stays pending). */
export async function runJob(job: JobSpec, context: RunJobContext): Promise<void> {
  const { ledger } = context;
  for (;;) {
    if (context.signal.aborted) return;
    for (const path of job.clean) rmSync(path, { recursive: true, force: true });
    let attempt = 0;
    let end: AttemptEnd;
    if (job.stage === 'collect') {
      attempt = ledger.startAttempt(job.id);
      end = await runCollectAttempt(job, context);
    } else {
      const resume = job.resume !== null && existsSync(job.resume.marker) ? [job.resume.flag] : [];
      const logPath = context.logPathOf(job.id);
      mkdirSync(dirname(logPath), { recursive: true });
      const result = await context.executor.runAttempt({
        job,
        command: [...context.stageCommand, ...job.args, ...resume],
        logPath,
        env: context.env,
        start: () => (attempt = ledger.startAttempt(job.id)),
        started: (ref) => ledger.setExecutorRef(job.id, ref),
      });
      if (result.status === 'not-started') return;
      end = { ...result, status: result.status };
    }
    // Exit code 2 is a usage error (a bad option, a missing input): the same command fails again, so no retry.
    const usage = end.status === 'failed' && end.exitCode === ExitCode.usage && !end.timedOut;
    if (usage) {
      const tail = readLogTail(context.logPathOf(job.id));
      end = { ...end, error: `${end.error ?? job.label}; not retried: exit code 2 is a usage error${tail ? `; log tail: ${tail}` : ''}` };
    }
    const status = ledger.finishAttempt(job.id, attempt, end, usage ? 0 : context.retries);
    if (end.status === 'done') {
      context.print(`done    ${job.label} (${(end.durationMs / 1000).toFixed(1)} s)`);
      return;
    }
    if (end.status === 'interrupted') return;
    const failures = ledger.getJob(job.id)?.failures ?? 0;
    if (status === 'failed') {
      context.print(`FAILED  ${end.error ?? job.label} — attempt ${attempt}${usage ? '' : ', no retries left'}`);
      return;
    }
    const delay = backoffSeconds(context.retryDelaySeconds, failures);
    context.print(`retry   ${end.error ?? job.label} — retry ${failures} of ${context.retries} in ${delay.toFixed(1)} s`);
    await (context.sleep ?? sleep)(delay * 1000, context.signal);
  }
}
