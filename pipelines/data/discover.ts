// Dataset discovery: walks ROOT/<category>/<split>/<defect>/{rgb,xyz,gt} and lists samples without reading them.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataError, UsageError } from '../../orchestrator/util/errors.js';
import type { CategoryIndex, DatasetIndex, DefectGroup, SampleRef, Split } from './types.js';

/** Split folders in the order they are listed. */
export const SPLITS: readonly Split[] = ['train', 'validation', 'test'];

const RGB_FILE = /^(\d+)\.png$/i;
const XYZ_FILE = /^(\d+)\.tiff?$/i;
const GT_FILE = /^(\d+)\.png$/i;

export interface DiscoverOptions {
  /** Only these categories (folder names); all when absent or empty. */
  readonly categories?: readonly string[];
  /** The option the categories came from, named when one is unknown (commands spell it differently). @default '--category' */
  readonly categoryOption?: string;
}

function listDirectory(path: string): string[] {
  try {
    return readdirSync(path).filter((name) => !name.startsWith('.'));
  } catch (error) {
    throw new DataError(path, `cannot list folder: ${(error as Error).message}`, { cause: error });
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

// Maps id → file name for the files of `dir` matching `pattern` (first capture group is the id).
function indexFiles(dir: string, pattern: RegExp): Map<string, string> {
  const files = new Map<string, string>();
  if (!isDirectory(dir)) return files;
  for (const name of listDirectory(dir)) {
    const match = pattern.exec(name);
    if (!match) continue;
    const id = match[1];
    const previous = files.get(id);
    if (previous !== undefined) throw new DataError(join(dir, name), `duplicate sample id ${id} (also ${previous})`);
    files.set(id, name);
  }
  return files;
}

function compareIds(a: string, b: string): number {
  return Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0);
}

// Lists the samples of one defect folder, checking that every rgb has its xyz (and gt where required).
function discoverGroup(root: string, category: string, split: Split, defect: string, dir: string): DefectGroup {
  const rgbDir = join(dir, 'rgb');
  const xyzDir = join(dir, 'xyz');
  const gtDir = join(dir, 'gt');
  const rgb = indexFiles(rgbDir, RGB_FILE);
  const xyz = indexFiles(xyzDir, XYZ_FILE);
  const gt = indexFiles(gtDir, GT_FILE);
  for (const id of xyz.keys()) {
    if (!rgb.has(id)) throw new DataError(join(rgbDir, `${id}.png`), `missing rgb image for ${join(xyzDir, xyz.get(id)!)}`);
  }
  const ids = [...rgb.keys()].sort(compareIds);
  const samples: SampleRef[] = ids.map((id) => {
    const rgbPath = join(rgbDir, rgb.get(id)!);
    const xyzName = xyz.get(id);
    if (xyzName === undefined) throw new DataError(join(xyzDir, `${id}.tiff`), `missing xyz point cloud for ${rgbPath}`);
    const gtName = gt.get(id);
    if (split === 'test' && defect !== 'good' && gtName === undefined) {
      throw new DataError(join(gtDir, `${id}.png`), 'anomalous test sample without gt mask');
    }
    return {
      root,
      category,
      split,
      defect,
      id,
      rgbPath,
      xyzPath: join(xyzDir, xyzName),
      ...(gtName !== undefined ? { gtPath: join(gtDir, gtName) } : {}),
    };
  });
  return { split, defect, samples };
}

// Lists one category folder; an empty category is an error naming the folder.
function discoverCategory(root: string, name: string): CategoryIndex {
  const path = join(root, name);
  const groups: DefectGroup[] = [];
  for (const split of SPLITS) {
    const splitDir = join(path, split);
    if (!isDirectory(splitDir)) continue;
    const defects = listDirectory(splitDir)
      .filter((d) => isDirectory(join(splitDir, d)))
      .sort((a, b) => (a === 'good' ? -1 : b === 'good' ? 1 : a < b ? -1 : a > b ? 1 : 0));
    for (const defect of defects) {
      const group = discoverGroup(root, name, split, defect, join(splitDir, defect));
      if (group.samples.length > 0) groups.push(group);
    }
  }
  if (groups.length === 0) {
    throw new DataError(path, 'empty category: no samples under train/, validation/ or test/ (expected <split>/<defect>/rgb/NNN.png)');
  }
  const defectTypes = [...new Set(groups.filter((g) => g.split === 'test' && g.defect !== 'good').map((g) => g.defect))].sort();
  return { name, path, groups, defectTypes };
}

/** Finds categories, splits, defect types and samples under `root` (MVTec 3D-AD layout). Reads no image. */
export function discoverDataset(root: string, options: DiscoverOptions = {}): DatasetIndex {
  const absRoot = resolve(root);
  if (!existsSync(absRoot)) throw new UsageError(`Dataset root ${absRoot} does not exist`);
  if (!isDirectory(absRoot)) throw new UsageError(`Dataset root ${absRoot} is not a folder`);
  const available = listDirectory(absRoot)
    .filter((name) => isDirectory(join(absRoot, name)))
    .sort();
  const wanted = options.categories && options.categories.length > 0 ? [...options.categories] : available;
  for (const name of wanted) {
    if (!available.includes(name)) {
      const list = available.length > 0 ? available.map((a) => `\`${a}\``).join(', ') : '(none)';
      throw new UsageError(`Expected \`${options.categoryOption ?? '--category'}\` to name categories of ${absRoot}, got \`${name}\`; found ${list}`);
    }
  }
  if (wanted.length === 0) throw new DataError(absRoot, 'no category folders found');
  return { root: absRoot, categories: wanted.map((name) => discoverCategory(absRoot, name)) };
}

/** Every sample of the index in a stable order (category, split, defect, id). */
export function listSamples(index: DatasetIndex, filter: { readonly splits?: readonly Split[] } = {}): SampleRef[] {
  const splits = filter.splits;
  return index.categories.flatMap((c) =>
    c.groups.filter((g) => splits === undefined || splits.includes(g.split)).flatMap((g) => g.samples),
  );
}
