// Samples one anomaly on the visible (upward-facing) side of an object at MVTec 3D-AD scale: defects a few mm to
// ~15 mm across, 0.2–5 mm deep or high. Pure: the same rng state gives the same anomaly.
import type { AnomalyParams, DefectType } from './params.js';
import type { Rng } from './prng.js';
import { computeSurfaceFrame, type SurfaceFrame } from './surface-geometry.js';
import type { SurfaceFn } from './surfaces.js';

const CONTAMINANTS: readonly (readonly [number, number, number])[] = [
  [0.02, 0.02, 0.02],
  [0.25, 0.12, 0.04],
  [0.85, 0.85, 0.8],
  [0.15, 0.3, 0.08],
  [0.5, 0.05, 0.05],
];

/** How big each defect is: [min, max] of radius/half-width, depth magnitude and path length (metres). */
const SIZES: Readonly<Record<DefectType, { radius: [number, number]; depth: [number, number]; length: [number, number] }>> = {
  dent: { radius: [0.002, 0.006], depth: [0.0006, 0.002], length: [0, 0] },
  bump: { radius: [0.002, 0.006], depth: [0.0006, 0.002], length: [0, 0] },
  hole: { radius: [0.0015, 0.004], depth: [0.002, 0.004], length: [0, 0] },
  crack: { radius: [0.0004, 0.0007], depth: [0.0015, 0.004], length: [0.006, 0.015] },
  scratch: { radius: [0.0002, 0.0004], depth: [0.0002, 0.0005], length: [0.005, 0.015] },
  contamination: { radius: [0.002, 0.007], depth: [0, 0], length: [0, 0] },
};

const wrap01 = (x: number) => x - Math.floor(x);

/** Picks a point whose outward normal faces up (towards the camera), away from the caps' poles. */
function pickVisibleSpot(surface: SurfaceFn, orientation: 1 | -1, rng: Rng): { u: number; v: number; frame: SurfaceFrame } {
  let best: { u: number; v: number; frame: SurfaceFrame } | undefined;
  for (let attempt = 0; attempt < 400; attempt++) {
    const u = rng.next();
    const v = rng.range(0.05, 0.95);
    const frame = computeSurfaceFrame(surface, orientation, u, v);
    if (!best || frame.normal[2] > best.frame.normal[2]) best = { u, v, frame };
    if (frame.normal[2] > 0.75 && frame.metresPerU > 1e-4 && frame.metresPerV > 1e-4) return { u, v, frame };
  }
  return best!;
}

/** Walks a path of `length` metres through (u, v) from the centre in both directions, wandering gently. */
function walkPath(surface: SurfaceFn, orientation: 1 | -1, u0: number, v0: number, length: number, periodicV: boolean, rng: Rng): [number, number][] {
  const step = 0.0008;
  const half = Math.max(1, Math.round(length / 2 / step));
  const heading = rng.range(0, 2 * Math.PI);
  const walk = (direction: number): [number, number][] => {
    const points: [number, number][] = [];
    let u = u0;
    let v = v0;
    let angle = heading + direction;
    for (let i = 0; i < half; i++) {
      const f = computeSurfaceFrame(surface, orientation, u, v);
      u = wrap01(u + (Math.cos(angle) * step) / Math.max(f.metresPerU, 1e-6));
      v += (Math.sin(angle) * step) / Math.max(f.metresPerV, 1e-6);
      v = periodicV ? wrap01(v) : Math.min(Math.max(v, 0.03), 0.97);
      angle += rng.range(-0.3, 0.3);
      points.push([u, v]);
    }
    return points;
  };
  return [...walk(Math.PI).reverse(), [u0, v0], ...walk(0)];
}

/** Signed shortest difference a − b on the unit circle. */
export function wrapDelta(a: number, b: number): number {
  const d = a - b;
  return d - Math.round(d);
}

/**
 * Samples an anomaly of `type` on the surface (topology decides whether v wraps). `pixelSize` (metres per pixel at
 * the object) sets a floor on the size, so that every defect covers some pixel centres at any resolution.
 */
export function sampleAnomaly(type: DefectType, surface: SurfaceFn, orientation: 1 | -1, periodicV: boolean, pixelSize: number, rng: Rng): AnomalyParams {
  const size = SIZES[type];
  const { u, v, frame } = pickVisibleSpot(surface, orientation, rng);
  const floor = (type === 'crack' || type === 'scratch' ? 1.2 : 2.5) * pixelSize;
  const radius = Math.max(rng.range(size.radius[0], size.radius[1]), floor);
  const magnitude = rng.range(size.depth[0], size.depth[1]);
  const depth = type === 'contamination' ? 0 : type === 'bump' ? magnitude : -magnitude;
  const length = size.length[1] > 0 ? rng.range(size.length[0], size.length[1]) : 0;
  const path = length > 0 ? walkPath(surface, orientation, u, v, length, periodicV, rng) : [];
  const colour = type === 'contamination' ? rng.pick(CONTAMINANTS) : ([0, 0, 0] as const);
  const opacity = type === 'contamination' ? rng.range(0.6, 0.9) : 0;
  // Refinement box: the footprint plus a margin (radial defects: 1.6 radii; paths: the path's extent).
  const margin = 1.6 * radius + 0.0005;
  let du = margin / Math.max(frame.metresPerU, 1e-6);
  let dvLo = margin / Math.max(frame.metresPerV, 1e-6);
  let dvHi = dvLo;
  let duLo = du;
  for (const [pu, pv] of path) {
    const f = computeSurfaceFrame(surface, orientation, pu, pv);
    const mu = margin / Math.max(f.metresPerU, 1e-6);
    const mv = margin / Math.max(f.metresPerV, 1e-6);
    const d = wrapDelta(pu, u);
    du = Math.max(du, d + mu);
    duLo = Math.max(duLo, -d + mu);
    const dv = periodicV ? wrapDelta(pv, v) : pv - v;
    dvHi = Math.max(dvHi, dv + mv);
    dvLo = Math.max(dvLo, -dv + mv);
  }
  const box = {
    uMin: wrap01(u - Math.min(duLo, 0.45)),
    uMax: wrap01(u + Math.min(du, 0.45)),
    vMin: periodicV ? wrap01(v - Math.min(dvLo, 0.45)) : Math.max(0, v - dvLo),
    vMax: periodicV ? wrap01(v + Math.min(dvHi, 0.45)) : Math.min(1, v + dvHi),
  };
  return { type, u, v, radius, depth, path, length, colour: [...colour] as [number, number, number], opacity, seed: rng.int(0, 1e9), box };
}
