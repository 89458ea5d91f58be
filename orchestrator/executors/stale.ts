// Leftovers of a killed orchestrator: before their jobs are re-queued, local process groups still running (checked
// by the job id in their environment, so a reused pid is never hit) are killed and Slurm tasks are cancelled.
import { execa } from 'execa';
import type { JobRow } from '../ledger/ledger.js';
import { findProcessesWithEnvironment, killGroup } from './process-group.js';
import { JOB_ENV, RUN_ENV } from './types.js';

/** Stops what `jobs` (left `running` in the ledger of `run`) may still have running; returns a line per thing stopped. */
export async function stopLeftovers(jobs: readonly JobRow[], run: string): Promise<string[]> {
  const stopped: string[] = [];
  const slurmTasks: string[] = [];
  const local = jobs.filter((j) => !(j.executorRef ?? '').startsWith('slurm:'));
  // Every process carrying one of the jobs' ids (the child and anything it started), not only the recorded pid.
  const pids = local.length === 0 ? [] : findProcessesWithEnvironment(JOB_ENV, new Set(local.map((j) => j.id)), { name: RUN_ENV, value: run });
  await Promise.all(pids.map((pid) => killGroup(pid, 2000)));
  if (pids.length > 0) stopped.push(`${pids.length} leftover process(es) of ${local.length} job(s): pid ${pids.join(', ')}`);
  for (const job of jobs) {
    const ref = job.executorRef ?? '';
    if (ref.startsWith('slurm:')) {
      slurmTasks.push(ref.slice(6));
      stopped.push(`${job.label} (Slurm task ${ref.slice(6)})`);
    }
  }
  if (slurmTasks.length > 0) await execa('scancel', slurmTasks, { reject: false });
  return stopped;
}
