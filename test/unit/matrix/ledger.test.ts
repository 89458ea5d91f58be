// The ledger: attempts and statuses, retry budget, re-queueing of jobs a killed orchestrator left running.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Ledger } from '../../../orchestrator/ledger/ledger.js';
import type { JobSpec } from '../../../orchestrator/matrix/job-spec.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'geoad-ledger-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function job(id: string, deps: string[] = []): JobSpec {
  return { id, stage: 'train', label: `train ${id}`, cellId: null, deps, waitFor: 'success', args: [], gpu: false, timeoutSeconds: null, clean: [], resume: null, resultPath: null, collect: null };
}

test('attempts: a failure within the retry budget goes back to pending, past it the job fails', () => {
  const ledger = Ledger.open(join(dir, 'a.sqlite'));
  try {
    ledger.upsertJobs([job('a'), job('b', ['a'])], (id) => `/logs/${id}`);
    assert.deepEqual(ledger.listJobs().map((j) => [j.id, j.status, j.logPath]), [['a', 'pending', '/logs/a'], ['b', 'pending', '/logs/b']]);
    const first = ledger.startAttempt('a');
    assert.equal(first, 1);
    assert.equal(ledger.getJob('a')?.status, 'running');
    assert.equal(ledger.finishAttempt('a', first, { status: 'failed', exitCode: 1, error: 'boom', durationMs: 5 }, 1), 'pending');
    const second = ledger.startAttempt('a');
    assert.equal(ledger.finishAttempt('a', second, { status: 'failed', exitCode: 1, error: 'boom', durationMs: 5 }, 1), 'failed');
    assert.equal(ledger.getJob('a')?.error, 'boom');
    ledger.markBlocked('b', 'a failed');
    assert.equal(ledger.getJob('b')?.status, 'blocked');
    assert.equal(ledger.requeue(), 2);
    assert.equal(ledger.getJob('a')?.failures, 0, 'a fresh retry budget');
    const third = ledger.startAttempt('a');
    assert.equal(third, 3, 'attempt numbers keep counting');
    assert.equal(ledger.finishAttempt('a', third, { status: 'done', exitCode: 0, durationMs: 7 }, 1), 'done');
    assert.deepEqual(ledger.listAttempts('a').map((a) => a.status), ['failed', 'failed', 'done']);
    assert.equal(ledger.getJob('a')?.durationMs, 7);
  } finally {
    ledger.close();
  }
});

test('a job left running by a killed orchestrator is re-queued; its attempt is marked interrupted, not failed', () => {
  const path = join(dir, 'b.sqlite');
  const first = Ledger.open(path);
  first.upsertJobs([job('a')], (id) => id);
  const attempt = first.startAttempt('a');
  first.setExecutorRef('a', 'pid:12345');
  first.close(); // as if killed here: nothing else is written
  const second = Ledger.open(path);
  try {
    second.upsertJobs([job('a')], (id) => id);
    const left = second.listJobs().filter((j) => j.status === 'running');
    assert.deepEqual(left.map((j) => [j.id, j.executorRef]), [['a', 'pid:12345']]);
    second.requeueRunning();
    assert.equal(second.getJob('a')?.status, 'pending');
    assert.equal(second.getJob('a')?.failures, 0);
    assert.deepEqual(second.listAttempts('a').map((a) => [a.attempt, a.status]), [[attempt, 'interrupted']]);
    const next = second.startAttempt('a');
    assert.equal(next, 2);
    second.finishAttempt('a', next, { status: 'interrupted', exitCode: null, durationMs: 1 }, 0);
    assert.equal(second.getJob('a')?.status, 'pending', 'an interrupted attempt costs no retry');
  } finally {
    second.close();
  }
  const readonly = Ledger.open(path, { readonly: true });
  assert.equal(readonly.listJobs().length, 1);
  readonly.close();
  assert.throws(() => Ledger.open(join(dir, 'missing', 'x.sqlite'), { readonly: true }), /missing\/x\.sqlite: cannot open the run ledger/);
  const corrupt = join(dir, 'corrupt.sqlite');
  writeFileSync(corrupt, 'not a database, just text that is long enough to be read as a header. '.repeat(20));
  assert.throws(() => Ledger.open(corrupt, { readonly: true }), /corrupt\.sqlite: cannot open the run ledger: file is not a database/);
  assert.throws(() => Ledger.open(corrupt), /corrupt\.sqlite: cannot open the run ledger/);
});

test('meta values round-trip as JSON', () => {
  const ledger = Ledger.open(join(dir, 'c.sqlite'));
  try {
    ledger.setMeta('options', { workers: 2, gpus: [0, 1] });
    ledger.setMeta('options', { workers: 3 });
    assert.deepEqual(ledger.getMeta('options'), { workers: 3 });
    assert.equal(ledger.getMeta('absent'), undefined);
  } finally {
    ledger.close();
  }
});
