// Options of `evaluate()` / `geoad eval`: typed, readonly, defaults filled and values checked in one place.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { UsageError } from '../../orchestrator/util/errors.js';
import { expectInteger } from '../../orchestrator/util/validate.js';
import { normalizeProgressMode, type ProgressMode } from '../../orchestrator/util/progress.js';
import type { ProThresholds } from './aupro.js';

export interface EvalOptions {
  /** Folder of anomaly maps: MAPS/<category>/test/<defect>/<id>.tiff (+ optional validation/good/<id>.tiff). */
  readonly mapsDir: string;
  /** Dataset root in the MVTec 3D-AD layout (gt masks, test sample list). */
  readonly dataRoot: string;
  /** Categories to evaluate. @default every category folder of `mapsDir` */
  readonly categories?: readonly string[];
  /** Where to write results.json (atomically); nothing is written when absent. */
  readonly out?: string;
  /** Square evaluation resolution (maps bilinear, gt nearest); null = each gt's own resolution. @default null */
  readonly resolution?: number | null;
  /** `exact` PRO curve, or the papers' N rank-spaced thresholds (99 in CFM/GeoAD). @default 'exact' */
  readonly proThresholds?: ProThresholds;
  /** Minimum defect area in pixels at the evaluation resolution, one for all or per category.
   *  @default 0.1 % of a validation map's pixels, rounded up (`defaultMinDefectArea`; reads no test labels) */
  readonly minDefectArea?: number | Readonly<Record<string, number>>;
  /** Progress on stderr: `auto` (a bar on a TTY, plain lines otherwise), `plain` or `off`; true/false mean auto/off. @default 'auto' */
  readonly progress?: ProgressMode | boolean;
  /** Worker threads decoding maps ahead; 0 decodes in the calling thread. Results do not depend on it.
   *  @default min(4, os.availableParallelism()) */
  readonly workers?: number;
}

/** EvalOptions with every default filled in and every value checked. */
export interface NormalizedEvalOptions {
  readonly mapsDir: string;
  readonly dataRoot: string;
  readonly categories: readonly string[];
  readonly out: string | undefined;
  readonly resolution: number | null;
  readonly proThresholds: ProThresholds;
  readonly minDefectArea: number | Readonly<Record<string, number>> | undefined;
  readonly progress: ProgressMode;
  readonly workers: number;
}

/** Fills defaults and validates; errors name the option. Categories stay empty here (listed from MAPS later). */
export function normalizeEvalOptions(options: EvalOptions): NormalizedEvalOptions {
  if (typeof options.mapsDir !== 'string' || options.mapsDir === '') throw new UsageError('Expected `--maps` to be a folder path');
  if (typeof options.dataRoot !== 'string' || options.dataRoot === '') throw new UsageError('Expected `--data` to be a folder path');
  const resolution = options.resolution ?? null;
  if (resolution !== null) expectInteger('--resolution', resolution, 8, 4096);
  const proThresholds = options.proThresholds ?? 'exact';
  if (proThresholds !== 'exact') expectInteger('--pro-thresholds', proThresholds, 2, 1_000_000);
  const area = options.minDefectArea;
  if (typeof area === 'number') expectInteger('--min-defect-area', area, 1);
  else if (area !== undefined) {
    for (const [category, value] of Object.entries(area)) expectInteger(`--min-defect-area ${category}`, value, 1);
  }
  for (const category of options.categories ?? []) {
    if (category === '' || category.includes('/') || category.includes('\\') || category.startsWith('.')) {
      throw new UsageError(`Expected \`--category\` to be a category folder name, got \`${category}\``);
    }
  }
  return {
    mapsDir: resolve(options.mapsDir),
    dataRoot: resolve(options.dataRoot),
    categories: [...new Set(options.categories ?? [])],
    out: options.out === undefined ? undefined : resolve(options.out),
    resolution,
    proThresholds,
    minDefectArea: area,
    progress: normalizeProgressMode(options.progress),
    workers: expectInteger('--workers', options.workers ?? Math.min(4, availableParallelism()), 0, 64),
  };
}

/** Parses `--min-defect-area` values: `N` (all categories) or `category=N` entries. */
export function parseMinDefectArea(values: readonly string[]): number | Record<string, number> | undefined {
  if (values.length === 0) return undefined;
  const perCategory: Record<string, number> = {};
  let all: number | undefined;
  for (const value of values) {
    const match = /^(?:([^=]+)=)?(.+)$/.exec(value.trim());
    const number = Number(match?.[2]);
    const name = match?.[1] ? `--min-defect-area ${match[1]}` : '--min-defect-area';
    expectInteger(name, Number.isFinite(number) ? number : value, 1);
    if (match?.[1]) perCategory[match[1]] = number;
    else all = number;
  }
  if (all !== undefined && Object.keys(perCategory).length > 0) {
    throw new UsageError('Expected `--min-defect-area` to be either one number or `category=N` entries, not both');
  }
  return all ?? perCategory;
}
