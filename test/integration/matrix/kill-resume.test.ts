// kill -9 of the orchestrator at random moments, then resume: the results equal an uninterrupted run's, every job
// completed exactly once in the ledger, and no child of a killed orchestrator keeps running.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Ledger } from '../../../orchestrator/ledger/ledger.js';
import { runMatrix } from '../../../orchestrator/matrix/run-matrix.js';
import { REPO, STAGE_COMMAND, isAlive, makeTempDir, readComparableResults, readTrace, removeDir, writeTinyConfig } from './helpers.js';

const KILLS = 6;
// Each fake stage job takes this long while the kills happen, so a round (up to a few job starts) stays well short
// of the ~9 waves the tiny matrix needs on 2 workers: every round ends in a kill, not a finished run.
const STAGE_MS = 1200;
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

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A small seeded generator, so a failing sequence of kill moments can be replayed (the seed is printed).
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Waits for a kill moment of this round: `starts` stage jobs started (counted in the trace after `before` lines),
 * then `extraMs` more — or at once when the report job starts: it is the last job, and the orchestrator cannot exit
 * before it ends (STAGE_MS later), so the kill still hits a live orchestrator. Returns where the moment fell.
 */
async function waitForKillMoment(child: ReturnType<typeof spawn>, trace: string, before: number, starts: number, extraMs: number): Promise<string> {
  const giveUp = Date.now() + 30_000;
  let at: number | undefined;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) return 'the orchestrator had already exited';
    const started = readTrace(trace).started.slice(before);
    if (started.some((id) => id.startsWith('report-'))) return `at the report start (${started.length} job starts)`;
    if (at === undefined && started.length >= starts) at = Date.now() + extraMs;
    if (at !== undefined && Date.now() >= at) return `${extraMs} ms after job start ${starts}`;
    if (Date.now() > giveUp) return `no ${starts} job starts within 30 s`;
    await pause(20);
  }
}

// Jobs done so far in the ledger (0 before the first run created it).
function countDone(run: string): number {
  try {
    const ledger = Ledger.open(join(run, 'ledger.sqlite'), { readonly: true });
    try {
      return ledger.listJobs().filter((j) => j.status === 'done').length;
    } finally {
      ledger.close();
    }
  } catch {
    return 0;
  }
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
  for (let k = 0; k < KILLS; k++) {
    const child = startOrchestrator(run, trace, { FAKE_STAGE_SLEEP_MS: String(STAGE_MS) });
    const exited = waitForExit(child);
    // From the start-up (0 job starts) to a few jobs in; the extra delay lands inside a job or between two.
    const moment = await waitForKillMoment(child, trace, readTrace(trace).started.length, Math.floor(random() * 5), Math.floor(random() * STAGE_MS));
    assert.ok(child.exitCode === null && child.signalCode === null, `round ${k + 1}: the orchestrator must still run at the kill (${moment})`);
    assert.ok(child.kill('SIGKILL'), `round ${k + 1}: SIGKILL delivered`);
    await exited;
    assert.equal(child.signalCode, 'SIGKILL', `round ${k + 1}: the orchestrator died of the SIGKILL`);
    t.diagnostic(`round ${k + 1}: killed ${moment}; ${countDone(run)} of 20 jobs done`);
  }
  // The resume does the rest without the slow-down: results do not depend on timing.
  const final = startOrchestrator(run, trace, { FAKE_STAGE_SLEEP_MS: '0' });
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
  assert.equal(existsSync(join(run, 'orchestrator.lock')), false, 'the run’s lock is released on Ctrl-C');
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
