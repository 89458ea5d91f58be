// Anomalies change what they should and nothing else: geometric defects move the surface inside their mask (and
// nowhere far outside it), contamination changes colour but no depth, masks are empty exactly for good samples,
// holes are pits whose mask is their visible walls and floor, and sizes match MVTec 3D-AD's (mm and % of image).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildRenderScene } from '../../../pipelines/synth/build-mesh.js';
import { categoryNames } from '../../../pipelines/synth/categories.js';
import { defectTypes, type DefectType } from '../../../pipelines/synth/params.js';
import { rasterizeScene } from '../../../pipelines/synth/rasterize.js';
import { sampleScene } from '../../../pipelines/synth/sample-scene.js';

const SIZE = 96;

function renderPair(category: string, defect: DefectType, index: number) {
  const params = sampleScene(11, { category, split: 'test', defect, index }, SIZE);
  const withDefect = rasterizeScene(buildRenderScene(params, { resolution: SIZE }));
  const flat = rasterizeScene(buildRenderScene(params, { resolution: SIZE, displace: false }));
  return { params, withDefect, flat };
}

/** Mask grown by `r` pixels (square neighbourhood). */
function dilate(mask: Uint8Array, r: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      if (!mask[y * SIZE + x]) continue;
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const yy = y + dy, xx = x + dx;
          if (yy >= 0 && xx >= 0 && yy < SIZE && xx < SIZE) out[yy * SIZE + xx] = 1;
        }
      }
    }
  }
  return out;
}

describe('anomalies', () => {
  for (const category of ['bagel', 'potato', 'carrot', 'tire', 'cable_gland']) {
    for (const defect of ['dent', 'bump', 'crack', 'hole', 'scratch'] as const) {
      it(`${defect} on ${category} changes depth inside its mask only`, () => {
        const { withDefect, flat } = renderPair(category, defect, 0);
        const near = dilate(withDefect.mask, 3);
        let inside = 0;
        let outside = 0;
        let maxChange = 0;
        for (let i = 0; i < SIZE * SIZE; i++) {
          const dz = Math.abs(withDefect.xyz[i * 3 + 2] - flat.xyz[i * 3 + 2]);
          if (dz < 1e-5) continue;
          if (withDefect.mask[i]) {
            inside++;
            maxChange = Math.max(maxChange, dz);
          } else if (!near[i]) outside++;
        }
        assert.ok(inside > 0, 'depth changes inside the mask');
        // At least 0.1 mm; more where a bump hides the plane behind the object's silhouette.
        assert.ok(maxChange >= 1e-4 && maxChange <= 0.06, `largest depth change ${maxChange} m`);
        assert.equal(outside, 0, `${outside} pixels changed depth far from the mask`);
      });
    }
  }

  it('contamination changes colour inside its mask and no depth anywhere', () => {
    for (const category of ['cookie', 'foam', 'dowel']) {
      const { withDefect, flat } = renderPair(category, 'contamination', 1);
      // The same scene with a transparent contaminant: identical tessellation, no colour change.
      const params = sampleScene(11, { category, split: 'test', defect: 'contamination', index: 1 }, SIZE);
      const clean = rasterizeScene(buildRenderScene({ ...params, anomaly: { ...params.anomaly!, opacity: 0 } }, { resolution: SIZE }));
      assert.deepEqual(withDefect.xyz, flat.xyz);
      assert.deepEqual(withDefect.xyz, clean.xyz);
      let changedInside = 0;
      let changedFar = 0;
      const near = dilate(withDefect.mask, 2);
      for (let i = 0; i < SIZE * SIZE; i++) {
        const diff = Math.abs(withDefect.rgb[i * 3] - clean.rgb[i * 3]) + Math.abs(withDefect.rgb[i * 3 + 1] - clean.rgb[i * 3 + 1]) + Math.abs(withDefect.rgb[i * 3 + 2] - clean.rgb[i * 3 + 2]);
        if (diff === 0) continue;
        if (withDefect.mask[i]) changedInside++;
        else if (!near[i]) changedFar++;
      }
      assert.ok(changedInside > 0, `${category}: colour changes inside the mask`);
      assert.equal(changedFar, 0, `${category}: colour changed far from the mask`);
    }
  });

  it('masks are empty for good samples and non-empty for every defect of every category', () => {
    for (const category of categoryNames) {
      const good = rasterizeScene(buildRenderScene(sampleScene(5, { category, split: 'test', defect: 'good', index: 0 }, 64), { resolution: 64 }));
      assert.equal(good.mask.filter((v) => v !== 0).length, 0, `${category}/good`);
      for (const defect of defectTypes) {
        const out = rasterizeScene(buildRenderScene(sampleScene(5, { category, split: 'test', defect, index: 0 }, 64), { resolution: 64 }));
        const area = out.mask.filter((v) => v !== 0).length / (64 * 64);
        assert.ok(area > 0 && area < 0.1, `${category}/${defect}: mask covers ${(area * 100).toFixed(2)}%`);
      }
    }
  });

  it('samples defects at MVTec 3D-AD scale: a few mm to 15 mm across, 0.3–5 mm deep; cracks deep, scratches shallow', () => {
    for (const defect of defectTypes) {
      for (let index = 0; index < 20; index++) {
        const a = sampleScene(2, { category: categoryNames[index % categoryNames.length], split: 'test', defect, index }, 400).anomaly!;
        const depth = Math.abs(a.depth);
        if (defect === 'contamination') assert.equal(a.depth, 0);
        else assert.ok(depth >= 0.0003 && depth <= 0.005, `${defect} depth ${depth}`);
        const across = a.length > 0 ? a.length : 2 * a.radius;
        assert.ok(across >= 0.0015 && across <= 0.015, `${defect} spans ${across} m`);
        if (defect === 'crack') assert.ok(depth >= 1.25 * 2 * a.radius, `crack ${2 * a.radius} m wide is only ${depth} m deep`);
        if (defect === 'scratch') assert.ok(depth <= 0.0006 && 2 * a.radius <= 0.0025, `scratch ${2 * a.radius} m wide, ${depth} m deep`);
      }
    }
  });

  it('anomalous regions cover typically 0.1–5 % of the image across categories and defects', () => {
    // Every category × defect at 256 px (footprints do not depend on the resolution above the pixel floor).
    const size = 256;
    const fractions: number[] = [];
    for (const category of categoryNames) {
      for (const defect of defectTypes) {
        const params = sampleScene(3, { category, split: 'test', defect, index: 0 }, size);
        fractions.push(rasterizeScene(buildRenderScene(params, { resolution: size })).mask.filter((v) => v !== 0).length / (size * size));
      }
    }
    fractions.sort((a, b) => a - b);
    const median = fractions[fractions.length >> 1];
    const outside = fractions.filter((f) => f < 0.001 || f > 0.05).length / fractions.length;
    const summary = `median ${(median * 100).toFixed(3)} %, ${(outside * 100).toFixed(0)} % outside 0.1–5 %, range ${(fractions[0] * 100).toFixed(3)}–${(fractions.at(-1)! * 100).toFixed(3)} %`;
    assert.ok(median >= 0.001 && median <= 0.05, summary);
    assert.ok(outside <= 0.2, summary);
  });

  // A hole in a solid object is a pit: its walls and floor are what the camera sees through the opening.
  for (const category of categoryNames) {
    it(`a hole in ${category} is a pit whose mask is exactly its visible walls and floor, all deeper than the surface was`, () => {
      const size = 128;
      const params = sampleScene(11, { category, split: 'test', defect: 'hole', index: 0 }, size);
      const scene = buildRenderScene(params, { resolution: size });
      const pit = rasterizeScene(scene);
      const surface = rasterizeScene(buildRenderScene(params, { resolution: size, displace: false }));
      const depth = Math.abs(params.anomaly!.depth);
      let masked = 0, floor = 0, wall = 0;
      for (let i = 0; i < size * size; i++) {
        const face = pit.faceIds[i];
        assert.equal(pit.mask[i] === 255, face >= 0 && scene.mesh.faceLabels[face] === 1, `pixel ${i}: mask and face label disagree`);
        if (!pit.mask[i]) continue;
        masked++;
        const deeper = pit.xyz[i * 3 + 2] - surface.xyz[i * 3 + 2];
        assert.ok(deeper >= -1e-6, `pixel ${i} in the hole is ${-deeper} m nearer than the surface was`);
        if (deeper >= 0.9 * depth) floor++;
        else if (deeper > 0 && deeper < 0.6 * depth) wall++;
      }
      assert.ok(masked > 0 && floor > 0 && wall > 0, `${masked} hole pixels: ${floor} on the floor, ${wall} on the walls`);
    });
  }
});
