// The local executor's slots: GPU jobs get one GPU index each (CUDA_VISIBLE_DEVICES), CPU jobs none, and never
// more jobs at once than slots; a job's stdout and stderr are appended to its log.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LocalExecutor } from '../../../orchestrator/executors/local-executor.js';
import type { AttemptResult } from '../../../orchestrator/executors/types.js';
import type { JobSpec } from '../../../orchestrator/matrix/job-spec.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'geoad-local-exec-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function job(id: string, gpu: boolean): JobSpec {
  return { id, stage: gpu ? 'train' : 'eval', label: id, cellId: null, deps: [], waitFor: 'success', args: [], gpu, timeoutSeconds: 20, clean: [], resume: null, resultPath: null, collect: null };
}

// Prints its CUDA_VISIBLE_DEVICES and start/end times, sleeping a little so that jobs overlap when slots allow.
const PROBE = `const t0 = Date.now(); setTimeout(() => { console.log(JSON.stringify({ cuda: process.env.CUDA_VISIBLE_DEVICES ?? null, job: process.env.GEOAD_JOB_ID, t0, t1: Date.now() })); console.error('to stderr'); }, 300);`;

test('two GPUs: each GPU job sees exactly one GPU, at most two GPU jobs at once; CPU jobs see none', async () => {
  const executor = new LocalExecutor({ workers: 1, gpus: [0, 1] });
  const run = (j: JobSpec): Promise<AttemptResult> =>
    executor.runAttempt({ job: j, command: [process.execPath, '-e', PROBE], logPath: join(dir, j.id, 'log.txt'), env: {}, start: () => 1, started: () => {} });
  const jobs = [job('g1', true), job('g2', true), job('g3', true), job('c1', false)];
  const results = await Promise.all(jobs.map(run));
  assert.ok(results.every((r) => r.status === 'done'), JSON.stringify(results));
  const seen = jobs.map((j) => {
    const log = readFileSync(join(dir, j.id, 'log.txt'), 'utf8');
    assert.match(log, /to stderr/);
    assert.match(log, new RegExp(`=== geoad matrix: ${j.id} attempt 1 on local (gpu \\d|cpu)`));
    return JSON.parse(log.split('\n').find((l) => l.startsWith('{'))!) as { cuda: string | null; job: string; t0: number; t1: number };
  });
  assert.deepEqual(seen.map((s) => s.job), ['g1', 'g2', 'g3', 'c1']);
  assert.ok(seen.slice(0, 3).every((s) => s.cuda === '0' || s.cuda === '1'), 'one GPU index each');
  assert.equal(seen[3].cuda, '', 'the CPU job sees no GPU');
  const gpu = seen.slice(0, 3);
  for (const s of gpu) {
    const overlapping = gpu.filter((o) => o.t0 < s.t1 && s.t0 < o.t1);
    assert.ok(overlapping.length <= 2, 'never three GPU jobs at once');
    assert.ok(overlapping.filter((o) => o.cuda === s.cuda).length === 1, 'no GPU shared by two running jobs');
  }
});

test('a command that cannot start fails with a message, and stop() before start leaves jobs not started', async () => {
  const executor = new LocalExecutor({ workers: 1, gpus: [] });
  const missing = await executor.runAttempt({ job: job('m', false), command: [join(dir, 'no-such-binary')], logPath: join(dir, 'm.txt'), env: {}, start: () => 1, started: () => {} });
  assert.equal(missing.status, 'failed');
  assert.match(missing.error ?? '', /m: /);
  await executor.stop();
  const later = await executor.runAttempt({ job: job('n', false), command: [process.execPath, '-e', ''], logPath: join(dir, 'n.txt'), env: {}, start: () => assert.fail('must not start'), started: () => {} });
  assert.equal(later.status, 'not-started');
});
