// `geoad matrix status RUN`: a table per stage (done / running / failed / blocked / pending, time spent, ETA) read
// from the ledger, plus the failed jobs with their errors and logs. The run's lock says whether an orchestrator is
// alive: without one, jobs the ledger still calls running were interrupted and nothing progresses.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ledger, type AttemptRow, type JobRow } from '../ledger/ledger.js';
import { UsageError } from '../util/errors.js';
import { formatDuration } from '../util/progress.js';
import { STAGES } from './config-schema.js';
import { runPaths } from './run-layout.js';
import { readRunLock, type RunLockState } from './run-lock.js';

/** One line of the status table. */
export interface StageStatus {
  readonly stage: string;
  readonly done: number;
  readonly running: number;
  readonly failed: number;
  readonly blocked: number;
  readonly pending: number;
  /** Jobs left running by an orchestrator that is gone (re-queued when the run resumes); 0 while one is alive. */
  readonly interrupted: number;
  /** Seconds spent in finished attempts (all of them, retries included). */
  readonly elapsedSeconds: number;
  /** Mean seconds of a done job × jobs left ÷ min(parallel slots, jobs left); null before any job of the stage is done or while no orchestrator runs. */
  readonly etaSeconds: number | null;
}

export interface MatrixStatus {
  readonly run: string;
  /** The run's lock: `live` while an orchestrator runs it (`elsewhere`: on another host, taken as live). */
  readonly orchestrator: RunLockState;
  readonly stages: readonly StageStatus[];
  readonly total: StageStatus;
  readonly failed: readonly JobRow[];
  readonly attempts: number;
  /** Every job in plan order (`status --jobs` lists them: the ids `retry --job` takes). */
  readonly jobs: readonly JobRow[];
}

/** Summarises jobs and attempts per stage (pure). `slots` is how many jobs run at once. */
export function summarizeStatus(run: string, jobs: readonly JobRow[], attempts: readonly AttemptRow[], slots: number, orchestrator: RunLockState): MatrixStatus {
  const live = orchestrator.state === 'live' || orchestrator.state === 'elsewhere';
  const byJob = new Map(jobs.map((j) => [j.id, j]));
  const stages = STAGES.filter((s) => jobs.some((j) => j.stage === s)).map((stage): StageStatus => {
    const mine = jobs.filter((j) => j.stage === stage);
    const count = (s: string) => mine.filter((j) => j.status === s).length;
    const elapsedMs = attempts.filter((a) => byJob.get(a.jobId)?.stage === stage).reduce((sum, a) => sum + (a.durationMs ?? 0), 0);
    const doneDurations = mine.filter((j) => j.status === 'done' && j.durationMs !== null).map((j) => j.durationMs as number);
    const left = count('pending') + count('running');
    const mean = doneDurations.length > 0 ? doneDurations.reduce((a, b) => a + b, 0) / doneDurations.length / 1000 : null;
    const eta = left === 0 ? 0 : mean === null || !live ? null : (mean * left) / Math.max(1, Math.min(slots, left));
    return { stage, done: count('done'), running: live ? count('running') : 0, failed: count('failed'), blocked: count('blocked'), pending: count('pending'), interrupted: live ? 0 : count('running'), elapsedSeconds: elapsedMs / 1000, etaSeconds: eta };
  });
  const sum = (key: 'done' | 'running' | 'failed' | 'blocked' | 'pending' | 'interrupted' | 'elapsedSeconds') => stages.reduce((a, s) => a + s[key], 0);
  const etas = stages.map((s) => s.etaSeconds);
  const total: StageStatus = { stage: 'total', done: sum('done'), running: sum('running'), failed: sum('failed'), blocked: sum('blocked'), pending: sum('pending'), interrupted: sum('interrupted'), elapsedSeconds: sum('elapsedSeconds'), etaSeconds: etas.some((e) => e === null) ? null : etas.reduce((a, b) => (a as number) + (b as number), 0) };
  return { run, orchestrator, stages, total, failed: jobs.filter((j) => j.status === 'failed'), attempts: attempts.length, jobs };
}

// The line under the run's name: who runs it, or that nothing does.
function describeOrchestrator(status: MatrixStatus): string {
  const o = status.orchestrator;
  if (o.state === 'live') return `orchestrator running: pid ${o.lock.pid} on ${o.lock.host}, started ${o.lock.startedAt}`;
  if (o.state === 'elsewhere') return `orchestrator pid ${o.lock.pid} on ${o.lock.host} (another host: not checked from here), started ${o.lock.startedAt}`;
  const left = status.total.pending + status.total.interrupted;
  const why = o.state === 'stale' ? `; its lock names pid ${o.lock.pid}, which is gone` : '';
  return left === 0 ? `no orchestrator running${why}` : `no orchestrator running${why}: ${left} job(s) wait for \`geoad matrix retry ${status.run}\` or the same \`geoad matrix run\` command`;
}

/** Renders the table and the failures as text. */
export function formatStatus(status: MatrixStatus): string {
  // The `interrupted` column appears only when there is something in it, so the usual table keeps its shape.
  const withInterrupted = status.total.interrupted > 0;
  const live = status.orchestrator.state === 'live' || status.orchestrator.state === 'elsewhere';
  const header = ['stage', 'done', 'running', ...(withInterrupted ? ['interrupted'] : []), 'failed', 'blocked', 'pending', 'elapsed', 'ETA'];
  const eta = (s: StageStatus) => (s.etaSeconds !== null ? formatDuration(s.etaSeconds) : live ? '?' : '-');
  const rows = [...status.stages, status.total].map((s) => [s.stage, s.done, s.running, ...(withInterrupted ? [s.interrupted] : []), s.failed, s.blocked, s.pending, formatDuration(s.elapsedSeconds), eta(s)].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [`run ${status.run} (${status.attempts} attempts)`, describeOrchestrator(status), line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  if (status.failed.length > 0) {
    out.push('', `failed jobs (${status.failed.length}):`);
    for (const job of status.failed) out.push(`  ${job.id}: ${job.error ?? `exit code ${job.exitCode}`}`, `    log: ${job.logPath}`);
  }
  return `${out.join('\n')}\n`;
}

/** Lists every job: status, stage, attempts and id (plus why, for a failed or blocked one), in plan order. */
export function formatJobList(jobs: readonly JobRow[]): string {
  const rows = [['status', 'stage', 'attempts', 'id'], ...jobs.map((j) => [j.status, j.stage, String(j.attempts), j.id])];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r, k) => {
    const job = k > 0 ? jobs[k - 1] : undefined;
    const why = job?.error && (job.status === 'failed' || job.status === 'blocked') ? `  (${job.error})` : '';
    return `${r.slice(0, 3).map((c, i) => c.padEnd(widths[i])).join('  ')}  ${r[3]}${why}`;
  });
  return `jobs (${jobs.length}):\n${lines.join('\n')}\n`;
}

/** Reads the status of the run in `run` from its ledger. */
export function readMatrixStatus(run: string): MatrixStatus {
  const dir = resolve(run);
  const ledgerPath = runPaths(dir).ledger;
  if (!existsSync(ledgerPath)) throw new UsageError(`Expected a run directory with a ledger, but ${ledgerPath} does not exist`);
  const ledger = Ledger.open(ledgerPath, { readonly: true });
  try {
    const options = ledger.getMeta<{ workers?: number; gpus?: number[]; executor?: string }>('options') ?? {};
    const slots = options.executor === 'slurm' ? Number.POSITIVE_INFINITY : (options.workers ?? 1) + (options.gpus?.length ?? 0);
    return summarizeStatus(dir, ledger.listJobs(), ledger.listAttempts(), Number.isFinite(slots) ? slots : 1e9, readRunLock(dir));
  } finally {
    ledger.close();
  }
}
