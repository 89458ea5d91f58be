// Retries with exponential backoff: the waits between attempts double from the base and stop at the cap; the sleep
// is injected, so the test checks the delays asked for, not elapsed time.
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { AttemptRequest, AttemptResult, Executor } from '../../../orchestrator/executors/types.js';
import { Ledger } from '../../../orchestrator/ledger/ledger.js';
import type { JobSpec } from '../../../orchestrator/matrix/job-spec.js';
import { MAX_RETRY_DELAY_SECONDS, backoffSeconds, runJob } from '../../../orchestrator/matrix/run-job.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'geoad-run-job-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const job: JobSpec = { id: 'train-x', stage: 'train', label: 'train x', cellId: null, deps: [], waitFor: 'success', args: ['train'], gpu: false, timeoutSeconds: null, clean: [], resume: null, resultPath: null, collect: null };

// Fails its first `failures` attempts with exit code 1, then succeeds.
function flakyExecutor(failures: number): Executor & { attempts: number } {
  return {
    kind: 'local',
    attempts: 0,
    async runAttempt(request: AttemptRequest): Promise<AttemptResult> {
      request.start();
      this.attempts++;
      const failed = this.attempts <= failures;
      return { status: failed ? 'failed' : 'done', exitCode: failed ? 1 : 0, signal: null, timedOut: false, error: failed ? 'exited with code 1' : null, durationMs: 1 };
    },
    async stop() {},
    describeRunning: () => [],
  };
}

async function runWithRetries(name: string, failures: number, retries: number, retryDelaySeconds: number) {
  const ledger = Ledger.open(join(dir, `${name}.sqlite`));
  ledger.upsertJobs([job], (id) => join(dir, name, id, 'log.txt'));
  const delays: number[] = [];
  const executor = flakyExecutor(failures);
  try {
    await runJob(job, {
      ledger,
      executor,
      stageCommand: ['geoad'],
      env: {},
      retries,
      retryDelaySeconds,
      logPathOf: (id) => join(dir, name, id, 'log.txt'),
      signal: new AbortController().signal,
      print: () => {},
      sleep: async (ms) => void delays.push(ms),
    });
    return { delays, status: ledger.getJob(job.id)?.status, attempts: executor.attempts };
  } finally {
    ledger.close();
  }
}

test('the wait before each retry doubles: d, 2d, 4d, 8d', async () => {
  const result = await runWithRetries('doubling', 4, 5, 5);
  assert.deepEqual(result.delays, [5_000, 10_000, 20_000, 40_000]);
  assert.equal(result.status, 'done');
  assert.equal(result.attempts, 5);
});

test('the wait stops growing at the cap; no wait after the last failure', async () => {
  const result = await runWithRetries('capped', 20, 6, 900);
  assert.deepEqual(result.delays, [900_000, 1_800_000, 3_600_000, 3_600_000, 3_600_000, 3_600_000]);
  assert.equal(result.status, 'failed', 'failed after 1 + 6 attempts');
  assert.equal(result.attempts, 7);
});

test('backoffSeconds: base × 2^(n − 1), capped at an hour', () => {
  assert.deepEqual([1, 2, 3, 4].map((n) => backoffSeconds(0.05, n)), [0.05, 0.1, 0.2, 0.4]);
  assert.equal(backoffSeconds(5, 20), MAX_RETRY_DELAY_SECONDS);
  assert.equal(backoffSeconds(0, 3), 0);
});

test('a stage that exits 2 (a usage error) is not retried: failed at once, with the tail of its log', async () => {
  const ledger = Ledger.open(join(dir, 'usage.sqlite'));
  const logPathOf = (id: string) => join(dir, 'usage', id, 'log.txt');
  ledger.upsertJobs([job], logPathOf);
  let attempts = 0;
  const executor: Executor = {
    kind: 'local',
    async runAttempt(request: AttemptRequest): Promise<AttemptResult> {
      request.start();
      attempts++;
      mkdirSync(dirname(request.logPath), { recursive: true });
      appendFileSync(request.logPath, '=== geoad matrix: train-x attempt 1\nloading\ngeoad: Expected `--data` to be a folder, got `/nonexistent`\n');
      return { status: 'failed', exitCode: 2, signal: null, timedOut: false, error: `train x: exited with code 2 (log ${request.logPath})`, durationMs: 1 };
    },
    async stop() {},
    describeRunning: () => [],
  };
  const lines: string[] = [];
  try {
    await runJob(job, { ledger, executor, stageCommand: ['geoad'], env: {}, retries: 3, retryDelaySeconds: 0, logPathOf, signal: new AbortController().signal, print: (l) => lines.push(l), sleep: async () => {} });
    const row = ledger.getJob(job.id)!;
    assert.equal(attempts, 1, 'no retry');
    assert.equal(row.status, 'failed');
    assert.match(row.error ?? '', /exited with code 2 .*; not retried: exit code 2 is a usage error; log tail: loading \| geoad: Expected `--data` to be a folder, got `\/nonexistent`$/);
    assert.deepEqual(lines.map((l) => l.slice(0, 8)), ['FAILED  ']);
  } finally {
    ledger.close();
  }
});
