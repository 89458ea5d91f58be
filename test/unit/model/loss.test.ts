// The L2 loss sees foreground cells only: what predictions and targets hold where mask = 0 changes neither the loss
// nor its gradient; on the foreground it is the mean squared L2 distance per cell.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../pipelines/model/backend.js';
import { computeForegroundL2 } from '../../../pipelines/model/loss.js';
import { createRng } from '../../../pipelines/model/random.js';

before(async () => {
  await selectBackend('cpu');
});

const [B, G, C] = [2, 4, 3];

function randomArray(n: number, seed: number, scale = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * scale);
}

const mask = Float32Array.from({ length: B * G * G }, (_, k) => (k % 3 === 0 ? 0 : 1));

// Loss and its gradients with respect to the prediction and the target.
function lossAndGradients(pred: Float32Array, target: Float32Array) {
  return tf.tidy(() => {
    const p = tf.tensor4d(pred, [B, G, G, C]);
    const t = tf.tensor4d(target, [B, G, G, C]);
    const m = tf.tensor4d(mask, [B, G, G, 1]);
    const f = (a: tf.Tensor, b: tf.Tensor) => computeForegroundL2(a as tf.Tensor4D, b as tf.Tensor4D, m);
    const [gp, gt] = tf.grads(f)([p, t]);
    return { loss: f(p, t).dataSync()[0], gradPred: gp.dataSync() as Float32Array, gradTarget: gt.dataSync() as Float32Array };
  });
}

// Replaces the background cells' channels of `a` with large unrelated values.
function scrambleBackground(a: Float32Array, seed: number): Float32Array {
  const noise = randomArray(a.length, seed, 1000);
  return a.map((v, i) => (mask[Math.floor(i / C)] === 0 ? noise[i] : v));
}

test('the loss is the mean over foreground cells of the squared L2 distance', () => {
  const pred = randomArray(B * G * G * C, 1);
  const target = randomArray(B * G * G * C, 2);
  let sum = 0;
  let cells = 0;
  for (let k = 0; k < B * G * G; k++) {
    if (!mask[k]) continue;
    cells++;
    for (let c = 0; c < C; c++) sum += (pred[k * C + c] - target[k * C + c]) ** 2;
  }
  assert.ok(Math.abs(lossAndGradients(pred, target).loss - sum / cells) < 1e-5);
});

test('predictions and targets where mask = 0 change neither the loss nor its gradient', () => {
  const pred = randomArray(B * G * G * C, 3);
  const target = randomArray(B * G * G * C, 4);
  const base = lossAndGradients(pred, target);
  const changed = lossAndGradients(scrambleBackground(pred, 5), scrambleBackground(target, 6));
  assert.equal(changed.loss, base.loss);
  const values = (a: Float32Array) => Array.from(a, (v) => v + 0); // +0 and −0 (the sign of a masked product) are equal
  assert.deepEqual(values(changed.gradPred), values(base.gradPred));
  assert.deepEqual(values(changed.gradTarget), values(base.gradTarget));
  // The gradient is zero on background cells and not on foreground ones (so the comparison above means something).
  for (let i = 0; i < base.gradPred.length; i++) {
    if (mask[Math.floor(i / C)] === 0) assert.equal(base.gradPred[i] + 0, 0);
  }
  assert.ok(base.gradPred.some((g) => g !== 0));
  // A foreground change does move the loss.
  const foreground = target.slice();
  foreground[3] += 1; // cell 1 is foreground
  assert.notEqual(lossAndGradients(pred, foreground).loss, base.loss);
});
