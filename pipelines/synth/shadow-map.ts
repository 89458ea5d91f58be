// Cheap shadows for the built-in renderer: an orthographic depth map of the object seen from a directional light,
// looked up per vertex with 3×3 percentage-closer filtering (soft edges at mesh resolution).

const SIZE = 256;

/** A depth map along one light direction (depth = distance towards the light; larger is closer to it). */
export interface ShadowMap {
  readonly e1: readonly number[];
  readonly e2: readonly number[];
  readonly dir: readonly number[];
  readonly minS: number;
  readonly minT: number;
  readonly scale: number;
  readonly depth: Float32Array;
  readonly bias: number;
}

/** Renders the depth map of the faces with `faceMaterials[f] === casterMaterial` along `dir` (unit, towards the light). */
export function buildShadowMap(positions: Float32Array, indices: Uint32Array, faceMaterials: Uint8Array, casterMaterial: number, dir: readonly number[]): ShadowMap {
  // An orthonormal basis (e1, e2, dir).
  const helper = Math.abs(dir[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const e1 = normalize(cross(helper, dir));
  const e2 = cross(dir, e1);
  const vertexCount = positions.length / 3;
  const s = new Float64Array(vertexCount);
  const t = new Float64Array(vertexCount);
  const d = new Float64Array(vertexCount);
  let minS = Infinity, maxS = -Infinity, minT = Infinity, maxT = -Infinity;
  const used = new Uint8Array(vertexCount);
  for (let f = 0; f < faceMaterials.length; f++) {
    if (faceMaterials[f] === casterMaterial) used[indices[f * 3]] = used[indices[f * 3 + 1]] = used[indices[f * 3 + 2]] = 1;
  }
  for (let v = 0; v < vertexCount; v++) {
    const x = positions[v * 3], y = positions[v * 3 + 1], z = positions[v * 3 + 2];
    s[v] = x * e1[0] + y * e1[1] + z * e1[2];
    t[v] = x * e2[0] + y * e2[1] + z * e2[2];
    d[v] = x * dir[0] + y * dir[1] + z * dir[2];
    if (used[v]) {
      minS = Math.min(minS, s[v]); maxS = Math.max(maxS, s[v]);
      minT = Math.min(minT, t[v]); maxT = Math.max(maxT, t[v]);
    }
  }
  const extent = Math.max(maxS - minS, maxT - minT, 1e-6) * 1.02;
  const scale = SIZE / extent;
  const depth = new Float32Array(SIZE * SIZE).fill(-Infinity);
  for (let f = 0; f < faceMaterials.length; f++) {
    if (faceMaterials[f] !== casterMaterial) continue;
    const a = indices[f * 3], b = indices[f * 3 + 1], c = indices[f * 3 + 2];
    const ax = (s[a] - minS) * scale, ay = (t[a] - minT) * scale;
    let bx = (s[b] - minS) * scale, by = (t[b] - minT) * scale;
    let cx = (s[c] - minS) * scale, cy = (t[c] - minT) * scale;
    let db = d[b], dc = d[c];
    let area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    if (area === 0) continue;
    if (area < 0) {
      [bx, cx] = [cx, bx];
      [by, cy] = [cy, by];
      [db, dc] = [dc, db];
      area = -area;
    }
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx, cx))), x1 = Math.min(SIZE - 1, Math.ceil(Math.max(ax, bx, cx)));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by, cy))), y1 = Math.min(SIZE - 1, Math.ceil(Math.max(ay, by, cy)));
    const da = d[a];
    const inv = 1 / area;
    // Edge functions at the first texel centre, stepped incrementally.
    const e0dx = -(cy - by), e0dy = cx - bx;
    const e1dx = -(ay - cy), e1dy = ax - cx;
    const e2dx = -(by - ay), e2dy = bx - ax;
    let r0 = (cx - bx) * (y0 + 0.5 - by) - (cy - by) * (x0 + 0.5 - bx);
    let r1 = (ax - cx) * (y0 + 0.5 - cy) - (ay - cy) * (x0 + 0.5 - cx);
    let r2 = (bx - ax) * (y0 + 0.5 - ay) - (by - ay) * (x0 + 0.5 - ax);
    for (let py = y0; py <= y1; py++) {
      let w0 = r0, w1 = r1, w2 = r2;
      let i = py * SIZE + x0;
      for (let px = x0; px <= x1; px++, i++) {
        if (w0 >= 0 && w1 >= 0 && w2 >= 0) {
          const z = (w0 * da + w1 * db + w2 * dc) * inv;
          if (z > depth[i]) depth[i] = z;
        }
        w0 += e0dx; w1 += e1dx; w2 += e2dx;
      }
      r0 += e0dy; r1 += e1dy; r2 += e2dy;
    }
  }
  return { e1, e2, dir, minS, minT, scale, depth, bias: 2.5 / scale };
}

/** Fraction of the 3×3 texels around point (x, y, z) that see the light (1 = fully lit). */
export function sampleShadow(map: ShadowMap, x: number, y: number, z: number): number {
  const px = Math.floor(((x * map.e1[0] + y * map.e1[1] + z * map.e1[2]) - map.minS) * map.scale);
  const py = Math.floor(((x * map.e2[0] + y * map.e2[1] + z * map.e2[2]) - map.minT) * map.scale);
  const d = x * map.dir[0] + y * map.dir[1] + z * map.dir[2] + map.bias;
  let lit = 0;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const qx = px + dx;
      const qy = py + dy;
      if (qx < 0 || qy < 0 || qx >= SIZE || qy >= SIZE || d >= map.depth[qy * SIZE + qx]) lit++;
    }
  }
  return lit / 9;
}

const cross = (a: readonly number[], b: readonly number[]) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const normalize = (a: number[]) => {
  const l = Math.hypot(a[0], a[1], a[2]) || 1;
  return [a[0] / l, a[1] / l, a[2] / l];
};
