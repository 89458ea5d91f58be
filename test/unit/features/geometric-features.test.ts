import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../orchestrator/util/errors.js';
import { prepareSample } from '../../../pipelines/data/prepare-sample.js';
import type { PreparedSample, SampleRef } from '../../../pipelines/data/types.js';
import { computeGeometricFeatures, featureChannelNames, normalizeFeatureOptions } from '../../../pipelines/features/geometric-features.js';
import { renderScene } from '../data/mvtec-fixture.js';

const ref: SampleRef = { root: '/r', category: 'c', split: 'train', defect: 'good', id: '000', rgbPath: '/r/a.png', xyzPath: '/r/a.tiff' };
function prepared(): PreparedSample {
  const scene = renderScene({ width: 96, height: 96, radius: 0.1 });
  return prepareSample({ ref, width: 96, height: 96, rgb: scene.rgb, xyz: scene.xyz, gt: null, nonFinitePoints: 0 }, { size: 64 });
}

test('channel layout: 3 normal + one variation per radius + 33 FPFH, scaled into documented ranges', () => {
  const p = prepared();
  const f = computeGeometricFeatures(p, { grid: 16 });
  assert.equal(f.grid, 16);
  assert.equal(f.channels, 39);
  assert.equal(f.data.length, 16 * 16 * 39);
  assert.deepEqual(f.channelNames, featureChannelNames(normalizeFeatureOptions({ grid: 16 })));
  assert.equal(f.channelNames?.[3], 'variation.r2');
  let cells = 0;
  for (let cell = 0; cell < 256; cell++) {
    const v = f.data.subarray(cell * 39, cell * 39 + 39);
    if (!f.foreground[cell]) {
      assert.ok(v.every((x) => x === 0), 'background cells are zero');
      continue;
    }
    cells++;
    assert.ok(Math.abs(Math.hypot(v[0], v[1], v[2]) - 1) < 1e-5, 'normals are unit');
    assert.ok(v[2] < 0, 'normals face the camera (−z)');
    for (let c = 3; c < 6; c++) assert.ok(v[c] >= 0 && v[c] <= 1);
    for (let h = 0; h < 3; h++) {
      const sum = v.subarray(6 + h * 11, 6 + h * 11 + 11).reduce((s, x) => s + x, 0);
      assert.ok(sum < 1 + 1e-4, `FPFH sub-histogram ${h} sums to ${sum}`);
    }
  }
  // The sphere covers the middle of the view: foreground cells exist, background cells too.
  assert.ok(cells > 20 && cells < 256, `${cells} foreground cells`);
});

test('features are deterministic and change with the radius option', () => {
  const p = prepared();
  assert.deepEqual(computeGeometricFeatures(p, { grid: 8 }), computeGeometricFeatures(p, { grid: 8 }));
  const other = computeGeometricFeatures(p, { grid: 8, fpfhRadius: 0.01 });
  assert.notDeepEqual(other.data, computeGeometricFeatures(p, { grid: 8 }).data);
});

test('invalid options are usage errors naming the option', () => {
  const p = prepared();
  assert.throws(() => computeGeometricFeatures(p, { grid: 65 }), (e: unknown) => e instanceof UsageError && /`grid`.*64.*`65`/.test(e.message));
  assert.throws(() => normalizeFeatureOptions({ grid: 1.5 }), /Expected `grid` to be an integer from 1 to 2048, got `1.5`/);
  assert.throws(() => normalizeFeatureOptions({ variationRadii: [] }), /`variationRadii`/);
  assert.throws(() => normalizeFeatureOptions({ fpfhRadius: -1 }), /`fpfhRadius`/);
});
