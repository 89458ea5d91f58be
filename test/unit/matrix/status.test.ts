// The status table: counts per stage, elapsed time over all attempts, ETA from done jobs, failures listed; whether an
// orchestrator runs the run (its lock), and jobs left running by one that is gone shown as interrupted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AttemptRow, JobRow } from '../../../orchestrator/ledger/ledger.js';
import type { RunLockState } from '../../../orchestrator/matrix/run-lock.js';
import { formatJobList, formatStatus, summarizeStatus } from '../../../orchestrator/matrix/status.js';

function row(id: string, stage: string, status: JobRow['status'], durationMs: number | null = null, error: string | null = null): JobRow {
  return { id, stage, label: id, cellId: null, deps: [], status, attempts: 1, failures: 0, startedAt: null, finishedAt: null, durationMs, exitCode: status === 'failed' ? 1 : 0, error, logPath: `/run/jobs/${id}/log.txt`, resultPath: null, executorRef: null };
}
const live: RunLockState = { state: 'live', lock: { host: 'vm', pid: 4242, startedAt: '2026-12-04T16:40:00.000Z', processStart: null } };

function attempt(jobId: string, durationMs: number): AttemptRow {
  return { jobId, attempt: 1, status: 'done', startedAt: '', finishedAt: '', durationMs, exitCode: 0, signal: null, timedOut: false, error: null };
}

test('counts, elapsed and ETA per stage, and the failed jobs with their logs', () => {
  const jobs = [
    row('t1', 'train', 'done', 10_000),
    row('t2', 'train', 'done', 20_000),
    row('t3', 'train', 'running'),
    row('t4', 'train', 'pending'),
    row('t5', 'train', 'failed', 1000, 't5: exited with code 1'),
    row('e1', 'eval', 'pending'),
    row('r', 'report', 'blocked'),
  ];
  const attempts = [attempt('t1', 10_000), attempt('t2', 20_000), attempt('t5', 1000), attempt('t5', 1000)];
  const status = summarizeStatus('/run', jobs, attempts, 2, live);
  const train = status.stages.find((s) => s.stage === 'train')!;
  assert.deepEqual({ ...train }, { stage: 'train', done: 2, running: 1, failed: 1, blocked: 0, pending: 1, interrupted: 0, elapsedSeconds: 32, etaSeconds: 15 });
  assert.equal(status.stages.find((s) => s.stage === 'eval')!.etaSeconds, null, 'no done eval yet: unknown');
  assert.deepEqual(status.stages.map((s) => s.stage), ['train', 'eval', 'report'], 'in pipeline order');
  assert.equal(status.total.failed, 1);
  assert.equal(status.total.etaSeconds, null);
  const text = formatStatus(status);
  assert.match(text, /^orchestrator running: pid 4242 on vm, started 2026-12-04T16:40:00\.000Z$/m);
  assert.match(text, /^stage\s+done\s+running\s+failed\s+blocked\s+pending\s+elapsed\s+ETA$/m);
  assert.match(text, /^train\s+2\s+1\s+1\s+0\s+1\s+32s\s+15s$/m);
  assert.match(text, /failed jobs \(1\):\n  t5: t5: exited with code 1\n    log: \/run\/jobs\/t5\/log\.txt/);
});

test('the job list (status --jobs): every id with stage, status and attempts, and why a job failed or is blocked', () => {
  const jobs = [row('synth-a', 'synth', 'done'), row('train-syn-bagel-full-s0-1a2b3c4d', 'train', 'failed', 10, 'exited with code 1'), { ...row('eval-x', 'eval', 'blocked'), error: 'train x failed' }, row('report-r', 'report', 'pending')];
  assert.deepEqual(summarizeStatus('/run', jobs, [], 1, live).jobs, jobs, 'in plan order');
  assert.equal(
    formatJobList(jobs),
    [
      'jobs (4):',
      'status   stage   attempts  id',
      'done     synth   1         synth-a',
      'failed   train   1         train-syn-bagel-full-s0-1a2b3c4d  (exited with code 1)',
      'blocked  eval    1         eval-x  (train x failed)',
      'pending  report  1         report-r',
      '',
    ].join('\n'),
  );
});

test('without a live orchestrator, jobs the ledger calls running are shown as interrupted, with no ETA', () => {
  const jobs = [row('t1', 'train', 'done', 10_000), row('t2', 'train', 'running'), row('t3', 'train', 'running'), row('e1', 'eval', 'pending')];
  const attempts = [attempt('t1', 10_000)];
  for (const orchestrator of [{ state: 'none' }, { ...live, state: 'stale' }] as RunLockState[]) {
    const status = summarizeStatus('/run', jobs, attempts, 2, orchestrator);
    assert.deepEqual([status.total.running, status.total.interrupted], [0, 2]);
    const text = formatStatus(status);
    assert.match(text, /^stage\s+done\s+running\s+interrupted\s+failed\s+blocked\s+pending\s+elapsed\s+ETA$/m);
    assert.match(text, /^train\s+1\s+0\s+2\s+0\s+0\s+0\s+10s\s+-$/m, 'no ETA while nothing runs');
    assert.match(text, /^no orchestrator running(; its lock names pid 4242, which is gone)?: 3 job\(s\) wait for `geoad matrix retry \/run` or the same `geoad matrix run` command$/m);
  }
  // While one runs, the same jobs are running and get an ETA; the interrupted column is not shown.
  const text = formatStatus(summarizeStatus('/run', jobs, attempts, 2, live));
  assert.match(text, /^train\s+1\s+2\s+0\s+0\s+0\s+10s\s+10s$/m);
  assert.doesNotMatch(text, /interrupted/);
});
