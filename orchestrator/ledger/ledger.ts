// The run ledger: SQLite (better-sqlite3) in RUN, written only by the orchestrator. One row per job (status,
// attempts, timings, exit code, log and result paths) and one per attempt, so a resumed run counts nothing twice.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataError, errorMessage } from '../util/errors.js';
import type { JobSpec } from '../matrix/job-spec.js';

export const JOB_STATUSES = ['pending', 'running', 'done', 'failed', 'blocked'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export type AttemptStatus = 'running' | 'done' | 'failed' | 'interrupted';

/** A job as the ledger holds it. */
export interface JobRow {
  readonly id: string;
  readonly stage: string;
  readonly label: string;
  readonly cellId: string | null;
  readonly deps: readonly string[];
  readonly status: JobStatus;
  /** Attempts ever started (interrupted ones included). */
  readonly attempts: number;
  /** Failed attempts since the job was last (re)queued: compared with the retry limit. */
  readonly failures: number;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  readonly exitCode: number | null;
  readonly error: string | null;
  readonly logPath: string;
  readonly resultPath: string | null;
  /** Local: the child's pid; Slurm: `ARRAYJOB_TASK`. */
  readonly executorRef: string | null;
}

/** One attempt of a job. */
export interface AttemptRow {
  readonly jobId: string;
  readonly attempt: number;
  readonly status: AttemptStatus;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly error: string | null;
}

/** How an attempt ended. */
export interface AttemptEnd {
  readonly status: Exclude<AttemptStatus, 'running'>;
  readonly exitCode: number | null;
  readonly signal?: string | null;
  readonly timedOut?: boolean;
  readonly error?: string | null;
  readonly durationMs: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY, stage TEXT NOT NULL, label TEXT NOT NULL, cell_id TEXT, deps TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0,
  started_at TEXT, finished_at TEXT, duration_ms INTEGER, exit_code INTEGER, error TEXT,
  log_path TEXT NOT NULL, result_path TEXT, executor_ref TEXT, ord INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS attempts (
  job_id TEXT NOT NULL, attempt INTEGER NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
  duration_ms INTEGER, exit_code INTEGER, signal TEXT, timed_out INTEGER NOT NULL DEFAULT 0, error TEXT,
  PRIMARY KEY (job_id, attempt));
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

type Row = Record<string, unknown>;

function toJob(r: Row): JobRow {
  return {
    id: r.id as string,
    stage: r.stage as string,
    label: r.label as string,
    cellId: (r.cell_id as string | null) ?? null,
    deps: JSON.parse(r.deps as string) as string[],
    status: r.status as JobStatus,
    attempts: r.attempts as number,
    failures: r.failures as number,
    startedAt: (r.started_at as string | null) ?? null,
    finishedAt: (r.finished_at as string | null) ?? null,
    durationMs: (r.duration_ms as number | null) ?? null,
    exitCode: (r.exit_code as number | null) ?? null,
    error: (r.error as string | null) ?? null,
    logPath: r.log_path as string,
    resultPath: (r.result_path as string | null) ?? null,
    executorRef: (r.executor_ref as string | null) ?? null,
  };
}

function toAttempt(r: Row): AttemptRow {
  return {
    jobId: r.job_id as string,
    attempt: r.attempt as number,
    status: r.status as AttemptStatus,
    startedAt: r.started_at as string,
    finishedAt: (r.finished_at as string | null) ?? null,
    durationMs: (r.duration_ms as number | null) ?? null,
    exitCode: (r.exit_code as number | null) ?? null,
    signal: (r.signal as string | null) ?? null,
    timedOut: r.timed_out === 1,
    error: (r.error as string | null) ?? null,
  };
}

/** The ledger of one run. Every write is its own transaction, committed before the call returns. */
export class Ledger {
  private constructor(private readonly db: Database.Database, readonly path: string) {}

  /** Opens (creating if needed) the ledger at `path`; `readonly` for `status`. */
  static open(path: string, options: { readonly readonly?: boolean } = {}): Ledger {
    try {
      if (!options.readonly) mkdirSync(dirname(path), { recursive: true });
      const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
      if (!options.readonly) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
        db.exec(SCHEMA);
      }
      db.pragma('busy_timeout = 5000');
      // Reading the schema fails here, with the file named, when the file is not a SQLite database or lacks the tables.
      db.prepare('SELECT count(*) FROM jobs').get();
      return new Ledger(db, path);
    } catch (error) {
      throw new DataError(path, `cannot open the run ledger: ${errorMessage(error)}`, { cause: error });
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Adds planned jobs not yet in the ledger (as pending); known jobs keep their status and history. */
  upsertJobs(jobs: readonly JobSpec[], logPathOf: (id: string) => string): void {
    const insert = this.db.prepare(
      `INSERT INTO jobs (id, stage, label, cell_id, deps, log_path, result_path, ord) VALUES (@id, @stage, @label, @cellId, @deps, @logPath, @resultPath, @ord)
       ON CONFLICT(id) DO UPDATE SET label = excluded.label, deps = excluded.deps, log_path = excluded.log_path, result_path = excluded.result_path, ord = excluded.ord`,
    );
    this.db.transaction(() => {
      jobs.forEach((job, ord) => insert.run({ id: job.id, stage: job.stage, label: job.label, cellId: job.cellId, deps: JSON.stringify(job.deps), logPath: logPathOf(job.id), resultPath: job.resultPath, ord }));
    })();
  }

  /** Every job, in plan order. */
  listJobs(): JobRow[] {
    return (this.db.prepare('SELECT * FROM jobs ORDER BY ord, id').all() as Row[]).map(toJob);
  }

  getJob(id: string): JobRow | undefined {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
    return row ? toJob(row) : undefined;
  }

  /** Every attempt of `jobId` (or of all jobs), oldest first. */
  listAttempts(jobId?: string): AttemptRow[] {
    const rows = jobId === undefined
      ? this.db.prepare('SELECT * FROM attempts ORDER BY job_id, attempt').all()
      : this.db.prepare('SELECT * FROM attempts WHERE job_id = ? ORDER BY attempt').all(jobId);
    return (rows as Row[]).map(toAttempt);
  }

  /** Jobs left `running` by an orchestrator that was killed: their open attempts become `interrupted`, the jobs `pending`. */
  requeueRunning(): JobRow[] {
    return this.db.transaction(() => {
      const running = (this.db.prepare("SELECT * FROM jobs WHERE status = 'running'").all() as Row[]).map(toJob);
      const now = new Date().toISOString();
      this.db.prepare("UPDATE attempts SET status = 'interrupted', finished_at = ?, error = 'the orchestrator stopped while it ran' WHERE status = 'running'").run(now);
      this.db.prepare("UPDATE jobs SET status = 'pending' WHERE status = 'running'").run();
      return running;
    })();
  }

  /** Puts failed and blocked jobs (or only `ids`, whatever their status) back to pending with a fresh retry budget. */
  requeue(ids?: readonly string[]): number {
    if (ids === undefined) return this.db.prepare("UPDATE jobs SET status = 'pending', failures = 0, error = NULL WHERE status IN ('failed', 'blocked')").run().changes;
    const update = this.db.prepare("UPDATE jobs SET status = 'pending', failures = 0, error = NULL WHERE id = ?");
    return this.db.transaction(() => ids.reduce((n, id) => n + update.run(id).changes, 0))();
  }

  /** Records the start of an attempt and returns its number. */
  startAttempt(id: string): number {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT attempts FROM jobs WHERE id = ?').get(id) as { attempts: number } | undefined;
      if (!row) throw new Error(`ledger has no job ${id}`);
      const attempt = row.attempts + 1;
      const now = new Date().toISOString();
      this.db.prepare("UPDATE jobs SET status = 'running', attempts = ?, started_at = ?, finished_at = NULL, executor_ref = NULL WHERE id = ?").run(attempt, now, id);
      this.db.prepare("INSERT INTO attempts (job_id, attempt, status, started_at) VALUES (?, ?, 'running', ?)").run(id, attempt, now);
      return attempt;
    })();
  }

  /** Records where a running attempt lives (a pid, a Slurm task id), so a later run can find it. */
  setExecutorRef(id: string, ref: string): void {
    this.db.prepare('UPDATE jobs SET executor_ref = ? WHERE id = ?').run(ref, id);
  }

  /**
   * Closes an attempt. done → job done; failed → pending again while `failures` stays within `retries`, else
   * failed; interrupted → pending (not counted as a failure).
   */
  finishAttempt(id: string, attempt: number, end: AttemptEnd, retries: number): JobStatus {
    return this.db.transaction(() => {
      const now = new Date().toISOString();
      this.db
        .prepare('UPDATE attempts SET status = ?, finished_at = ?, duration_ms = ?, exit_code = ?, signal = ?, timed_out = ?, error = ? WHERE job_id = ? AND attempt = ?')
        .run(end.status, now, Math.round(end.durationMs), end.exitCode, end.signal ?? null, end.timedOut ? 1 : 0, end.error ?? null, id, attempt);
      const job = this.getJob(id);
      if (!job) throw new Error(`ledger has no job ${id}`);
      const failures = job.failures + (end.status === 'failed' ? 1 : 0);
      const status: JobStatus = end.status === 'done' ? 'done' : end.status === 'interrupted' ? 'pending' : failures > retries ? 'failed' : 'pending';
      this.db
        .prepare('UPDATE jobs SET status = ?, failures = ?, finished_at = ?, duration_ms = ?, exit_code = ?, error = ? WHERE id = ?')
        .run(status, failures, now, Math.round(end.durationMs), end.exitCode, end.status === 'done' ? null : (end.error ?? null), id);
      return status;
    })();
  }

  /** Marks a pending job blocked because a dependency failed. */
  markBlocked(id: string, reason: string): void {
    this.db.prepare("UPDATE jobs SET status = 'blocked', error = ? WHERE id = ? AND status = 'pending'").run(reason, id);
  }

  setMeta(key: string, value: unknown): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
  }

  getMeta<T>(key: string): T | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }
}
