// The gradient of the bilinear upsampling (resizeAlignCorners) is the transpose of the resize: for random x and y,
// ⟨resize(x), y⟩ = ⟨x, ∇ₓ⟨resize(x), y⟩⟩, and on a small case both equal an interpolation matrix built here in plain
// JS. Comparing wasm with cpu cannot catch a gradient bug both backends share (tfjs 4.22's halfPixelCenters one).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../pipelines/model/backend.js';
import { resizeAlignCorners } from '../../../pipelines/model/ops.js';
import { createRng } from '../../../pipelines/model/random.js';

after(async () => {
  await selectBackend('cpu');
});

function randomArray(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

// resize(x) and ∇ₓ⟨resize(x), y⟩ for x [B, h, w, C] and y [B, size, size, C], on the active backend.
function resizeAndGradient(x: Float32Array, shape: [number, number, number, number], y: Float32Array, size: number) {
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, shape);
    const yt = tf.tensor4d(y, [shape[0], size, size, shape[3]]);
    const grad = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(resizeAlignCorners(input as tf.Tensor4D, size), yt)))(xt);
    return { out: resizeAlignCorners(xt, size).dataSync() as Float32Array, grad: grad.dataSync() as Float32Array };
  });
}

// 1-D aligned-corners interpolation weights: row o of the [outSize, inSize] matrix.
function axisMatrix(inSize: number, outSize: number): number[][] {
  return Array.from({ length: outSize }, (_, o) => {
    const row = new Array<number>(inSize).fill(0);
    const src = outSize > 1 ? (o * (inSize - 1)) / (outSize - 1) : 0;
    const i0 = Math.floor(src);
    const i1 = Math.min(i0 + 1, inSize - 1);
    row[i0] += 1 - (src - i0);
    row[i1] += src - i0;
    return row;
  });
}

// The dense [size², h·w] matrix of the 2-D resize: the Kronecker product of the two axes' matrices.
function denseResizeMatrix(h: number, w: number, size: number): number[][] {
  const ry = axisMatrix(h, size);
  const rx = axisMatrix(w, size);
  const out: number[][] = [];
  for (let oy = 0; oy < size; oy++) {
    for (let ox = 0; ox < size; ox++) {
      const row = new Array<number>(h * w).fill(0);
      for (let iy = 0; iy < h; iy++) for (let ix = 0; ix < w; ix++) row[iy * w + ix] = ry[oy][iy] * rx[ox][ix];
      out.push(row);
    }
  }
  return out;
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`${backend}: ⟨resize(x), y⟩ = ⟨x, gradient⟩ (the gradient is the adjoint), 28 → 56 as in the model`, async () => {
    assert.equal(await selectBackend(backend), backend);
    const shape: [number, number, number, number] = [2, 28, 28, 3];
    const x = randomArray(2 * 28 * 28 * 3, 11);
    const y = randomArray(2 * 56 * 56 * 3, 12);
    const { out, grad } = resizeAndGradient(x, shape, y, 56);
    const lhs = dot(out, y);
    const rhs = dot(x, grad);
    assert.ok(Math.abs(lhs - rhs) <= 1e-5 * Math.max(1, Math.abs(lhs)), `⟨Rx, y⟩ = ${lhs}, ⟨x, Rᵀy⟩ = ${rhs}`);
  });

  test(`${backend}: resize and its gradient equal R·x and Rᵀ·y for an explicit interpolation matrix R (3×3 → 7×7)`, async () => {
    assert.equal(await selectBackend(backend), backend);
    const [b, h, w, c, size] = [2, 3, 3, 2, 7];
    const x = randomArray(b * h * w * c, 21);
    const y = randomArray(b * size * size * c, 22);
    const { out, grad } = resizeAndGradient(x, [b, h, w, c], y, size);
    const r = denseResizeMatrix(h, w, size);
    for (let n = 0; n < b; n++) {
      for (let ch = 0; ch < c; ch++) {
        for (let o = 0; o < size * size; o++) {
          let expected = 0;
          for (let i = 0; i < h * w; i++) expected += r[o][i] * x[(n * h * w + i) * c + ch];
          const got = out[(n * size * size + o) * c + ch];
          assert.ok(Math.abs(got - expected) < 1e-5, `resize: sample ${n} channel ${ch} output ${o}: ${got} vs ${expected}`);
        }
        for (let i = 0; i < h * w; i++) {
          let expected = 0;
          for (let o = 0; o < size * size; o++) expected += r[o][i] * y[(n * size * size + o) * c + ch];
          const got = grad[(n * h * w + i) * c + ch];
          assert.ok(Math.abs(got - expected) < 1e-5, `gradient: sample ${n} channel ${ch} input ${i}: ${got} vs ${expected}`);
        }
      }
    }
  });
}

test('non-square grids are refused (tfjs 4.22 cpu gives their resize gradient a transposed shape)', () => {
  assert.throws(() => tf.tidy(() => resizeAlignCorners(tf.zeros([1, 3, 4, 1]), 7)), /square grids, got \[1, 3, 4, 1\]/);
});
