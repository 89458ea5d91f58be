// Per-pixel normals and surface variation of an organized point cloud: covariance of the valid points in a
// (2r+1)² pixel window, from summed-area tables of the point moments (O(1) per pixel and scale).
import { symmetricEigenvalues, symmetricEigenvector } from './eigen3.js';

/** An organized point cloud: width × height points (x, y, z interleaved), `valid` = 1 where a point exists. */
export interface OrganizedCloud {
  readonly width: number;
  readonly height: number;
  readonly xyz: Float32Array;
  readonly valid: Uint8Array;
}

const MOMENTS = 10; // count, x, y, z, xx, xy, xz, yy, yz, zz

/** Summed-area tables of the point moments (coordinates taken relative to the valid points' centroid). */
export interface MomentTables {
  readonly width: number;
  readonly height: number;
  /** (height+1) × (width+1) × 10, float64. */
  readonly sums: Float64Array;
}

/** Builds the moment tables once; windows of any radius are then read in constant time. */
export function buildMomentTables(cloud: OrganizedCloud): MomentTables {
  const { width, height, xyz, valid } = cloud;
  let cx = 0, cy = 0, cz = 0, n = 0;
  for (let p = 0; p < valid.length; p++) {
    if (!valid[p]) continue;
    cx += xyz[p * 3]; cy += xyz[p * 3 + 1]; cz += xyz[p * 3 + 2]; n++;
  }
  if (n > 0) { cx /= n; cy /= n; cz /= n; }
  const stride = (width + 1) * MOMENTS;
  const sums = new Float64Array((height + 1) * stride);
  const row = new Float64Array(MOMENTS);
  for (let y = 0; y < height; y++) {
    row.fill(0);
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (valid[p]) {
        const px = xyz[p * 3] - cx, py = xyz[p * 3 + 1] - cy, pz = xyz[p * 3 + 2] - cz;
        row[0] += 1; row[1] += px; row[2] += py; row[3] += pz;
        row[4] += px * px; row[5] += px * py; row[6] += px * pz; row[7] += py * py; row[8] += py * pz; row[9] += pz * pz;
      }
      const to = (y + 1) * stride + (x + 1) * MOMENTS;
      const above = y * stride + (x + 1) * MOMENTS;
      for (let m = 0; m < MOMENTS; m++) sums[to + m] = sums[above + m] + row[m];
    }
  }
  return { width, height, sums };
}

// Window sums of the 10 moments for the window of radius r around (x, y), clipped to the image, into `out`.
function windowMoments(tables: MomentTables, x: number, y: number, r: number, out: Float64Array): void {
  const { width, height, sums } = tables;
  const x0 = Math.max(0, x - r), x1 = Math.min(width, x + r + 1);
  const y0 = Math.max(0, y - r), y1 = Math.min(height, y + r + 1);
  const stride = (width + 1) * MOMENTS;
  const a = y1 * stride + x1 * MOMENTS, b = y0 * stride + x1 * MOMENTS;
  const c = y1 * stride + x0 * MOMENTS, d = y0 * stride + x0 * MOMENTS;
  for (let m = 0; m < MOMENTS; m++) out[m] = sums[a + m] - sums[b + m] - sums[c + m] + sums[d + m];
}

/** Normals and surface variation at one or more window radii (pixels). */
export interface LocalGeometry {
  /** Unit normal per pixel oriented toward the camera at the origin (n·p < 0); 0,0,0 where undefined. */
  readonly normals: Float32Array;
  /** λ0 / (λ0 + λ1 + λ2) per pixel and radius (pixel-major: `radii.length` values per pixel), in [0, 1/3]. */
  readonly variation: Float32Array;
}

/**
 * Computes per-pixel normals (window radius `normalRadius`) and surface variation at each radius of
 * `variationRadii`, for valid pixels whose window holds at least 3 points.
 */
export function computeLocalGeometry(cloud: OrganizedCloud, normalRadius: number, variationRadii: readonly number[]): LocalGeometry {
  const tables = buildMomentTables(cloud);
  const { width, height, xyz, valid } = cloud;
  const pixels = width * height;
  const normals = new Float32Array(pixels * 3);
  const scales = variationRadii.length;
  const variation = new Float32Array(pixels * scales);
  const m = new Float64Array(MOMENTS);
  const values = new Float64Array(3);
  const vector = new Float64Array(3);
  const covariance = (r: number, x: number, y: number): boolean => {
    windowMoments(tables, x, y, r, m);
    const n = m[0];
    if (n < 3) return false;
    const mx = m[1] / n, my = m[2] / n, mz = m[3] / n;
    // Covariance entries reuse m[4..9].
    m[4] = m[4] / n - mx * mx; m[5] = m[5] / n - mx * my; m[6] = m[6] / n - mx * mz;
    m[7] = m[7] / n - my * my; m[8] = m[8] / n - my * mz; m[9] = m[9] / n - mz * mz;
    symmetricEigenvalues(m[4], m[5], m[6], m[7], m[8], m[9], values);
    return true;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (!valid[p]) continue;
      if (covariance(normalRadius, x, y) && symmetricEigenvector(m[4], m[5], m[6], m[7], m[8], m[9], values[0], vector)) {
        const flip = vector[0] * xyz[p * 3] + vector[1] * xyz[p * 3 + 1] + vector[2] * xyz[p * 3 + 2] > 0 ? -1 : 1;
        normals[p * 3] = vector[0] * flip;
        normals[p * 3 + 1] = vector[1] * flip;
        normals[p * 3 + 2] = vector[2] * flip;
      }
      for (let s = 0; s < scales; s++) {
        if (!covariance(variationRadii[s], x, y)) continue;
        const l0 = Math.max(0, values[0]);
        const total = l0 + Math.max(0, values[1]) + Math.max(0, values[2]);
        variation[p * scales + s] = total > 0 ? Math.min(1 / 3, l0 / total) : 0;
      }
    }
  }
  return { normals, variation };
}
