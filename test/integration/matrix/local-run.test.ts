// The local executor end to end with fake stages: a full run, resume, worker-count independence, a failing and a
// hanging job (retried, then failed with their logs while the rest completes), --fail-fast and the status table.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Ledger } from '../../../orchestrator/ledger/ledger.js';
import { retryMatrix, runMatrix } from '../../../orchestrator/matrix/run-matrix.js';
import { formatStatus, readMatrixStatus } from '../../../orchestrator/matrix/status.js';
import { ExitCode } from '../../../orchestrator/util/errors.js';
import { cellResultSchema, runManifestSchema } from '../../../reports/schemas.js';
import { STAGE_COMMAND, geoadFromSource, makeTempDir, readComparableResults, removeDir, writeTinyConfig } from './helpers.js';

let dir: string;
let config: string;
const quiet = () => {};

before(() => {
  dir = makeTempDir('local');
  config = writeTinyConfig(dir);
});
after(() => removeDir(dir));

test('runs every job once, writes results and the report, and resumes without re-running anything', async () => {
  const run = join(dir, 'run-a');
  const summary = await runMatrix({ config, out: run, workers: 2, stageCommand: STAGE_COMMAND, handleSignals: false, print: quiet });
  assert.equal(summary.exitCode, ExitCode.ok);
  assert.equal(summary.done, 20);
  assert.equal(summary.reportPath, join(run, 'report', 'index.html'));
  assert.ok(existsSync(summary.reportPath));
  const results = readComparableResults(run);
  assert.equal(Object.keys(results).length, 4);
  const manifest = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8'));
  assert.equal(manifest.cells.length, 4);
  // The files follow the report's contract (its own schemas).
  runManifestSchema.parse(manifest);
  for (const file of readdirSync(join(run, 'results'))) cellResultSchema.parse(JSON.parse(readFileSync(join(run, 'results', file), 'utf8')));
  assert.notEqual(manifest.finishedAt, null);
  // Dataset sizes, counted from the synthetic set's manifest once it was written (2 categories × 2/1/2 samples).
  assert.deepEqual(manifest.datasets[0].samples, { train: 4, validation: 2, test: 28 });
  // The report (the last job) already saw the run finished, so it does not call a complete run "still running".
  assert.match(readFileSync(summary.reportPath, 'utf8'), /finished: \d{4}-\d\d-\d\dT/);
  const again = await runMatrix({ config, out: run, workers: 1, stageCommand: STAGE_COMMAND, handleSignals: false, print: quiet });
  assert.equal(again.exitCode, ExitCode.ok);
  const ledger = Ledger.open(join(run, 'ledger.sqlite'), { readonly: true });
  try {
    assert.equal(ledger.listAttempts().length, 20, 'the resumed run started nothing');
  } finally {
    ledger.close();
  }
  // retry --job: that training and everything after it run again (5 jobs), with the same results.
  const before = readComparableResults(run);
  const trainId = Object.keys(before)[0].replace(/^/, 'train-').replace(/\.json$/, '');
  const retried = await retryMatrix({ run, jobs: [trainId], workers: 2, stageCommand: STAGE_COMMAND, handleSignals: false, print: quiet });
  assert.equal(retried.exitCode, ExitCode.ok);
  assert.deepEqual(readComparableResults(run), before);
  const after = Ledger.open(join(run, 'ledger.sqlite'), { readonly: true });
  try {
    const again = after.listAttempts().filter((a) => a.attempt === 2).map((a) => a.jobId.split('-')[0]).sort();
    assert.deepEqual(again, ['collect', 'eval', 'infer', 'report', 'train']);
  } finally {
    after.close();
  }
  // The error points to the listing of job ids, and that listing exists.
  await assert.rejects(retryMatrix({ run, jobs: ['train-nope'], stageCommand: STAGE_COMMAND, handleSignals: false, print: quiet }), (e: Error) => e.message.includes(`\`--job\` to be a job id of ${run} (see \`geoad matrix status ${run} --jobs\`)`));
  const listed = geoadFromSource(['matrix', 'status', run, '--jobs']);
  assert.equal(listed.status, 0, listed.stderr);
  assert.match(listed.stdout, /^jobs \(20\):\nstatus\s+stage\s+attempts\s+id$/m);
  assert.match(listed.stdout, new RegExp(`^done\\s+train\\s+2\\s+${trainId}$`, 'm'));
  const json = JSON.parse(geoadFromSource(['matrix', 'status', run, '--jobs', '--json']).stdout) as { jobs: { id: string; status: string }[] };
  assert.equal(json.jobs.length, 20);
  assert.ok(json.jobs.every((j) => j.status === 'done'));
  assert.equal(JSON.parse(geoadFromSource(['matrix', 'status', run, '--json']).stdout).jobs, undefined, 'listed only when asked');
});

test('results do not depend on the worker count', async () => {
  const one = join(dir, 'run-w1');
  const three = join(dir, 'run-w3');
  await runMatrix({ config, out: one, workers: 1, stageCommand: STAGE_COMMAND, handleSignals: false, print: quiet });
  await runMatrix({ config, out: three, workers: 3, stageCommand: STAGE_COMMAND, handleSignals: false, print: quiet });
  assert.deepEqual(readComparableResults(three), readComparableResults(one));
});

test('a failing and a hanging training are retried, then failed with their logs; the rest completes', async () => {
  const run = join(dir, 'run-fail');
  process.env.FAKE_STAGE_FAIL = 'train:--category bagel --variant full';
  process.env.FAKE_STAGE_HANG = 'train:--category cookie --variant no-mfe';
  try {
    const summary = await runMatrix({ config, out: run, workers: 2, timeoutSeconds: 6, retries: 1, retryDelaySeconds: 0.05, stageCommand: STAGE_COMMAND, handleSignals: false, print: quiet });
    assert.equal(summary.exitCode, ExitCode.failure);
    assert.deepEqual(summary.failed.map((j) => j.stage).sort(), ['train', 'train']);
    const ledger = Ledger.open(join(run, 'ledger.sqlite'), { readonly: true });
    try {
      const jobs = ledger.listJobs();
      const failing = jobs.find((j) => j.id.startsWith('train-syn-bagel-full'))!;
      const hanging = jobs.find((j) => j.id.startsWith('train-syn-cookie-no-mfe'))!;
      assert.equal(failing.status, 'failed');
      assert.equal(failing.exitCode, 1);
      assert.equal(ledger.listAttempts(failing.id).length, 2, 'one try and one retry');
      assert.match(readFileSync(failing.logPath, 'utf8'), /failing on purpose/);
      assert.equal(hanging.status, 'failed');
      assert.match(hanging.error ?? '', /timed out after 6 s/);
      assert.ok(ledger.listAttempts(hanging.id).every((a) => a.timedOut));
      assert.match(readFileSync(hanging.logPath, 'utf8'), /hanging/);
      // Their cells are blocked; the two independent cells and the report completed.
      const blocked = jobs.filter((j) => j.status === 'blocked').map((j) => j.stage).sort();
      assert.deepEqual(blocked, ['collect', 'collect', 'eval', 'eval', 'infer', 'infer']);
      assert.equal(jobs.filter((j) => j.stage === 'collect' && j.status === 'done').length, 2);
      assert.equal(jobs.find((j) => j.stage === 'report')?.status, 'done');
    } finally {
      ledger.close();
    }
    const status = readMatrixStatus(run);
    assert.equal(status.total.failed, 2);
    const text = formatStatus(status);
    assert.match(text, /failed jobs \(2\)/);
    assert.match(text, /train-syn-bagel-full-s0-\w+: .*exited with code 1/);
  } finally {
    delete process.env.FAKE_STAGE_FAIL;
    delete process.env.FAKE_STAGE_HANG;
  }
  // Fixed: a re-run retries the failed jobs and unblocks their cells.
  const fixed = await runMatrix({ config, out: run, workers: 2, stageCommand: STAGE_COMMAND, handleSignals: false, print: quiet });
  assert.equal(fixed.exitCode, ExitCode.ok);
  assert.equal(fixed.done, 20);
});

test('--fail-fast stops launching after the first failure and leaves the rest pending', async () => {
  const run = join(dir, 'run-fail-fast');
  process.env.FAKE_STAGE_FAIL = 'data-prepare:--categories bagel';
  try {
    const summary = await runMatrix({ config, out: run, workers: 1, retries: 0, failFast: true, stageCommand: STAGE_COMMAND, handleSignals: false, print: quiet });
    assert.equal(summary.exitCode, ExitCode.failure);
    assert.equal(summary.failed.length, 1);
    assert.ok(summary.pending > 0, 'jobs left pending');
    assert.equal(summary.reportPath, null);
  } finally {
    delete process.env.FAKE_STAGE_FAIL;
  }
});
