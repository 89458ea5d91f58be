// Visual extractors: colour/gradient features by hand-checkable cases, conv-encoder gradients wasm vs cpu,
// and the --visual-backbone loader's contract.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { DataError } from '../../../orchestrator/util/errors.js';
import { selectBackend } from '../../../pipelines/model/backend.js';
import { createFileSaver } from '../../../pipelines/model/file-io.js';
import { createRng } from '../../../pipelines/model/random.js';
import { loadVisualBackbone } from '../../../pipelines/visual/backbone.js';
import { COLOUR_GRADIENT_CHANNELS, computeColourGradientFeatures } from '../../../pipelines/visual/colour-gradient.js';
import { createConvEncoder } from '../../../pipelines/visual/conv-encoder.js';

const work = mkdtempSync(join(tmpdir(), 'geoad-visual-'));
before(async () => {
  await selectBackend('cpu');
});
after(() => rmSync(work, { recursive: true, force: true }));

test('colour/gradient features: flat colour has no spread, no gradient, no contrast', () => {
  const rgb = new Uint8Array(16 * 16 * 3);
  for (let i = 0; i < 256; i++) rgb.set([255, 51, 0], i * 3);
  const f = computeColourGradientFeatures(rgb, 16, 4);
  assert.equal(f.length, 16 * COLOUR_GRADIENT_CHANNELS);
  for (let cell = 0; cell < 16; cell++) {
    const c = f.subarray(cell * 25, cell * 25 + 25);
    assert.ok(Math.abs(c[0] - 1) < 1e-6 && Math.abs(c[1] - 0.2) < 1e-6 && c[2] === 0);
    for (let k = 3; k < 25; k++) assert.ok(Math.abs(c[k]) < 1e-6, `channel ${k} = ${c[k]}`);
  }
});

test('colour/gradient features: a vertical edge votes in the horizontal-gradient bin of the cells it crosses', () => {
  const rgb = new Uint8Array(16 * 16 * 3);
  for (let y = 0; y < 16; y++) for (let x = 8; x < 16; x++) rgb.fill(255, (y * 16 + x) * 3, (y * 16 + x) * 3 + 3);
  const f = computeColourGradientFeatures(rgb, 16, 4);
  const cell = (gy: number, gx: number) => f.subarray((gy * 4 + gx) * 25, (gy * 4 + gx) * 25 + 25);
  assert.ok(cell(1, 1)[6] > 0 && cell(1, 2)[6] > 0, 'bin 0 at the edge');
  for (let b = 7; b < 14; b++) assert.equal(cell(1, 1)[b], 0);
  assert.equal(cell(1, 0)[6], 0, 'no gradient away from the edge');
  assert.ok(cell(1, 3)[22] > 0 && cell(1, 0)[22] < 0, 'contrast sign follows the side of the edge');
  assert.throws(() => computeColourGradientFeatures(rgb, 16, 3), /multiple of 2 × grid/);
});

test('conv encoder: [B, S, S, 3] → [B, S/8, S/8, 48]; gradients agree between wasm and cpu (< 1e-4)', async () => {
  const rng = createRng(4);
  const input = Float32Array.from({ length: 2 * 32 * 32 * 3 }, () => rng.next() - 0.5);
  const run = () => {
    const encoder = createConvEncoder(9);
    const x = tf.tensor4d(input, [2, 32, 32, 3]);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(encoder.encode(x))) as tf.Scalar);
    const shape = tf.tidy(() => encoder.encode(x).shape);
    const out = encoder.variables.map((v) => grads[v.variable.name].dataSync().slice());
    tf.dispose([x, value, ...Object.values(grads)]);
    encoder.variables.forEach((v) => v.variable.dispose());
    return { shape, out };
  };
  const cpu = run();
  assert.deepEqual(cpu.shape, [2, 4, 4, 48]);
  await selectBackend('wasm');
  const wasm = run();
  await selectBackend('cpu');
  cpu.out.forEach((c, i) => {
    let diff = 0;
    let norm = 0;
    for (let k = 0; k < c.length; k++) {
      diff += (c[k] - wasm.out[i][k]) ** 2;
      norm += c[k] ** 2;
    }
    assert.ok(norm > 0 && Math.sqrt(diff / norm) < 1e-4, `weight ${i}: ${Math.sqrt(diff / norm)}`);
  });
});

async function saveConvModel(dir: string, stride: number, channels: number): Promise<void> {
  const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [32, 32, 3], filters: channels, kernelSize: stride, strides: stride })] });
  await model.save(createFileSaver(dir));
  model.dispose();
}

test('--visual-backbone: a layers model with a [1, g, g, C] output loads; features are [g, g, C]', async () => {
  const dir = join(work, 'good');
  await saveConvModel(dir, 8, 5);
  const backbone = await loadVisualBackbone(dir, { grid: 4, imageSize: 32 });
  assert.equal(backbone.inputSize, 32);
  assert.equal(backbone.channels, 5);
  const features = backbone.extract(new Uint8Array(32 * 32 * 3).fill(128));
  assert.equal(features.length, 4 * 4 * 5);
  assert.throws(() => backbone.extract(new Uint8Array(16 * 16 * 3)), /takes 32×32 RGB images/);
  backbone.dispose();
});

test('--visual-backbone: wrong output shape, missing folder and corrupt weights give errors naming the file', async () => {
  const dir = join(work, 'wrong');
  await saveConvModel(dir, 4, 5);
  await assert.rejects(loadVisualBackbone(dir, { grid: 4, imageSize: 32 }), (e: unknown) => e instanceof DataError && e.message.includes(join(dir, 'model.json')) && /outputs shape \[1, 8, 8, 5\]; expected \[1, 4, 4, C\], \[1, 16, C\] or \[1, 17, C\]/.test(e.message));
  await assert.rejects(loadVisualBackbone(join(work, 'absent'), { grid: 4, imageSize: 32 }), (e: unknown) => e instanceof DataError && /cannot read a TensorFlow.js model.json/.test(e.message));
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(10));
  await assert.rejects(loadVisualBackbone(dir, { grid: 4, imageSize: 32 }), /truncated/);
});
