// Dataset discovery: walks ROOT/<category>/<split>/<defect>/{rgb,xyz,gt} and lists samples without reading them.
// A broken folder structure always throws; a sample with a missing file, or an unfinished synthetic set, is a
// problem that `discoverDataset` throws and `scanDataset` (for `geoad data inspect`) collects.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DataError, UsageError } from '../../orchestrator/util/errors.js';
import { checkSynthCompletion } from './synth-completion.js';
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

/** A sample with a missing rgb/xyz/gt file (`group` is its folder), or an unfinished synthetic set (no group). */
export interface DiscoveryProblem {
  readonly error: DataError;
  readonly group?: { readonly category: string; readonly split: Split; readonly defect: string };
}

/** The index of the samples whose files are all there, and the problems found while listing. */
export interface DatasetScan {
  readonly index: DatasetIndex;
  readonly problems: readonly DiscoveryProblem[];
}

// Where problems go: thrown at once (discoverDataset) or collected (scanDataset).
type Report = (problem: DiscoveryProblem) => void;

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

// Lists the samples of one defect folder whose rgb and xyz (and gt where required) exist; reports the others.
function discoverGroup(root: string, category: string, split: Split, defect: string, dir: string, report: Report): { group: DefectGroup; problems: number } {
  const rgbDir = join(dir, 'rgb');
  const xyzDir = join(dir, 'xyz');
  const gtDir = join(dir, 'gt');
  const rgb = indexFiles(rgbDir, RGB_FILE);
  const xyz = indexFiles(xyzDir, XYZ_FILE);
  const gt = indexFiles(gtDir, GT_FILE);
  let problems = 0;
  const problem = (file: string, message: string) => {
    problems++;
    report({ error: new DataError(file, message), group: { category, split, defect } });
  };
  for (const id of [...xyz.keys()].sort(compareIds)) {
    if (!rgb.has(id)) problem(join(rgbDir, `${id}.png`), `missing rgb image for ${join(xyzDir, xyz.get(id)!)}`);
  }
  const samples: SampleRef[] = [];
  for (const id of [...rgb.keys()].sort(compareIds)) {
    const rgbPath = join(rgbDir, rgb.get(id)!);
    const xyzName = xyz.get(id);
    const gtName = gt.get(id);
    if (xyzName === undefined) problem(join(xyzDir, `${id}.tiff`), `missing xyz point cloud for ${rgbPath}`);
    else if (split === 'test' && defect !== 'good' && gtName === undefined) problem(join(gtDir, `${id}.png`), 'anomalous test sample without gt mask');
    else {
      samples.push({
        root,
        category,
        split,
        defect,
        id,
        rgbPath,
        xyzPath: join(xyzDir, xyzName),
        ...(gtName !== undefined ? { gtPath: join(gtDir, gtName) } : {}),
      });
    }
  }
  return { group: { split, defect, samples }, problems };
}

// Lists one category folder; an empty category (no sample, not even a broken one) is an error naming the folder.
function discoverCategory(root: string, name: string, report: Report): CategoryIndex {
  const path = join(root, name);
  const groups: DefectGroup[] = [];
  for (const split of SPLITS) {
    const splitDir = join(path, split);
    if (!isDirectory(splitDir)) continue;
    const defects = listDirectory(splitDir)
      .filter((d) => isDirectory(join(splitDir, d)))
      .sort((a, b) => (a === 'good' ? -1 : b === 'good' ? 1 : a < b ? -1 : a > b ? 1 : 0));
    for (const defect of defects) {
      const { group, problems } = discoverGroup(root, name, split, defect, join(splitDir, defect), report);
      if (group.samples.length > 0 || problems > 0) groups.push(group);
    }
  }
  if (groups.length === 0) {
    throw new DataError(path, 'empty category: no samples under train/, validation/ or test/ (expected <split>/<defect>/rgb/NNN.png)');
  }
  const defectTypes = [...new Set(groups.filter((g) => g.split === 'test' && g.defect !== 'good').map((g) => g.defect))].sort();
  return { name, path, groups, defectTypes };
}

// The root's split folders whose defect folders hold rgb/: a category folder passed as the root.
function looksLikeCategoryFolder(root: string): boolean {
  return SPLITS.some((split) => isDirectory(join(root, split)) && listDirectory(join(root, split)).some((d) => isDirectory(join(root, split, d, 'rgb'))));
}

/** Checks that `root` can be a dataset root: a usage error (exit 2) when it is missing, a file, or a category folder. */
export function checkDatasetRoot(root: string): string {
  const absRoot = resolve(root);
  if (!existsSync(absRoot)) throw new UsageError(`Dataset root ${absRoot} does not exist`);
  if (!isDirectory(absRoot)) throw new UsageError(`Dataset root ${absRoot} is not a folder`);
  if (looksLikeCategoryFolder(absRoot)) {
    throw new UsageError(`Dataset root ${absRoot} looks like a category folder (it holds split folders such as train/ or test/); pass its parent ${dirname(absRoot)}`);
  }
  return absRoot;
}

function scan(root: string, options: DiscoverOptions, report: Report): DatasetIndex {
  const absRoot = checkDatasetRoot(root);
  // First: a synth interrupted early may have no category folder yet, and the manifest says why.
  const unfinished = checkSynthCompletion(absRoot, options.categories ?? []);
  if (unfinished) report({ error: unfinished });
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
  if (wanted.length === 0) {
    if (unfinished) return { root: absRoot, categories: [] }; // scanDataset: the manifest is the problem to list
    throw new DataError(absRoot, 'no category folders found');
  }
  return { root: absRoot, categories: wanted.map((name) => discoverCategory(absRoot, name, report)) };
}

/**
 * Finds categories, splits, defect types and samples under `root` (MVTec 3D-AD layout). Reads no image. Throws the
 * first problem: a sample with a missing file, or a synthetic set whose manifest lists pending samples.
 */
export function discoverDataset(root: string, options: DiscoverOptions = {}): DatasetIndex {
  return scan(root, options, (problem) => {
    throw problem.error;
  });
}

/** As discoverDataset, but collects the problems (the index holds the samples whose files are all there). */
export function scanDataset(root: string, options: DiscoverOptions = {}): DatasetScan {
  const problems: DiscoveryProblem[] = [];
  const index = scan(root, options, (problem) => problems.push(problem));
  return { index, problems };
}

/** Every sample of the index in a stable order (category, split, defect, id). */
export function listSamples(index: DatasetIndex, filter: { readonly splits?: readonly Split[] } = {}): SampleRef[] {
  const splits = filter.splits;
  return index.categories.flatMap((c) =>
    c.groups.filter((g) => splits === undefined || splits.includes(g.split)).flatMap((g) => g.samples),
  );
}
