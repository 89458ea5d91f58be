// Threshold calibration on validation maps and detection quality at the threshold.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectPixelScores } from '../../../pipelines/eval/pixel-scores.js';
import { calibrateThreshold, computeDetection, defaultMinDefectArea, detectImages, detectPixels } from '../../../pipelines/eval/threshold.js';

// 5×3 validation map: a 4-pixel blob at 0.9/0.8 (diagonal contact), scattered 0.5s, background 0.1.
const validation = {
  width: 5,
  height: 3,
  data: Float32Array.from([0.9, 0.9, 0.1, 0.5, 0.1, 0.1, 0.8, 0.8, 0.1, 0.1, 0.5, 0.1, 0.1, 0.1, 0.5]),
};

test('hand-worked: the smallest threshold whose largest region above it is below the area', () => {
  // > 0.8: 2 px; > 0.5: 4 px (one blob); > 0.1: the blob plus the 0.5s at (3,0) and (0,2), both diagonal to it → 6.
  assert.equal(calibrateThreshold([validation], 3), Math.fround(0.8));
  assert.equal(calibrateThreshold([validation], 5), Math.fround(0.5));
  assert.equal(calibrateThreshold([validation], 6), Math.fround(0.5));
  assert.equal(calibrateThreshold([validation], 7), Math.fround(0.1));
  assert.equal(calibrateThreshold([validation], 1), Math.fround(0.9));
  // No threshold reaches the area: the lowest validation score.
  assert.equal(calibrateThreshold([validation], 100), Math.fround(0.1));
});

test('regions do not join across images', () => {
  const a = { width: 2, height: 1, data: Float32Array.from([0.9, 0.9]) };
  const b = { width: 2, height: 1, data: Float32Array.from([0.9, 0.2]) };
  assert.equal(calibrateThreshold([a, b], 3), Math.fround(0.2)); // at most 2 connected pixels anywhere
  assert.equal(calibrateThreshold([a, b], 2), Math.fround(0.9));
  assert.throws(() => calibrateThreshold([], 2), /no validation maps/);
  assert.throws(() => calibrateThreshold([a], 0), /positive integer/);
});

test('detection counts at a threshold (strictly above)', () => {
  assert.deepEqual(detectImages([0.9, 0.5, 0.7, 0.2], [1, 1, 0, 0], 0.5), { precision: 0.5, recall: 0.5, f1: 0.5, fpr: 0.5 });
  const pixels = collectPixelScores([Float32Array.from([0.9, 0.4, 0.8, 0.1, 0.2])], [Uint8Array.from([1, 1, 0, 0, 0])], 5, 1);
  const d = detectPixels(pixels, Math.fround(0.3));
  assert.deepEqual(d, computeDetection(2, 1, 0, 2));
  assert.equal(d.precision, 2 / 3);
  assert.equal(d.recall, 1);
  assert.equal(computeDetection(0, 0, 3, 4).f1, 0);
});

test('batched calibration equals a brute-force search on a large map (scores of both signs)', async () => {
  const { labelComponents8 } = await import('../../../pipelines/eval/components.js');
  const width = 120;
  const height = 90;
  let s = 99;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const maps = [0, 1].map(() => ({ width, height, data: Float32Array.from({ length: width * height }, () => Math.round((rand() - 0.4) * 4000) / 1000) }));
  const largestAbove = (t: number) =>
    Math.max(0, ...maps.flatMap((m) => [...labelComponents8(m.data.map((v) => (v > t ? 1 : 0)), width, height).sizes]));
  const candidates = [...new Set(maps.flatMap((m) => [...m.data]))].sort((a, b) => a - b);
  for (const area of [3, 40, 900]) {
    // The largest region above t never grows with t: binary search for the first candidate below the area.
    let lo = 0;
    let hi = candidates.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (largestAbove(candidates[mid]) < area) hi = mid;
      else lo = mid + 1;
    }
    const expected = candidates[lo];
    assert.equal(calibrateThreshold(maps, area), expected, `area ${area}`);
  }
});

test('default minimum defect area: 0.1 % of a validation map, rounded up, at least 1', () => {
  const map = (width: number, height: number) => ({ width, height, data: new Float32Array(width * height) });
  assert.equal(defaultMinDefectArea([map(224, 224)]), 51); // 50176 / 1000 = 50.2 → 51
  assert.equal(defaultMinDefectArea([map(800, 800), map(800, 800)]), 640); // exactly 640, not 641
  assert.equal(defaultMinDefectArea([map(400, 400), map(800, 800)]), 400); // mean of 160000 and 640000 px
  assert.equal(defaultMinDefectArea([map(16, 16)]), 1);
  assert.throws(() => defaultMinDefectArea([]), /no validation maps/);
});
