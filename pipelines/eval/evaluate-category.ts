// All metrics of one category: reads its maps and gt one image at a time into the pooled pixel scores, then
// I-AUROC, P-AUROC, AUPRO at every limit, curves, and the calibrated threshold with detection quality at it.
import { join } from 'node:path';
import { DataError } from '../../orchestrator/util/errors.js';
import { startProgress } from '../../orchestrator/util/progress.js';
import type { CategoryIndex } from '../data/types.js';
import { checkAupro, computeAuproFromPixels, type ProThresholds } from './aupro.js';
import { computeAuroc } from './auroc.js';
import { computeExactPixelMetrics } from './pixel-metrics.js';
import { PixelScoreCollector } from './pixel-scores.js';
import { calibrateThreshold, detectImages, detectPixels, type ScoreMap } from './threshold.js';
import { listTestItems, listValidationMaps, readMap } from './load-maps.js';
import { loadItemsInOrder } from './load-pool.js';
import { resizeMapBilinear } from './resize-map.js';
import { linspaceRanks } from './pro-sampled.js';
import { AUPRO_LIMITS, type CategoryMetrics, type ThresholdResult } from './types.js';

/** What one category's evaluation needs. */
export interface CategoryEvalOptions {
  readonly category: CategoryIndex;
  /** MAPS/<category>. */
  readonly mapsCategoryDir: string;
  readonly resolution: number | null;
  readonly proThresholds: ProThresholds;
  /** Pixels at the evaluation resolution; undefined = smallest gt region of the test set. */
  readonly minDefectArea: number | undefined;
  readonly progress: boolean;
  /** Worker threads decoding maps and gt ahead (0: in this thread); results do not depend on it. */
  readonly workers: number;
}

// Validation maps on the evaluation grid: `resolution`² or the size of the test grid when all test images share one.
async function loadValidationMaps(paths: readonly string[], size: { width: number; height: number } | null): Promise<{ maps: ScoreMap[]; resized: boolean }> {
  const maps: ScoreMap[] = [];
  let resized = false;
  for (const path of paths) {
    const map = await readMap(path);
    if (size && (map.width !== size.width || map.height !== size.height)) {
      maps.push({ ...size, data: resizeMapBilinear(map.data, map.width, map.height, size.width, size.height) });
      resized = true;
    } else maps.push(map);
  }
  return { maps, resized };
}

/** Evaluates one category's maps against its gt (DESIGN.md §5). */
export async function evaluateCategory(options: CategoryEvalOptions): Promise<CategoryMetrics> {
  const started = performance.now();
  const items = listTestItems(options.category, options.mapsCategoryDir);
  const validationPaths = listValidationMaps(options.mapsCategoryDir);
  const progress = options.progress ? startProgress({ label: `eval ${options.category.name}`, total: items.length }) : undefined;
  let collector = undefined as PixelScoreCollector | undefined;
  const scores = new Float64Array(items.length);
  const labels = items.map((i) => i.anomalous);
  let resizedMaps = false;
  const sizes = new Set<string>();
  let lastSize = { width: 0, height: 0 };
  try {
    await loadItemsInOrder(items, options.resolution, options.workers, (loaded, k) => {
      collector ??= new PixelScoreCollector(items.length * loaded.width * loaded.height);
      collector.addPrepared(loaded.image);
      scores[k] = loaded.score;
      resizedMaps ||= loaded.resizedMap;
      sizes.add(`${loaded.width}x${loaded.height}`);
      lastSize = { width: loaded.width, height: loaded.height };
      progress?.tick();
    });
  } finally {
    progress?.stop();
  }
  if (!collector) throw new RangeError(`evaluateCategory: no test images for ${options.category.name}`);
  if (collector.regionSizes.length === 0) {
    throw new DataError(join(options.category.path, 'test'), 'every gt mask of the anomalous test images is empty: AUPRO and P-AUROC are undefined');
  }
  // Calibrate first: the threshold's bucket and the sampled ranks are resolved when the pixel scores are finished.
  let calibration: { threshold: number; minDefectArea: number; fromOption: boolean } | undefined;
  if (validationPaths.length > 0) {
    const grid = options.resolution !== null ? { width: options.resolution, height: options.resolution } : sizes.size === 1 ? lastSize : null;
    const { maps: validation, resized } = await loadValidationMaps(validationPaths, grid);
    resizedMaps ||= resized;
    const minDefectArea = options.minDefectArea ?? collector.regionSizes.reduce((a, b) => Math.min(a, b));
    calibration = { threshold: calibrateThreshold(validation, minDefectArea), minDefectArea, fromOption: options.minDefectArea !== undefined };
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
      minDefectAreaSource: calibration.fromOption ? 'option' : 'smallest-test-region',
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
    durationMs: Math.round(performance.now() - started),
  };
}
