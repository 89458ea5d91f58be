// The data layer seen from training and inference: which samples a category has, and each one loaded as a
// prepared image plus its geometric feature grid. The loader is injectable so tests can feed tiny in-memory data.
import { join } from 'node:path';
import { computeGeometricFeatures, discoverDataset, listSamples, loadSampleData, prepareSample, readSample } from '../data/index.js';
import type { GeometricFeatures, PreparedSample, SampleRef, Split } from '../data/types.js';
import { UsageError } from '../../orchestrator/util/errors.js';

/** A sample as training and inference use it. */
export interface LoadedSample {
  readonly prepared: PreparedSample;
  readonly geometric: GeometricFeatures;
}

/** Loads one sample (prepared image + geometric features). */
export type SampleLoader = (ref: SampleRef) => Promise<LoadedSample>;

/** Sample refs of `category` under `root` per split; an unknown category is a usage error naming what exists. */
export function listCategorySamples(root: string, category: string): Record<Split, SampleRef[]> {
  const all = discoverDataset(root);
  const found = all.categories.find((c) => c.name === category);
  if (!found) {
    const names = all.categories.map((c) => `\`${c.name}\``).join(', ') || '(none)';
    throw new UsageError(`Expected \`--category\` to name a category of ${all.root}, got \`${category}\`; found ${names}`);
  }
  const refs = listSamples({ root: all.root, categories: [found] });
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
 * Reads, prepares (background removal, resize to `size`) and describes (geometric grid `grid`) each sample,
 * through the data layer's cache when `cacheDir` is a folder (false: always compute).
 */
export function createDatasetLoader(options: { readonly size: number; readonly grid: number; readonly cacheDir: string | false }): SampleLoader {
  const { cacheDir } = options;
  if (cacheDir === false) {
    return async (ref) => {
      const prepared = prepareSample(await readSample(ref), { size: options.size });
      return { prepared, geometric: computeGeometricFeatures(prepared, { grid: options.grid }) };
    };
  }
  return async (ref) => {
    const data = await loadSampleData(ref, { prepare: { size: options.size }, features: { grid: options.grid } }, cacheDir);
    return { prepared: data.prepared, geometric: data.features };
  };
}
