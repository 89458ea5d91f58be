// Bilinear map resizing, checked value by value against hand-worked results of the half-pixel-centre convention
// (torch.nn.functional.interpolate(mode='bilinear', align_corners=False), which CFM uses, and cv2.resize
// INTER_LINEAR): output pixel o samples the source at (o + 0.5)·in/out − 0.5, clamped to the edge pixels.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { haveSameAspectRatio, resizeMapBilinear } from '../../../pipelines/eval/resize-map.js';

test('2×2 → 4×4 up-sampling: the values torch gives for [[1, 2], [3, 4]] with align_corners=False', () => {
  // The example of the torch.nn.Upsample documentation (mode='bilinear', align_corners=False).
  // Columns (and rows) sample the source at −0.25 → 0 (clamped), 0.25, 0.75, 1.25 → 1 (clamped):
  // weights of (first, second) = (1, 0), (0.75, 0.25), (0.25, 0.75), (0, 1). Row 0 → 1, 1.25, 1.75, 2; row 1 → 3, 3.25,
  // 3.75, 4; the middle rows mix them 0.75/0.25 and 0.25/0.75.
  const out = resizeMapBilinear(Float32Array.from([1, 2, 3, 4]), 2, 2, 4, 4);
  assert.deepEqual([...out], [
    1, 1.25, 1.75, 2,
    1.5, 1.75, 2.25, 2.5,
    2.5, 2.75, 3.25, 3.5,
    3, 3.25, 3.75, 4,
  ]);
  // align_corners=True would put the corners' samples at 0, 1/3, 2/3, 1 (row 0: 1, 1.333…, 1.666…, 2): not this.
  assert.notEqual(out[1], 1 + 1 / 3);
});

test('3×3 → 5×5 (non-integer ratio 0.6): 1, 1.4, 2, 2.6, 3 along the first row, as torch gives', () => {
  // Samples at −0.2 → 0, 0.4, 1.0, 1.6, 2.2 → 2 (clamped). The same 3×3 → 5×5 table is published for torch-compatible
  // bilinear kernels with alignCorners = false (e.g. Ascend's aclnnUpsampleBilinear2d documentation).
  const out = resizeMapBilinear(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), 3, 3, 5, 5);
  const expected = [1, 1.4, 2, 2.6, 3, 2.2, 2.6, 3.2, 3.8, 4.2, 4, 4.4, 5, 5.6, 6, 5.8, 6.2, 6.8, 7.4, 7.8, 7, 7.4, 8, 8.6, 9];
  expected.forEach((v, i) => assert.ok(Math.abs(out[i] - v) < 1e-6, `pixel ${i}: ${out[i]} vs ${v}`));
});

test('4×4 → 2×2 down-sampling samples at 0.5 and 2.5: the mean of each 2×2 block (no anti-aliasing)', () => {
  const map = Float32Array.from({ length: 16 }, (_, i) => i * i); // not linear, so the sample position matters
  const out = resizeMapBilinear(map, 4, 4, 2, 2);
  const block = (x: number, y: number) => (map[y * 4 + x] + map[y * 4 + x + 1] + map[(y + 1) * 4 + x] + map[(y + 1) * 4 + x + 1]) / 4;
  assert.deepEqual([...out], [block(0, 0), block(2, 0), block(0, 2), block(2, 2)]);
});

test('non-integer ratio 3 → 2 and a non-square grid (3×1 → 2×3)', () => {
  // x: 1.5·(0.5) − 0.5 = 0.25 → 0.75·v0 + 0.25·v1; 1.5·(1.5) − 0.5 = 1.75 → 0.25·v1 + 0.75·v2.
  // y: one source row, every output row samples it (clamped).
  const out = resizeMapBilinear(Float32Array.from([0, 8, 16]), 3, 1, 2, 3);
  assert.deepEqual([...out], [2, 14, 2, 14, 2, 14]);
});

test('8×8 → 16×16 (the integration case): a linear ramp is reproduced inside, the border columns copy the edge ones', () => {
  const map = Float32Array.from({ length: 64 }, (_, i) => (i % 8) * 4 + Math.floor(i / 8) * 64); // v = 4x + 64y
  const out = resizeMapBilinear(map, 8, 8, 16, 16);
  // A linear ramp is reproduced exactly where no clamping happens: output o samples source (o + 0.5)/2 − 0.5.
  for (let y = 1; y < 15; y++) {
    for (let x = 1; x < 15; x++) assert.equal(out[y * 16 + x], 4 * ((x + 0.5) / 2 - 0.5) + 64 * ((y + 0.5) / 2 - 0.5), `(${x}, ${y})`);
  }
  // Column 0 samples −0.25 → clamped to column 0; column 15 samples 7.25 → column 7.
  assert.equal(out[5 * 16 + 0], 64 * ((5 + 0.5) / 2 - 0.5));
  assert.equal(out[5 * 16 + 15], 28 + 64 * ((5 + 0.5) / 2 - 0.5));
});

test('same size returns the map; a wrong length is rejected', () => {
  const map = new Float32Array(6);
  assert.equal(resizeMapBilinear(map, 3, 2, 3, 2), map);
  assert.throws(() => resizeMapBilinear(map, 4, 2, 8, 4), /expected 8 values, got 6/);
});

test('same aspect ratio up to rounding: what eval resizes; anything else would be stretched', () => {
  const same = [[224, 224, 800, 800], [224, 168, 800, 600], [225, 169, 800, 600], [64, 64, 96, 96], [8, 8, 16, 16]];
  for (const [w, h, W, H] of same) assert.ok(haveSameAspectRatio({ width: w, height: h }, { width: W, height: H }), `${w}×${h} ~ ${W}×${H}`);
  const other = [[96, 48, 96, 96], [16, 8, 16, 16], [224, 200, 800, 800], [800, 600, 600, 800]];
  for (const [w, h, W, H] of other) assert.ok(!haveSameAspectRatio({ width: w, height: h }, { width: W, height: H }), `${w}×${h} ≁ ${W}×${H}`);
});
