// Whether a process exists, and its state as /proc tells it. Shared by the run lock (is the orchestrator that
// holds it alive?) and the Blender scratch sweep (is the process that made this folder gone?).
import { readFileSync } from 'node:fs';

/** Whether process `pid` exists, zombies included (EPERM: it does, as another user's). */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** State (`Z` for a zombie) and start time in clock ticks (fields 3 and 22 of /proc/PID/stat); undefined when absent. */
export function readProcessStat(pid: number): { state: string; start: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], start: fields[19] };
  } catch {
    return undefined;
  }
}
