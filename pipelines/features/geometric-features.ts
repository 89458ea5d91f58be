// The default geometric extractor: per-pixel normals, multi-scale surface variation and FPFH on the prepared
// organized cloud, scaled by fixed constants and averaged over foreground pixels into grid × grid cells.
//
// Channel layout (C = 3 + variationRadii.length + 33; 39 by default):
//   0..2   normal x, y, z          unit normal toward the camera (cell mean, renormalised)        range [-1, 1]
//   3..    variation at each radius sqrt(3 · λ0 / (λ0 + λ1 + λ2))                                  range [0, 1]
//   last 33 FPFH bins (α, φ, θ × 11) divided by 200, so each 11-bin sub-histogram sums to 1         range [0, 1]
import { UsageError } from '../../orchestrator/util/errors.js';
import { expectInteger, expectNumber } from '../../orchestrator/util/validate.js';
import type { GeometricFeatures, PreparedSample } from '../data/types.js';
import { FPFH_BINS, computeFpfh, findWindowNeighbours } from './fpfh.js';
import { computeLocalGeometry, type OrganizedCloud } from './local-geometry.js';

/** FPFH sums 100 (SPFH) + 100 (weighted neighbours) per sub-histogram: dividing by this makes each sum to 1. */
export const FPFH_SCALE = 1 / 200;

export interface FeatureOptions {
  /** Output grid side (grid × grid cells); must not exceed the prepared size. @default 56 */
  readonly grid?: number;
  /** Normal estimation window radius in pixels ((2r+1)² window). @default 2 */
  readonly normalRadius?: number;
  /** Surface-variation window radii in pixels, one channel each. @default [2, 4, 8] */
  readonly variationRadii?: readonly number[];
  /** FPFH pixel window radius: neighbours are searched in the (2w+1)² window. @default 3 */
  readonly fpfhWindow?: number;
  /** FPFH radius in metres, or `auto` = fpfhRadiusFactor × the median spacing of adjacent foreground points. @default 'auto' */
  readonly fpfhRadius?: number | 'auto';
  /** Multiple of the median point spacing used when fpfhRadius is `auto`. @default 2.5 */
  readonly fpfhRadiusFactor?: number;
}

export interface NormalizedFeatureOptions {
  readonly grid: number;
  readonly normalRadius: number;
  readonly variationRadii: readonly number[];
  readonly fpfhWindow: number;
  readonly fpfhRadius: number | 'auto';
  readonly fpfhRadiusFactor: number;
}

const FEATURE_OPTION_KEYS = new Set(['grid', 'normalRadius', 'variationRadii', 'fpfhWindow', 'fpfhRadius', 'fpfhRadiusFactor']);

/** Fills defaults and validates; messages name the option (as `names` maps it, e.g. `{ grid: '--grid' }`) and the value. */
export function normalizeFeatureOptions(options: FeatureOptions = {}, names: Partial<Record<keyof FeatureOptions, string>> = {}): NormalizedFeatureOptions {
  for (const key of Object.keys(options)) {
    if (!FEATURE_OPTION_KEYS.has(key)) throw new UsageError(`Unknown feature option \`${key}\``);
  }
  const name = (key: keyof FeatureOptions) => names[key] ?? key;
  const radii = options.variationRadii ?? [2, 4, 8];
  if (!Array.isArray(radii) || radii.length === 0 || radii.length > 8) {
    throw new UsageError(`Expected \`${name('variationRadii')}\` to be a list of 1 to 8 integers, got \`${String(radii)}\``);
  }
  const fpfhRadius = options.fpfhRadius ?? 'auto';
  return {
    grid: expectInteger(name('grid'), options.grid ?? 56, 1, 2048),
    normalRadius: expectInteger(name('normalRadius'), options.normalRadius ?? 2, 1, 32),
    variationRadii: radii.map((r, i) => expectInteger(`${name('variationRadii')}[${i}]`, r, 1, 64)),
    fpfhWindow: expectInteger(name('fpfhWindow'), options.fpfhWindow ?? 3, 1, 16),
    fpfhRadius: fpfhRadius === 'auto' ? 'auto' : expectNumber(name('fpfhRadius'), fpfhRadius, 1e-9, 10),
    fpfhRadiusFactor: expectNumber(name('fpfhRadiusFactor'), options.fpfhRadiusFactor ?? 2.5, 0.1, 64),
  };
}

/** Channel names in layout order. */
export function featureChannelNames(options: NormalizedFeatureOptions): string[] {
  return [
    'normal.x', 'normal.y', 'normal.z',
    ...options.variationRadii.map((r) => `variation.r${r}`),
    ...Array.from({ length: FPFH_BINS }, (_, j) => `fpfh.${j}`),
  ];
}

/** Median 3-D distance between horizontally or vertically adjacent valid points (0 if there are none). */
export function medianPointSpacing(cloud: OrganizedCloud): number {
  const { width, height, xyz, valid } = cloud;
  const distances: number[] = [];
  const push = (p: number, q: number) => {
    const d = Math.hypot(xyz[q * 3] - xyz[p * 3], xyz[q * 3 + 1] - xyz[p * 3 + 1], xyz[q * 3 + 2] - xyz[p * 3 + 2]);
    if (d > 0) distances.push(d);
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (!valid[p]) continue;
      if (x + 1 < width && valid[p + 1]) push(p, p + 1);
      if (y + 1 < height && valid[p + width]) push(p, p + width);
    }
  }
  if (distances.length === 0) return 0;
  const sorted = Float64Array.from(distances).sort();
  return sorted[Math.floor(sorted.length / 2)];
}

/** Per-pixel descriptors of an organized cloud (unscaled): normals, variation per radius, FPFH. */
export interface PixelDescriptors {
  readonly normals: Float32Array;
  readonly variation: Float32Array;
  readonly fpfh: Float32Array;
  /** The FPFH radius used (metres). */
  readonly fpfhRadius: number;
}

/** Computes the per-pixel descriptors of an organized cloud. */
export function computePixelDescriptors(cloud: OrganizedCloud, options: NormalizedFeatureOptions): PixelDescriptors {
  const { normals, variation } = computeLocalGeometry(cloud, options.normalRadius, options.variationRadii);
  const spacing = options.fpfhRadius === 'auto' ? medianPointSpacing(cloud) : 0;
  const fpfhRadius = options.fpfhRadius === 'auto' ? options.fpfhRadiusFactor * spacing : options.fpfhRadius;
  const fpfh = fpfhRadius > 0 ? computeFpfh(cloud, normals, findWindowNeighbours(cloud, options.fpfhWindow, fpfhRadius)) : new Float32Array(cloud.width * cloud.height * FPFH_BINS);
  return { normals, variation, fpfh, fpfhRadius };
}

/** Computes the geometric feature grid of a prepared sample (channel layout at the top of this file). */
export function computeGeometricFeatures(prepared: PreparedSample, options: FeatureOptions = {}): GeometricFeatures {
  const o = normalizeFeatureOptions(options);
  const size = prepared.size;
  if (o.grid > size) throw new UsageError(`Expected \`grid\` to be at most the prepared size ${size}, got \`${o.grid}\``);
  const cloud: OrganizedCloud = { width: size, height: size, xyz: prepared.xyz, valid: prepared.foreground };
  const d = computePixelDescriptors(cloud, o);
  const scales = o.variationRadii.length;
  const channels = 3 + scales + FPFH_BINS;
  const grid = o.grid;
  const data = new Float32Array(grid * grid * channels);
  const foreground = new Uint8Array(grid * grid);
  const acc = new Float64Array(channels);
  for (let gy = 0; gy < grid; gy++) {
    const y0 = Math.floor((gy * size) / grid), y1 = Math.floor(((gy + 1) * size) / grid);
    for (let gx = 0; gx < grid; gx++) {
      const x0 = Math.floor((gx * size) / grid), x1 = Math.floor(((gx + 1) * size) / grid);
      acc.fill(0);
      let count = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const p = y * size + x;
          if (!cloud.valid[p]) continue;
          count++;
          for (let c = 0; c < 3; c++) acc[c] += d.normals[p * 3 + c];
          for (let s = 0; s < scales; s++) acc[3 + s] += Math.sqrt(3 * d.variation[p * scales + s]);
          for (let j = 0; j < FPFH_BINS; j++) acc[3 + scales + j] += d.fpfh[p * FPFH_BINS + j] * FPFH_SCALE;
        }
      }
      if (count === 0) continue;
      const cell = gy * grid + gx;
      foreground[cell] = 1;
      const base = cell * channels;
      const norm = Math.hypot(acc[0], acc[1], acc[2]);
      for (let c = 0; c < 3; c++) data[base + c] = norm > 0 ? acc[c] / norm : 0;
      for (let c = 3; c < channels; c++) data[base + c] = acc[c] / count;
    }
  }
  return { grid, channels, data, foreground, channelNames: featureChannelNames(o) };
}
