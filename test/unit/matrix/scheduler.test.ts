// The graph walk: order of launches, blocking behind failures (transitively), and the report that waits for all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JobRow, JobStatus } from '../../../orchestrator/ledger/ledger.js';
import type { JobSpec } from '../../../orchestrator/matrix/job-spec.js';
import { decideJob, runGraph } from '../../../orchestrator/matrix/scheduler.js';

function job(id: string, deps: string[] = [], waitFor: 'success' | 'settled' = 'success'): JobSpec {
  return { id, stage: 'train', label: id, cellId: null, deps, waitFor, args: [], gpu: false, timeoutSeconds: null, clean: [], resume: null, resultPath: null, collect: null };
}

// An in-memory ledger: enough of the real one for the scheduler.
function memoryLedger(ids: string[]) {
  const status = new Map<string, JobStatus>(ids.map((id) => [id, 'pending']));
  return {
    status,
    getJob: (id: string) => (status.has(id) ? ({ id, status: status.get(id), label: id } as unknown as JobRow) : undefined),
    markBlocked: (id: string) => {
      if (status.get(id) === 'pending') status.set(id, 'blocked');
    },
  };
}

test('decideJob: run when dependencies are done, block behind a failure, settled jobs wait for all', () => {
  const s = (map: Record<string, JobStatus>) => (id: string) => map[id];
  assert.equal(decideJob(job('x', ['a', 'b']), s({ a: 'done', b: 'done' })), 'run');
  assert.equal(decideJob(job('x', ['a', 'b']), s({ a: 'done', b: 'running' })), 'wait');
  assert.deepEqual(decideJob(job('x', ['a', 'b']), s({ a: 'done', b: 'failed' })), { blockedBy: 'b' });
  assert.equal(decideJob(job('r', ['a', 'b'], 'settled'), s({ a: 'failed', b: 'blocked' })), 'run');
  assert.equal(decideJob(job('r', ['a', 'b'], 'settled'), s({ a: 'done', b: 'pending' })), 'wait');
});

test('runGraph: dependencies first, failures block their chain only, the report still runs', async () => {
  const jobs = [job('synth'), job('t1', ['synth']), job('t2', ['synth']), job('e1', ['t1']), job('e2', ['t2']), job('c2', ['e2']), job('report', ['e1', 'c2'], 'settled')];
  const ledger = memoryLedger(jobs.map((j) => j.id));
  const order: string[] = [];
  const settled: string[] = [];
  await runGraph(jobs, ledger, {
    runJob: async (j) => {
      order.push(j.id);
      await new Promise((r) => setTimeout(r, j.id === 't1' ? 5 : 1));
      ledger.status.set(j.id, j.id === 't2' ? 'failed' : 'done');
    },
    onSettled: (j, s) => settled.push(`${j.id}:${s}`),
    stopped: () => false,
  });
  assert.equal(order[0], 'synth');
  assert.ok(order.indexOf('e1') > order.indexOf('t1'));
  assert.ok(!order.includes('e2') && !order.includes('c2'));
  assert.equal(order[order.length - 1], 'report');
  assert.equal(ledger.status.get('e2'), 'blocked');
  assert.equal(ledger.status.get('c2'), 'blocked');
  assert.ok(settled.includes('t2:failed') && settled.includes('c2:blocked') && settled.includes('report:done'));
});

test('runGraph: once stopped, nothing new is launched and it resolves when the running jobs return', async () => {
  const jobs = [job('a'), job('b', ['a'])];
  const ledger = memoryLedger(['a', 'b']);
  let stopped = false;
  const ran: string[] = [];
  await runGraph(jobs, ledger, {
    runJob: async (j) => {
      ran.push(j.id);
      stopped = true;
      ledger.status.set(j.id, 'done');
    },
    stopped: () => stopped,
  });
  assert.deepEqual(ran, ['a']);
  assert.equal(ledger.status.get('b'), 'pending');
});
