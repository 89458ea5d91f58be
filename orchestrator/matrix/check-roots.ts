// Checks, before anything is written, that every mvtec dataset root (after `--dataset-root`) is a folder: a missing
// root would otherwise start the run, fail its prepare jobs one by one and block every cell of the dataset.
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../util/errors.js';
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
