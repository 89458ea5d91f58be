// The built-in rasterizer: coverage and depth on a hand-made scene, and back-projection consistency on real
// scenes — every XYZ lies on the face seen at its pixel and projects back to the pixel centre.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildRenderScene } from '../../../pipelines/synth/build-mesh.js';
import { categoryNames } from '../../../pipelines/synth/categories.js';
import { rasterizeScene } from '../../../pipelines/synth/rasterize.js';
import { sampleScene } from '../../../pipelines/synth/sample-scene.js';
import type { RenderScene } from '../../../pipelines/synth/types.js';

/** A square at depth z spanning [-h, h]² in x, y, facing the camera (two counter-clockwise faces seen from −z). */
function squareScene(size: number, z: number, h: number, label: 0 | 1): RenderScene {
  const positions = Float32Array.from([-h, -h, z, h, -h, z, h, h, z, -h, h, z]);
  return {
    camera: { width: size, height: size, fx: size, fy: size, cx: size / 2, cy: size / 2 },
    // Seen from the camera (y down), a→b→c must turn clockwise on screen to face it: (0,1,2) goes right then down.
    mesh: { positions, colors: new Float32Array(12).fill(0.5), indices: Uint32Array.from([0, 2, 1, 0, 3, 2]), faceLabels: Uint8Array.from([label, label]), faceMaterials: new Uint8Array(2) },
    materials: [{ name: 'm', specular: 0, shininess: 1 }],
    lights: [{ kind: 'directional', direction: [0, 0, -1], color: [1, 1, 1], intensity: 0.5 }],
    ambient: 0,
  };
}

describe('rasterizeScene', () => {
  it('covers exactly the pixel centres inside a square and writes its depth', () => {
    // At z = 2 with fx = size = 40 a half-size of 0.5 m spans 10 px either side of the centre.
    const out = rasterizeScene(squareScene(40, 2, 0.5, 1));
    let covered = 0;
    for (let v = 0; v < 40; v++) {
      for (let u = 0; u < 40; u++) {
        const i = v * 40 + u;
        const inside = u >= 10 && u < 30 && v >= 10 && v < 30;
        assert.equal(out.faceIds[i] >= 0, inside, `pixel ${u},${v}`);
        if (!inside) {
          assert.deepEqual([...out.xyz.subarray(i * 3, i * 3 + 3)], [0, 0, 0]);
          assert.equal(out.mask[i], 0);
          assert.deepEqual([...out.rgb.subarray(i * 3, i * 3 + 3)], [0, 0, 0]);
          continue;
        }
        covered++;
        assert.ok(Math.abs(out.xyz[i * 3 + 2] - 2) < 1e-6);
        assert.ok(Math.abs(out.xyz[i * 3] - ((u + 0.5 - 20) / 40) * 2) < 1e-6);
        assert.equal(out.mask[i], 255);
        // Lambert: albedo 0.5 × intensity 0.5 = 0.25 linear → sRGB 137.
        assert.ok(Math.abs(out.rgb[i * 3] - 137) <= 1, `rgb ${out.rgb[i * 3]}`);
      }
    }
    assert.equal(covered, 400);
  });

  it('culls faces turned away from the camera', () => {
    const scene = squareScene(20, 2, 0.5, 0);
    const flipped = { ...scene, mesh: { ...scene.mesh, indices: Uint32Array.from([0, 1, 2, 0, 2, 3]) } };
    assert.equal(rasterizeScene(flipped).faceIds.filter((f) => f >= 0).length, 0);
  });

  for (const category of categoryNames) {
    it(`back-projects every XYZ of a ${category} onto its mesh`, () => {
      const size = 64;
      const params = sampleScene(3, { category, split: 'test', defect: 'dent', index: 0 }, size);
      const scene = buildRenderScene(params, { resolution: size });
      const out = rasterizeScene(scene);
      const { fx, fy, cx, cy } = scene.camera;
      const p = scene.mesh.positions;
      let hits = 0;
      let objectHits = 0;
      for (let i = 0; i < size * size; i++) {
        const f = out.faceIds[i];
        if (f < 0) continue;
        hits++;
        if (scene.mesh.faceMaterials[f] === 0) objectHits++;
        const [x, y, z] = out.xyz.subarray(i * 3, i * 3 + 3);
        // Projects back to the pixel centre.
        assert.ok(Math.abs((fx * x) / z + cx - ((i % size) + 0.5)) < 1e-3 && Math.abs((fy * y) / z + cy - (Math.floor(i / size) + 0.5)) < 1e-3);
        // Lies in the face's plane, inside the triangle.
        const [a, b, c] = [0, 1, 2].map((k) => scene.mesh.indices[f * 3 + k] * 3);
        const e1 = [p[b] - p[a], p[b + 1] - p[a + 1], p[b + 2] - p[a + 2]];
        const e2 = [p[c] - p[a], p[c + 1] - p[a + 1], p[c + 2] - p[a + 2]];
        const n = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
        const len = Math.hypot(n[0], n[1], n[2]);
        const d = [x - p[a], y - p[a + 1], z - p[a + 2]];
        assert.ok(Math.abs((n[0] * d[0] + n[1] * d[1] + n[2] * d[2]) / len) < 2e-6 * z, `pixel ${i} is ${(n[0] * d[0] + n[1] * d[1] + n[2] * d[2]) / len} m off its face`);
        const span = Math.max(Math.hypot(e1[0], e1[1], e1[2]), Math.hypot(e2[0], e2[1], e2[2]));
        const centroid = [(p[a] + p[b] + p[c]) / 3, (p[a + 1] + p[b + 1] + p[c + 1]) / 3, (p[a + 2] + p[b + 2] + p[c + 2]) / 3];
        assert.ok(Math.hypot(x - centroid[0], y - centroid[1], z - centroid[2]) <= span * 1.01);
      }
      assert.equal(hits, size * size, 'the support plane fills the frame');
      // The object fills a good part of the frame (about half its width).
      assert.ok(objectHits > size * size * 0.04 && objectHits < size * size * 0.7, `object covers ${objectHits} px`);
    });
  }
});
