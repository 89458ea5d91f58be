// Guards around a run directory, with fake stages: one orchestrator per RUN (the lock, what `status` says after a
// kill -9, the take-over), one-off retry limits that are not stored, a changed config's superseded cells, a missing
// MVTec root refused before anything is written, and a stage's usage error (exit 2) failed without retries.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Ledger } from '../../../orchestrator/ledger/ledger.js';
import { retryMatrix, runMatrix } from '../../../orchestrator/matrix/run-matrix.js';
import { RunLockedError } from '../../../orchestrator/matrix/run-lock.js';
import { ExitCode, UsageError } from '../../../orchestrator/util/errors.js';
import { REPO, STAGE_COMMAND, geoadFromSource, isAlive, makeTempDir, readTrace, removeDir, writeTinyConfig } from './helpers.js';

let dir: string;
let config: string;
const quiet = () => {};
const stageEnv = { GEOAD_MATRIX_STAGE_COMMAND: JSON.stringify(STAGE_COMMAND) };

before(() => {
  dir = makeTempDir('guards');
  config = writeTinyConfig(dir);
});
after(() => removeDir(dir));

const readMeta = <T>(run: string, key: string): T => {
  const ledger = Ledger.open(join(run, 'ledger.sqlite'), { readonly: true });
  try {
    return ledger.getMeta<T>(key) as T;
  } finally {
    ledger.close();
  }
};

test('a second orchestrator on a live run exits 2 and touches nothing; after kill -9 status says so and a resume takes over', async () => {
  const run = join(dir, 'locked');
  const trace = join(dir, 'trace-lock.txt');
  const script = `import(${JSON.stringify(join(REPO, 'orchestrator/cli/main.ts'))}).then(async (m) => { process.exitCode = await m.main(${JSON.stringify(['matrix', 'run', config, '--out', run, '--workers', '2'])}); })`;
  const first = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO,
    stdio: 'ignore',
    env: { ...process.env, ...stageEnv, FAKE_STAGE_HANG: 'train:--variant', FAKE_STAGE_TRACE: trace, GEOAD_PROGRESS: 'plain' },
  });
  const exited = new Promise((resolve) => first.once('exit', resolve));
  try {
    // synth, two prepares, then two trainings that hang in both worker slots.
    for (let i = 0; i < 600 && readTrace(trace).started.filter((id) => id.startsWith('train-')).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    const hanging = readTrace(trace).pids.slice(-2);
    assert.equal(hanging.length, 2);

    const status = geoadFromSource(['matrix', 'status', run]);
    assert.match(status.stdout, new RegExp(`^orchestrator running: pid ${first.pid} on `, 'm'));
    assert.match(status.stdout, /^train\s+0\s+2\s+/m);

    const manifest = readFileSync(join(run, 'run.json'), 'utf8');
    const starts = readTrace(trace).started.length;
    for (const args of [['matrix', 'run', config, '--out', run, '--workers', '2'], ['matrix', 'retry', run]]) {
      const second = geoadFromSource(args, stageEnv);
      assert.equal(second.status, ExitCode.usage, second.stderr);
      assert.equal(second.stderr.trim().split('\n').length, 1, `one line: ${second.stderr}`);
      assert.match(second.stderr, new RegExp(`^geoad: Run directory in use: ${join(run, 'orchestrator.lock')} is held by the orchestrator pid ${first.pid} on .*; stop it with \`kill -INT ${first.pid}\``));
    }
    await assert.rejects(runMatrix({ config, out: run, workers: 2, stageCommand: STAGE_COMMAND, handleSignals: false, print: quiet }), RunLockedError);
    assert.deepEqual(hanging.filter(isAlive), hanging, 'the first orchestrator’s children were not killed as leftovers');
    assert.equal(readTrace(trace).started.length, starts, 'no job started by the second');
    assert.equal(readFileSync(join(run, 'run.json'), 'utf8'), manifest, 'run.json untouched');

    first.kill('SIGKILL');
    await exited;
    const after = geoadFromSource(['matrix', 'status', run]);
    assert.match(after.stdout, new RegExp(`^no orchestrator running; its lock names pid ${first.pid}, which is gone: \\d+ job\\(s\\) wait for `, 'm'));
    assert.match(after.stdout, /^stage\s+done\s+running\s+interrupted\s+/m);
    assert.match(after.stdout, /^train\s+0\s+0\s+2\s+0\s+0\s+2\s+\S+\s+-$/m, 'the two trainings are interrupted, nothing running, no ETA');
  } finally {
    if (first.exitCode === null && first.signalCode === null) first.kill('SIGKILL');
  }
  const lines: string[] = [];
  const resumed = await runMatrix({ config, out: run, workers: 2, stageCommand: STAGE_COMMAND, handleSignals: false, print: (l) => lines.push(l) });
  assert.equal(resumed.exitCode, ExitCode.ok);
  assert.ok(lines.some((l) => l.includes(`taking over ${join(run, 'orchestrator.lock')}: its orchestrator (pid ${first.pid}`)), lines.join('\n'));
  assert.equal(existsSync(join(run, 'orchestrator.lock')), false, 'released at the end');
});

test('limits given to run or retry apply to that invocation only; a retry says which stored values it reuses', async () => {
  const run = join(dir, 'limits');
  const stored = { retries: 1, retryDelaySeconds: 0.05, timeoutSeconds: {} };
  process.env.FAKE_STAGE_FAIL = 'eval:--category cookie';
  try {
    const first = await runMatrix({ config, out: run, workers: 2, retries: 0, timeoutSeconds: 60, stageCommand: STAGE_COMMAND, handleSignals: false, print: quiet });
    assert.equal(first.exitCode, ExitCode.failure);
    assert.deepEqual(readMeta<{ limits: unknown }>(run, 'config').limits, stored);
    const lines: string[] = [];
    await retryMatrix({ run, timeoutSeconds: 0.5, retries: 0, stageCommand: STAGE_COMMAND, handleSignals: false, print: (l) => lines.push(l) });
    assert.deepEqual(readMeta<{ limits: unknown }>(run, 'config').limits, stored, 'the ledger keeps the stored config');
    assert.deepEqual(JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')).config.limits, stored, 'run.json (the report’s config) too');
    assert.ok(lines.includes("geoad matrix retry: reusing the run's stored retry delay 0.05 s, executor local, workers 2 (a flag overrides one for this retry only)"), lines.join('\n'));
  } finally {
    delete process.env.FAKE_STAGE_FAIL;
  }
  const lines: string[] = [];
  const plain = await retryMatrix({ run, stageCommand: STAGE_COMMAND, handleSignals: false, print: (l) => lines.push(l) });
  assert.equal(plain.exitCode, ExitCode.ok);
  assert.ok(lines.some((l) => l.startsWith("geoad matrix retry: reusing the run's stored retries 1, retry delay 0.05 s, timeouts none, executor local, workers 2")), lines.join('\n'));
});

test('a changed config in the same RUN: a one-line notice, the old results kept, run.json lists only the new cells', async () => {
  const run = join(dir, 'changed');
  await runMatrix({ config, out: run, workers: 2, stageCommand: STAGE_COMMAND, handleSignals: false, print: quiet });
  mkdirSync(join(dir, 'changed-config'));
  const changed = writeTinyConfig(join(dir, 'changed-config'), 'eval: { minDefectArea: 5 }\n');
  const lines: string[] = [];
  const summary = await runMatrix({ config: changed, out: run, workers: 2, stageCommand: STAGE_COMMAND, handleSignals: false, print: (l) => lines.push(l) });
  assert.equal(summary.exitCode, ExitCode.ok);
  assert.deepEqual(lines.filter((l) => l.includes('config changed')), ['geoad matrix: config changed since the last run: 4 cell(s) superseded, their results are kept but not reported']);
  assert.equal(readdirSync(join(run, 'results')).length, 8, 'nothing deleted');
  assert.equal(JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')).cells.length, 4);
  const again: string[] = [];
  await runMatrix({ config: changed, out: run, workers: 2, stageCommand: STAGE_COMMAND, handleSignals: false, print: (l) => again.push(l) });
  assert.ok(!again.some((l) => l.includes('config changed')), 'the same config again: no notice');
});

test('an mvtec root that does not exist is refused before anything is written, by run and by retry', async () => {
  const root = join(dir, 'mvtec-root');
  for (const category of ['bagel', 'cookie']) {
    mkdirSync(join(root, category, 'train', 'good'), { recursive: true });
    writeFileSync(join(root, category, 'train', 'good', 'seed.txt'), category);
  }
  const missing = join(dir, 'run-missing-root');
  await assert.rejects(
    runMatrix({ config: writeMvtecConfig('/nonexistent/mvtec3d'), out: missing, stageCommand: STAGE_COMMAND, handleSignals: false, print: quiet }),
    (e: Error) => e instanceof UsageError && /`datasets\.1\.root`: \/nonexistent\/mvtec3d does not exist/.test(e.message),
  );
  assert.equal(existsSync(missing), false, 'nothing written');
  const run = join(dir, 'run-root');
  assert.equal((await runMatrix({ config: writeMvtecConfig(root), out: run, workers: 2, stageCommand: STAGE_COMMAND, handleSignals: false, print: quiet })).exitCode, ExitCode.ok);
  rmSync(root, { recursive: true });
  const attempts = readdirSync(join(run, 'jobs')).length;
  await assert.rejects(retryMatrix({ run, stageCommand: STAGE_COMMAND, handleSignals: false, print: quiet }), (e: Error) => e instanceof UsageError && e.message.includes(`\`datasets.1.root\`: ${root} does not exist`));
  assert.equal(readdirSync(join(run, 'jobs')).length, attempts);
  assert.equal(existsSync(join(run, 'orchestrator.lock')), false);
});

// The tiny config with a second dataset: mvtec at `root` (so `datasets.1`).
function writeMvtecConfig(root: string): string {
  const path = join(dir, `mvtec-${root.replace(/\W/g, '_')}.yaml`);
  writeFileSync(path, readFileSync(config, 'utf8').replace('categories:', `  - { kind: mvtec, name: mv, root: ${root} }\ncategories:`));
  return path;
}

test('a stage that exits 2 (a usage error) fails at once with its log tail; its cells are blocked', async () => {
  const run = join(dir, 'usage');
  process.env.FAKE_STAGE_USAGE = 'data-prepare:--categories bagel';
  try {
    const summary = await runMatrix({ config, out: run, workers: 2, retries: 2, retryDelaySeconds: 0, stageCommand: STAGE_COMMAND, handleSignals: false, print: quiet });
    assert.equal(summary.exitCode, ExitCode.failure);
    assert.equal(summary.failed.length, 1);
    const [failed] = summary.failed;
    assert.equal(failed.stage, 'prepare');
    assert.equal(failed.attempts, 1, 'not retried');
    assert.match(failed.error ?? '', /exited with code 2 .*not retried: exit code 2 is a usage error; log tail: .*usage error on purpose\)$/);
  } finally {
    delete process.env.FAKE_STAGE_USAGE;
  }
});

test('a synthetic test split too small for every defect type is refused at plan time, naming the field', async () => {
  const small = join(dir, 'small-test.yaml');
  writeFileSync(small, readFileSync(config, 'utf8').replace('test: 14', 'test: 13'));
  const out = join(dir, 'run-small-test');
  await assert.rejects(
    runMatrix({ config: small, out, stageCommand: STAGE_COMMAND, handleSignals: false, print: quiet }),
    (e: Error) => e instanceof UsageError && /`datasets\.0\.synth\.test`: expected at least 14 \(2 categories × \(1 good \+ 6 defect types\)\), got 13/.test(e.message),
  );
  assert.equal(existsSync(out), false, 'nothing written');
});
