// The one interface both executors implement: run one attempt of a job somewhere, report how it ended.
import type { JobSpec } from '../matrix/job-spec.js';

/** One attempt to run. `start()` records it in the ledger right before the process starts and returns its number. */
export interface AttemptRequest {
  readonly job: JobSpec;
  /** The full command: the stage executable followed by the job's args. */
  readonly command: readonly string[];
  readonly logPath: string;
  /** Extra environment for the child (GEOAD_JOB_ID is added by the executor). */
  readonly env: Readonly<Record<string, string>>;
  readonly start: () => number;
  /** Where the attempt runs (a pid, a Slurm task id), recorded so a later run can find leftovers. */
  readonly started: (ref: string) => void;
}

/** How an attempt ended; `not-started` when the executor stopped before starting it. */
export interface AttemptResult {
  readonly status: 'done' | 'failed' | 'interrupted' | 'not-started';
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly error: string | null;
  readonly durationMs: number;
}

/** Decides where and when jobs run; knows nothing of the matrix. */
export interface Executor {
  readonly kind: 'local' | 'slurm';
  runAttempt(request: AttemptRequest): Promise<AttemptResult>;
  /** Stops everything: running attempts are signalled and resolve as `interrupted`, queued ones as `not-started`. */
  stop(): Promise<void>;
  /** Names the running attempts (for the Ctrl-C message). */
  describeRunning(): string[];
}

/** Marker of a job's environment: lets a later run recognise its leftover processes. */
export const JOB_ENV = 'GEOAD_JOB_ID';

/** The run directory, also in every job's environment (job ids repeat across runs of one config). */
export const RUN_ENV = 'GEOAD_MATRIX_RUN';

/** The first line of an attempt's section in the job log. */
export function formatAttemptHeader(job: JobSpec, attempt: number, command: readonly string[], where: string): string {
  return `\n=== geoad matrix: ${job.id} attempt ${attempt} on ${where} at ${new Date().toISOString()}\n=== ${command.join(' ')}\n`;
}
