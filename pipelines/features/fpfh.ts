// Fast Point Feature Histograms (Rusu, Blodow, Beetz 2009; 3 × 11 bins) on an organized point cloud, following
// Open3D's compute_fpfh_feature (as BTF uses it): Darboux-frame pair features, SPFH in percent, neighbours' SPFH
// weighted by 1 / squared distance and renormalised to 100 per sub-histogram, plus the point's own SPFH.
// Neighbours are the valid pixels of a (2w+1)² window whose 3-D distance is below `radius`.
import type { OrganizedCloud } from './local-geometry.js';

export const FPFH_BINS = 33;
const BINS = 11;

/** Radius neighbourhoods from the pixel window, in CSR form (self excluded), with squared distances. */
export interface Neighbourhoods {
  readonly offsets: Int32Array;
  readonly indices: Int32Array;
  readonly distances2: Float64Array;
}

/** Finds, for each valid pixel, the valid pixels of its (2·window+1)² window closer than `radius` (metres). */
export function findWindowNeighbours(cloud: OrganizedCloud, window: number, radius: number): Neighbourhoods {
  const { width, height, xyz, valid } = cloud;
  const pixels = width * height;
  const r2 = radius * radius;
  const offsets = new Int32Array(pixels + 1);
  let capacity = 1024;
  let indices = new Int32Array(capacity);
  let distances2 = new Float64Array(capacity);
  let count = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      offsets[p] = count;
      if (!valid[p]) continue;
      const px = xyz[p * 3], py = xyz[p * 3 + 1], pz = xyz[p * 3 + 2];
      const y0 = Math.max(0, y - window), y1 = Math.min(height - 1, y + window);
      const x0 = Math.max(0, x - window), x1 = Math.min(width - 1, x + window);
      for (let yy = y0; yy <= y1; yy++) {
        for (let xx = x0; xx <= x1; xx++) {
          const q = yy * width + xx;
          if (q === p || !valid[q]) continue;
          const dx = xyz[q * 3] - px, dy = xyz[q * 3 + 1] - py, dz = xyz[q * 3 + 2] - pz;
          const d2 = dx * dx + dy * dy + dz * dz;
          if (d2 >= r2) continue;
          if (count === capacity) {
            capacity *= 2;
            const ni = new Int32Array(capacity); ni.set(indices); indices = ni;
            const nd = new Float64Array(capacity); nd.set(distances2); distances2 = nd;
          }
          indices[count] = q;
          distances2[count] = d2;
          count++;
        }
      }
    }
  }
  offsets[pixels] = count;
  return { offsets, indices: indices.slice(0, count), distances2: distances2.slice(0, count) };
}

const clampBin = (value: number): number => (value < 0 ? 0 : value >= BINS ? BINS - 1 : value);

// Adds the pair feature (α, φ, θ) of (p1, n1) → (p2, n2) to `hist` at `base` with weight `inc` (Open3D's convention:
// the point whose normal makes the smaller angle with the connecting line is the source).
function addPairFeature(xyz: Float32Array, normals: Float32Array, p: number, q: number, hist: Float64Array, base: number, inc: number): void {
  let dx = xyz[q * 3] - xyz[p * 3], dy = xyz[q * 3 + 1] - xyz[p * 3 + 1], dz = xyz[q * 3 + 2] - xyz[p * 3 + 2];
  const dist = Math.sqrt(dx * dx + dy * dy + dz * dz);
  let f0 = 0, f1 = 0, f2 = 0;
  if (dist > 0) {
    let ax = normals[p * 3], ay = normals[p * 3 + 1], az = normals[p * 3 + 2];
    let bx = normals[q * 3], by = normals[q * 3 + 1], bz = normals[q * 3 + 2];
    const angle1 = (ax * dx + ay * dy + az * dz) / dist;
    const angle2 = (bx * dx + by * dy + bz * dz) / dist;
    let theta: number;
    // acos is decreasing: acos|a1| > acos|a2| ⇔ |a1| < |a2| (Open3D compares the angles).
    if (Math.abs(angle1) < Math.abs(angle2)) {
      [ax, ay, az, bx, by, bz] = [bx, by, bz, ax, ay, az];
      dx = -dx; dy = -dy; dz = -dz;
      theta = -angle2;
    } else {
      theta = angle1;
    }
    // v = d × n1, w = n1 × v
    let vx = dy * az - dz * ay, vy = dz * ax - dx * az, vz = dx * ay - dy * ax;
    const vn = Math.sqrt(vx * vx + vy * vy + vz * vz);
    if (vn > 0) {
      vx /= vn; vy /= vn; vz /= vn;
      const wx = ay * vz - az * vy, wy = az * vx - ax * vz, wz = ax * vy - ay * vx;
      f1 = vx * bx + vy * by + vz * bz;
      f0 = Math.atan2(wx * bx + wy * by + wz * bz, ax * bx + ay * by + az * bz);
      f2 = theta;
    }
  }
  hist[base + clampBin(Math.floor((BINS * (f0 + Math.PI)) / (2 * Math.PI)))] += inc;
  hist[base + BINS + clampBin(Math.floor(BINS * (f1 + 1) * 0.5))] += inc;
  hist[base + 2 * BINS + clampBin(Math.floor(BINS * (f2 + 1) * 0.5))] += inc;
}

/**
 * FPFH per pixel (33 floats each, pixel-major; each sub-histogram of a point with neighbours sums to 200: its SPFH
 * (100) plus the distance-weighted neighbours' SPFH (100)); zeros where a pixel has no neighbour.
 */
export function computeFpfh(cloud: OrganizedCloud, normals: Float32Array, neighbours: Neighbourhoods): Float32Array {
  const pixels = cloud.width * cloud.height;
  const { offsets, indices, distances2 } = neighbours;
  const spfh = new Float64Array(pixels * FPFH_BINS);
  for (let p = 0; p < pixels; p++) {
    const start = offsets[p], end = offsets[p + 1];
    if (end === start) continue;
    const inc = 100 / (end - start);
    for (let k = start; k < end; k++) addPairFeature(cloud.xyz, normals, p, indices[k], spfh, p * FPFH_BINS, inc);
  }
  const out = new Float32Array(pixels * FPFH_BINS);
  const acc = new Float64Array(FPFH_BINS);
  for (let p = 0; p < pixels; p++) {
    const start = offsets[p], end = offsets[p + 1];
    if (end === start) continue;
    acc.fill(0);
    let s0 = 0, s1 = 0, s2 = 0;
    for (let k = start; k < end; k++) {
      const d2 = distances2[k];
      if (d2 === 0) continue;
      const q = indices[k] * FPFH_BINS;
      for (let j = 0; j < FPFH_BINS; j++) acc[j] += spfh[q + j] / d2;
    }
    for (let j = 0; j < BINS; j++) { s0 += acc[j]; s1 += acc[j + BINS]; s2 += acc[j + 2 * BINS]; }
    const k0 = s0 !== 0 ? 100 / s0 : 0, k1 = s1 !== 0 ? 100 / s1 : 0, k2 = s2 !== 0 ? 100 / s2 : 0;
    for (let j = 0; j < FPFH_BINS; j++) out[p * FPFH_BINS + j] = acc[j] * (j < BINS ? k0 : j < 2 * BINS ? k1 : k2) + spfh[p * FPFH_BINS + j];
  }
  return out;
}
