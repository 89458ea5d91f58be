// `geoad matrix plan`: the expanded jobs with their dependencies and commands, as text or JSON, without running.
import type { MatrixPlan } from './expand.js';

/** Renders the plan: a summary line per stage, then each job with what it waits for and the command it runs. */
export function formatPlan(plan: MatrixPlan, stageCommand: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const job of plan.jobs) counts.set(job.stage, (counts.get(job.stage) ?? 0) + 1);
  const out = [
    `${plan.jobs.length} jobs, ${plan.cells.length} cells (${plan.datasets.map((d) => `${d.name}: ${d.kind} at ${d.root}`).join('; ')})`,
    [...counts].map(([stage, n]) => `${stage} ${n}`).join(', '),
    '',
  ];
  for (const job of plan.jobs) {
    out.push(`${job.id}  [${job.stage}${job.gpu ? ', gpu' : ''}${job.timeoutSeconds !== null ? `, timeout ${job.timeoutSeconds} s` : ''}]  ${job.label}`);
    if (job.deps.length > 0) out.push(`  after ${job.waitFor === 'settled' ? 'all settled of' : ''} ${job.deps.length > 4 ? `${job.deps.slice(0, 4).join(', ')} … (${job.deps.length})` : job.deps.join(', ')}`.replace('after  ', 'after '));
    out.push(job.stage === 'collect' ? `  (in the orchestrator) → ${job.resultPath}` : `  $ ${[...stageCommand, ...job.args].join(' ')}`);
  }
  return `${out.join('\n')}\n`;
}
