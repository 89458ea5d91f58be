// Test helper: organized point clouds of analytic surfaces seen by a pinhole camera at the origin (+z forward).
import type { OrganizedCloud } from '../../../pipelines/features/local-geometry.js';

export type Hit = (dx: number, dy: number, dz: number) => number | undefined;

/** Casts one ray per pixel centre; `hit` returns the ray parameter t of the first intersection (point = t·d). */
export function renderCloud(width: number, height: number, focal: number, hit: Hit): OrganizedCloud {
  const xyz = new Float32Array(width * height * 3);
  const valid = new Uint8Array(width * height);
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const dx = (u + 0.5 - width / 2) / focal, dy = (v + 0.5 - height / 2) / focal, dz = 1;
      const t = hit(dx, dy, dz);
      if (t === undefined || !(t > 0)) continue;
      const p = v * width + u;
      xyz[p * 3] = t * dx; xyz[p * 3 + 1] = t * dy; xyz[p * 3 + 2] = t * dz;
      valid[p] = 1;
    }
  }
  return { width, height, xyz, valid };
}

/** Ray/plane n·x + d = 0. */
export const planeHit = (n: readonly [number, number, number], d: number): Hit => (dx, dy, dz) => {
  const denom = n[0] * dx + n[1] * dy + n[2] * dz;
  return denom === 0 ? undefined : -d / denom;
};

/** Ray/sphere (centre c, radius r), nearest intersection. */
export const sphereHit = (c: readonly [number, number, number], r: number): Hit => (dx, dy, dz) => {
  const a = dx * dx + dy * dy + dz * dz;
  const b = -2 * (dx * c[0] + dy * c[1] + dz * c[2]);
  const cc = c[0] * c[0] + c[1] * c[1] + c[2] * c[2] - r * r;
  const disc = b * b - 4 * a * cc;
  return disc < 0 ? undefined : (-b - Math.sqrt(disc)) / (2 * a);
};

/** The first of several surfaces a ray meets. */
export const nearestHit = (...hits: Hit[]): Hit => (dx, dy, dz) => {
  let best: number | undefined;
  for (const h of hits) {
    const t = h(dx, dy, dz);
    if (t !== undefined && t > 0 && (best === undefined || t < best)) best = t;
  }
  return best;
};

/** Angle in degrees between two 3-vectors. */
export function angleDegrees(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const dot = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  const na = Math.hypot(a[0], a[1], a[2]), nb = Math.hypot(b[0], b[1], b[2]);
  return (Math.acos(Math.max(-1, Math.min(1, dot / (na * nb)))) * 180) / Math.PI;
}
