// Ctrl-C on `geoad train` and `geoad infer` as child processes: SIGINT stops them at a safe point, the progress
// display is stopped (its final line printed), one line says what is done and how to go on, exit 130; re-runs finish.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renderDataset } from '../../../pipelines/synth/index.js';

const CLI = fileURLToPath(new URL('../../fixtures/geoad.ts', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'geoad-train-int-'));
const data = join(work, 'data');
const model = join(work, 'model');
after(() => rmSync(work, { recursive: true, force: true }));

before(async () => {
  await renderDataset({ out: data, train: 6, validation: 2, test: 28, resolution: 48, categories: ['bagel'], workers: 1, progress: 'off', seed: 5 });
});

const args = (command: string, ...rest: string[]) => [
  '--import', 'tsx', CLI, command, '--data', data, '--category', 'bagel', '--backend', 'wasm', '--workers', '0', ...rest,
];
const tiny = ['--image-size', '48', '--visual-grid', '4', '--geometric-grid', '12', '--hidden', '8', '--attention-dim', '4', '--batch-size', '2'];

function geoad(command: string, ...rest: string[]) {
  const r = spawnSync(process.execPath, args(command, ...rest), { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Starts the command, sends SIGINT once `ready()` holds (checked every 20 ms), and resolves when it has exited.
async function interruptWhen(ready: () => boolean, command: string, ...rest: string[]) {
  const child = spawn(process.execPath, args(command, ...rest), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let done = false;
  void exited.then(() => (done = true));
  while (!done && !ready()) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(!done, `the command ended before it could be interrupted:\n${stderr}`);
  child.kill('SIGINT');
  const { code, signal } = await exited;
  return { code, signal, stdout, stderr };
}

test('SIGINT during geoad train: progress stopped, one line with the last checkpoint, exit 130; --resume continues', async () => {
  const run = await interruptWhen(() => existsSync(join(model, 'checkpoint.json')), 'train', '--out', model, ...tiny, '--epochs', '10000', '--progress', 'plain');
  assert.deepEqual([run.code, run.signal], [130, null], run.stderr);
  assert.match(run.stderr, /^train bagel full: \d+\/30000 \(.*, in \d+s\)$/m, 'the progress display was not stopped');
  const line = new RegExp(`^geoad: Interrupted at epoch (\\d+) \\(step (\\d+)\\); last checkpoint: epoch (\\d+) in ${model}; re-run with --resume to continue$`, 'm');
  const [, epoch, step, last] = line.exec(run.stderr)?.map(Number) ?? assert.fail(`no interruption line in:\n${run.stderr}`);
  // Stopped before a step of the epoch after the last checkpoint (3 steps per epoch).
  assert.ok(last >= 1 && epoch === last + 1 && step > last * 3 && step <= epoch * 3, `epoch ${epoch}, step ${step}, last checkpoint ${last}`);
  assert.equal(run.stdout, '');
  // The pointer names a whole checkpoint, and no temp file was left behind.
  assert.equal((JSON.parse(readFileSync(join(model, 'checkpoint.json'), 'utf8')) as { epoch: number }).epoch, last);
  const checkpoint = join(model, 'checkpoints', `epoch-${String(last).padStart(3, '0')}`);
  assert.equal((JSON.parse(readFileSync(join(checkpoint, 'model.json'), 'utf8')) as { userDefinedMetadata: { epoch: number } }).userDefinedMetadata.epoch, last);
  assert.ok(existsSync(join(checkpoint, 'weights.bin')));
  const temps = readdirSync(model, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes('.tmp-'));
  assert.deepEqual(temps, []);
  const resumed = geoad('train', '--out', model, ...tiny, '--epochs', String(last + 1), '--progress', 'off', '--resume');
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, new RegExp(`^Trained full for ${last + 1} epochs on wasm`));
});

test('SIGINT during geoad infer: N of M maps written, exit 130; the re-run writes only the missing maps', async () => {
  const maps = join(work, 'maps');
  const tiffs = () => (existsSync(maps) ? readdirSync(maps, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tiff')) : []);
  // Without the cache, each sample is prepared on the main thread: slow enough to stop half-way.
  const run = await interruptWhen(() => tiffs().length > 0, 'infer', '--model', model, '--out', maps, '--batch-size', '1', '--no-cache', '--progress', 'plain');
  assert.deepEqual([run.code, run.signal], [130, null], run.stderr);
  const [, written, total] = /^geoad: Interrupted: (\d+) of (\d+) maps written; re-run to finish$/m.exec(run.stderr)?.map(Number) ?? assert.fail(`no interruption line in:\n${run.stderr}`);
  assert.equal(total, 30);
  assert.ok(written > 0 && written < total, `${written} of ${total}`);
  assert.equal(tiffs().length, written);
  assert.match(run.stderr, new RegExp(`^infer bagel: ${written}/${total} \\(.*, in \\d+s\\)$`, 'm'), 'the progress display was not stopped');
  const again = geoad('infer', '--model', model, '--out', maps, '--progress', 'off');
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`^Wrote ${total - written} anomaly maps? to .*; ${written} already there\\)$`, 'm'));
  assert.equal(tiffs().length, total);
});
