// The object categories: for each, how to sample its natural variation, its surface and its procedural texture.
// Organic (bagel, cookie, potato, carrot, peach), deformable-looking (foam, rope, tire) and rigid machined (dowel,
// cable_gland) families, each a few centimetres to ~12 cm across, z up, resting on z = 0 after placement.
import { fractalNoise3, valueNoise3 } from './noise.js';
import type { Rng } from './prng.js';
import { bentTube, capFactor, polylineProfile, revolveX, ring, signedPow, superellipsoid, type SurfaceFn } from './surfaces.js';
import type { Material } from './types.js';

/** Writes a linear-RGB colour for object-frame point (x, y, z) into `out`. */
export type ColourFn = (x: number, y: number, z: number, out: number[]) => void;

/** Sampled shape/texture parameters of one object (numbers only, so they go into the manifest as they are). */
export type ShapeParams = Readonly<Record<string, number>>;

/** One category's generative model. */
export interface CategoryModel {
  readonly name: string;
  readonly description: string;
  /** `ring`: u and v both periodic (a torus); `capped`: u periodic, v from pole (0) to pole (1). */
  readonly topology: 'ring' | 'capped';
  /** Base grid samples along u and v (about 1 mm apart on the surface). */
  readonly grid: readonly [number, number];
  readonly material: Material;
  sample(rng: Rng): ShapeParams;
  surface(p: ShapeParams): SurfaceFn;
  colour(p: ShapeParams): ColourFn;
}

const mix = (a: number, b: number, t: number) => a + (b - a) * t;
const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);
const palette = (rng: Rng, colours: readonly (readonly [number, number, number])[]) => {
  const c = rng.pick(colours);
  const j = () => rng.range(0.9, 1.1);
  return { r: c[0] * j(), g: c[1] * j(), b: c[2] * j() };
};
const setColour = (out: number[], r: number, g: number, b: number) => {
  out[0] = clamp01(r);
  out[1] = clamp01(g);
  out[2] = clamp01(b);
};

const bagel: CategoryModel = {
  name: 'bagel',
  description: 'a baked ring: flattened torus with lumpy crust, darker on top',
  topology: 'ring',
  grid: [180, 64],
  material: { name: 'crust', specular: 0.15, shininess: 12 },
  sample: (rng) => ({ major: rng.range(0.03, 0.037), minor: rng.range(0.012, 0.015), flat: rng.range(0.7, 0.85), lump: rng.range(0.04, 0.09), seed: rng.int(0, 1e9), ...(({ r, g, b }) => ({ cr: r, cg: g, cb: b }))(palette(rng, [[0.55, 0.28, 0.08], [0.48, 0.24, 0.07], [0.62, 0.36, 0.12]])) }),
  surface: (p) =>
    ring(p.major, (u, psi) => {
      const x = Math.cos(2 * Math.PI * u) * 2;
      const y = Math.sin(2 * Math.PI * u) * 2;
      const k = 1 + p.lump * fractalNoise3(p.seed, x, y, Math.cos(psi) * 1.5 + Math.sin(psi), 2);
      return [p.minor * k * Math.cos(psi), p.minor * k * p.flat * Math.sin(psi)];
    }),
  colour: (p) => (x, y, z, out) => {
    const top = clamp01(z / (p.minor * p.flat) * 0.5 + 0.5);
    const n = fractalNoise3(p.seed + 7, x / 0.006, y / 0.006, z / 0.006, 2);
    const k = mix(1.15, 0.7, top) * (1 + 0.15 * n);
    setColour(out, p.cr * k, p.cg * k * mix(1.1, 0.9, top), p.cb * k);
  },
};

const cookie: CategoryModel = {
  name: 'cookie',
  description: 'a flat baked disc with an irregular rim and a bumpy top',
  topology: 'capped',
  grid: [160, 56],
  material: { name: 'dough', specular: 0.1, shininess: 10 },
  sample: (rng) => ({ radius: rng.range(0.026, 0.034), half: rng.range(0.003, 0.0045), rim: rng.range(0.02, 0.05), seed: rng.int(0, 1e9), ...(({ r, g, b }) => ({ cr: r, cg: g, cb: b }))(palette(rng, [[0.72, 0.46, 0.2], [0.6, 0.36, 0.14], [0.78, 0.58, 0.3]])) }),
  surface: (p) => {
    const base = superellipsoid(p.radius, p.radius, p.half, 0.35, 1);
    return (u, v, out) => {
      base(u, v, out);
      const k = 1 + p.rim * fractalNoise3(p.seed, out[0] / 0.012, out[1] / 0.012, 0, 2);
      out[0] *= k;
      out[1] *= k;
      if (out[2] > 0) out[2] += 0.0006 * fractalNoise3(p.seed + 3, out[0] / 0.006, out[1] / 0.006, 1, 2) * Math.min(1, (2 * out[2]) / p.half);
    };
  },
  colour: (p) => (x, y, z, out) => {
    const edge = clamp01(Math.hypot(x, y) / p.radius);
    const n = fractalNoise3(p.seed + 11, x / 0.004, y / 0.004, z / 0.004, 2);
    const k = mix(1, 0.78, edge * edge) * (1 + 0.12 * n);
    setColour(out, p.cr * k, p.cg * k, p.cb * k);
  },
};

const potato: CategoryModel = {
  name: 'potato',
  description: 'a lumpy ellipsoid with strong shape variation, spots and eyes',
  topology: 'capped',
  grid: [180, 90],
  material: { name: 'skin', specular: 0.2, shininess: 20 },
  sample: (rng) => ({ a: rng.range(0.038, 0.052), b: rng.range(0.027, 0.034), c: rng.range(0.021, 0.027), lump: rng.range(0.05, 0.12), seed: rng.int(0, 1e9), ...(({ r, g, b }) => ({ cr: r, cg: g, cb: b }))(palette(rng, [[0.45, 0.3, 0.15], [0.55, 0.4, 0.2], [0.4, 0.22, 0.14]])) }),
  surface: (p) =>
    superellipsoid(p.a, p.b, p.c, 1, 1, (x, y, z) => 1 + p.lump * fractalNoise3(p.seed, x / 0.03, y / 0.03, z / 0.03, 3)),
  colour: (p) => (x, y, z, out) => {
    const n = fractalNoise3(p.seed + 5, x / 0.005, y / 0.005, z / 0.005, 2);
    const eye = valueNoise3(p.seed + 9, x / 0.004, y / 0.004, z / 0.004) > 0.75 ? 0.7 : 1;
    const k = (1 + 0.18 * n) * eye;
    setColour(out, p.cr * k, p.cg * k, p.cb * k);
  },
};

const carrot: CategoryModel = {
  name: 'carrot',
  description: 'a tapering, slightly bent cone with growth rings, lying down',
  topology: 'capped',
  grid: [72, 180],
  material: { name: 'carrot', specular: 0.3, shininess: 25 },
  sample: (rng) => ({ length: rng.range(0.095, 0.115), radius: rng.range(0.011, 0.015), bend: rng.range(-0.006, 0.006), rings: rng.int(14, 24), seed: rng.int(0, 1e9), ...(({ r, g, b }) => ({ cr: r, cg: g, cb: b }))(palette(rng, [[0.85, 0.3, 0.04], [0.8, 0.38, 0.06], [0.9, 0.25, 0.03]])) }),
  surface: (p) =>
    bentTube(
      p.length,
      (t) => p.bend * 4 * (t - 0.5) * (t - 0.5),
      (t, phi) => {
        const taper = Math.pow(1 - t, 0.75) * capFactor(t, (p.radius / p.length) * 0.8);
        const rings = 1 + 0.025 * Math.sin(2 * Math.PI * t * p.rings) * (0.5 + 0.5 * valueNoise3(p.seed, t * 8, Math.cos(phi), Math.sin(phi)));
        return p.radius * taper * rings * (1 + 0.03 * fractalNoise3(p.seed + 1, t * 10, Math.cos(phi), Math.sin(phi), 2));
      },
    ),
  colour: (p) => (x, y, z, out) => {
    const t = x / p.length + 0.5;
    const ringLine = 1 + 0.12 * Math.sin(2 * Math.PI * t * p.rings);
    const n = fractalNoise3(p.seed + 4, x / 0.006, y / 0.004, z / 0.004, 2);
    const top = t < 0.04 ? 0.6 : 1;
    const k = ringLine * (1 + 0.1 * n) * top;
    setColour(out, p.cr * k, p.cg * k, p.cb * k);
  },
};

const peach: CategoryModel = {
  name: 'peach',
  description: 'a near-spherical fruit with a suture crease and a stem cavity, red blush over yellow, fine fuzz',
  topology: 'capped',
  grid: [200, 100],
  material: { name: 'fuzz', specular: 0.08, shininess: 8 },
  sample: (rng) => ({
    radius: rng.range(0.03, 0.038),
    squash: rng.range(0.86, 0.96),
    crease: rng.range(0.025, 0.045),
    cavity: rng.range(0.08, 0.14),
    lump: rng.range(0.015, 0.035),
    blush: rng.range(0.35, 0.75),
    seed: rng.int(0, 1e9),
  }),
  surface: (p) =>
    superellipsoid(p.radius, p.radius, p.radius * p.squash, 1, 1, (x, y, z) => {
      const r = Math.hypot(x, y, z);
      // The suture: a shallow groove along the meridian in the plane y = 0 on the +x side, fading over the bottom.
      const side = y / r;
      const suture = x > 0 ? Math.exp(-((side / 0.09) ** 2)) * (0.5 + 0.5 * Math.max(0, z / r + 0.3)) : 0;
      // The stem cavity: a dimple around the top pole.
      const cavity = Math.exp(-(((1 - z / r) / 0.06) ** 2));
      return 1 - p.crease * suture - p.cavity * cavity + p.lump * fractalNoise3(p.seed, x / 0.03, y / 0.03, z / 0.03, 2);
    }),
  colour: (p) => (x, y, z, out) => {
    // Blush where a low-frequency field is high (more on the top), yellow-orange ground elsewhere, fuzz on top.
    const field = 0.5 + 0.5 * fractalNoise3(p.seed + 11, x / 0.025, y / 0.025, z / 0.025, 2) + 0.25 * (z / p.radius);
    const t = clamp01((field - (1 - p.blush)) * 3);
    const fuzz = 1 + 0.1 * fractalNoise3(p.seed + 12, x / 0.0015, y / 0.0015, z / 0.0015, 1);
    setColour(out, mix(0.85, 0.62, t) * fuzz, mix(0.55, 0.12, t) * fuzz, mix(0.16, 0.08, t) * fuzz);
  },
};

const foam: CategoryModel = {
  name: 'foam',
  description: 'a rounded block of foam, slightly sagging, with a porous texture',
  topology: 'capped',
  grid: [200, 80],
  material: { name: 'foam', specular: 0.05, shininess: 6 },
  sample: (rng) => ({ a: rng.range(0.034, 0.044), b: rng.range(0.024, 0.031), c: rng.range(0.014, 0.019), sag: rng.range(0.02, 0.08), seed: rng.int(0, 1e9), ...(({ r, g, b }) => ({ cr: r, cg: g, cb: b }))(palette(rng, [[0.85, 0.72, 0.3], [0.55, 0.55, 0.52], [0.3, 0.45, 0.65]])) }),
  surface: (p) => {
    const base = superellipsoid(p.a, p.b, p.c, 0.25, 0.25);
    return (u, v, out) => {
      base(u, v, out);
      const r2 = (out[0] / p.a) ** 2 + (out[1] / p.b) ** 2;
      if (out[2] > 0) out[2] *= 1 - p.sag * (1 - Math.min(r2, 1));
      const n = 0.0004 * fractalNoise3(p.seed, out[0] / 0.01, out[1] / 0.01, out[2] / 0.01, 2);
      out[0] += n;
      out[1] += n;
      out[2] += n;
    };
  },
  colour: (p) => (x, y, z, out) => {
    const pores = valueNoise3(p.seed + 2, x / 0.0025, y / 0.0025, z / 0.0025);
    const k = (pores > 0.45 ? 0.8 : 1) * (1 + 0.08 * fractalNoise3(p.seed + 6, x / 0.01, y / 0.01, z / 0.01, 2));
    setColour(out, p.cr * k, p.cg * k, p.cb * k);
  },
};

const rope: CategoryModel = {
  name: 'rope',
  description: 'a three-strand twisted rope piece, gently curved, lying down',
  topology: 'capped',
  grid: [60, 220],
  material: { name: 'fibre', specular: 0.1, shininess: 8 },
  sample: (rng) => ({ length: rng.range(0.09, 0.11), radius: rng.range(0.007, 0.009), bend: rng.range(-0.012, 0.012), pitch: rng.range(0.012, 0.018), seed: rng.int(0, 1e9), ...(({ r, g, b }) => ({ cr: r, cg: g, cb: b }))(palette(rng, [[0.75, 0.62, 0.4], [0.6, 0.5, 0.35], [0.7, 0.7, 0.65]])) }),
  surface: (p) =>
    bentTube(
      p.length,
      (t) => p.bend * Math.sin(Math.PI * t),
      (t, phi) => {
        const twist = 3 * (phi - (2 * Math.PI * t * p.length) / p.pitch);
        const lobe = Math.sqrt(0.5 + 0.5 * Math.cos(twist));
        return p.radius * (0.88 + 0.14 * lobe) * capFactor(t, (p.radius / p.length) * 1.2);
      },
    ),
  colour: (p) => (x, y, z, out) => {
    const n = fractalNoise3(p.seed + 3, x / 0.004, y / 0.004, z / 0.004, 2);
    const k = 1 + 0.12 * n;
    setColour(out, p.cr * k, p.cg * k, p.cb * k);
  },
};

const tire: CategoryModel = {
  name: 'tire',
  description: 'a small treaded rubber ring lying flat, with radial tread blocks',
  topology: 'ring',
  grid: [320, 56],
  material: { name: 'rubber', specular: 0.25, shininess: 30 },
  sample: (rng) => ({ major: rng.range(0.033, 0.04), width: rng.range(0.009, 0.012), height: rng.range(0.011, 0.014), treads: rng.int(28, 40), tread: rng.range(0.0008, 0.0014), seed: rng.int(0, 1e9), ...(({ r, g, b }) => ({ cr: r, cg: g, cb: b }))(palette(rng, [[0.05, 0.05, 0.05], [0.08, 0.07, 0.06], [0.1, 0.1, 0.11]])) }),
  surface: (p) =>
    ring(p.major, (u, psi) => {
      const c = signedPow(Math.cos(psi), 0.4);
      const s = signedPow(Math.sin(psi), 0.4);
      const phase = (u * p.treads) % 1;
      const groove = Math.cos(psi) > 0.3 ? 0.5 - 0.5 * Math.tanh((Math.abs(phase - 0.5) - 0.32) * 40) : 0;
      return [p.width * c - p.tread * (1 - groove) * Math.max(0, Math.cos(psi)), p.height * s];
    }),
  colour: (p) => (x, y, z, out) => {
    const k = 1 + 0.25 * fractalNoise3(p.seed + 8, x / 0.005, y / 0.005, z / 0.005, 2);
    setColour(out, p.cr * k, p.cg * k, p.cb * k);
  },
};

const dowel: CategoryModel = {
  name: 'dowel',
  description: 'a wooden rod with chamfered ends and grain, lying down',
  topology: 'capped',
  grid: [56, 160],
  material: { name: 'wood', specular: 0.2, shininess: 20 },
  sample: (rng) => ({ length: rng.range(0.085, 0.11), radius: rng.range(0.006, 0.009), seed: rng.int(0, 1e9), ...(({ r, g, b }) => ({ cr: r, cg: g, cb: b }))(palette(rng, [[0.62, 0.42, 0.22], [0.72, 0.55, 0.32], [0.5, 0.32, 0.16]])) }),
  surface: (p) => {
    const chamfer = 0.0012;
    const half = p.length / 2;
    const profile = polylineProfile([[-half, 0], [-half, p.radius - chamfer], [-half + chamfer, p.radius], [half - chamfer, p.radius], [half, p.radius - chamfer], [half, 0]]);
    return revolveX(profile);
  },
  colour: (p) => (x, y, z, out) => {
    const grain = Math.sin((y * 700 + z * 300 + 3 * fractalNoise3(p.seed, x / 0.03, y / 0.01, z / 0.01, 2)) * 1.3);
    const k = 1 + 0.12 * grain + 0.06 * valueNoise3(p.seed + 1, x / 0.008, y / 0.003, z / 0.003);
    setColour(out, p.cr * k, p.cg * k, p.cb * k);
  },
};

const cableGland: CategoryModel = {
  name: 'cable_gland',
  description: 'a machined gland: threaded body, hex collar and domed cap nut, lying on its side',
  topology: 'capped',
  grid: [120, 170],
  material: { name: 'machined', specular: 0.55, shininess: 45 },
  sample: (rng) => ({ thread: rng.range(0.0075, 0.009), hex: rng.range(0.011, 0.013), dome: rng.range(0.0095, 0.0115), pitch: rng.range(0.0022, 0.0028), seed: rng.int(0, 1e9), ...(({ r, g, b }) => ({ cr: r, cg: g, cb: b }))(palette(rng, [[0.05, 0.05, 0.06], [0.6, 0.45, 0.15], [0.42, 0.42, 0.44]])) }),
  surface: (p) => {
    const x0 = -0.022;
    const xt = x0 + 0.012;
    const xh = xt + 0.008;
    const xd = xh + 0.016;
    const dome: [number, number][] = [];
    for (let i = 0; i <= 8; i++) {
      const a = (i / 8) * (Math.PI / 2);
      dome.push([xh + 0.001 + (xd - xh - 0.001) * Math.sin(a), p.dome * Math.cos(a) * (i === 8 ? 0 : 1)]);
    }
    const profile = polylineProfile([[x0, 0], [x0, p.thread - 0.0008], [x0 + 0.0008, p.thread], [xt, p.thread], [xt, p.hex], [xh, p.hex], [xh, p.dome], ...dome]);
    return revolveX(profile, (v, phi) => {
      const [x, r] = profile(v);
      if (x > x0 + 0.0008 && x < xt - 0.0002 && r > p.thread - 0.0001) {
        const saw = Math.abs(((x - phi / (2 * Math.PI) * p.pitch) / p.pitch) % 1 + 1) % 1;
        return 1 - (0.0006 / p.thread) * Math.abs(saw - 0.5) * 2;
      }
      if (x >= xt && x <= xh && r > p.hex * 0.98) {
        const sector = ((phi % (Math.PI / 3)) + Math.PI / 3) % (Math.PI / 3) - Math.PI / 6;
        return Math.min(1 / Math.cos(sector), 1.1) * 0.95;
      }
      return 1;
    });
  },
  colour: (p) => (x, y, z, out) => {
    const k = 1 + 0.05 * fractalNoise3(p.seed + 2, x / 0.003, y / 0.003, z / 0.003, 2);
    setColour(out, p.cr * k, p.cg * k, p.cb * k);
  },
};

/** Every category, by name, in a stable order. */
export const categoryModels: ReadonlyMap<string, CategoryModel> = new Map(
  [bagel, cookie, potato, carrot, peach, foam, rope, tire, dowel, cableGland].map((m) => [m.name, m]),
);

/** The names of all categories, in order. */
export const categoryNames: readonly string[] = [...categoryModels.keys()];
