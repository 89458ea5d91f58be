// The Slurm executor against a real single-node cluster (../shared/slurm/start-local-cluster.sh, needs root):
// the small matrix with fake stages gives the same results as the local executor, through sbatch --array.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Ledger } from '../../../orchestrator/ledger/ledger.js';
import { runMatrix } from '../../../orchestrator/matrix/run-matrix.js';
import { ExitCode } from '../../../orchestrator/util/errors.js';
import { peerOrSkip } from '../../helpers/peers.js';
import { REPO, STAGE_COMMAND, makeTempDir, readComparableResults, removeDir, writeTinyConfig } from './helpers.js';

const SLURM_DIR = join(REPO, '..', 'shared', 'slurm');
const missing = process.getuid?.() !== 0 ? 'needs root' : !existsSync(join(SLURM_DIR, 'start-local-cluster.sh')) ? `no ${SLURM_DIR}` : !existsSync('/usr/sbin/slurmctld') ? 'slurmctld is not installed' : undefined;
// Skips with the reason, or fails the file when GEOAD_REQUIRE_PEERS=1 (CI), so the Slurm check cannot silently stop.
const unavailable = peerOrSkip('a single-node Slurm cluster', missing === undefined, missing);

let dir: string;
let state: string;
let started = false;

// `count` distinct free TCP ports on loopback: all held open at once (so the OS cannot hand out one twice), then closed.
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<Server>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

before(async () => {
  dir = makeTempDir('slurm');
  if (unavailable) return;
  state = join(dir, 'cluster');
  chmodSync(dir, 0o755); // munged runs as user munge and must reach its socket and key below the temp dir
  const [ctld, d] = await freePorts(2);
  started = true; // stop whatever part of it came up, even when it never became ready
  execFileSync('bash', [join(SLURM_DIR, 'start-local-cluster.sh'), state], { env: { ...process.env, SLURMCTLD_PORT: String(ctld), SLURMD_PORT: String(d) }, stdio: 'pipe', timeout: 90_000 });
  process.env.SLURM_CONF = join(state, 'slurm.conf');
});

after(() => {
  if (started) execFileSync('bash', [join(SLURM_DIR, 'stop-local-cluster.sh'), state], { stdio: 'pipe', timeout: 60_000 });
  delete process.env.SLURM_CONF;
  removeDir(dir);
});

test('the small matrix on Slurm job arrays gives the same results as the local executor', { skip: unavailable }, async () => {
  const config = writeTinyConfig(dir);
  const local = join(dir, 'local');
  assert.equal((await runMatrix({ config, out: local, workers: 2, stageCommand: STAGE_COMMAND, handleSignals: false, print: () => {} })).exitCode, ExitCode.ok);
  const run = join(dir, 'slurm-run');
  const summary = await runMatrix({
    config,
    out: run,
    executor: 'slurm',
    slurm: { partition: 'debug', time: '10', extraArgs: ['--cpus-per-task=1'], pollSeconds: 0.5 },
    stageCommand: STAGE_COMMAND,
    handleSignals: false,
    print: () => {},
  });
  assert.equal(summary.exitCode, ExitCode.ok, `failed: ${summary.failed.map((f) => f.error).join('; ')}`);
  assert.deepEqual(readComparableResults(run), readComparableResults(local));
  const scripts = readdirSync(join(run, 'slurm')).filter((f) => f.endsWith('.sh'));
  assert.ok(scripts.length >= 5, `one array per wave at least (synth, prepare, train, infer, eval, report), got ${scripts.length}`);
  const train = scripts.map((f) => readFileSync(join(run, 'slurm', f), 'utf8')).find((t) => t.includes('#SBATCH --job-name=geoad-tiny-train'));
  assert.ok(train, 'a training array');
  assert.match(train, /#SBATCH --array=0-\d+\n/);
  assert.match(train, /#SBATCH --partition=debug\n/);
  assert.match(train, /#SBATCH --time=10\n/);
  const ledger = Ledger.open(join(run, 'ledger.sqlite'), { readonly: true });
  try {
    const jobs = ledger.listJobs();
    assert.ok(jobs.filter((j) => j.stage !== 'collect').every((j) => /^slurm:\d+_\d+$/.test(j.executorRef ?? '')), 'every stage job ran as an array task');
    assert.equal(ledger.listAttempts().length, 20);
  } finally {
    ledger.close();
  }
});

test('a failing Slurm task is resubmitted up to the retry limit, then failed with its log; the rest completes', { skip: unavailable }, async () => {
  const config = writeTinyConfig(dir);
  const run = join(dir, 'slurm-failing');
  process.env.FAKE_STAGE_FAIL = 'eval:--category cookie --out';
  try {
    const summary = await runMatrix({ config, out: run, executor: 'slurm', retries: 1, retryDelaySeconds: 0, slurm: { pollSeconds: 0.5 }, stageCommand: STAGE_COMMAND, handleSignals: false, print: () => {} });
    assert.equal(summary.exitCode, ExitCode.failure);
    assert.deepEqual(summary.failed.map((j) => j.stage), ['eval', 'eval']);
    assert.equal(summary.done, 16, 'the two bagel cells, all trainings and the report completed');
    const ledger = Ledger.open(join(run, 'ledger.sqlite'), { readonly: true });
    try {
      for (const job of summary.failed) {
        const attempts = ledger.listAttempts(job.id);
        assert.deepEqual(attempts.map((a) => [a.status, a.exitCode]), [['failed', 1], ['failed', 1]], 'submitted twice');
        assert.match(readFileSync(job.logPath, 'utf8'), /failing on purpose[\s\S]*failing on purpose/);
        assert.match(job.error ?? '', /exited with code 1 \(Slurm task \d+_\d+; log /);
      }
    } finally {
      ledger.close();
    }
  } finally {
    delete process.env.FAKE_STAGE_FAIL;
  }
});
