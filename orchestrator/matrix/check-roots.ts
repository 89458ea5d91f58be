// Dataset checks before anything is written: every mvtec dataset root (after `--dataset-root`) is a folder (a missing
// root would otherwise start the run, fail its prepare jobs one by one and block every cell of the dataset), and
// every synthetic test split is large enough for `geoad synth`.
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../util/errors.js';
import { synthPresets } from '../../datasets/synth-presets.js';
import { defectTypes } from '../../pipelines/synth/params.js';
import { minimumTestSamples } from '../../pipelines/synth/plan.js';
import type { MatrixConfig } from './config-schema.js';

const isFolder = (path: string) => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;

/** Throws a UsageError naming `datasets.N.root` and the path when an mvtec root is not an existing folder. */
export function checkDatasetRoots(config: MatrixConfig, configDir: string, source: string): void {
  config.datasets.forEach((dataset, i) => {
    // A root that is not set at all is reported by expandMatrix, with how to set it.
    if (dataset.kind !== 'mvtec' || dataset.root === undefined) return;
    const root = isAbsolute(dataset.root) ? dataset.root : resolve(configDir, dataset.root);
    if (isFolder(root)) return;
    throw new UsageError(`Invalid matrix config in ${source}: \`datasets.${i}.root\`: ${root} does not exist or is not a folder (set it in the config or pass \`--dataset-root ${dataset.name}=PATH\`)`);
  });
}

/**
 * Throws a UsageError naming `datasets.N.synth.test` when a synthetic dataset's test split cannot hold one good
 * sample and one of every defect type per category (`geoad synth` refuses it): caught at plan time instead of in
 * the synth job. A `synth.config` file may set the count itself; it is checked by the synth job.
 */
export function checkSyntheticTestCounts(config: MatrixConfig, source: string): void {
  config.datasets.forEach((dataset, i) => {
    if (dataset.kind !== 'synthetic' || dataset.synth.config !== undefined) return;
    const categories = dataset.categories ?? config.categories ?? [];
    const test = dataset.synth.test ?? (dataset.synth.preset !== undefined ? synthPresets[dataset.synth.preset]?.test : undefined);
    const minimum = minimumTestSamples(categories.length, defectTypes.length);
    if (test === undefined || test >= minimum) return;
    throw new UsageError(
      `Invalid matrix config in ${source}: \`datasets.${i}.synth.test\`: expected at least ${minimum} (${categories.length} categories × (1 good + ${defectTypes.length} defect types)), got ${test}`,
    );
  });
}
