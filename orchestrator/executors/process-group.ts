// Signals a job's whole process group (children run detached, one group each): SIGTERM, then SIGKILL after a grace.
import { readdirSync, readFileSync } from 'node:fs';

function alive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** SIGTERM to the group led by `pid`, SIGKILL after `graceMs` if any member is left; resolves when it is gone. */
export async function killGroup(pid: number, graceMs: number): Promise<void> {
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) signalGroup(pid, 'SIGKILL');
  const hardDeadline = Date.now() + 5000;
  while (alive(pid) && Date.now() < hardDeadline) await new Promise((r) => setTimeout(r, 50));
}

/** True when process `pid` runs with `NAME=value` in its environment (guards against reused pids). */
export function hasEnvironment(pid: number, name: string, value: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`${name}=${value}`);
  } catch {
    return false;
  }
}

/**
 * Pids of this user's processes whose environment holds `NAME=v` for one of `values` (children inherit it) and,
 * when given, also `scope` (e.g. the run directory, so another run with the same job ids is left alone).
 */
export function findProcessesWithEnvironment(name: string, values: ReadonlySet<string>, scope?: { readonly name: string; readonly value: string }): number[] {
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
    } catch {
      continue;
    }
    const items = environ.split('\0');
    if (scope && !items.includes(`${scope.name}=${scope.value}`)) continue;
    if (items.some((item) => item.startsWith(`${name}=`) && values.has(item.slice(name.length + 1)))) pids.push(Number(entry));
  }
  return pids;
}
