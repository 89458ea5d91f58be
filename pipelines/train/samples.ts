// The data layer seen from training and inference: which samples a category has, the preprocessing a model is
// trained with, and each sample loaded as a prepared image plus its geometric feature grid — through the same cache
// `geoad data prepare` fills. The loader is injectable so tests can feed tiny in-memory data.
import { join } from 'node:path';
import {
  computeGeometricFeatures, discoverDataset, listSamples, loadSampleData, normalizeFeatureOptions, normalizePrepareOptions, prepareSample, prepareSamples, readSample,
  type FeatureOptions, type PrepareOptions, type PrepareSamplesResult,
} from '../data/index.js';
import type { GeometricFeatures, PreparedSample, SampleRef, Split } from '../data/types.js';
import { startProgressIn } from '../../orchestrator/util/progress.js';
import type { ProgressChoice } from './options.js';

/** A sample as training and inference use it. */
export interface LoadedSample {
  readonly prepared: PreparedSample;
  readonly geometric: GeometricFeatures;
}

/** Loads one sample (prepared image + geometric features). */
export type SampleLoader = (ref: SampleRef) => Promise<LoadedSample>;

/**
 * The data layer's options a model is trained with besides the sizes (`geoad train --distance-threshold
 * --largest-component --prepare-seed --fpfh-radius`, the flags of `geoad data prepare`); recorded in the model spec
 * so that inference prepares its samples the same way.
 */
export interface Preprocessing {
  readonly distanceThreshold: number;
  readonly keepLargestComponent: boolean;
  /** RANSAC seed. */
  readonly seed: number;
  readonly fpfhRadius: number | 'auto';
}

/** The data layer's defaults (what `geoad data prepare` uses without flags). */
export const DEFAULT_PREPROCESSING: Preprocessing = (() => {
  const prepare = normalizePrepareOptions();
  return { distanceThreshold: prepare.distanceThreshold, keepLargestComponent: prepare.keepLargestComponent, seed: prepare.seed, fpfhRadius: normalizeFeatureOptions().fpfhRadius };
})();

/** Sizes and preprocessing of the samples a model sees. */
export interface SampleShape {
  /** Prepared image side. */
  readonly size: number;
  /** Geometric feature grid side. */
  readonly grid: number;
  readonly preprocessing: Preprocessing;
}

// The data layer's options for `shape`: the same keys and values as `geoad data prepare`, hence the same cache keys.
function toDataOptions(shape: SampleShape): { prepare: PrepareOptions; features: FeatureOptions } {
  const p = shape.preprocessing;
  return {
    prepare: { size: shape.size, distanceThreshold: p.distanceThreshold, keepLargestComponent: p.keepLargestComponent, seed: p.seed },
    features: { grid: shape.grid, fpfhRadius: p.fpfhRadius },
  };
}

/** Sample refs of `category` under `root` per split; an unknown category is a usage error naming `--category` and what exists. */
export function listCategorySamples(root: string, category: string): Record<Split, SampleRef[]> {
  const refs = listSamples(discoverDataset(root, { categories: [category], categoryOption: '--category' }));
  return {
    train: refs.filter((r) => r.split === 'train'),
    validation: refs.filter((r) => r.split === 'validation'),
    test: refs.filter((r) => r.split === 'test'),
  };
}

/** The data layer's default cache folder of a dataset root. */
export function defaultCacheDir(root: string): string {
  return join(root, '.geoad-cache');
}

/**
 * Reads, prepares and describes each sample as `shape` says, through the data layer's cache when `cacheDir` is a
 * folder (false: always compute).
 */
export function createDatasetLoader(options: SampleShape & { readonly cacheDir: string | false }): SampleLoader {
  const { cacheDir } = options;
  const data = toDataOptions(options);
  if (cacheDir === false) {
    return async (ref) => {
      const prepared = prepareSample(await readSample(ref), data.prepare);
      return { prepared, geometric: computeGeometricFeatures(prepared, data.features) };
    };
  }
  return async (ref) => {
    const loaded = await loadSampleData(ref, data, cacheDir);
    return { prepared: loaded.prepared, geometric: loaded.features };
  };
}

/**
 * Fills the cache for `refs` on worker threads before they are loaded one by one on the main thread, so misses are
 * computed in parallel (a hit costs one extra read and hash of the files). Skipped (null) without a cache folder or
 * workers; otherwise prints and returns the hit counts.
 */
export async function fillCache(
  refs: readonly SampleRef[],
  shape: SampleShape,
  options: { readonly cache: string | false; readonly workers: number; readonly progress: ProgressChoice },
  label: string,
  print: (line: string) => void,
): Promise<PrepareSamplesResult | null> {
  const { cache, workers } = options;
  if (cache === false || workers === 0 || refs.length === 0) return null;
  const progress = startProgressIn(options.progress, { label, total: refs.length });
  try {
    const result = await prepareSamples(refs, { cacheDir: cache, workers, ...toDataOptions(shape), progress });
    print(`cache ${cache}: ${result.featuresHits} of ${result.samples} samples found, ${result.samples - result.featuresHits} computed on ${workers} worker thread(s)`);
    return result;
  } finally {
    progress?.stop();
  }
}
