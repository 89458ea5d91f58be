// geoad train through its entry function on tiny synthetic samples: outputs, learning, determinism, resume, bad input.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { UsageError, DataError } from '../../../orchestrator/util/errors.js';
import { DEFAULT_PREPROCESSING, infer, loadCheckpoint, train, type SampleLoader } from '../../../pipelines/train/index.js';
import { DivergenceError } from '../../../pipelines/train/loop.js';
import { GEO_CHANNELS, makeDatasetTree, removeTree, syntheticLoader, tinyOptions } from './fixture.js';

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

test('resuming with other options is a usage error naming each flag and both values; nothing is written', async () => {
  const out = newOut();
  await train({ ...base, out, epochs: 1, variant: 'full', seed: 3 }, quiet);
  const file = join(out, 'checkpoints', 'epoch-001', 'model.json');
  const refused = (pattern: RegExp) => (e: unknown) => e instanceof UsageError && e.exitCode === 2 && e.message.includes(file) && pattern.test(e.message);
  const resume = { ...base, out, epochs: 2, seed: 3, resume: true };
  await assert.rejects(train({ ...resume, variant: 'no-gcn' }, quiet), refused(/`--variant` full \(this run: no-gcn\)/));
  await assert.rejects(train({ ...resume, hidden: 32 }, quiet), refused(/`--hidden` 16 \(this run: 32\)/));
  // Another training seed would silently change the shuffles of the remaining epochs.
  await assert.rejects(train({ ...resume, seed: 4 }, quiet), refused(/`--seed` 3 \(this run: 4\)/));
  await assert.rejects(train({ ...resume, prepareSeed: 9, largestComponent: true }, quiet), refused(/`--largest-component` false \(this run: true\), `--prepare-seed` 0 \(this run: 9\)/));
  assert.ok(!existsSync(join(out, 'checkpoints', 'epoch-002')));
  const events = readFileSync(join(out, 'train-log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string });
  assert.ok(!events.some((e) => e.event === 'resume'), 'a refused resume was logged as started');
});

test('resuming with other hyperparameters is a usage error naming each flag and both values; more epochs continue', async () => {
  const out = newOut();
  await train({ ...base, out, epochs: 2, lr: 0.002 }, quiet);
  const file = join(out, 'checkpoints', 'epoch-002', 'model.json');
  const refused = (pattern: RegExp) => (e: unknown) => e instanceof UsageError && e.message.includes(file) && pattern.test(e.message);
  const resume = { ...base, out, epochs: 3, lr: 0.002, resume: true };
  await assert.rejects(train({ ...resume, lr: 0.01 }, quiet), refused(/`--lr` 0\.002 \(this run: 0\.01\)/));
  await assert.rejects(
    train({ ...resume, batchSize: 2, weightDecay: 0, schedule: 'constant', warmupSteps: 5, clipNorm: 0, limit: 6 }, quiet),
    refused(/`--batch-size` 4 \(this run: 2\), `--weight-decay` 0\.0001 \(this run: 0\), `--schedule` cosine \(this run: constant\), `--warmup-steps` default \(this run: 5\), `--clip-norm` 1 \(this run: 0\), `--limit` 0 \(this run: 6\)/),
  );
  const gadgets = makeDatasetTree({ train: 12, validation: 4, good: 2, defect: 2 }, 'gadget');
  await assert.rejects(train({ ...resume, data: gadgets, category: 'gadget' }, quiet), refused(/`--category` widget \(this run: gadget\)/));
  removeTree(gadgets);
  assert.ok(!existsSync(join(out, 'checkpoints', 'epoch-003')));
  assert.equal((await train(resume, quiet)).epochs, 3);
  const lines: string[] = [];
  const again = await train({ ...resume, epochs: 2 }, { ...quiet, print: (l) => lines.push(l) });
  assert.equal(again.epochs, 3);
  assert.ok(lines.includes('already trained for 3 epochs (asked for 2): nothing to do'), lines.join('\n'));
});

test('a checkpoint records its category and hyperparameters; one without them (older) still resumes', async () => {
  const out = newOut();
  await train({ ...base, out, epochs: 1 }, quiet);
  const file = join(out, 'checkpoints', 'epoch-001', 'model.json');
  const { meta } = await loadCheckpoint(out);
  assert.equal(meta.spec.category, 'widget');
  assert.deepEqual(meta.hyperparameters, { lr: 0.001, batchSize: 4, weightDecay: 0.0001, schedule: 'cosine', warmupSteps: null, clipNorm: 1, limit: 0 });
  const json = JSON.parse(readFileSync(file, 'utf8')) as { userDefinedMetadata: { spec: Record<string, unknown>; hyperparameters?: unknown } };
  delete json.userDefinedMetadata.spec.category;
  delete json.userDefinedMetadata.hyperparameters;
  writeFileSync(file, JSON.stringify(json));
  assert.equal((await train({ ...base, out, epochs: 2, lr: 0.002, resume: true }, quiet)).epochs, 2);
});

test('resuming with another --visual-backbone folder is refused, naming both folders', async () => {
  const graph = fileURLToPath(new URL('../../fixtures/graph-backbone', import.meta.url));
  const copy = join(newOut(), 'backbone');
  cpSync(graph, copy, { recursive: true });
  const out = newOut();
  await train({ ...base, out, epochs: 1, visualBackbone: graph }, quiet);
  await assert.rejects(
    train({ ...base, out, epochs: 2, visualBackbone: copy, resume: true }, quiet),
    (e: unknown) => e instanceof UsageError && e.message.includes(`\`--visual/--visual-backbone\` ${graph} (this run: ${copy})`),
  );
});

// The fixture's samples with one more geometric channel: features of another dimension.
const widerLoader: SampleLoader = async (ref) => {
  const sample = await syntheticLoader()(ref);
  const g = sample.geometric;
  const data = new Float32Array(g.grid * g.grid * (g.channels + 1));
  for (let cell = 0; cell < g.grid * g.grid; cell++) {
    data.set(g.data.subarray(cell * g.channels, (cell + 1) * g.channels), cell * (g.channels + 1));
    data[cell * (g.channels + 1) + g.channels] = g.foreground[cell] ? 0.3 : 0;
  }
  return { ...sample, geometric: { ...g, channels: g.channels + 1, data } };
};

test('a checkpoint from another feature dimension: resume and infer fail naming the checkpoint and both dimensions', async () => {
  const out = newOut();
  await train({ ...base, out, epochs: 1 }, quiet);
  const file = join(out, 'checkpoints', 'epoch-001', 'model.json');
  const wrongDimension = (e: unknown) =>
    e instanceof DataError && e.message.includes(file) && new RegExp(`have ${GEO_CHANNELS + 1} channels, the checkpoint .* was trained on ${GEO_CHANNELS}\\b`).test(e.message);
  await assert.rejects(train({ ...base, out, epochs: 2, resume: true }, { ...quiet, loader: widerLoader }), wrongDimension);
  await assert.rejects(infer({ model: out, data: root, category: 'widget', out: join(newOut(), 'maps'), backend: 'cpu', progress: 'off' }, { loader: widerLoader }), wrongDimension);
});

// The fixture's samples with one training target too large for float32 once squared: the loss becomes Infinity.
const overflowingLoader: SampleLoader = async (ref) => {
  const sample = await syntheticLoader()(ref);
  if (ref.split !== 'train' || ref.id !== '002') return sample;
  const data = Float32Array.from(sample.geometric.data);
  data[data.findIndex((v, i) => sample.geometric.foreground[Math.floor(i / GEO_CHANNELS)] === 1)] = 1e30;
  return { ...sample, geometric: { ...sample.geometric, data } };
};

test('a diverging run stops with a clear message, logs `diverged` and keeps the last good checkpoint', async () => {
  const out = newOut();
  await train({ ...base, out, epochs: 1 }, quiet);
  const good = readFileSync(join(out, 'checkpoints', 'epoch-001', 'weights.bin'));
  // Resumed (statistics from the checkpoint) on data with an overflowing target: the loss is not finite.
  const error = await train({ ...base, out, epochs: 6, resume: true }, { ...quiet, loader: overflowingLoader }).then(
    () => assert.fail('training did not diverge'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DivergenceError, String(error));
  assert.equal(error.exitCode, 1);
  const events = readFileSync(join(out, 'train-log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; epoch?: number; lastCheckpoint?: string });
  const diverged = events[events.length - 1];
  assert.equal(diverged.event, 'diverged');
  assert.ok(diverged.epoch! >= 2);
  const lastGood = `epoch-${String(diverged.epoch! - 1).padStart(3, '0')}`;
  assert.equal(diverged.lastCheckpoint, join(out, 'checkpoints', lastGood));
  assert.match(error.message, new RegExp(`^Training diverged at epoch ${diverged.epoch}, step \\d+: loss .*; stopped before the update; the last good checkpoint is ${join(out, 'checkpoints', lastGood)} \\(lower \`--lr\` and train again with another \`--out\`\\)$`));
  assert.deepEqual(JSON.parse(readFileSync(join(out, 'checkpoint.json'), 'utf8')), { latest: join('checkpoints', lastGood), epoch: diverged.epoch! - 1 });
  assert.ok(!existsSync(join(out, 'checkpoints', `epoch-${String(diverged.epoch).padStart(3, '0')}`)));
  assert.ok(readFileSync(join(out, 'checkpoints', 'epoch-001', 'weights.bin')).equals(good), 'the first checkpoint was changed');
});

test('a version-1 checkpoint (before preprocessing was recorded) reads as trained with the default preprocessing', async () => {
  const out = newOut();
  await train({ ...base, out, epochs: 1 }, quiet);
  const file = join(out, 'checkpoints', 'epoch-001', 'model.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as { userDefinedMetadata: { spec: Record<string, unknown> } };
  delete json.userDefinedMetadata.spec.preprocessing;
  json.userDefinedMetadata.spec.version = 1;
  writeFileSync(file, JSON.stringify(json));
  const { spec } = (await loadCheckpoint(out)).meta;
  assert.equal(spec.version, 2);
  assert.deepEqual(spec.preprocessing, DEFAULT_PREPROCESSING);
  assert.deepEqual(DEFAULT_PREPROCESSING, { distanceThreshold: 0.005, keepLargestComponent: false, seed: 0, fpfhRadius: 'auto' });
  assert.equal((await train({ ...base, out, epochs: 2, resume: true }, quiet)).epochs, 2);
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
