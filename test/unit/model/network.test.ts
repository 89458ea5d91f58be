// The reconstructor's variants, parameter counts, the grid aggregation, and gradients wasm vs cpu.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../pipelines/model/backend.js';
import { computeForegroundL2 } from '../../../pipelines/model/loss.js';
import { VARIANTS, createReconstructor, type ReconstructorConfig, type Variant } from '../../../pipelines/model/network.js';
import { aggregateGridNeighbours, computeGridInvSqrtDegree, matMul2d } from '../../../pipelines/model/ops.js';
import { createRng } from '../../../pipelines/model/random.js';

const shape = (variant: Variant): ReconstructorConfig => ({
  variant,
  visualChannels: 6,
  geometricChannels: 5,
  visualGrid: 6,
  geometricGrid: 12,
  hidden: 16,
  attentionDim: 8,
});

function randomArray(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
}

// Loss and gradients (by checkpoint name) of one variant on a fixed batch, on the active backend.
function computeGradients(variant: Variant): { loss: number; grads: Map<string, Float32Array> } {
  const config = shape(variant);
  const model = createReconstructor(config, 7);
  const b = 2;
  const visual = tf.tensor4d(randomArray(b * 6 * 6 * 6, 1), [b, 6, 6, 6]);
  const target = tf.tensor4d(randomArray(b * 12 * 12 * 5, 2), [b, 12, 12, 5]);
  const maskValues = randomArray(b * 12 * 12, 3).map((v) => (v > -0.3 ? 1 : 0));
  const mask = tf.tensor4d(maskValues, [b, 12, 12, 1]);
  const { value, grads } = tf.variableGrads(() => computeForegroundL2(model.predict(visual), target, mask));
  const out = new Map<string, Float32Array>();
  for (const v of model.variables) out.set(v.name, grads[v.variable.name].dataSync() as Float32Array);
  const loss = value.dataSync()[0];
  tf.dispose([value, visual, target, mask, ...Object.values(grads)]);
  model.dispose();
  return { loss, grads: out };
}

before(async () => {
  await selectBackend('cpu');
});
after(async () => {
  await selectBackend('cpu');
});

test('variants differ only in their M_FE branches and report parameter counts', () => {
  const counts = Object.fromEntries(
    VARIANTS.map((variant) => {
      const model = createReconstructor(shape(variant), 1);
      const count = model.parameterCount;
      model.dispose();
      return [variant, count];
    }),
  );
  const d = 16;
  const nla = d * 8 * 2 + d * d * 2 + d;
  const gcn = d * d + d;
  assert.equal(counts['no-gcn'] - counts['no-mfe'], nla);
  assert.equal(counts['no-nla'] - counts['no-mfe'], gcn);
  assert.equal(counts.full - counts['no-mfe'], nla + gcn);
  assert.equal(counts['no-mfe'], 6 * d + d + d * d + d + d * 5 + 5);
});

test('the same seed gives the same initial weights; another seed does not', () => {
  const a = createReconstructor(shape('full'), 3);
  const b = createReconstructor(shape('full'), 3);
  const c = createReconstructor(shape('full'), 4);
  assert.deepEqual(a.variables[0].variable.dataSync(), b.variables[0].variable.dataSync());
  assert.notDeepEqual(a.variables[0].variable.dataSync(), c.variables[0].variable.dataSync());
  [a, b, c].forEach((m) => m.dispose());
});

test('grid aggregation equals the dense normalised adjacency D^-1/2 (A+I) D^-1/2', () => {
  const g = 4;
  const c = 2;
  const h = randomArray(g * g * c, 9);
  const dinv = computeGridInvSqrtDegree(g);
  const got = tf.tidy(() => aggregateGridNeighbours(tf.tensor4d(h, [1, g, g, c]), tf.tensor4d(dinv, [1, g, g, 1])).dataSync());
  for (let i = 0; i < g * g; i++) {
    for (let ch = 0; ch < c; ch++) {
      let sum = 0;
      for (let j = 0; j < g * g; j++) {
        const near = Math.abs(Math.floor(i / g) - Math.floor(j / g)) <= 1 && Math.abs((i % g) - (j % g)) <= 1;
        if (near) sum += dinv[i] * dinv[j] * h[j * c + ch];
      }
      assert.ok(Math.abs(got[i * c + ch] - sum) < 1e-5, `cell ${i} channel ${ch}: ${got[i * c + ch]} vs ${sum}`);
    }
  }
  assert.ok(Math.abs(dinv[0] - 1 / 2) < 1e-7 && Math.abs(dinv[1] - 1 / Math.sqrt(6)) < 1e-7 && Math.abs(dinv[5] - 1 / 3) < 1e-7);
});

test('matMul2d has the same value and gradient as tf.matMul', () => {
  const a = tf.tensor2d(randomArray(12, 1), [3, 4]);
  const b = tf.tensor2d(randomArray(20, 2), [4, 5]);
  const f1 = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(matMul2d(x as tf.Tensor2D, y as tf.Tensor2D)));
  const f2 = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D)));
  const [ga1, gb1] = tf.grads(f1)([a, b]);
  const [ga2, gb2] = tf.grads(f2)([a, b]);
  assert.ok(tf.max(tf.abs(tf.sub(ga1, ga2))).dataSync()[0] < 1e-5);
  assert.ok(tf.max(tf.abs(tf.sub(gb1, gb2))).dataSync()[0] < 1e-5);
  tf.dispose([a, b, ga1, gb1, ga2, gb2]);
});

test('the predicted grid is upsampled to the geometric grid; a wrong input shape is rejected', () => {
  const model = createReconstructor(shape('full'), 1);
  const out = tf.tidy(() => model.predict(tf.zeros([1, 6, 6, 6])));
  assert.deepEqual(out.shape, [1, 12, 12, 5]);
  out.dispose();
  assert.throws(() => tf.tidy(() => model.predict(tf.zeros([1, 6, 6, 4]))), /visual features \[B, 6, 6, 6\], got \[1, 6, 6, 4\]/);
  model.dispose();
});

for (const variant of VARIANTS) {
  test(`gradients of ${variant} agree between wasm and cpu (relative difference < 1e-4)`, async () => {
    await selectBackend('cpu');
    const cpu = computeGradients(variant);
    assert.equal(await selectBackend('wasm'), 'wasm');
    const wasm = computeGradients(variant);
    await selectBackend('cpu');
    assert.ok(Math.abs(cpu.loss - wasm.loss) / Math.abs(cpu.loss) < 1e-5, `loss ${cpu.loss} vs ${wasm.loss}`);
    assert.equal(wasm.grads.size, cpu.grads.size);
    for (const [name, c] of cpu.grads) {
      const w = wasm.grads.get(name)!;
      let diff = 0;
      let norm = 0;
      for (let i = 0; i < c.length; i++) {
        diff += (c[i] - w[i]) ** 2;
        norm += c[i] ** 2;
      }
      assert.ok(norm > 0, `${name}: zero gradient`);
      const rel = Math.sqrt(diff / norm);
      assert.ok(rel < 1e-4, `${variant} ${name}: relative difference ${rel}`);
    }
  });
}
