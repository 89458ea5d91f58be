import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeLocalGeometry } from '../../../pipelines/features/local-geometry.js';
import { angleDegrees, planeHit, renderCloud, sphereHit } from './analytic-cloud.js';

test('normals of a tilted plane are exact and face the camera', () => {
  const n: [number, number, number] = [0.3, -0.2, -1];
  const len = Math.hypot(...n);
  const unit = n.map((v) => v / len);
  const cloud = renderCloud(40, 30, 40, planeHit(unit as [number, number, number], 0.5));
  const { normals, variation } = computeLocalGeometry(cloud, 2, [2, 4]);
  let checked = 0;
  for (let p = 0; p < 40 * 30; p++) {
    if (!cloud.valid[p]) continue;
    const normal = normals.subarray(p * 3, p * 3 + 3);
    assert.ok(angleDegrees(normal, unit) < 1e-3, `pixel ${p}: ${angleDegrees(normal, unit)}°`);
    // toward the camera: n · p < 0
    assert.ok(normal[0] * cloud.xyz[p * 3] + normal[1] * cloud.xyz[p * 3 + 1] + normal[2] * cloud.xyz[p * 3 + 2] < 0);
    assert.ok(variation[p * 2] < 1e-6 && variation[p * 2 + 1] < 1e-6);
    checked++;
  }
  assert.equal(checked, 40 * 30);
});

test('normals of a sphere are within 1° of the analytic normal', () => {
  const centre: [number, number, number] = [0.01, -0.005, 0.3];
  const radius = 0.05;
  const size = 160;
  const cloud = renderCloud(size, size, 400, sphereHit(centre, radius));
  const r = 2;
  const { normals, variation } = computeLocalGeometry(cloud, r, [r]);
  let checked = 0;
  let worst = 0;
  for (let y = r; y < size - r; y++) {
    for (let x = r; x < size - r; x++) {
      const p = y * size + x;
      let full = true;
      for (let dy = -r; dy <= r && full; dy++) for (let dx = -r; dx <= r && full; dx++) full = cloud.valid[p + dy * size + dx] === 1;
      if (!full) continue;
      const point = cloud.xyz.subarray(p * 3, p * 3 + 3);
      const truth = [point[0] - centre[0], point[1] - centre[1], point[2] - centre[2]];
      // Only where the surface faces the camera within 60° (grazing rims are ill-posed for any window).
      if (angleDegrees(truth, [-point[0], -point[1], -point[2]]) > 60) continue;
      worst = Math.max(worst, angleDegrees(normals.subarray(p * 3, p * 3 + 3), truth));
      assert.ok(variation[p] > 0, 'a curved surface has positive surface variation');
      checked++;
    }
  }
  assert.ok(checked > 1000, `checked ${checked} pixels`);
  assert.ok(worst < 1, `worst normal error ${worst.toFixed(3)}°`);
});

test('pixels with fewer than 3 points in the window get no normal', () => {
  const cloud = renderCloud(5, 5, 5, planeHit([0, 0, -1], 1));
  const valid = new Uint8Array(25);
  valid[12] = 1;
  valid[13] = 1;
  const { normals } = computeLocalGeometry({ ...cloud, valid }, 1, [1]);
  assert.deepEqual([...normals.subarray(36, 39)], [0, 0, 0]);
});
