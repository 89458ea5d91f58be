// Samples one anomaly on the visible (upward-facing) side of an object at MVTec 3D-AD scale: defects a few mm to
// ~15 mm across, 0.3–5 mm deep or high, ~0.1–5 % of the image. Pure: the same rng state gives the same anomaly.
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

/**
 * How big each defect is on an object of {@link REFERENCE_EXTENT}: [min, max] of radius/half-width, depth magnitude
 * and path length (metres). Footprints (radius, half-width, length) scale with the object; depths do not.
 */
const SIZES: Readonly<Record<DefectType, { radius: [number, number]; depth: [number, number]; length: [number, number] }>> = {
  dent: { radius: [0.0025, 0.006], depth: [0.0006, 0.002], length: [0, 0] },
  bump: { radius: [0.0025, 0.006], depth: [0.0006, 0.002], length: [0, 0] },
  hole: { radius: [0.0022, 0.0045], depth: [0.0025, 0.005], length: [0, 0] },
  crack: { radius: [0.0007, 0.0012], depth: [0.002, 0.005], length: [0.009, 0.015] },
  scratch: { radius: [0.0005, 0.0008], depth: [0.0003, 0.0006], length: [0.009, 0.015] },
  contamination: { radius: [0.0025, 0.007], depth: [0, 0], length: [0, 0] },
};

/** Object extent (largest horizontal span) at which SIZES hold. */
const REFERENCE_EXTENT = 0.08;
/** Bounds of the footprint scale: the image covers ~1.7 object extents, so a footprint ∝ extent keeps the anomaly's
 *  share of the image the same for a 3.6 cm gland and an 11 cm carrot. */
const SCALE_LIMITS = [0.45, 1.35] as const;
/** Widest a defect may be across, metres (MVTec 3D-AD: a few mm to ~15 mm). */
const MAX_ACROSS = 0.015;

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

/** How the anomaly is sized: the object's extent (footprint scale) and the pixel footprint at the object (floor). */
export interface AnomalyScale {
  /** Largest horizontal span of the object, metres. */
  readonly objectExtent: number;
  /** Metres per pixel at the object. */
  readonly pixelSize: number;
}

/**
 * Samples an anomaly of `type` on the surface (topology decides whether v wraps). Footprints scale with the object
 * (capped at {@link MAX_ACROSS}); the pixel size sets a floor, so that every defect covers some pixel centres at any
 * resolution.
 */
export function sampleAnomaly(type: DefectType, surface: SurfaceFn, orientation: 1 | -1, periodicV: boolean, scale: AnomalyScale, rng: Rng): AnomalyParams {
  const size = SIZES[type];
  const { u, v, frame } = pickVisibleSpot(surface, orientation, rng);
  const k = Math.min(Math.max(scale.objectExtent / REFERENCE_EXTENT, SCALE_LIMITS[0]), SCALE_LIMITS[1]);
  const floor = (type === 'crack' || type === 'scratch' ? 1.2 : 2.5) * scale.pixelSize;
  const radius = Math.max(Math.min(rng.range(size.radius[0], size.radius[1]) * k, MAX_ACROSS / 2), floor);
  const sampled = rng.range(size.depth[0], size.depth[1]);
  // A crack is a narrow, deep groove: never shallower than 1.25 × its width (up to the 5 mm limit).
  const magnitude = type === 'crack' ? Math.min(Math.max(sampled, 2.5 * radius), size.depth[1]) : sampled;
  const depth = type === 'contamination' ? 0 : type === 'bump' ? magnitude : -magnitude;
  const length = size.length[1] > 0 ? Math.min(rng.range(size.length[0], size.length[1]) * k, MAX_ACROSS) : 0;
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
