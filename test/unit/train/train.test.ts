// geoad train through its entry function on tiny synthetic samples: outputs, learning, determinism, resume, bad input.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { UsageError, DataError } from '../../../orchestrator/util/errors.js';
import { train } from '../../../pipelines/train/index.js';
import { makeDatasetTree, removeTree, syntheticLoader, tinyOptions } from './fixture.js';

const root = makeDatasetTree({ train: 12, validation: 4, good: 2, defect: 2 });
const outs: string[] = [];
function newOut(): string {
  const dir = mkdtempSync(join(tmpdir(), 'geoad-train-out-'));
  outs.push(dir);
  return dir;
}
after(() => {
  removeTree(root);
  for (const dir of outs) rmSync(dir, { recursive: true, force: true });
});
const quiet = { loader: syntheticLoader(), print: () => {} };
const base = { data: root, category: 'widget', backend: 'cpu' as const, ...tinyOptions };

test('training writes checkpoints, a JSONL log and a summary, and beats the mean-feature baseline', async () => {
  const out = newOut();
  const lines: string[] = [];
  const result = await train({ ...base, out, epochs: 6, lr: 0.01 }, { loader: syntheticLoader(), print: (l) => lines.push(l) });
  assert.match(lines[0], /^full: \d+ parameters \(visual extractor 0, reconstructor \d+\); backend cpu; 12 train \/ 4 validation samples$/);
  assert.equal(result.epochs, 6);
  assert.equal(result.lossCurve.length, 6);
  for (let e = 1; e <= 6; e++) assert.ok(existsSync(join(out, 'checkpoints', `epoch-00${e}`, 'weights.bin')));
  assert.deepEqual(JSON.parse(readFileSync(join(out, 'checkpoint.json'), 'utf8')), { latest: join('checkpoints', 'epoch-006'), epoch: 6 });
  const events = readFileSync(join(out, 'train-log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string });
  assert.equal(events[0].event, 'start');
  assert.equal(events.filter((e) => e.event === 'step').length, 6 * 3);
  assert.equal(events.filter((e) => e.event === 'epoch').length, 6);
  assert.equal(events[events.length - 1].event, 'end');
  assert.ok(result.lossCurve[5] < result.lossCurve[0], `loss did not fall: ${result.lossCurve.join(', ')}`);
  assert.ok(result.validationLoss! < result.baselineValidationLoss!, `validation ${result.validationLoss} vs baseline ${result.baselineValidationLoss}`);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { parameterCount: number };
  assert.equal(summary.parameterCount, result.parameterCount);
});

for (const backend of ['cpu', 'wasm'] as const) {
  test(`the same seed on ${backend} gives byte-identical weights; another seed does not`, async () => {
    const run = async (seed: number) => {
      const out = newOut();
      await train({ ...base, backend, out, epochs: 2, seed }, quiet);
      return readFileSync(join(out, 'checkpoints', 'epoch-002', 'weights.bin'));
    };
    const a = await run(5);
    const b = await run(5);
    const c = await run(6);
    assert.ok(a.equals(b), 'same seed, different weights');
    assert.ok(!a.equals(c), 'different seeds, same weights');
  });
}

test('--resume continues from the last checkpoint and matches an uninterrupted run', async () => {
  const straight = newOut();
  await train({ ...base, out: straight, epochs: 3, variant: 'no-nla' }, quiet);
  // An interrupted run: epoch 3 never finished, so the pointer still names epoch 2.
  const interrupted = newOut();
  await train({ ...base, out: interrupted, epochs: 3, variant: 'no-nla' }, quiet);
  rmSync(join(interrupted, 'checkpoints', 'epoch-003'), { recursive: true });
  writeFileSync(join(interrupted, 'checkpoint.json'), JSON.stringify({ latest: join('checkpoints', 'epoch-002'), epoch: 2 }));
  const result = await train({ ...base, out: interrupted, epochs: 3, variant: 'no-nla', resume: true }, quiet);
  assert.equal(result.epochs, 3);
  assert.equal(result.lossCurve.length, 3);
  const a = readFileSync(join(straight, 'checkpoints', 'epoch-003', 'weights.bin'));
  const b = readFileSync(join(interrupted, 'checkpoints', 'epoch-003', 'weights.bin'));
  assert.ok(a.equals(b), 'resumed weights differ from the uninterrupted run');
  const events = readFileSync(join(interrupted, 'train-log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string });
  assert.ok(events.some((e) => e.event === 'resume'));
});

test('a checkpoint from another variant or feature dimension is rejected, naming the difference', async () => {
  const out = newOut();
  await train({ ...base, out, epochs: 1, variant: 'full' }, quiet);
  await assert.rejects(train({ ...base, out, epochs: 2, variant: 'no-gcn', resume: true }, quiet), (e: unknown) => e instanceof DataError && /variant `full` \(this run: `no-gcn`\)/.test(e.message));
  await assert.rejects(train({ ...base, out, epochs: 2, hidden: 32, resume: true }, quiet), (e: unknown) => e instanceof DataError && /hidden 16 \(this run: 32\)/.test(e.message));
});

test('bad input: unknown category, existing run without --resume, invalid options, NaN features', async () => {
  const out = newOut();
  await assert.rejects(train({ ...base, out, category: 'nope' }, quiet), (e: unknown) => e instanceof UsageError && /`--category`.*got `nope`; found `widget`/.test(e.message));
  await assert.rejects(train({ ...base, out, epochs: 0 }, quiet), (e: unknown) => e instanceof UsageError && e.message === 'Expected `--epochs` to be an integer from 1 to 10000, got `0`');
  await assert.rejects(train({ ...base, out, lr: Number.NaN }, quiet), /Expected `--lr` to be a number/);
  await assert.rejects(train({ ...base, out, resume: true }, quiet), /has no checkpoint.json to resume from/);
  await assert.rejects(train({ ...base, out, epochs: 1 }, { ...quiet, loader: syntheticLoader({ nanIn: 'train/good/003' }) }), (e: unknown) => e instanceof DataError && /003\.tiff: geometric features contain NaN/.test(e.message));
  await train({ ...base, out, epochs: 1 }, quiet);
  await assert.rejects(train({ ...base, out, epochs: 1 }, quiet), /already holds a training run.*--resume/);
  assert.ok(existsSync(join(out, 'checkpoints', 'epoch-001', 'model.json')), 'the earlier run was lost');
});

test('trains with the conv encoder and with a --visual-backbone layers model; a bad backbone is rejected', async () => {
  const tf = await import('@tensorflow/tfjs');
  const { createFileSaver } = await import('../../../pipelines/model/file-io.js');
  const encoder = await train({ ...base, out: newOut(), epochs: 1, visual: 'conv-encoder' }, quiet);
  assert.ok(encoder.parameterCount > (await train({ ...base, out: newOut(), epochs: 1 }, quiet)).parameterCount);
  const save = async (stride: number) => {
    const dir = newOut();
    const net = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 6, kernelSize: stride, strides: stride })] });
    await net.save(createFileSaver(dir));
    net.dispose();
    return dir;
  };
  const good = await save(8);
  const lines: string[] = [];
  const result = await train({ ...base, out: newOut(), epochs: 1, visualBackbone: good }, { ...quiet, print: (l) => lines.push(l) });
  assert.equal(result.epochs, 1);
  assert.match(lines[0], /visual extractor 0/);
  const bad = await save(4);
  await assert.rejects(train({ ...base, out: newOut(), epochs: 1, visualBackbone: bad }, quiet), (e: unknown) => e instanceof DataError && /outputs shape \[1, 8, 8, 6\]/.test(e.message));
  await assert.rejects(train({ ...base, out: newOut(), visualBackbone: good, visual: 'conv-encoder' }, quiet), /either `--visual` or `--visual-backbone`/);
});
