// Gaussian smoothing against scipy.ndimage.gaussian_filter (run through the Debian python3, test-only) and the image score.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { gaussianKernel1d, imageScore, smoothAnomalyMap } from '../../../pipelines/eval/smooth.js';
import { PYTHON, pythonOrSkip } from '../../helpers/peers.js';

// Skips naming what is missing; fails instead with GEOAD_REQUIRE_PEERS=1.
const needScipy = pythonOrSkip(['numpy', 'scipy']);

// Deterministic pseudo-random map (xorshift), values in [0, 1).
function makeMap(width: number, height: number, seed: number): Float32Array {
  const out = new Float32Array(width * height);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s / 2 ** 32;
  }
  return out;
}

function scipySmooth(map: Float32Array, width: number, height: number, sigma: number): Float32Array {
  const script = [
    'import sys, numpy as np, scipy.ndimage as nd',
    `a = np.frombuffer(sys.stdin.buffer.read(), dtype='<f4').reshape(${height}, ${width})`,
    `sys.stdout.buffer.write(nd.gaussian_filter(a, ${sigma}).astype('<f4').tobytes())`,
  ].join('\n');
  const out = execFileSync(PYTHON, ['-c', script], { input: Buffer.from(map.buffer, map.byteOffset, map.byteLength) });
  return new Float32Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength));
}

test('kernel: radius round(4σ), sums to 1, symmetric', () => {
  const k = gaussianKernel1d(4);
  assert.equal(k.length, 33);
  assert.ok(Math.abs(k.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  for (let i = 0; i < 16; i++) assert.equal(k[i], k[32 - i]);
  assert.throws(() => gaussianKernel1d(0), /positive/);
});

test('constant map stays constant (reflect border adds no edge effect)', () => {
  const out = smoothAnomalyMap(new Float32Array(12 * 7).fill(0.5), 12, 7);
  for (const v of out) assert.ok(Math.abs(v - 0.5) < 1e-6);
});

test('rejects a size that does not match the data', () => {
  assert.throws(() => smoothAnomalyMap(new Float32Array(10), 3, 3), /expected 3×3 = 9 values, got 10/);
});

for (const [width, height, sigma] of [
  [40, 30, 4],
  [5, 3, 4],
  [64, 64, 2.5],
  [1, 9, 4],
] as const) {
  test(`is bit-identical to scipy gaussian_filter on ${width}×${height}, σ=${sigma}`, { skip: needScipy }, () => {
    const map = makeMap(width, height, width * 31 + height);
    const ours = smoothAnomalyMap(map, width, height, sigma);
    const theirs = scipySmooth(map, width, height, sigma);
    let maxDiff = 0;
    for (let i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i] - theirs[i]));
    assert.ok(maxDiff === 0, `max |ours − scipy| = ${maxDiff}`);
  });
}

test('imageScore is the maximum; NaN propagates', () => {
  assert.equal(imageScore(new Float32Array([0.1, 0.7, -2, 0.3])), Math.fround(0.7));
  assert.ok(Number.isNaN(imageScore([0.1, Number.NaN, 0.3])));
  assert.throws(() => imageScore([]), /empty/);
});
