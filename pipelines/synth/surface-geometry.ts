// Differential geometry of a category's parametric surface: outward normals and metric scale at (u, v),
// used to place anomalies on the visible side and to size them in metres.
import type { SurfaceFn } from './surfaces.js';

const H = 1e-4;

/** Local frame at (u, v): point, outward unit normal and metres per unit of u and of v. */
export interface SurfaceFrame {
  readonly point: readonly [number, number, number];
  readonly normal: readonly [number, number, number];
  readonly metresPerU: number;
  readonly metresPerV: number;
}

/** +1 if (∂P/∂u × ∂P/∂v) points outwards for this surface, −1 otherwise (from the signed volume of a coarse grid). */
export function computeOrientation(surface: SurfaceFn, periodicV: boolean): 1 | -1 {
  const n = 48;
  const pts: number[][] = [];
  const out = [0, 0, 0];
  for (let j = 0; j <= n; j++) {
    for (let i = 0; i <= n; i++) {
      surface(i / n, periodicV ? j / n : j / n, out);
      pts.push([out[0], out[1], out[2]]);
    }
  }
  let volume = 0;
  const at = (i: number, j: number) => pts[j * (n + 1) + i];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const a = at(i, j);
      const b = at(i + 1, j);
      const c = at(i + 1, j + 1);
      const d = at(i, j + 1);
      volume += tripleProduct(a, b, c) + tripleProduct(a, c, d);
    }
  }
  return volume >= 0 ? 1 : -1;
}

function tripleProduct(a: number[], b: number[], c: number[]): number {
  return a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
}

/** Point, outward normal and metric scale at (u, v) by central differences. */
export function computeSurfaceFrame(surface: SurfaceFn, orientation: 1 | -1, u: number, v: number): SurfaceFrame {
  const p = [0, 0, 0];
  const a = [0, 0, 0];
  const b = [0, 0, 0];
  surface(u, v, p);
  surface(u + H, v, a);
  surface(u - H, v, b);
  const pu = [(a[0] - b[0]) / (2 * H), (a[1] - b[1]) / (2 * H), (a[2] - b[2]) / (2 * H)];
  const v0 = Math.max(v - H, 0);
  const v1 = Math.min(v + H, 1);
  surface(u, v1, a);
  surface(u, v0, b);
  const pv = [(a[0] - b[0]) / (v1 - v0), (a[1] - b[1]) / (v1 - v0), (a[2] - b[2]) / (v1 - v0)];
  const nx = pu[1] * pv[2] - pu[2] * pv[1];
  const ny = pu[2] * pv[0] - pu[0] * pv[2];
  const nz = pu[0] * pv[1] - pu[1] * pv[0];
  const len = Math.hypot(nx, ny, nz) || 1;
  return {
    point: [p[0], p[1], p[2]],
    normal: [(orientation * nx) / len, (orientation * ny) / len, (orientation * nz) / len],
    metresPerU: Math.hypot(pu[0], pu[1], pu[2]),
    metresPerV: Math.hypot(pv[0], pv[1], pv[2]),
  };
}
