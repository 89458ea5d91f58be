// Background removal on an organized point cloud: seeded RANSAC plane from border points, then an optional
// largest-connected-component filter (BTF / M3DM / CFM preprocessing).
import { symmetricEigenvalues, symmetricEigenvector } from '../features/eigen3.js';
import { createRandom } from './random.js';

/** A plane n·p + d = 0 with |n| = 1, n oriented toward the camera (d > 0 for a plane in front of it). */
export interface Plane {
  readonly normal: readonly [number, number, number];
  readonly offset: number;
}

export interface PlaneFitOptions {
  /** Border band width as a fraction of min(width, height). */
  readonly borderFraction: number;
  /** Points closer than this to the plane (metres) are inliers / background. */
  readonly distanceThreshold: number;
  readonly iterations: number;
  /** Border points used for scoring are a seeded subsample of at most this many. */
  readonly maxPoints: number;
  readonly seed: number;
}

/** True where the point is present (not 0,0,0). */
export function validMask(xyz: Float32Array): Uint8Array {
  const mask = new Uint8Array(xyz.length / 3);
  for (let i = 0; i < mask.length; i++) mask[i] = xyz[i * 3] !== 0 || xyz[i * 3 + 1] !== 0 || xyz[i * 3 + 2] !== 0 ? 1 : 0;
  return mask;
}

// Indices of valid points in the border band, then a seeded subsample (partial Fisher–Yates) of at most maxPoints.
function sampleBorderPoints(xyz: Float32Array, width: number, height: number, options: PlaneFitOptions, random: () => number): Int32Array {
  const band = Math.max(1, Math.round(options.borderFraction * Math.min(width, height)));
  const all = new Int32Array(width * height);
  let found = 0;
  const visit = (x0: number, x1: number, y: number) => {
    for (let x = x0; x < x1; x++) {
      const i = y * width + x;
      if (xyz[i * 3] !== 0 || xyz[i * 3 + 1] !== 0 || xyz[i * 3 + 2] !== 0) all[found++] = i;
    }
  };
  for (let y = 0; y < height; y++) {
    if (y < band || y >= height - band) visit(0, width, y);
    else {
      visit(0, Math.min(band, width), y);
      visit(Math.max(band, width - band), width, y);
    }
  }
  const indices = all.subarray(0, found);
  const count = Math.min(indices.length, options.maxPoints);
  for (let k = 0; k < count; k++) {
    const j = k + Math.floor(random() * (indices.length - k));
    const t = indices[k];
    indices[k] = indices[j];
    indices[j] = t;
  }
  return indices.slice(0, count);
}

// Least-squares plane (PCA) through the given points; undefined when they do not span a plane.
function fitPlaneLeastSquares(xyz: Float32Array, points: ArrayLike<number>): Plane | undefined {
  const n = points.length;
  if (n < 3) return undefined;
  let mx = 0, my = 0, mz = 0;
  for (let k = 0; k < n; k++) { const i = points[k] * 3; mx += xyz[i]; my += xyz[i + 1]; mz += xyz[i + 2]; }
  mx /= n; my /= n; mz /= n;
  let xx = 0, xy = 0, xz = 0, yy = 0, yz = 0, zz = 0;
  for (let k = 0; k < n; k++) {
    const i = points[k] * 3;
    const dx = xyz[i] - mx, dy = xyz[i + 1] - my, dz = xyz[i + 2] - mz;
    xx += dx * dx; xy += dx * dy; xz += dx * dz; yy += dy * dy; yz += dy * dz; zz += dz * dz;
  }
  const values = new Float64Array(3);
  const vector = new Float64Array(3);
  symmetricEigenvalues(xx, xy, xz, yy, yz, zz, values);
  if (!symmetricEigenvector(xx, xy, xz, yy, yz, zz, values[0], vector)) return undefined;
  return orientPlane(vector[0], vector[1], vector[2], -(vector[0] * mx + vector[1] * my + vector[2] * mz));
}

// Normalises and flips the plane so that its normal points toward the camera at the origin (offset > 0).
function orientPlane(nx: number, ny: number, nz: number, d: number): Plane | undefined {
  const len = Math.hypot(nx, ny, nz);
  if (!(len > 0) || !Number.isFinite(len)) return undefined;
  const s = d < 0 ? -1 / len : 1 / len;
  return { normal: [nx * s, ny * s, nz * s], offset: d * s };
}

/** Fits the background plane to border points with seeded RANSAC + least-squares refit; undefined if < 3 points. */
export function fitBorderPlane(xyz: Float32Array, width: number, height: number, options: PlaneFitOptions): Plane | undefined {
  const random = createRandom(options.seed);
  const sample = sampleBorderPoints(xyz, width, height, options, random);
  if (sample.length < 3) return undefined;
  const t = options.distanceThreshold;
  let best: Plane | undefined;
  let bestCount = -1;
  for (let it = 0; it < options.iterations; it++) {
    const a = sample[Math.floor(random() * sample.length)] * 3;
    const b = sample[Math.floor(random() * sample.length)] * 3;
    const c = sample[Math.floor(random() * sample.length)] * 3;
    const ux = xyz[b] - xyz[a], uy = xyz[b + 1] - xyz[a + 1], uz = xyz[b + 2] - xyz[a + 2];
    const vx = xyz[c] - xyz[a], vy = xyz[c + 1] - xyz[a + 1], vz = xyz[c + 2] - xyz[a + 2];
    const plane = orientPlane(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx, 0);
    if (!plane) continue;
    const [nx, ny, nz] = plane.normal;
    const d = -(nx * xyz[a] + ny * xyz[a + 1] + nz * xyz[a + 2]);
    let count = 0;
    for (let k = 0; k < sample.length; k++) {
      const i = sample[k] * 3;
      if (Math.abs(nx * xyz[i] + ny * xyz[i + 1] + nz * xyz[i + 2] + d) < t) count++;
    }
    if (count > bestCount) {
      bestCount = count;
      best = orientPlane(nx, ny, nz, d);
    }
  }
  if (!best) return undefined;
  const [nx, ny, nz] = best.normal;
  const inliers: number[] = [];
  for (let k = 0; k < sample.length; k++) {
    const i = sample[k] * 3;
    if (Math.abs(nx * xyz[i] + ny * xyz[i + 1] + nz * xyz[i + 2] + best.offset) < t) inliers.push(sample[k]);
  }
  return fitPlaneLeastSquares(xyz, inliers) ?? best;
}

/** Foreground mask: valid points farther than `threshold` from the plane (all valid points when no plane). */
export function removePlane(xyz: Float32Array, plane: Plane | undefined, threshold: number): Uint8Array {
  const mask = validMask(xyz);
  if (!plane) return mask;
  const [nx, ny, nz] = plane.normal;
  for (let p = 0; p < mask.length; p++) {
    if (!mask[p]) continue;
    const i = p * 3;
    if (Math.abs(nx * xyz[i] + ny * xyz[i + 1] + nz * xyz[i + 2] + plane.offset) < threshold) mask[p] = 0;
  }
  return mask;
}

/** Keeps only the largest 8-connected component of `mask` (ties: the first in raster order), in place. */
export function keepLargestComponent(mask: Uint8Array, width: number, height: number): Uint8Array {
  const labels = new Int32Array(mask.length);
  const stack = new Int32Array(mask.length);
  let bestLabel = 0, bestSize = 0, next = 0;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start] !== 0) continue;
    const label = ++next;
    let size = 0, top = 0;
    stack[top++] = start;
    labels[start] = label;
    while (top > 0) {
      const p = stack[--top];
      size++;
      const x = p % width, y = (p - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const q = yy * width + xx;
          if (mask[q] && labels[q] === 0) { labels[q] = label; stack[top++] = q; }
        }
      }
    }
    if (size > bestSize) { bestSize = size; bestLabel = label; }
  }
  for (let p = 0; p < mask.length; p++) mask[p] = mask[p] && labels[p] === bestLabel ? 1 : 0;
  return mask;
}
