// The training step: flat memory over 200 steps, divergence stops before the update, an aborted signal stops between
// steps, schedule and clipping.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../pipelines/model/backend.js';
import { createRng } from '../../../pipelines/model/random.js';
import { packFeatureSet } from '../../../pipelines/train/feature-set.js';
import { MODEL_SPEC_VERSION, buildModel, type ModelSpec } from '../../../pipelines/train/geoad-model.js';
import { DEFAULT_PREPROCESSING } from '../../../pipelines/train/samples.js';
import { DivergenceError, TrainingInterruptedError, computeMeanBaselineLoss, fitModel, runTrainStep } from '../../../pipelines/train/loop.js';
import { computeGlobalNorm, createAdamW, scheduleLearningRate } from '../../../pipelines/train/optimizer.js';

const spec = (variant: ModelSpec['reconstructor']['variant'], visual: ModelSpec['visual'] = { kind: 'colour-gradient' }): ModelSpec => ({
  schema: 'geoad-model',
  version: MODEL_SPEC_VERSION,
  reconstructor: { variant, visualChannels: visual.kind === 'conv-encoder' ? 48 : 25, geometricChannels: 3, visualGrid: 4, geometricGrid: 8, hidden: 8, attentionDim: 4 },
  visual,
  imageSize: 32,
  preprocessing: DEFAULT_PREPROCESSING,
  seed: 1,
  visualStats: null,
  geometricStats: { mean: [0, 0, 0], std: [1, 1, 1] },
});

function randomSet(count: number, inputShape: [number, number, number], poison = false) {
  const rng = createRng(3);
  const rand = (n: number) => Float32Array.from({ length: n }, () => rng.next() - 0.5);
  return packFeatureSet(
    Array.from({ length: count }, (_, i) => {
      const input = rand(inputShape[0] * inputShape[1] * inputShape[2]);
      if (poison && i === 1) input[0] = Number.NaN;
      return { input, target: rand(64 * 3), mask: Uint8Array.from({ length: 64 }, (_, k) => (k % 5 === 0 ? 0 : 1)) };
    }),
    inputShape,
    8,
    3,
  );
}

before(async () => {
  await selectBackend('cpu');
});

for (const [visual, backend] of [[{ kind: 'colour-gradient' }, 'cpu'], [{ kind: 'conv-encoder' }, 'wasm']] as const) {
  test(`memory stays flat: same tensor count after step 10 and step 200 (${visual.kind}, ${backend})`, async () => {
    await selectBackend(backend);
    const model = await buildModel(spec('full', visual));
    const optimizer = createAdamW(model.variables, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-4, clipNorm: 1 });
    const set = randomSet(4, visual.kind === 'conv-encoder' ? [32, 32, 3] : [4, 4, 25]);
    let at10 = 0;
    for (let step = 1; step <= 200; step++) {
      runTrainStep(model, optimizer, set, [step % 4, (step + 1) % 4], 1e-3, { epoch: 1, step });
      if (step === 10) at10 = tf.memory().numTensors;
    }
    assert.equal(tf.memory().numTensors, at10);
    optimizer.dispose();
    model.dispose();
    await selectBackend('cpu');
  });
}

test('a non-finite loss throws DivergenceError and leaves the weights untouched', async () => {
  const model = await buildModel(spec('no-nla'));
  const optimizer = createAdamW(model.variables, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, clipNorm: 1 });
  const set = randomSet(2, [4, 4, 25], true);
  const before = model.variables.map((v) => v.variable.dataSync().slice());
  assert.throws(() => runTrainStep(model, optimizer, set, [0, 1], 1e-2, { epoch: 3, step: 17 }), (e: unknown) => e instanceof DivergenceError && /epoch 3, step 17: loss NaN/.test(e.message));
  model.variables.forEach((v, i) => assert.deepEqual(v.variable.dataSync(), before[i]));
  assert.equal(optimizer.step, 0);
  optimizer.dispose();
  model.dispose();
});

test('an aborted signal stops the loop before its next step, mid-epoch, without an epoch record for it', async () => {
  const model = await buildModel(spec('no-gcn'));
  const optimizer = createAdamW(model.variables, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, clipNorm: 1 });
  const controller = new AbortController();
  const epochs: number[] = [];
  const settings = { epochs: 5, batchSize: 2, learningRate: 1e-3, schedule: 'constant' as const, warmupSteps: 0, seed: 1, startEpoch: 1, signal: controller.signal };
  // 2 steps per epoch: aborted during step 3 (the first of epoch 2), the loop stops before step 4.
  const hooks = { onStep: (r: { step: number }) => r.step === 3 && controller.abort(), onEpoch: async (r: { epoch: number }) => void epochs.push(r.epoch) };
  await assert.rejects(fitModel(model, optimizer, randomSet(4, [4, 4, 25]), null, settings, hooks), (e: unknown) => e instanceof TrainingInterruptedError && e.exitCode === 130 && e.message === 'Interrupted at epoch 2 (step 4)');
  assert.deepEqual(epochs, [1]);
  assert.equal(optimizer.step, 3);
  optimizer.dispose();
  model.dispose();
});

test('learning-rate schedule: linear warmup, cosine to 1%, or constant', () => {
  assert.equal(scheduleLearningRate(1, 0, 100, 10, 'cosine'), 0.1);
  assert.equal(scheduleLearningRate(1, 9, 100, 10, 'cosine'), 1);
  assert.ok(Math.abs(scheduleLearningRate(1, 10, 100, 10, 'cosine') - 1) < 1e-12);
  assert.ok(Math.abs(scheduleLearningRate(1, 100, 100, 10, 'cosine') - 0.01) < 1e-12);
  assert.ok(Math.abs(scheduleLearningRate(1, 55, 100, 10, 'cosine') - (0.01 + 0.99 * 0.5)) < 1e-12);
  assert.equal(scheduleLearningRate(0.5, 70, 100, 0, 'constant'), 0.5);
});

test('AdamW clips by global norm: the first update moves each weight by at most lr', () => {
  const w = tf.variable(tf.tensor2d([[1, -2]]));
  const optimizer = createAdamW([{ name: 'w', variable: w }], { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, clipNorm: 1 });
  const g = tf.tensor2d([[300, -400]]);
  const norm = computeGlobalNorm([g]);
  assert.equal(norm.dataSync()[0], 500);
  optimizer.apply([g], 0.1, norm);
  const [a, b] = w.dataSync();
  assert.ok(Math.abs(a - 0.9) < 1e-6 && Math.abs(b + 1.9) < 1e-6, `${a}, ${b}`);
  tf.dispose([w, g, norm]);
  optimizer.dispose();
});

test('the mean-feature baseline loss is the mean squared norm of standardised foreground targets', () => {
  const set = packFeatureSet(
    [
      { input: new Float32Array(1), target: Float32Array.from([3, 4]), mask: Uint8Array.from([1]) },
      { input: new Float32Array(1), target: Float32Array.from([10, 10]), mask: Uint8Array.from([0]) },
      { input: new Float32Array(1), target: Float32Array.from([1, 0]), mask: Uint8Array.from([1]) },
    ],
    [1, 1, 1],
    1,
    2,
  );
  assert.equal(computeMeanBaselineLoss(set), 13);
});
