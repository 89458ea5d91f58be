// Pins the order of the map step (docs/architecture.md, "infer"): cells → bilinear to the prepared 224 image →
// Gaussian σ=4 there (the papers' protocol) → bilinear to the original size. Smoothing at the original size instead
// would be a different σ in prepared pixels and change every reported number, so a change here must be deliberate.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { smoothAnomalyMap } from '../../../pipelines/eval/smooth.js';
import { createRng } from '../../../pipelines/model/random.js';
import { buildAnomalyMap, resizeBilinearAligned } from '../../../pipelines/train/index.js';

const GRID = 56;
const SIZE = 224;
const ORIGINAL = { width: 400, height: 300 }; // not square: an axis swap would show

function randomCells(seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: GRID * GRID }, () => rng.next() * 3);
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

test('map = bilinear-up(smooth_224(bilinear-to-224(cells))) on an all-foreground sample', () => {
  const distance = randomCells(1);
  const input = {
    distance,
    grid: GRID,
    cellMask: new Uint8Array(GRID * GRID).fill(1),
    foreground: new Uint8Array(SIZE * SIZE).fill(1),
    size: SIZE,
    originalWidth: ORIGINAL.width,
    originalHeight: ORIGINAL.height,
  };
  const map = buildAnomalyMap(input, 4);
  const at224 = smoothAnomalyMap(resizeBilinearAligned(distance, GRID, GRID, SIZE, SIZE), SIZE, SIZE, 4);
  const expected = resizeBilinearAligned(at224, SIZE, SIZE, ORIGINAL.width, ORIGINAL.height);
  assert.equal(maxDifference(map, expected), 0);
  // The other reading of DESIGN §4 (smooth after upsampling to the original size) gives another map.
  const upFirst = resizeBilinearAligned(resizeBilinearAligned(distance, GRID, GRID, SIZE, SIZE), SIZE, SIZE, ORIGINAL.width, ORIGINAL.height);
  const smoothedLate = smoothAnomalyMap(upFirst, ORIGINAL.width, ORIGINAL.height, 4);
  assert.ok(maxDifference(map, smoothedLate) > 0.05, 'the test cannot tell the two orders apart');
});

test('with background: cells and pixels outside the object are zeroed before and after smoothing at 224', () => {
  const distance = randomCells(2);
  const cellMask = Uint8Array.from({ length: GRID * GRID }, (_, k) => (k % GRID < 40 ? 1 : 0));
  const foreground = Uint8Array.from({ length: SIZE * SIZE }, (_, p) => (p % SIZE < 160 ? 1 : 0));
  const map = buildAnomalyMap({ distance, grid: GRID, cellMask, foreground, size: SIZE, originalWidth: ORIGINAL.width, originalHeight: ORIGINAL.height }, 4);
  const mask = (m: Float32Array) => m.map((v, p) => (foreground[p] ? v : 0));
  const cells = distance.map((d, k) => (cellMask[k] ? d : 0));
  const at224 = mask(smoothAnomalyMap(mask(resizeBilinearAligned(cells, GRID, GRID, SIZE, SIZE)), SIZE, SIZE, 4));
  assert.equal(maxDifference(map, resizeBilinearAligned(at224, SIZE, SIZE, ORIGINAL.width, ORIGINAL.height)), 0);
});
