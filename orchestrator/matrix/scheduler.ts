// The dependency graph walk: launches every pending job whose dependencies allow it, marks jobs behind a failure
// blocked, and resolves when nothing is running and nothing more can start. Statuses live in the ledger.
import type { JobRow, JobStatus } from '../ledger/ledger.js';
import type { JobSpec } from './job-spec.js';

/** What the scheduler needs from the ledger. */
export interface SchedulerLedger {
  getJob(id: string): JobRow | undefined;
  markBlocked(id: string, reason: string): void;
}

export interface ScheduleHooks {
  /** Runs one job to its end (all its attempts); its final status is read back from the ledger. */
  readonly runJob: (job: JobSpec) => Promise<void>;
  /** Called once per job that reaches done, failed or blocked. */
  readonly onSettled?: (job: JobSpec, status: JobStatus) => void;
  /** When true, nothing new is launched (Ctrl-C, --fail-fast). */
  readonly stopped: () => boolean;
}

const SETTLED = new Set<JobStatus>(['done', 'failed', 'blocked']);

/** Decides what a pending job may do now, given its dependencies' statuses (pure). */
export function decideJob(job: JobSpec, depStatus: (id: string) => JobStatus | undefined): 'run' | 'wait' | { blockedBy: string } {
  const statuses = job.deps.map((d) => [d, depStatus(d) ?? 'pending'] as const);
  if (job.waitFor === 'settled') return statuses.every(([, s]) => SETTLED.has(s)) ? 'run' : 'wait';
  const bad = statuses.find(([, s]) => s === 'failed' || s === 'blocked');
  if (bad) return { blockedBy: bad[0] };
  return statuses.every(([, s]) => s === 'done') ? 'run' : 'wait';
}

/** Runs the graph of `jobs` until nothing more can happen. */
export function runGraph(jobs: readonly JobSpec[], ledger: SchedulerLedger, hooks: ScheduleHooks): Promise<void> {
  const inFlight = new Set<string>();
  return new Promise((resolve, reject) => {
    const pump = () => {
      try {
        let changed = true;
        while (changed) {
          changed = false;
          for (const job of jobs) {
            if (inFlight.has(job.id) || hooks.stopped()) continue;
            const row = ledger.getJob(job.id);
            if (row?.status !== 'pending') continue;
            const decision = decideJob(job, (id) => ledger.getJob(id)?.status);
            if (decision === 'wait') continue;
            if (decision === 'run') {
              inFlight.add(job.id);
              hooks
                .runJob(job)
                .then(() => {
                  inFlight.delete(job.id);
                  const status = ledger.getJob(job.id)?.status;
                  if (status && SETTLED.has(status)) hooks.onSettled?.(job, status);
                  pump();
                })
                .catch(reject);
              continue;
            }
            const blocker = ledger.getJob(decision.blockedBy);
            ledger.markBlocked(job.id, `${blocker?.label ?? decision.blockedBy} ${blocker?.status ?? 'failed'}`);
            hooks.onSettled?.(job, 'blocked');
            changed = true;
          }
        }
        if (inFlight.size === 0) resolve();
      } catch (error) {
        reject(error);
      }
    };
    pump();
  });
}
