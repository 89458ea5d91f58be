// Map/gt I/O for one category: pairs every test sample of the dataset with its map file, checks that the two
// folder trees match, and reads a (map, gt) pair at the evaluation resolution. Errors name the file.
// Image labels come from the gt mask (any pixel > 0, DESIGN.md §5 and the official MVTec 3D-AD
// evaluate_experiment.py), not from the folder name; where the two disagree the item carries a warning.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../../orchestrator/util/errors.js';
import type { CategoryIndex } from '../data/types.js';
import { resizeNearest } from '../data/resize.js';
import { readPng } from '../io/png.js';
import { readTiff } from '../io/tiff.js';
import { formatSize, haveSameAspectRatio, resizeMapBilinear, type Size } from './resize-map.js';

const MAP_FILE = /^(\d+)\.tiff?$/i;

/** One test image: its map file and its gt mask (absent for good images without one). */
export interface TestItem {
  readonly defect: string;
  readonly id: string;
  readonly mapPath: string;
  readonly gtPath: string | undefined;
}

/** A map and its binary gt on the evaluation grid. */
export interface LoadedItem {
  readonly width: number;
  readonly height: number;
  readonly map: Float32Array;
  /** 1 = anomalous pixel. */
  readonly gt: Uint8Array;
  /** The map's size in its file (before resizing to width × height). */
  readonly mapSize: Size;
  readonly resizedMap: boolean;
  /** Image label: some pixel of the gt mask, at its own resolution, is > 0. */
  readonly anomalous: boolean;
  /** Why the label disagrees with the folder (`good` vs a defect folder), if it does. */
  readonly labelWarning: string | undefined;
}

function listMaps(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const match = MAP_FILE.exec(name);
    if (!match) continue;
    if (out.has(match[1])) throw new DataError(join(dir, name), `duplicate map id ${match[1]} (also ${out.get(match[1])})`);
    out.set(match[1], name);
  }
  return out;
}

function listFolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((d) => !d.startsWith('.') && statSync(join(dir, d)).isDirectory());
}

/** Pairs the test samples of `category` with map files under `mapsCategoryDir`, rejecting mismatched trees. */
export function listTestItems(category: CategoryIndex, mapsCategoryDir: string): TestItem[] {
  const testDir = join(mapsCategoryDir, 'test');
  if (!existsSync(testDir)) throw new DataError(testDir, 'missing maps folder (expected <maps>/<category>/test/<defect>/NNN.tiff)');
  const groups = category.groups.filter((g) => g.split === 'test');
  const defects = new Set(groups.map((g) => g.defect));
  for (const folder of listFolders(testDir)) {
    if (!defects.has(folder)) {
      throw new DataError(join(testDir, folder), `mismatched folder trees: no test/${folder} in the dataset (${category.path})`);
    }
  }
  const items: TestItem[] = [];
  for (const group of groups) {
    const dir = join(testDir, group.defect);
    const maps = listMaps(dir);
    for (const sample of group.samples) {
      const name = maps.get(sample.id);
      if (name === undefined) throw new DataError(join(dir, `${sample.id}.tiff`), `missing anomaly map for test image ${sample.rgbPath}`);
      maps.delete(sample.id);
      items.push({ defect: group.defect, id: sample.id, mapPath: join(dir, name), gtPath: sample.gtPath });
    }
    const extra = [...maps.values()][0];
    if (extra !== undefined) throw new DataError(join(dir, extra), `mismatched folder trees: no test image ${group.defect}/${extra.replace(MAP_FILE, '$1')} in the dataset`);
  }
  return items;
}

/** The validation map files of a category (MAPS/<category>/validation/good/*.tiff), sorted by id. */
export function listValidationMaps(mapsCategoryDir: string): string[] {
  const dir = join(mapsCategoryDir, 'validation', 'good');
  return [...listMaps(dir).entries()].sort((a, b) => Number(a[0]) - Number(b[0])).map(([, name]) => join(dir, name));
}

/** Reads a single-channel float32 map and rejects NaN/±Inf, naming the file and the pixel. */
export async function readMap(path: string): Promise<{ width: number; height: number; data: Float32Array }> {
  const raster = await readTiff(path);
  if (raster.channels !== 1) throw new DataError(path, `expected a single-channel anomaly map, got ${raster.channels} channels`);
  const { data, width } = raster;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) throw new DataError(path, `non-finite score ${v} at pixel (x=${i % width}, y=${Math.floor(i / width)})`);
  }
  return { width: raster.width, height: raster.height, data };
}

// The warning for an image whose gt mask and folder disagree (the mask decides the label), or undefined.
function describeLabelMismatch(defect: string, anomalous: boolean): string | undefined {
  if (defect === 'good' && anomalous) return 'gt mask of a `good` test image has anomalous pixels: labelled anomalous (labels come from the mask)';
  if (defect !== 'good' && !anomalous) return `gt mask of a \`${defect}\` test image is empty: labelled anomaly-free (labels come from the mask)`;
  return undefined;
}

/**
 * Rejects a map that resizing would stretch: another aspect ratio than `target` (its gt, or the evaluation grid of a
 * validation map) beyond rounding is a map of something else — cropped, transposed, or of another image.
 */
export function checkMapShape(mapPath: string, map: Size, target: Size, targetName: string): void {
  if (!haveSameAspectRatio(map, target)) {
    throw new DataError(mapPath, `map is ${formatSize(map)} but ${targetName} is ${formatSize(target)}: the aspect ratios differ, so resizing would stretch the map (write it at ${formatSize(target)} or scaled from it)`);
  }
}

/** Reads one test item at the evaluation size (`resolution`² or the gt's own size). */
export async function loadItem(item: TestItem, resolution: number | null): Promise<LoadedItem> {
  const map = await readMap(item.mapPath);
  // No gt file: a good image (the data layer rejects defect images without one), so an empty mask.
  let gt = new Uint8Array(map.width * map.height);
  let gtWidth = map.width;
  let gtHeight = map.height;
  let anomalous = false;
  if (item.gtPath !== undefined) {
    const png = await readPng(item.gtPath);
    if (png.channels !== 1) throw new DataError(item.gtPath, `expected a single-channel gt mask, got ${png.channels} channels`);
    gtWidth = png.width;
    gtHeight = png.height;
    gt = new Uint8Array(png.data.length);
    for (let i = 0; i < gt.length; i++) {
      gt[i] = png.data[i] > 0 ? 1 : 0;
      anomalous ||= gt[i] === 1;
    }
    checkMapShape(item.mapPath, map, png, `its gt ${item.gtPath}`);
  }
  const width = resolution ?? gtWidth;
  const height = resolution ?? gtHeight;
  if (gtWidth !== width || gtHeight !== height) gt = resizeNearest(gt, gtWidth, gtHeight, 1, width, height);
  const resizedMap = map.width !== width || map.height !== height;
  const data = resizedMap ? resizeMapBilinear(map.data, map.width, map.height, width, height) : map.data;
  const mapSize = { width: map.width, height: map.height };
  return { width, height, map: data, gt, mapSize, resizedMap, anomalous, labelWarning: describeLabelMismatch(item.defect, anomalous) };
}
