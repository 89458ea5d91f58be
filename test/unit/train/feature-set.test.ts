// Standardisation statistics and batching of in-memory samples.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../pipelines/model/backend.js';
import { MIN_STD, computeChannelStats, packFeatureSet, sliceBatch, standardiseChannels } from '../../../pipelines/train/feature-set.js';

before(async () => {
  await selectBackend('cpu');
});

test('channel statistics use masked cells only and floor the deviation', () => {
  // two channels, three cells; the middle cell is masked out
  const stats = computeChannelStats([Float32Array.from([1, 5, 100, 100, 3, 5.0001])], 2, [Uint8Array.from([1, 0, 1])]);
  assert.deepEqual(stats.mean.map((m) => +m.toFixed(5)), [2, 5.00005]);
  assert.equal(stats.std[0], 1);
  assert.equal(stats.std[1], MIN_STD, 'a nearly constant channel gets the floor');
  const z = standardiseChannels(Float32Array.from([3, 5.00005, 9, 9]), stats, Uint8Array.from([1, 0]));
  assert.deepEqual(Array.from(z), [1, 0, 0, 0]);
});

test('sliceBatch gathers the requested samples in order', () => {
  const set = packFeatureSet(
    [0, 1, 2].map((i) => ({ input: Float32Array.from([i, i]), target: Float32Array.from([10 * i]), mask: Uint8Array.from([i % 2]) })),
    [1, 1, 2],
    1,
    1,
  );
  const batch = sliceBatch(set, [2, 0]);
  assert.deepEqual(Array.from(batch.inputs.dataSync()), [2, 2, 0, 0]);
  assert.deepEqual(Array.from(batch.targets.dataSync()), [20, 0]);
  assert.deepEqual(batch.masks.shape, [2, 1, 1, 1]);
  tf.dispose([batch.inputs, batch.targets, batch.masks]);
  assert.throws(() => packFeatureSet([{ input: new Float32Array(3), target: new Float32Array(1), mask: new Uint8Array(1) }], [1, 1, 2], 1, 1), /input has 3 values, expected 2/);
});
