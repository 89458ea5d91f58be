// All metrics of one category: reads its maps and gt one image at a time into the pooled pixel scores, then
// I-AUROC, P-AUROC, AUPRO at every limit, curves, and the calibrated threshold with detection quality at it.
import { join } from 'node:path';
import { DataError, UsageError } from '../../orchestrator/util/errors.js';
import { startProgressIn, type ProgressMode } from '../../orchestrator/util/progress.js';
import type { CategoryIndex } from '../data/types.js';
import { checkAupro, computeAuproFromPixels, type ProThresholds } from './aupro.js';
import { computeAuroc } from './auroc.js';
import { computeExactPixelMetrics } from './pixel-metrics.js';
import { PixelScoreCollector } from './pixel-scores.js';
import { calibrateThreshold, defaultMinDefectArea, detectImages, detectPixels, type ScoreMap } from './threshold.js';
import { checkMapShape, listTestItems, listValidationMaps, readMap } from './load-maps.js';
import { loadItemsInOrder } from './load-pool.js';
import { formatSize, resizeMapBilinear, type Size } from './resize-map.js';
import { linspaceRanks } from './pro-sampled.js';
import { AUPRO_LIMITS, type CategoryMetrics, type EvalWarning, type MapSizeCount, type ThresholdResult } from './types.js';

/** What one category's evaluation needs. */
export interface CategoryEvalOptions {
  readonly category: CategoryIndex;
  /** MAPS/<category>. */
  readonly mapsCategoryDir: string;
  readonly resolution: number | null;
  readonly proThresholds: ProThresholds;
  /** Pixels at the evaluation resolution; undefined = the default, 0.1 % of a validation map (defaultMinDefectArea). */
  readonly minDefectArea: number | undefined;
  /** How the caller's command names minDefectArea in errors. @default '--min-defect-area' */
  readonly minDefectAreaOption?: string;
  readonly progress: ProgressMode;
  /** Worker threads decoding maps and gt ahead (0: in this thread); results do not depend on it. */
  readonly workers: number;
}

// Counts maps per (file size, evaluated size), for the results and the table's note.
class MapSizeTally {
  private readonly counts = new Map<string, MapSizeCount>();
  add(from: Size, to: Size): void {
    const key = `${formatSize(from)}>${formatSize(to)}`;
    const entry = this.counts.get(key);
    this.counts.set(key, { from: { width: from.width, height: from.height }, to: { width: to.width, height: to.height }, maps: (entry?.maps ?? 0) + 1 });
  }
  list(): MapSizeCount[] {
    return [...this.counts.values()].sort((a, b) => b.maps - a.maps);
  }
}

// Validation maps on the evaluation grid: `resolution`² or the size of the test grid when all test images share one.
async function loadValidationMaps(paths: readonly string[], size: Size | null, tally: MapSizeTally): Promise<{ maps: ScoreMap[]; resized: boolean }> {
  const maps: ScoreMap[] = [];
  let resized = false;
  for (const path of paths) {
    const map = await readMap(path);
    if (size && (map.width !== size.width || map.height !== size.height)) {
      checkMapShape(path, map, size, 'the evaluation grid (the test gt)');
      maps.push({ ...size, data: resizeMapBilinear(map.data, map.width, map.height, size.width, size.height) });
      resized = true;
    } else maps.push(map);
    tally.add(map, size ?? map);
  }
  return { maps, resized };
}

// A minimum defect area no region of a validation map can reach is a mistake in the option, not a calibration.
function checkMinDefectArea(area: number, maps: readonly ScoreMap[], option: string, category: string): void {
  const largest = maps.reduce((a, m) => (m.width * m.height > a.width * a.height ? m : a));
  const pixels = largest.width * largest.height;
  if (area > pixels) {
    const of = maps.every((m) => m.width === largest.width && m.height === largest.height) ? 'a validation map' : 'the largest validation map';
    throw new UsageError(`Expected \`${option}\` to be at most the area of ${of} of ${category}, ${pixels} px (${formatSize(largest)} at the evaluation resolution), got \`${area}\``);
  }
}

// The lowest validation score: a threshold there means no higher one met the area, so the maps did not decide it.
function lowestScore(maps: readonly ScoreMap[]): number {
  let min = Infinity;
  for (const m of maps) for (let i = 0; i < m.data.length; i++) if (m.data[i] < min) min = m.data[i];
  return min;
}

/** Evaluates one category's maps against its gt (DESIGN.md §5). */
export async function evaluateCategory(options: CategoryEvalOptions): Promise<CategoryMetrics> {
  const started = performance.now();
  const items = listTestItems(options.category, options.mapsCategoryDir);
  const validationPaths = listValidationMaps(options.mapsCategoryDir);
  const progress = startProgressIn(options.progress, { label: `eval ${options.category.name}`, total: items.length });
  let collector = undefined as PixelScoreCollector | undefined;
  const scores = new Float64Array(items.length);
  const labels = new Array<boolean>(items.length);
  const warnings: EvalWarning[] = [];
  let resizedMaps = false;
  const tally = new MapSizeTally();
  const sizes = new Set<string>();
  let lastSize = { width: 0, height: 0 };
  try {
    await loadItemsInOrder(items, options.resolution, options.workers, (loaded, k) => {
      collector ??= new PixelScoreCollector(items.length * loaded.width * loaded.height);
      collector.addPrepared(loaded.image);
      scores[k] = loaded.score;
      labels[k] = loaded.anomalous;
      if (loaded.labelWarning) warnings.push({ file: items[k].gtPath ?? items[k].mapPath, message: loaded.labelWarning });
      resizedMaps ||= loaded.resizedMap;
      tally.add(loaded.mapSize, loaded);
      sizes.add(`${loaded.width}x${loaded.height}`);
      lastSize = { width: loaded.width, height: loaded.height };
      progress?.tick();
    });
  } finally {
    progress?.stop();
  }
  if (!collector) throw new RangeError(`evaluateCategory: no test images for ${options.category.name}`);
  const testDir = join(options.category.path, 'test');
  if (!labels.includes(true)) throw new DataError(testDir, 'category has no anomalous test images (no gt mask has a pixel > 0): AUROC and AUPRO are undefined');
  if (!labels.includes(false)) throw new DataError(testDir, 'category has no good test images (every gt mask has anomalous pixels): I-AUROC is undefined');
  if (collector.regionSizes.length === 0) {
    throw new DataError(testDir, 'no gt region is left at the evaluation resolution (masks are resized nearest): AUPRO and P-AUROC are undefined');
  }
  // Calibrate first: the threshold's bucket and the sampled ranks are resolved when the pixel scores are finished.
  let calibration: { threshold: number; minDefectArea: number; fromOption: boolean; atLowestScore: boolean } | undefined;
  if (validationPaths.length > 0) {
    const grid = options.resolution !== null ? { width: options.resolution, height: options.resolution } : sizes.size === 1 ? lastSize : null;
    const { maps: validation, resized } = await loadValidationMaps(validationPaths, grid, tally);
    resizedMaps ||= resized;
    if (options.minDefectArea !== undefined) checkMinDefectArea(options.minDefectArea, validation, options.minDefectAreaOption ?? '--min-defect-area', options.category.name);
    const minDefectArea = options.minDefectArea ?? defaultMinDefectArea(validation);
    const threshold = calibrateThreshold(validation, minDefectArea);
    calibration = { threshold, minDefectArea, fromOption: options.minDefectArea !== undefined, atLowestScore: threshold === lowestScore(validation) };
  }
  const sampled = options.proThresholds === 'exact' ? undefined : options.proThresholds;
  const pixels = collector.finish({
    values: calibration ? [calibration.threshold] : [],
    ranks: sampled ? linspaceRanks(collector.anomalyFreePixels, sampled) : [],
  });
  const image = computeAuroc(scores, labels);
  const limits = [...AUPRO_LIMITS];
  const exact = computeExactPixelMetrics(pixels, limits);
  const pro = sampled === undefined
    ? { aupro: exact.aupro.map((v, i) => checkAupro(v, limits[i])), pro: exact.pro }
    : computeAuproFromPixels(pixels, limits, sampled);
  const regionSizes = pixels.regionSizes;
  let threshold: ThresholdResult;
  if (!calibration) {
    threshold = { calibrated: false, reason: `no validation maps in ${join(options.mapsCategoryDir, 'validation', 'good')}` };
  } else {
    const pixel = detectPixels(pixels, calibration.threshold);
    threshold = {
      calibrated: true,
      threshold: calibration.threshold,
      minDefectArea: calibration.minDefectArea,
      minDefectAreaSource: calibration.fromOption ? 'option' : 'image-fraction',
      ...(calibration.atLowestScore
        ? { warning: `threshold is the lowest validation score: no region above a higher score reached ${calibration.minDefectArea} px, so the validation maps did not set it (check --min-defect-area)` }
        : {}),
      image: detectImages(scores, labels, calibration.threshold),
      pixel: { precision: pixel.precision, recall: pixel.recall, f1: pixel.f1 },
    };
  }
  const anomalousImages = labels.filter(Boolean).length;
  return {
    category: options.category.name,
    counts: {
      testImages: items.length,
      anomalousImages,
      goodImages: items.length - anomalousImages,
      validationImages: validationPaths.length,
      regions: regionSizes.length,
      pixels: pixels.okCount + pixels.regionKeys.length,
    },
    iAuroc: image.auroc,
    pAuroc: exact.pAuroc,
    aupro: Object.fromEntries(limits.map((limit, i) => [String(limit), pro.aupro[i]])),
    curves: { imageRoc: image.curve, pixelRoc: exact.pixelRoc, pro: pro.pro },
    threshold,
    resizedMaps,
    mapSizes: tally.list(),
    warnings,
    durationMs: Math.round(performance.now() - started),
  };
}
