// kill -9 of the orchestrator at random moments, then resume: the results equal an uninterrupted run's, every job
// completed exactly once in the ledger, and no child of a killed orchestrator keeps running.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Ledger } from '../../../orchestrator/ledger/ledger.js';
import { runMatrix } from '../../../orchestrator/matrix/run-matrix.js';
import { REPO, STAGE_COMMAND, isAlive, makeTempDir, readComparableResults, readTrace, removeDir, writeTinyConfig } from './helpers.js';

const KILLS = 6;
let dir: string;
let config: string;

before(() => {
  dir = makeTempDir('kill');
  config = writeTinyConfig(dir);
});
after(() => removeDir(dir));

// The orchestrator as its own process (the CLI entry through tsx), with the fake stages.
function startOrchestrator(run: string, trace: string, env: Record<string, string> = {}) {
  const script = `import(${JSON.stringify(join(REPO, 'orchestrator/cli/main.ts'))}).then(async (m) => { process.exitCode = await m.main(${JSON.stringify(['matrix', 'run', config, '--out', run, '--workers', '2'])}); })`;
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO,
    stdio: 'ignore',
    env: { ...process.env, GEOAD_MATRIX_STAGE_COMMAND: JSON.stringify(STAGE_COMMAND), FAKE_STAGE_SLEEP_MS: '250', FAKE_STAGE_TRACE: trace, GEOAD_PROGRESS: 'plain', ...env },
  });
}

function waitForExit(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

// A small seeded generator, so a failing sequence of kill moments can be replayed (the seed is printed).
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

test(`kill -9 at ${KILLS} random moments, then resume: same results, each job done once, no orphans`, async (t) => {
  const reference = join(dir, 'reference');
  const ref = await runMatrix({ config, out: reference, workers: 2, stageCommand: STAGE_COMMAND, handleSignals: false, print: () => {} });
  assert.equal(ref.exitCode, 0);

  const run = join(dir, 'killed');
  const trace = join(dir, 'trace.txt');
  const seed = Number(process.env.KILL_TEST_SEED ?? Date.now() % 1_000_000);
  t.diagnostic(`kill moments seed ${seed} (KILL_TEST_SEED=${seed} replays them)`);
  const random = createRandom(seed);
  const moments: number[] = [];
  for (let k = 0; k < KILLS; k++) {
    const child = startOrchestrator(run, trace);
    const delay = 1500 + Math.floor(random() * 4000);
    moments.push(delay);
    const exited = await Promise.race([waitForExit(child).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), delay))]);
    if (!exited) {
      child.kill('SIGKILL');
      await waitForExit(child);
    }
  }
  t.diagnostic(`killed after ${moments.join(', ')} ms`);
  const final = startOrchestrator(run, trace);
  assert.equal(await waitForExit(final), 0, 'the resumed run finishes cleanly');

  assert.deepEqual(readComparableResults(run), readComparableResults(reference));
  const ledger = Ledger.open(join(run, 'ledger.sqlite'), { readonly: true });
  try {
    const jobs = ledger.listJobs();
    assert.equal(jobs.length, 20);
    assert.ok(jobs.every((j) => j.status === 'done'), 'every job done');
    const attempts = ledger.listAttempts();
    for (const job of jobs) {
      const done = attempts.filter((a) => a.jobId === job.id && a.status === 'done');
      assert.equal(done.length, 1, `${job.id} completed once`);
    }
    assert.ok(attempts.every((a) => a.status !== 'running'), 'no attempt left open');
    assert.ok(attempts.every((a) => a.status !== 'failed'), 'no kill turned into a failure');
  } finally {
    ledger.close();
  }
  // Children of killed orchestrators die with them (parent-death signal) or are stopped by the next run.
  const { pids } = readTrace(trace);
  assert.ok(pids.length >= 16, `at least one start per stage job (16), got ${pids.length}`);
  await new Promise((r) => setTimeout(r, 300));
  const alive = pids.filter(isAlive);
  assert.deepEqual(alive, [], `orphan stage processes still running: ${alive.join(', ')}`);
});

test('SIGINT stops cleanly: running children are signalled, their jobs stay pending for the resume, exit 130', async () => {
  const run = join(dir, 'interrupted');
  const trace = join(dir, 'trace-int.txt');
  const child = startOrchestrator(run, trace, { FAKE_STAGE_HANG: 'train:--variant' });
  const exit = waitForExit(child);
  // Wait until both training slots hold a (hanging) training.
  for (let i = 0; i < 600 && readTrace(trace).pids.length < 5; i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(readTrace(trace).pids.length >= 5, 'synth, two prepares and two trainings started');
  child.kill('SIGINT');
  assert.equal(await exit, 130);
  const ledger = Ledger.open(join(run, 'ledger.sqlite'), { readonly: true });
  try {
    const trains = ledger.listJobs().filter((j) => j.stage === 'train');
    assert.ok(trains.every((j) => j.status === 'pending'), 'trainings re-queued');
    const attempts = ledger.listAttempts().filter((a) => a.jobId.startsWith('train-'));
    assert.equal(attempts.length, 2);
    assert.ok(attempts.every((a) => a.status === 'interrupted'));
  } finally {
    ledger.close();
  }
  const alive = readTrace(trace).pids.filter(isAlive);
  assert.deepEqual(alive, [], `stage processes still running after SIGINT: ${alive.join(', ')}`);
});
