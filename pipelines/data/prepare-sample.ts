// Preprocessing of one raw sample: background plane removal (seeded RANSAC), optional largest component, resize.
import { expectInteger, expectNumber } from '../../orchestrator/util/validate.js';
import { UsageError } from '../../orchestrator/util/errors.js';
import { fitBorderPlane, keepLargestComponent, removePlane } from './plane-removal.js';
import { deriveSeed } from './random.js';
import { resizeArea, resizeNearest } from './resize.js';
import type { PreparedSample, RawSample } from './types.js';

export interface PrepareOptions {
  /** Output side length (size × size). @default 224 */
  readonly size?: number;
  /** Points within this distance of the background plane are removed (metres). @default 0.005 */
  readonly distanceThreshold?: number;
  /** RANSAC iterations. @default 250 */
  readonly ransacIterations?: number;
  /** Width of the border band the plane is fitted to, as a fraction of min(width, height). @default 0.05 */
  readonly borderFraction?: number;
  /** Border points scored per RANSAC hypothesis (seeded subsample). @default 4096 */
  readonly maxRansacPoints?: number;
  /** Keep only the largest 8-connected component of the foreground. @default false */
  readonly keepLargestComponent?: boolean;
  /** RANSAC seed; mixed with the sample's category/split/defect/id. @default 0 */
  readonly seed?: number;
}

export type NormalizedPrepareOptions = Required<PrepareOptions>;

const PREPARE_OPTION_KEYS = new Set(['size', 'distanceThreshold', 'ransacIterations', 'borderFraction', 'maxRansacPoints', 'keepLargestComponent', 'seed']);

/**
 * Fills defaults and validates; messages name the option and the value received. `names` maps keys to what the
 * caller's command calls them (`geoad data prepare` passes `{ size: '--size', … }`); unmapped keys are named as is.
 */
export function normalizePrepareOptions(options: PrepareOptions = {}, names: Partial<Record<keyof PrepareOptions, string>> = {}): NormalizedPrepareOptions {
  for (const key of Object.keys(options)) {
    if (!PREPARE_OPTION_KEYS.has(key)) throw new UsageError(`Unknown preprocessing option \`${key}\``);
  }
  const name = (key: keyof PrepareOptions) => names[key] ?? key;
  const keep = options.keepLargestComponent ?? false;
  if (typeof keep !== 'boolean') throw new UsageError(`Expected \`${name('keepLargestComponent')}\` to be a boolean, got \`${String(keep)}\``);
  return {
    size: expectInteger(name('size'), options.size ?? 224, 8, 2048),
    distanceThreshold: expectNumber(name('distanceThreshold'), options.distanceThreshold ?? 0.005, 1e-6, 1),
    ransacIterations: expectInteger(name('ransacIterations'), options.ransacIterations ?? 250, 1, 100_000),
    borderFraction: expectNumber(name('borderFraction'), options.borderFraction ?? 0.05, 0.001, 0.5),
    maxRansacPoints: expectInteger(name('maxRansacPoints'), options.maxRansacPoints ?? 4096, 3, 10_000_000),
    keepLargestComponent: keep,
    seed: expectInteger(name('seed'), options.seed ?? 0, 0, 0xffffffff),
  };
}

/** Removes the background plane and resizes to size × size: nearest for xyz/gt/foreground, area for rgb. */
export function prepareSample(raw: RawSample, options: PrepareOptions = {}): PreparedSample {
  const o = normalizePrepareOptions(options);
  const { width, height, ref } = raw;
  const plane = fitBorderPlane(raw.xyz, width, height, {
    borderFraction: o.borderFraction,
    distanceThreshold: o.distanceThreshold,
    iterations: o.ransacIterations,
    maxPoints: o.maxRansacPoints,
    seed: deriveSeed(o.seed, ref.category, ref.split, ref.defect, ref.id),
  });
  const mask = removePlane(raw.xyz, plane, o.distanceThreshold);
  if (o.keepLargestComponent) keepLargestComponent(mask, width, height);
  const size = o.size;
  const foreground = resizeNearest(mask, width, height, 1, size, size);
  const xyz = resizeNearest(raw.xyz, width, height, 3, size, size);
  for (let p = 0; p < foreground.length; p++) {
    if (!foreground[p]) xyz[p * 3] = xyz[p * 3 + 1] = xyz[p * 3 + 2] = 0;
  }
  const gt = raw.gt ? resizeNearest(raw.gt, width, height, 1, size, size) : new Uint8Array(size * size);
  return {
    ref,
    size,
    originalWidth: width,
    originalHeight: height,
    rgb: resizeArea(raw.rgb, width, height, 3, size, size),
    xyz,
    gt,
    foreground,
    ...(plane ? { plane: { normal: plane.normal, offset: plane.offset } } : {}),
    nonFinitePoints: raw.nonFinitePoints,
  };
}
