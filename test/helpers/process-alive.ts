// Whether a process is still running. A killed child whose parent died becomes a zombie until something reaps it
// (in containers PID 1 often never does), and kill(pid, 0) still succeeds on a zombie: read its state instead.
import { readFileSync } from 'node:fs';

/** True while `pid` exists and is not a zombie (Linux /proc). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
