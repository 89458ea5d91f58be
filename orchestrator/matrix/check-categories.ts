// Checks the categories of MVTec 3D-AD datasets once their root is known (after `--dataset-root`): against the
// category folders of the root when it exists, else against the ten MVTec 3D-AD categories. (Synthetic datasets are
// checked by the schema against the generator's categories.) Reads folder names only.
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../util/errors.js';
import type { MatrixConfig } from './config-schema.js';

/** The ten categories of MVTec 3D-AD. */
export const MVTEC3D_CATEGORIES = ['bagel', 'cable_gland', 'carrot', 'cookie', 'dowel', 'foam', 'peach', 'potato', 'rope', 'tire'] as const;

// Category folders of `root` (non-hidden folders), or undefined when the root is not a readable folder.
function listCategoryFolders(root: string): string[] | undefined {
  try {
    return readdirSync(root)
      .filter((name) => !name.startsWith('.') && statSync(join(root, name)).isDirectory())
      .sort();
  } catch {
    return undefined;
  }
}

/** Throws a UsageError naming the field and the allowed values when an mvtec dataset lists an unknown category. */
export function checkMvtecCategories(config: MatrixConfig, configDir: string, source: string): void {
  config.datasets.forEach((dataset, i) => {
    if (dataset.kind !== 'mvtec') return;
    const root = dataset.root === undefined ? undefined : isAbsolute(dataset.root) ? dataset.root : resolve(configDir, dataset.root);
    const found = root === undefined ? undefined : listCategoryFolders(root);
    const allowed: readonly string[] = found ?? MVTEC3D_CATEGORIES;
    const origin = found !== undefined ? `the category folders of ${root}` : 'the MVTec 3D-AD categories';
    const [list, path] = dataset.categories !== undefined ? [dataset.categories, `datasets.${i}.categories`] : [config.categories ?? [], 'categories'];
    list.forEach((category, k) => {
      if (allowed.includes(category)) return;
      const expected = allowed.length > 0 ? `expected one of ${allowed.map((c) => `\`${c}\``).join(', ')}` : 'it holds none';
      throw new UsageError(`Invalid matrix config in ${source}: \`${path}.${k}\`: unknown category \`${category}\` for mvtec dataset \`${dataset.name}\` (${origin}): ${expected}`);
    });
  });
}
