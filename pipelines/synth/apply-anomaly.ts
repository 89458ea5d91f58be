// Applies an anomaly to a surface grid: displaces vertices along their outward normal (dent, bump, crack, hole,
// scratch) or tints them (contamination), and returns per-vertex weights that decide the faces' labels.
import { fractalNoise3 } from './noise.js';
import type { AnomalyParams } from './params.js';

/** The grid being built: object-frame positions, normals of the undeformed surface, linear-RGB colours. */
export interface GridBuffers {
  readonly positions: Float64Array;
  readonly normals: Float64Array;
  readonly colours: Float32Array;
  /** Surface parameters of each vertex. */
  readonly us: Float64Array;
  readonly vs: Float64Array;
}

const smoothstep = (e0: number, e1: number, x: number) => {
  const t = Math.min(Math.max((x - e0) / (e1 - e0), 0), 1);
  return t * t * (3 - 2 * t);
};

function inBox(box: AnomalyParams['box'], u: number, v: number, periodicV: boolean): boolean {
  const inRange = (x: number, lo: number, hi: number) => (lo <= hi ? x >= lo && x <= hi : x >= lo || x <= hi);
  return inRange(u, box.uMin, box.uMax) && (periodicV ? inRange(v, box.vMin, box.vMax) : v >= box.vMin && v <= box.vMax);
}

/** Distance from p to the polyline and the position along it (0 at the start, 1 at the end). */
function distanceToPath(path: Float64Array, x: number, y: number, z: number): { distance: number; along: number } {
  const n = path.length / 3;
  if (n === 1) return { distance: Math.hypot(x - path[0], y - path[1], z - path[2]), along: 0.5 };
  let best = Infinity;
  let bestAlong = 0;
  let total = 0;
  const cumulative: number[] = [0];
  for (let i = 1; i < n; i++) {
    total += Math.hypot(path[i * 3] - path[i * 3 - 3], path[i * 3 + 1] - path[i * 3 - 2], path[i * 3 + 2] - path[i * 3 - 1]);
    cumulative.push(total);
  }
  for (let i = 0; i < n - 1; i++) {
    const ax = path[i * 3];
    const ay = path[i * 3 + 1];
    const az = path[i * 3 + 2];
    const dx = path[i * 3 + 3] - ax;
    const dy = path[i * 3 + 4] - ay;
    const dz = path[i * 3 + 5] - az;
    const len2 = dx * dx + dy * dy + dz * dz || 1e-18;
    const t = Math.min(Math.max(((x - ax) * dx + (y - ay) * dy + (z - az) * dz) / len2, 0), 1);
    const d = Math.hypot(x - ax - t * dx, y - ay - t * dy, z - az - t * dz);
    if (d < best) {
      best = d;
      bestAlong = (cumulative[i] + t * (cumulative[i + 1] - cumulative[i])) / (total || 1);
    }
  }
  return { distance: best, along: bestAlong };
}

/**
 * Applies `anomaly` to the vertices inside its box. `centre` and `centreNormal` are the object-frame point and
 * outward normal at the anomaly's (u, v); `pathPoints` the object-frame points of its path (crack, scratch).
 * Returns the per-vertex weight in [0, 1] (0 = untouched).
 */
export function applyAnomaly(
  grid: GridBuffers,
  anomaly: AnomalyParams,
  centre: readonly number[],
  centreNormal: readonly number[],
  pathPoints: Float64Array,
  periodicV: boolean,
  displace: boolean,
): Float32Array {
  const count = grid.us.length;
  const weights = new Float32Array(count);
  const { positions: p, normals: n, colours: c } = grid;
  for (let i = 0; i < count; i++) {
    if (!inBox(anomaly.box, grid.us[i], grid.vs[i], periodicV)) continue;
    const x = p[i * 3];
    const y = p[i * 3 + 1];
    const z = p[i * 3 + 2];
    if (n[i * 3] * centreNormal[0] + n[i * 3 + 1] * centreNormal[1] + n[i * 3 + 2] * centreNormal[2] < 0.2) continue;
    let w = 0;
    switch (anomaly.type) {
      case 'dent':
      case 'bump': {
        const rho = Math.hypot(x - centre[0], y - centre[1], z - centre[2]) / anomaly.radius;
        w = rho < 1 ? (1 - rho * rho) ** 2 : 0;
        break;
      }
      case 'hole': {
        const rho = Math.hypot(x - centre[0], y - centre[1], z - centre[2]) / anomaly.radius;
        w = rho < 1 ? 1 - smoothstep(0.75, 1, rho) : 0;
        break;
      }
      case 'crack':
      case 'scratch': {
        const { distance, along } = distanceToPath(pathPoints, x, y, z);
        const rho = distance / anomaly.radius;
        const taper = Math.sqrt(Math.max(Math.sin(Math.PI * Math.min(Math.max(along, 0.02), 0.98)), 0));
        w = rho < 1 ? (anomaly.type === 'crack' ? 1 - rho : 1 - rho * rho) * taper : 0;
        break;
      }
      case 'contamination': {
        const wobble = 1 + 0.35 * fractalNoise3(anomaly.seed, x / anomaly.radius, y / anomaly.radius, z / anomaly.radius, 2);
        const rho = Math.hypot(x - centre[0], y - centre[1], z - centre[2]) / (anomaly.radius * wobble);
        w = 1 - smoothstep(0.8, 1, rho);
        break;
      }
    }
    if (w <= 0) continue;
    weights[i] = w;
    if (anomaly.type === 'contamination') {
      const a = anomaly.opacity * w;
      for (let k = 0; k < 3; k++) c[i * 3 + k] = c[i * 3 + k] * (1 - a) + anomaly.colour[k] * a;
      continue;
    }
    if (displace) {
      const d = anomaly.depth * w;
      p[i * 3] += n[i * 3] * d;
      p[i * 3 + 1] += n[i * 3 + 1] * d;
      p[i * 3 + 2] += n[i * 3 + 2] * d;
    }
    // Cracks and holes look dark (little light reaches their floor); scratches expose lighter material.
    const tint = anomaly.type === 'crack' || anomaly.type === 'hole' ? 1 - 0.55 * w : anomaly.type === 'scratch' ? 1 + 0.2 * w : 1;
    for (let k = 0; k < 3; k++) c[i * 3 + k] = Math.min(1, c[i * 3 + k] * tint);
  }
  return weights;
}
