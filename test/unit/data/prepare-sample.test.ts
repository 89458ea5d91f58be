import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../orchestrator/util/errors.js';
import { fitBorderPlane, keepLargestComponent } from '../../../pipelines/data/plane-removal.js';
import { normalizePrepareOptions, prepareSample } from '../../../pipelines/data/prepare-sample.js';
import { resizeArea, resizeNearest } from '../../../pipelines/data/resize.js';
import type { RawSample, SampleRef } from '../../../pipelines/data/types.js';
import { renderScene, type Scene } from './mvtec-fixture.js';

const ref: SampleRef = { root: '/r', category: 'bagel', split: 'test', defect: 'crack', id: '000', rgbPath: '/r/a.png', xyzPath: '/r/a.tiff' };
const raw = (scene: Scene, gt: Uint8Array | null = null): RawSample => ({ ref, width: scene.width, height: scene.height, rgb: scene.rgb, xyz: scene.xyz, gt, nonFinitePoints: 0 });

test('plane removal keeps the object and removes the table (at full resolution)', () => {
  const scene = renderScene({ width: 96, height: 80, radius: 0.03 });
  const prepared = prepareSample(raw(scene), { size: 80, distanceThreshold: 0.005 });
  // Compare at the prepared resolution through the same nearest resize of the labels.
  const labels = resizeNearest(scene.label, 96, 80, 1, 80, 80);
  let objectKept = 0, objectTotal = 0, tableKept = 0, tableTotal = 0;
  for (let p = 0; p < labels.length; p++) {
    if (labels[p] === 1) { objectTotal++; objectKept += prepared.foreground[p]; }
    else { tableTotal++; tableKept += prepared.foreground[p]; }
  }
  // Object points within 5 mm of the table (the sphere's bottom rim) are legitimately removed: allow 10 %.
  assert.ok(objectKept / objectTotal > 0.9, `object kept ${objectKept}/${objectTotal}`);
  assert.equal(tableKept, 0, `table points kept: ${tableKept} of ${tableTotal}`);
  // Removed points are zeroed in xyz; the fitted plane is the table's (normal toward the camera).
  for (let p = 0; p < labels.length; p++) if (!prepared.foreground[p]) assert.deepEqual([...prepared.xyz.subarray(p * 3, p * 3 + 3)], [0, 0, 0]);
  assert.ok(prepared.plane);
  const [nx, ny, nz] = prepared.plane.normal;
  const truth = [0.05, -0.08, -1].map((v) => v / Math.hypot(0.05, -0.08, -1));
  assert.ok(Math.abs(nx * truth[0] + ny * truth[1] + nz * truth[2]) > 0.99999);
  assert.ok(Math.abs(prepared.plane.offset - 0.5 / 1) < 1e-3);
});

test('plane fitting is seeded: same seed, same plane; robust to the object touching the border', () => {
  const scene = renderScene({ width: 64, height: 48, radius: 0.08 }); // a big sphere covering much of the view
  const options = { borderFraction: 0.1, distanceThreshold: 0.005, iterations: 100, maxPoints: 500, seed: 7 };
  const a = fitBorderPlane(scene.xyz, 64, 48, options);
  const b = fitBorderPlane(scene.xyz, 64, 48, options);
  assert.deepEqual(a, b);
  assert.ok(a && Math.abs(a.offset - 0.5) < 1e-3, `offset ${a?.offset}`);
  assert.equal(fitBorderPlane(new Float32Array(64 * 48 * 3), 64, 48, options), undefined, 'no valid points, no plane');
});

test('the largest-component option drops a floating cluster', () => {
  const scene = renderScene({ width: 96, height: 80, floater: true });
  const floaterPixels = scene.label.filter((l) => l === 2).length;
  assert.ok(floaterPixels > 3, 'the fixture has a floater');
  const withFloater = prepareSample(raw(scene), { size: 96 });
  const without = prepareSample(raw(scene), { size: 96, keepLargestComponent: true });
  const count = (m: Uint8Array) => m.reduce((s, v) => s + v, 0);
  assert.ok(count(withFloater.foreground) - count(without.foreground) > 0);
  const labels = resizeNearest(scene.label, 96, 80, 1, 96, 96);
  for (let p = 0; p < labels.length; p++) if (labels[p] === 2) assert.equal(without.foreground[p], 0);
});

test('keepLargestComponent keeps the biggest 8-connected blob', () => {
  const mask = Uint8Array.from([1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0]);
  assert.deepEqual([...keepLargestComponent(mask, 4, 4)], [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0]);
});

test('resize: nearest samples pixel centres, area averages exactly', () => {
  const src = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  assert.deepEqual([...resizeNearest(src, 4, 4, 1, 2, 2)], [6, 8, 14, 16]);
  const rgb = Uint8Array.from([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150]);
  assert.deepEqual([...resizeArea(rgb, 4, 4, 1, 2, 2)], [25, 45, 105, 125]);
  // 3 → 2: output pixel 0 covers source [0, 1.5): (a + b/2) / 1.5
  assert.deepEqual([...resizeArea(Uint8Array.from([0, 90, 180]), 3, 1, 1, 2, 1)], [30, 150]);
});

test('gt is nearest-resized; samples without gt get an all-zero mask', () => {
  const scene = renderScene({ width: 48, height: 40 });
  const gt = new Uint8Array(48 * 40).map((_, p) => (p % 48 < 24 ? 1 : 0));
  const prepared = prepareSample(raw(scene, gt), { size: 24 });
  assert.deepEqual([...prepared.gt.subarray(0, 24)], [...Array(12).fill(1), ...Array(12).fill(0)]);
  assert.ok(prepareSample(raw(scene), { size: 24 }).gt.every((v) => v === 0));
  assert.equal(prepared.rgb.length, 24 * 24 * 3);
});

test('options are validated with messages naming the option', () => {
  assert.throws(() => normalizePrepareOptions({ size: 0 }), (e: unknown) => e instanceof UsageError && e.message === 'Expected `size` to be an integer from 8 to 2048, got `0`');
  assert.throws(() => normalizePrepareOptions({ distanceThreshold: Number.NaN }), /`distanceThreshold`.*`NaN`/);
  assert.throws(() => normalizePrepareOptions({ sise: 3 } as never), /Unknown preprocessing option `sise`/);
  assert.equal(normalizePrepareOptions().size, 224);
});
