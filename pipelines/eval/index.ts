// The evaluation stage's public surface: `evaluate(options)` scores a folder of anomaly maps against a dataset's
// gt (every category, mean over categories, results.json written atomically); the pure pieces are exported for
// the inference stage (smoothing, image score) and the matrix (per-category evaluation).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../orchestrator/util/atomic-write.js';
import { DataError, UsageError } from '../../orchestrator/util/errors.js';
import { checkDatasetRoot, discoverDataset } from '../data/discover.js';
import { evaluateCategory } from './evaluate-category.js';
import { normalizeEvalOptions, type EvalOptions } from './options.js';
import { AUPRO_LIMITS, EVAL_RESULT_VERSION, type CategoryMetrics, type EvalResult } from './types.js';

export type * from './types.js';
export { AUPRO_LIMITS, EVAL_RESULT_VERSION } from './types.js';
export { evaluateCategory } from './evaluate-category.js';
export type { CategoryEvalOptions } from './evaluate-category.js';
export { normalizeEvalOptions, parseMinDefectArea } from './options.js';
export type { EvalOptions, NormalizedEvalOptions } from './options.js';
export { smoothAnomalyMap, imageScore, gaussianKernel1d } from './smooth.js';
export { computeAuroc } from './auroc.js';
export { computeAupro, computeAuproFromPixels } from './aupro.js';
export type { ProThresholds } from './aupro.js';
export { labelComponents8 } from './components.js';
export { calibrateThreshold, defaultMinDefectArea, detectImages, detectPixels } from './threshold.js';
export { formatEvalTable } from './table.js';

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

// Category folders of the maps directory, sorted.
function listMapCategories(mapsDir: string): string[] {
  // A wrong --maps path is a usage mistake (exit 2), like a wrong --data root.
  if (!existsSync(mapsDir) || !statSync(mapsDir).isDirectory()) throw new UsageError(`Expected \`--maps\` to be a folder of anomaly maps, got \`${mapsDir}\` (${existsSync(mapsDir) ? 'a file' : 'does not exist'})`);
  const names = readdirSync(mapsDir).filter((n) => !n.startsWith('.') && statSync(join(mapsDir, n)).isDirectory()).sort();
  if (names.length === 0) throw new DataError(mapsDir, 'no category folders (expected <maps>/<category>/test/<defect>/NNN.tiff)');
  return names;
}

/** Evaluates every requested category of `options.mapsDir` and writes results.json when `options.out` is set. */
export async function evaluate(options: EvalOptions): Promise<EvalResult> {
  const started = performance.now();
  const o = normalizeEvalOptions(options);
  // The same usage errors as every other command reading a dataset (missing root, a category folder as the root).
  checkDatasetRoot(o.dataRoot);
  const mapCategories = listMapCategories(o.mapsDir);
  // A `--category` the maps do not hold is a typo or a wrong folder: usage (exit 2), before any work.
  for (const name of o.categories) {
    if (!mapCategories.includes(name)) throw new UsageError(`Expected \`--category\` to name a category folder of ${o.mapsDir} (${mapCategories.join(', ')}), got \`${name}\``);
  }
  const categories = o.categories.length > 0 ? o.categories : mapCategories;
  for (const name of categories) {
    if (!existsSync(join(o.dataRoot, name))) throw new DataError(join(o.dataRoot, name), `mismatched folder trees: category \`${name}\` of the maps is not in the dataset`);
  }
  if (o.minDefectArea !== undefined && typeof o.minDefectArea !== 'number') {
    for (const name of Object.keys(o.minDefectArea)) {
      if (!categories.includes(name)) throw new UsageError(`Expected \`--min-defect-area ${name}=…\` to name an evaluated category (${categories.join(', ')})`);
    }
  }
  const index = discoverDataset(o.dataRoot, { categories });
  const results: CategoryMetrics[] = [];
  for (const category of index.categories) {
    const area = typeof o.minDefectArea === 'number' ? o.minDefectArea : o.minDefectArea?.[category.name];
    results.push(
      await evaluateCategory({
        category,
        mapsCategoryDir: join(o.mapsDir, category.name),
        resolution: o.resolution,
        proThresholds: o.proThresholds,
        minDefectArea: area,
        minDefectAreaOption: typeof o.minDefectArea === 'number' ? '--min-defect-area' : `--min-defect-area ${category.name}`,
        progress: o.progress,
        workers: o.workers,
      }),
    );
  }
  const result: EvalResult = {
    schema: 'geoad-eval',
    version: EVAL_RESULT_VERSION,
    createdAt: new Date().toISOString(),
    mapsDir: o.mapsDir,
    dataRoot: o.dataRoot,
    resolution: o.resolution,
    proCurveMode: o.proThresholds === 'exact' ? 'exact' : `sampled-${o.proThresholds}`,
    categories: results,
    mean: {
      iAuroc: mean(results.map((r) => r.iAuroc)),
      pAuroc: mean(results.map((r) => r.pAuroc)),
      aupro: Object.fromEntries(AUPRO_LIMITS.map((l) => [String(l), mean(results.map((r) => r.aupro[String(l)]))])),
    },
    durationMs: Math.round(performance.now() - started),
  };
  if (o.out !== undefined) await writeJsonAtomic(o.out, result);
  return result;
}
