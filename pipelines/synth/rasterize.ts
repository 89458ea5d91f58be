// The built-in renderer: a CPU rasterizer with a pinhole camera. One pass fills a depth buffer (1/z, perspective
// correct) with the nearest front face per pixel centre; a resolve pass then writes RGB (Gouraud-shaded, sRGB),
// XYZ (the exact ray/triangle-plane intersection) and the anomaly mask. Typed arrays only, no per-pixel allocation.
import { shadeVertices } from './shade-vertices.js';
import { sampleShadow } from './shadow-map.js';
import type { RenderOutput, RenderScene } from './types.js';

const NEAR = 1e-4;

/** RenderOutput plus the index of the face seen at each pixel (−1 = none), for tests and diagnostics. */
export interface RasterOutput extends RenderOutput {
  readonly faceIds: Int32Array;
}

let srgbTable: Uint8Array | undefined;
/** 8-bit sRGB of linear values in [0, 1], tabulated at 1/4095 steps. */
function getSrgbTable(): Uint8Array {
  if (!srgbTable) {
    srgbTable = new Uint8Array(4096);
    for (let i = 0; i < 4096; i++) {
      const l = i / 4095;
      const s = l <= 0.0031308 ? 12.92 * l : 1.055 * Math.pow(l, 1 / 2.4) - 0.055;
      srgbTable[i] = Math.round(s * 255);
    }
  }
  return srgbTable;
}

let scratch: { depth: Float64Array; baryA: Float32Array; baryB: Float32Array } | undefined;
/** Per-pixel work buffers, kept between renders of the same size (a worker renders many) to spare the GC. */
function getScratch(pixels: number) {
  if (!scratch || scratch.depth.length !== pixels) {
    scratch = { depth: new Float64Array(pixels), baryA: new Float32Array(pixels), baryB: new Float32Array(pixels) };
  }
  return scratch;
}

/** Renders a scene with the built-in rasterizer. */
export function rasterizeScene(scene: RenderScene): RasterOutput {
  const { width, height, fx, fy, cx, cy } = scene.camera;
  const { positions, indices } = scene.mesh;
  const vertexCount = positions.length / 3;
  const sx = new Float64Array(vertexCount);
  const sy = new Float64Array(vertexCount);
  const iz = new Float64Array(vertexCount);
  for (let v = 0; v < vertexCount; v++) {
    const z = positions[v * 3 + 2];
    const inv = z > NEAR ? 1 / z : 0;
    sx[v] = fx * positions[v * 3] * inv + cx;
    sy[v] = fy * positions[v * 3 + 1] * inv + cy;
    iz[v] = inv;
  }
  const pixels = width * height;
  const { depth, baryA, baryB } = getScratch(pixels); // depth: 1/z of the nearest surface; 0 = empty
  depth.fill(0);
  const faceIds = new Int32Array(pixels).fill(-1);
  const faceCount = indices.length / 3;
  for (let f = 0; f < faceCount; f++) {
    const a = indices[f * 3];
    let b = indices[f * 3 + 1];
    let c = indices[f * 3 + 2];
    if (iz[a] === 0 || iz[b] === 0 || iz[c] === 0) continue;
    let area = (sx[b] - sx[a]) * (sy[c] - sy[a]) - (sy[b] - sy[a]) * (sx[c] - sx[a]);
    // Counter-clockwise faces seen from outside have negative area in y-down image space: keep those only.
    if (area >= 0) continue;
    [b, c] = [c, b];
    area = -area;
    const ax = sx[a], ay = sy[a], bx = sx[b], by = sy[b], qx = sx[c], qy = sy[c];
    const minX = Math.max(0, Math.ceil(Math.min(ax, bx, qx) - 0.5));
    const maxX = Math.min(width - 1, Math.floor(Math.max(ax, bx, qx) - 0.5));
    const minY = Math.max(0, Math.ceil(Math.min(ay, by, qy) - 0.5));
    const maxY = Math.min(height - 1, Math.floor(Math.max(ay, by, qy) - 0.5));
    if (minX > maxX || minY > maxY) continue;
    const inv = 1 / area;
    const za = iz[a], zb = iz[b], zc = iz[c];
    // Edge functions at the first pixel centre and their steps along x and y.
    const px0 = minX + 0.5;
    const py0 = minY + 0.5;
    const e0dx = -(qy - by), e0dy = qx - bx; // edge b→c (weight of a)
    const e1dx = -(ay - qy), e1dy = ax - qx; // edge c→a (weight of b)
    const e2dx = -(by - ay), e2dy = bx - ax; // edge a→b (weight of c)
    let r0 = (qx - bx) * (py0 - by) - (qy - by) * (px0 - bx);
    let r1 = (ax - qx) * (py0 - qy) - (ay - qy) * (px0 - qx);
    let r2 = (bx - ax) * (py0 - ay) - (by - ay) * (px0 - ax);
    for (let py = minY; py <= maxY; py++) {
      let w0 = r0, w1 = r1, w2 = r2;
      let i = py * width + minX;
      for (let px = minX; px <= maxX; px++, i++) {
        if (w0 >= 0 && w1 >= 0 && w2 >= 0) {
          const l0 = w0 * inv, l1 = w1 * inv;
          const z = l0 * za + l1 * zb + (1 - l0 - l1) * zc;
          if (z > depth[i]) {
            depth[i] = z;
            faceIds[i] = f;
            // Weights in the face's own vertex order (a, then the original b, which is c after the swap).
            baryA[i] = l0;
            baryB[i] = 1 - l0 - l1;
          }
        }
        w0 += e0dx; w1 += e1dx; w2 += e2dx;
      }
      r0 += e0dy; r1 += e1dy; r2 += e2dy;
    }
  }
  return resolvePixels(scene, depth, faceIds, baryA, baryB, iz);
}

/** Turns the visibility buffers into RGB, XYZ and mask (perspective-correct interpolation of vertex radiance). */
function resolvePixels(scene: RenderScene, depth: Float64Array, faceIds: Int32Array, baryA: Float32Array, baryB: Float32Array, iz: Float64Array): RasterOutput {
  const { width, height, fx, fy, cx, cy } = scene.camera;
  const { indices, faceLabels, faceMaterials } = scene.mesh;
  const { radiance, planeKey, shadow } = shadeVertices(scene);
  const table = getSrgbTable();
  const pixels = width * height;
  const rgb = new Uint8Array(pixels * 3);
  const xyz = new Float32Array(pixels * 3);
  const mask = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) {
    const f = faceIds[i];
    if (f < 0) continue;
    const a = indices[f * 3], b = indices[f * 3 + 1], c = indices[f * 3 + 2];
    const z = 1 / depth[i];
    // Screen-space weights → perspective-correct weights.
    const la = baryA[i], lb = baryB[i], lc = 1 - la - lb;
    const pa = la * iz[a] * z, pb = lb * iz[b] * z, pc = lc * iz[c] * z;
    let r = pa * radiance[a * 3] + pb * radiance[b * 3] + pc * radiance[c * 3];
    let g = pa * radiance[a * 3 + 1] + pb * radiance[b * 3 + 1] + pc * radiance[c * 3 + 1];
    let bl = pa * radiance[a * 3 + 2] + pb * radiance[b * 3 + 2] + pc * radiance[c * 3 + 2];
    const u = (i % width) + 0.5;
    const v = Math.floor(i / width) + 0.5;
    const x = ((u - cx) / fx) * z;
    const y = ((v - cy) / fy) * z;
    if (shadow && faceMaterials[f] !== 0) {
      // Support plane: key light shadowed per pixel (its mesh is too coarse for shadow edges).
      const lit = sampleShadow(shadow, x, y, z);
      if (lit > 0) {
        r += lit * (pa * planeKey[a * 3] + pb * planeKey[b * 3] + pc * planeKey[c * 3]);
        g += lit * (pa * planeKey[a * 3 + 1] + pb * planeKey[b * 3 + 1] + pc * planeKey[c * 3 + 1]);
        bl += lit * (pa * planeKey[a * 3 + 2] + pb * planeKey[b * 3 + 2] + pc * planeKey[c * 3 + 2]);
      }
    }
    rgb[i * 3] = table[r <= 0 ? 0 : r >= 1 ? 4095 : (r * 4095 + 0.5) | 0];
    rgb[i * 3 + 1] = table[g <= 0 ? 0 : g >= 1 ? 4095 : (g * 4095 + 0.5) | 0];
    rgb[i * 3 + 2] = table[bl <= 0 ? 0 : bl >= 1 ? 4095 : (bl * 4095 + 0.5) | 0];
    xyz[i * 3] = x;
    xyz[i * 3 + 1] = y;
    xyz[i * 3 + 2] = z;
    mask[i] = faceLabels[f] ? 255 : 0;
  }
  return { rgb, xyz, mask, faceIds };
}
