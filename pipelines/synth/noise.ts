// Seeded 3D value noise and fractal sums of it: the source of natural shape variation and procedural texture.
// Pure functions of (seed, point); lattice values come from an integer hash, so no tables are shared between calls.

function latticeValue(seed: number, x: number, y: number, z: number): number {
  let h = (seed ^ Math.imul(x, 0x27d4eb2d) ^ Math.imul(y, 0x165667b1) ^ Math.imul(z, 0x9e3779b1)) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39) >>> 0;
  h ^= h >>> 15;
  return (h >>> 0) / 2147483648 - 1; // [-1, 1)
}

const fade = (t: number): number => t * t * (3 - 2 * t);
const lerp = (a: number, b: number, t: number): number => a + (b - a) * t;

/** Smooth value noise in [-1, 1] at (x, y, z) (lattice spacing 1). */
export function valueNoise3(seed: number, x: number, y: number, z: number): number {
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  const zi = Math.floor(z);
  const tx = fade(x - xi);
  const ty = fade(y - yi);
  const tz = fade(z - zi);
  const x0 = lerp(latticeValue(seed, xi, yi, zi), latticeValue(seed, xi + 1, yi, zi), tx);
  const x1 = lerp(latticeValue(seed, xi, yi + 1, zi), latticeValue(seed, xi + 1, yi + 1, zi), tx);
  const x2 = lerp(latticeValue(seed, xi, yi, zi + 1), latticeValue(seed, xi + 1, yi, zi + 1), tx);
  const x3 = lerp(latticeValue(seed, xi, yi + 1, zi + 1), latticeValue(seed, xi + 1, yi + 1, zi + 1), tx);
  return lerp(lerp(x0, x1, ty), lerp(x2, x3, ty), tz);
}

/** Fractal sum of `octaves` value-noise layers (frequency ×2, amplitude ×0.5 each), roughly in [-1, 1]. */
export function fractalNoise3(seed: number, x: number, y: number, z: number, octaves: number): number {
  let sum = 0;
  let amplitude = 1;
  let norm = 0;
  let f = 1;
  for (let o = 0; o < octaves; o++) {
    sum += amplitude * valueNoise3(seed + o * 1013, x * f, y * f, z * f);
    norm += amplitude;
    amplitude *= 0.5;
    f *= 2;
  }
  return sum / norm;
}
