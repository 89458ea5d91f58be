// RUN/orchestrator.lock: one orchestrator per run directory. Two would both launch jobs, kill each other's children
// as leftovers and contend for the ledger. The lock holds its owner's host, pid and start time; a lock whose process
// is gone (on this host) is taken over; `matrix status` reads it to tell whether the run is live.
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ExitCode, GeoadError } from '../util/errors.js';
import { pidExists, readProcessStat } from '../util/process-state.js';

/** What the lock file holds. */
export interface RunLockInfo {
  readonly host: string;
  readonly pid: number;
  readonly startedAt: string;
  /** The process's start in clock ticks since boot (/proc/PID/stat), so a reused pid is not taken for the owner. */
  readonly processStart: string | null;
}

/** Whether an orchestrator holds the run: `stale` = its process is gone; `elsewhere` = on another host (not checkable). */
export type RunLockState =
  | { readonly state: 'none' }
  | { readonly state: 'live' | 'stale' | 'elsewhere'; readonly lock: RunLockInfo };

/** A held lock; `release()` removes it (once, and only while it is still this process's). */
export interface RunLock {
  readonly path: string;
  release(): void;
}

/** A second orchestrator on a live run (exit 2: nothing was done). */
export class RunLockedError extends GeoadError {
  readonly lockPath: string;
  readonly lock: RunLockInfo;
  constructor(lockPath: string, lock: RunLockInfo, elsewhere: boolean) {
    const how = elsewhere
      ? `stop it on ${lock.host}, or remove ${lockPath} if that process is gone`
      : `stop it with \`kill -INT ${lock.pid}\` (its running jobs are re-queued) or wait for it to finish`;
    super(`Run directory in use: ${lockPath} is held by the orchestrator pid ${lock.pid} on ${lock.host} (started ${lock.startedAt}); ${how}`, { exitCode: ExitCode.usage });
    this.lockPath = lockPath;
    this.lock = lock;
  }
}

export const lockPath = (run: string) => join(run, 'orchestrator.lock');

function isAlive(lock: RunLockInfo): boolean {
  if (!pidExists(lock.pid)) return false;
  const stat = readProcessStat(lock.pid);
  if (stat === undefined) return true;
  // A zombie has exited; a different start time means the pid now belongs to another process.
  return stat.state !== 'Z' && (lock.processStart === null || stat.start === lock.processStart);
}

function parseLock(text: string): RunLockInfo | undefined {
  try {
    const value = JSON.parse(text) as Partial<RunLockInfo>;
    if (typeof value.host !== 'string' || !Number.isInteger(value.pid) || typeof value.startedAt !== 'string') return undefined;
    return { host: value.host, pid: value.pid!, startedAt: value.startedAt, processStart: typeof value.processStart === 'string' ? value.processStart : null };
  } catch {
    return undefined;
  }
}

/** Reads the lock of `run` and says whether its orchestrator is alive. An unreadable lock counts as stale. */
export function readRunLock(run: string): RunLockState {
  let text: string;
  try {
    text = readFileSync(lockPath(run), 'utf8');
  } catch {
    return { state: 'none' };
  }
  const lock = parseLock(text) ?? { host: hostname(), pid: 0, startedAt: 'unknown', processStart: null };
  if (lock.host !== hostname()) return { state: 'elsewhere', lock };
  return { state: lock.pid > 0 && isAlive(lock) ? 'live' : 'stale', lock };
}

/**
 * Takes the lock of `run` or throws RunLockedError, before anything in RUN is written. The file is written in full
 * under a temporary name and linked into place (link fails when the lock exists), so a reader never sees half a lock.
 */
export function acquireRunLock(run: string, print: (line: string) => void): RunLock {
  const path = lockPath(run);
  mkdirSync(run, { recursive: true });
  const mine: RunLockInfo = { host: hostname(), pid: process.pid, startedAt: new Date().toISOString(), processStart: readProcessStat(process.pid)?.start ?? null };
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(mine)}\n`);
  try {
    for (let tries = 0; ; tries++) {
      try {
        linkSync(temp, path);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || tries >= 2) throw error;
      }
      const held = readRunLock(run);
      if (held.state === 'live' || held.state === 'elsewhere') throw new RunLockedError(path, held.lock, held.state === 'elsewhere');
      if (held.state === 'stale') {
        print(`geoad matrix: taking over ${path}: its orchestrator (pid ${held.lock.pid}, started ${held.lock.startedAt}) is no longer running`);
        rmSync(path, { force: true });
      }
    }
  } catch (error) {
    if (error instanceof RunLockedError) throw error;
    const held = readRunLock(run);
    // Lost a race with another orchestrator taking the same stale lock.
    if (held.state === 'live' || held.state === 'elsewhere') throw new RunLockedError(path, held.lock, held.state === 'elsewhere');
    throw error;
  } finally {
    rmSync(temp, { force: true });
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    const held = readRunLock(run);
    if (held.state !== 'none' && held.lock.pid === mine.pid && held.lock.startedAt === mine.startedAt) rmSync(path, { force: true });
  };
  // Also on process.exit() (a second Ctrl-C exits at once).
  process.on('exit', release);
  return { path, release };
}
