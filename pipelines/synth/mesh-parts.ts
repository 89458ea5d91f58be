// Mesh building blocks: parameter axes (refined in a window), vertex normals, the support plane, merging meshes
// and the world → camera transform.
import { fractalNoise3 } from './noise.js';
import type { LabelledMesh } from './types.js';

/** A world-frame mesh before the camera transform (positions in float64). */
export type WorldMesh = Omit<LabelledMesh, 'positions'> & { readonly positions64: Float64Array };

/**
 * Sorted parameters in [0, 1): `n` uniform samples (plus 1 as the closing pole when not periodic), with samples
 * every `step` inside [lo, hi] (wrapping when lo > hi on a periodic axis) replacing the uniform ones there.
 */
export function buildAxis(n: number, periodic: boolean, refine?: { lo: number; hi: number; step: number }): Float64Array {
  const inside = (t: number) => (refine ? (refine.lo <= refine.hi ? t >= refine.lo && t <= refine.hi : t >= refine.lo || t <= refine.hi) : false);
  const values: number[] = [];
  const last = periodic ? n : n + 1;
  for (let i = 0; i < last; i++) {
    const t = i / n;
    if (!inside(t) || (!periodic && (i === 0 || i === n))) values.push(t);
  }
  if (refine && refine.step > 0) {
    const span = refine.lo <= refine.hi ? refine.hi - refine.lo : refine.hi + 1 - refine.lo;
    const steps = Math.min(Math.ceil(span / refine.step), 600);
    for (let s = 0; s <= steps; s++) {
      let t = refine.lo + (span * s) / steps;
      if (periodic) t -= Math.floor(t);
      if (!periodic && (t <= 0 || t >= 1)) continue;
      values.push(t);
    }
  }
  values.sort((a, b) => a - b);
  const unique = values.filter((t, i) => i === 0 || t - values[i - 1] > 1e-9);
  if (periodic && unique.length > 1 && unique[0] + 1 - unique[unique.length - 1] < 1e-9) unique.pop();
  return Float64Array.from(unique);
}

/** Area-weighted outward vertex normals (from counter-clockwise faces). */
export function computeVertexNormals(positions: ArrayLike<number>, indices: Uint32Array): Float64Array {
  const normals = new Float64Array(positions.length);
  for (let f = 0; f < indices.length; f += 3) {
    const a = indices[f] * 3;
    const b = indices[f + 1] * 3;
    const c = indices[f + 2] * 3;
    const ux = positions[b] - positions[a];
    const uy = positions[b + 1] - positions[a + 1];
    const uz = positions[b + 2] - positions[a + 2];
    const vx = positions[c] - positions[a];
    const vy = positions[c + 1] - positions[a + 1];
    const vz = positions[c + 2] - positions[a + 2];
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx;
    normals[a] += nx;
    normals[a + 1] += ny;
    normals[a + 2] += nz;
    normals[b] += nx;
    normals[b + 1] += ny;
    normals[b + 2] += nz;
    normals[c] += nx;
    normals[c + 1] += ny;
    normals[c + 2] += nz;
  }
  for (let v = 0; v < normals.length; v += 3) {
    const l = Math.hypot(normals[v], normals[v + 1], normals[v + 2]) || 1;
    normals[v] /= l;
    normals[v + 1] /= l;
    normals[v + 2] /= l;
  }
  return normals;
}

/** A square support plane of half-size `half` on z = 0 (cells × cells quads), faces up, material 1, faint mottling. */
export function buildPlane(half: number, cells: number, colour: readonly number[], seed: number): WorldMesh {
  const n = cells + 1;
  const positions64 = new Float64Array(n * n * 3);
  const colors = new Float32Array(n * n * 3);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const k = j * n + i;
      const x = -half + (2 * half * i) / cells;
      const y = -half + (2 * half * j) / cells;
      positions64[k * 3] = x;
      positions64[k * 3 + 1] = y;
      const m = 1 + 0.06 * fractalNoise3(seed, x / 0.02, y / 0.02, 0, 2);
      colors[k * 3] = colour[0] * m;
      colors[k * 3 + 1] = colour[1] * m;
      colors[k * 3 + 2] = colour[2] * m;
    }
  }
  const indices = new Uint32Array(cells * cells * 6);
  let f = 0;
  for (let j = 0; j < cells; j++) {
    for (let i = 0; i < cells; i++) {
      const a = j * n + i;
      indices[f++] = a;
      indices[f++] = a + 1;
      indices[f++] = a + n + 1;
      indices[f++] = a;
      indices[f++] = a + n + 1;
      indices[f++] = a + n;
    }
  }
  const faces = indices.length / 3;
  return { positions64, colors, indices, faceLabels: new Uint8Array(faces), faceMaterials: new Uint8Array(faces).fill(1) };
}

/** Concatenates meshes (indices re-based). */
export function concatMeshes(...meshes: WorldMesh[]): WorldMesh {
  const vertexCount = meshes.reduce((s, m) => s + m.positions64.length / 3, 0);
  const faceCount = meshes.reduce((s, m) => s + m.indices.length / 3, 0);
  const positions64 = new Float64Array(vertexCount * 3);
  const colors = new Float32Array(vertexCount * 3);
  const indices = new Uint32Array(faceCount * 3);
  const faceLabels = new Uint8Array(faceCount);
  const faceMaterials = new Uint8Array(faceCount);
  let v = 0;
  let f = 0;
  for (const m of meshes) {
    positions64.set(m.positions64, v * 3);
    colors.set(m.colors, v * 3);
    for (let i = 0; i < m.indices.length; i++) indices[f * 3 + i] = m.indices[i] + v;
    faceLabels.set(m.faceLabels, f);
    faceMaterials.set(m.faceMaterials, f);
    v += m.positions64.length / 3;
    f += m.indices.length / 3;
  }
  return { positions64, colors, indices, faceLabels, faceMaterials };
}

/** Applies p_cam = R (p_world − position) to every vertex; returns float32 camera-frame positions. */
export function toCameraFrame(positions: Float64Array, rotation: Float64Array, position: readonly number[]): Float32Array {
  const out = new Float32Array(positions.length);
  for (let k = 0; k < positions.length; k += 3) {
    const x = positions[k] - position[0];
    const y = positions[k + 1] - position[1];
    const z = positions[k + 2] - position[2];
    out[k] = rotation[0] * x + rotation[1] * y + rotation[2] * z;
    out[k + 1] = rotation[3] * x + rotation[4] * y + rotation[5] * z;
    out[k + 2] = rotation[6] * x + rotation[7] * y + rotation[8] * z;
  }
  return out;
}
