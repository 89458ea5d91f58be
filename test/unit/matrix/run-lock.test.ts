// One orchestrator per run directory: the lock is exclusive, a second taker gets exit 2 naming the lock and the pid,
// a lock whose process is gone (or whose pid now names another process) is taken over, and release removes it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { RunLockedError, acquireRunLock, lockPath, readRunLock } from '../../../orchestrator/matrix/run-lock.js';
import { ExitCode } from '../../../orchestrator/util/errors.js';

const dirs: string[] = [];
const runDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'geoad-lock-'));
  dirs.push(dir);
  return dir;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

// The pid of a process that has exited (and been reaped).
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

test('the lock is exclusive: a second taker gets exit 2 naming the lock, the pid and how to stop it', () => {
  const run = runDir();
  const lock = acquireRunLock(run, () => {});
  const held = JSON.parse(readFileSync(lockPath(run), 'utf8'));
  assert.deepEqual([held.host, held.pid], [hostname(), process.pid]);
  assert.equal(readRunLock(run).state, 'live');
  assert.throws(
    () => acquireRunLock(run, () => {}),
    (e: Error) =>
      e instanceof RunLockedError &&
      e.exitCode === ExitCode.usage &&
      !e.message.includes('\n') &&
      e.message.includes(lockPath(run)) &&
      e.message.includes(`pid ${process.pid}`) &&
      e.message.includes(`kill -INT ${process.pid}`),
  );
  lock.release();
  assert.equal(existsSync(lockPath(run)), false);
  assert.deepEqual(readRunLock(run), { state: 'none' });
  acquireRunLock(run, () => {}).release();
});

test('a lock whose process is gone is taken over with a notice; one whose pid was reused too', () => {
  const run = runDir();
  const pid = deadPid();
  writeFileSync(lockPath(run), JSON.stringify({ host: hostname(), pid, startedAt: '2026-01-01T00:00:00.000Z', processStart: null }));
  assert.equal(readRunLock(run).state, 'stale');
  const lines: string[] = [];
  const lock = acquireRunLock(run, (l) => lines.push(l));
  assert.equal(lines.length, 1);
  assert.match(lines[0], new RegExp(`taking over .*orchestrator\\.lock: its orchestrator \\(pid ${pid}, started 2026-01-01T00:00:00\\.000Z\\) is no longer running`));
  assert.equal(JSON.parse(readFileSync(lockPath(run), 'utf8')).pid, process.pid);
  lock.release();
  // This process's pid, but another start time: the pid belongs to someone else now.
  writeFileSync(lockPath(run), JSON.stringify({ host: hostname(), pid: process.pid, startedAt: 'x', processStart: '1' }));
  assert.equal(readRunLock(run).state, existsSync(`/proc/${process.pid}/stat`) ? 'stale' : 'live');
});

test('a lock from another host cannot be checked: refused, saying how to clear it', () => {
  const run = runDir();
  writeFileSync(lockPath(run), JSON.stringify({ host: 'login-node-7', pid: 4242, startedAt: 'then', processStart: null }));
  assert.equal(readRunLock(run).state, 'elsewhere');
  assert.throws(() => acquireRunLock(run, () => {}), (e: Error) => e instanceof RunLockedError && /pid 4242 on login-node-7 .*remove .*orchestrator\.lock if that process is gone/.test(e.message));
  assert.ok(existsSync(lockPath(run)), 'left in place');
});

test('release only removes a lock that is still this process’s, and runs on exit', () => {
  const run = runDir();
  const lock = acquireRunLock(run, () => {});
  writeFileSync(lockPath(run), JSON.stringify({ host: hostname(), pid: 4243, startedAt: 'other', processStart: null }));
  lock.release();
  assert.ok(existsSync(lockPath(run)), 'another orchestrator’s lock is left alone');
  rmSync(lockPath(run));
  const script = `import('${join(process.cwd(), 'orchestrator/matrix/run-lock.ts')}').then((m) => { m.acquireRunLock(${JSON.stringify(run)}, () => {}); process.exit(3); })`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(child.status, 3, child.stderr);
  assert.equal(existsSync(lockPath(run)), false, 'released on process.exit()');
});
