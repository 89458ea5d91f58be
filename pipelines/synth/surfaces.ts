// Parametric surface helpers shared by the category models: superellipsoids and tubes around a bent axis.
// Every helper maps (u, v) ∈ [0,1)² to an object-frame point (metres, z up) written into `out`.

/** A parametric surface: writes P(u, v) into `out`. */
export type SurfaceFn = (u: number, v: number, out: number[]) => void;

/** Signed power: sign(x)·|x|^e, the building block of superquadrics. */
export function signedPow(x: number, e: number): number {
  return x < 0 ? -Math.pow(-x, e) : Math.pow(x, e);
}

/**
 * A superellipsoid with half-extents (a, b, c) along x, y, z and shape exponents e1 (pole to pole) and e2 (around):
 * 1 = ellipsoid, → 0 = box. u goes around z, v from the bottom pole (v = 0) to the top pole (v = 1).
 */
export function superellipsoid(a: number, b: number, c: number, e1: number, e2: number, radial?: (x: number, y: number, z: number) => number): SurfaceFn {
  return (u, v, out) => {
    const eta = -Math.PI / 2 + Math.PI * v;
    const omega = 2 * Math.PI * u;
    const ce = signedPow(Math.cos(eta), e1);
    let x = a * ce * signedPow(Math.cos(omega), e2);
    let y = b * ce * signedPow(Math.sin(omega), e2);
    let z = c * signedPow(Math.sin(eta), e1);
    if (radial) {
      const k = radial(x, y, z);
      x *= k;
      y *= k;
      z *= k;
    }
    out[0] = x;
    out[1] = y;
    out[2] = z;
  };
}

/** Rounds the ends of a tube: 1 in the middle, falling to 0 like a hemisphere over `cap` (a fraction of t) at both ends. */
export function capFactor(t: number, cap: number): number {
  const d = Math.min(t, 1 - t) / cap;
  if (d >= 1) return 1;
  const s = 1 - Math.max(d, 0);
  return Math.sqrt(Math.max(0, 1 - s * s));
}

/**
 * A closed tube lying along x: the axis runs from x = -length/2 (v = 0) to +length/2 (v = 1), bent in the xy plane
 * by `bend(t)` (a y offset); `radius(t, phi)` gives the cross-section radius (0 at the capped ends), u = phi/2π.
 */
export function bentTube(length: number, bend: (t: number) => number, radius: (t: number, phi: number) => number): SurfaceFn {
  const h = 1e-4;
  return (u, v, out) => {
    const t = v;
    const phi = 2 * Math.PI * u;
    const cx = -length / 2 + length * t;
    const cy = bend(t);
    // Axis tangent in the xy plane; the normal frame is (n, z) with n ⟂ tangent.
    const dy = (bend(Math.min(1, t + h)) - bend(Math.max(0, t - h))) / (Math.min(1, t + h) - Math.max(0, t - h));
    const tx = length;
    const norm = Math.hypot(tx, dy);
    const nx = -dy / norm;
    const ny = tx / norm;
    const r = radius(t, phi);
    out[0] = cx + r * Math.cos(phi) * nx;
    out[1] = cy + r * Math.cos(phi) * ny;
    out[2] = r * Math.sin(phi);
  };
}

/** A torus-like ring around z: u around the ring, v around the tube; `section(u, psi)` returns [radial, vertical] offsets. */
export function ring(majorRadius: number, section: (u: number, psi: number) => readonly [number, number]): SurfaceFn {
  return (u, v, out) => {
    const phi = 2 * Math.PI * u;
    const psi = 2 * Math.PI * v;
    const [dr, dz] = section(u, psi);
    const rr = majorRadius + dr;
    out[0] = rr * Math.cos(phi);
    out[1] = rr * Math.sin(phi);
    out[2] = dz;
  };
}

/** A closed solid of revolution around x: `profile(v)` gives [x, radius] from one pole (radius 0) to the other. */
export function revolveX(profile: (v: number) => readonly [number, number], radial?: (v: number, phi: number) => number): SurfaceFn {
  return (u, v, out) => {
    const phi = 2 * Math.PI * u;
    const [x, r0] = profile(v);
    const r = radial ? r0 * radial(v, phi) : r0;
    out[0] = x;
    out[1] = r * Math.cos(phi);
    out[2] = r * Math.sin(phi);
  };
}

/** A polyline profile [x, r] parameterised by arc length: v ∈ [0, 1] → point on it. */
export function polylineProfile(points: readonly (readonly [number, number])[]): (v: number) => readonly [number, number] {
  const lengths = [0];
  for (let i = 1; i < points.length; i++) {
    lengths.push(lengths[i - 1] + Math.hypot(points[i][0] - points[i - 1][0], points[i][1] - points[i - 1][1]));
  }
  const total = lengths[lengths.length - 1];
  return (v) => {
    const s = Math.min(Math.max(v, 0), 1) * total;
    let i = 1;
    while (i < points.length - 1 && lengths[i] < s) i++;
    const span = lengths[i] - lengths[i - 1] || 1;
    const f = Math.min(Math.max((s - lengths[i - 1]) / span, 0), 1);
    return [points[i - 1][0] + f * (points[i][0] - points[i - 1][0]), points[i - 1][1] + f * (points[i][1] - points[i - 1][1])];
  };
}
