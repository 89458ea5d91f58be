// Whether a process is still running. A killed child whose parent died becomes a zombie until something reaps it
// (in containers PID 1 often never does), and kill(pid, 0) still succeeds on a zombie: read its state instead.
import { readProcessStat } from '../../orchestrator/util/process-state.js';

/** True while `pid` exists and is not a zombie (Linux /proc). */
export function isAlive(pid: number): boolean {
  const stat = readProcessStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}
