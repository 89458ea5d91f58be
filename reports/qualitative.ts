// The qualitative grid of a category: per defect type, the best, median and worst test images by image score
// (max of the anomaly map), each as RGB, gt overlay and heat map, embedded as data-URI PNGs.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { describeArm } from '../orchestrator/matrix/cell-label.js';
import type { CellResult } from '../orchestrator/matrix/run-layout.js';
import { errorMessage } from '../orchestrator/util/errors.js';
import { encodePng, readPng } from '../pipelines/io/png.js';
import type { RasterF32, RasterU8 } from '../pipelines/io/raster.js';
import { readTiff } from '../pipelines/io/tiff.js';
import { compareArms } from './arms.js';
import { colourMap, drawColourBar, fitSize, overlayMask, resizeF32, resizeMask, resizeU8, toRgb } from './image-ops.js';

export type SampleRank = 'best' | 'median' | 'worst';

/** A scored test image. */
export interface ScoredImage {
  readonly id: string;
  readonly score: number;
}

/** One shown test image. */
export interface QualitativeSample {
  readonly rank: SampleRank;
  readonly id: string;
  readonly score: number;
  readonly rgb: string;
  readonly gt: string;
  readonly heat: string;
}

/** The grid of one category (from one cell: `full` if present, lowest seed). */
export interface QualitativeGrid {
  /** The cell's arm: its variant, with its grid values when it has any. */
  readonly arm: string;
  readonly seed: number;
  readonly low: number;
  readonly high: number;
  readonly colourBar: string;
  readonly groups: readonly { readonly defect: string; readonly count: number; readonly samples: readonly QualitativeSample[] }[];
}

/** Picks best, median and worst by score (ties broken by id). For `good` images the best is the lowest score. */
export function pickSamples(images: readonly ScoredImage[], defect: string): { rank: SampleRank; image: ScoredImage }[] {
  const sorted = [...images].sort((a, b) => a.score - b.score || a.id.localeCompare(b.id, 'en'));
  if (sorted.length === 0) return [];
  const low = sorted[0];
  const high = sorted[sorted.length - 1];
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  const picks: { rank: SampleRank; image: ScoredImage }[] =
    defect === 'good'
      ? [{ rank: 'best', image: low }, { rank: 'median', image: median }, { rank: 'worst', image: high }]
      : [{ rank: 'best', image: high }, { rank: 'median', image: median }, { rank: 'worst', image: low }];
  const seen = new Set<string>();
  return picks.filter((p) => !seen.has(p.image.id) && seen.add(p.image.id));
}

/** The cell whose maps the grid shows: the first arm in table order (`full` if any, lowest grid values); lowest seed. */
export function pickGridCell(results: readonly CellResult[]): CellResult | undefined {
  return [...results].sort((a, b) => compareArms(a.cell, b.cell) || a.cell.seed - b.cell.seed)[0];
}

const toDataUri = (image: RasterU8) => `data:image/png;base64,${Buffer.from(encodePng(image)).toString('base64')}`;

function maxFinite(map: RasterF32): { max: number; min: number } {
  let max = -Infinity;
  let min = Infinity;
  for (const v of map.data) {
    if (!Number.isFinite(v)) continue;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  return { max, min };
}

// Defect folders sorted by name, with `good` last (papers show defects first).
const listDirs = (dir: string) =>
  readdirSync(dir)
    .filter((d) => statSync(join(dir, d)).isDirectory())
    .sort((a, b) => Number(a === 'good') - Number(b === 'good') || a.localeCompare(b, 'en'));

/** Builds the grid of one category from its result's maps and images; problems name the bad file, notices say what is absent. */
export async function buildQualitativeGrid(
  result: CellResult,
  runDir: string,
  thumbnailSize: number,
): Promise<{ grid?: QualitativeGrid; problems: string[]; notices: string[] }> {
  const problems: string[] = [];
  const notices: string[] = [];
  const category = result.cell.category;
  const mapsRoot = resolve(runDir, result.mapsDir, category, 'test');
  const dataRoot = resolve(runDir, result.dataRoot, category, 'test');
  if (!existsSync(mapsRoot)) return { problems, notices: [`${category}: qualitative grid skipped, anomaly maps folder ${mapsRoot} not found`] };
  if (!existsSync(dataRoot)) return { problems, notices: [`${category}: qualitative grid skipped, test images folder ${dataRoot} not found`] };
  const scoredByDefect: { defect: string; images: ScoredImage[] }[] = [];
  let low = Infinity;
  let high = -Infinity;
  for (const defect of listDirs(mapsRoot)) {
    const images: ScoredImage[] = [];
    for (const file of readdirSync(join(mapsRoot, defect)).filter((f) => /\.tiff?$/i.test(f)).sort()) {
      const path = join(mapsRoot, defect, file);
      try {
        const map = await readTiff(path);
        if (map.channels !== 1) throw new Error(`${path}: expected a single-channel anomaly map, got ${map.channels} channels`);
        const { max, min } = maxFinite(map);
        if (!Number.isFinite(max)) throw new Error(`${path}: the anomaly map holds no finite value`);
        low = Math.min(low, min);
        high = Math.max(high, max);
        images.push({ id: basename(file).replace(/\.tiff?$/i, ''), score: max });
      } catch (error) {
        problems.push(errorMessage(error));
      }
    }
    scoredByDefect.push({ defect, images });
  }
  const groups: QualitativeGrid['groups'][number][] = [];
  for (const { defect, images } of scoredByDefect) {
    const samples: QualitativeSample[] = [];
    for (const { rank, image } of pickSamples(images, defect)) {
      try {
        const rgbRaw = toRgb(await readPng(join(dataRoot, defect, 'rgb', `${image.id}.png`)));
        const size = fitSize(rgbRaw.width, rgbRaw.height, thumbnailSize);
        const rgb = resizeU8(rgbRaw, size.width, size.height);
        const gtPath = join(dataRoot, defect, 'gt', `${image.id}.png`);
        const mask = existsSync(gtPath) ? resizeMask(await readPng(gtPath), size.width, size.height) : new Uint8Array(size.width * size.height);
        const map = await readTiff(join(mapsRoot, defect, `${image.id}.tiff`));
        const heat = colourMap(resizeF32(map, size.width, size.height), low, high);
        samples.push({ rank, id: image.id, score: image.score, rgb: toDataUri(rgb), gt: toDataUri(overlayMask(rgb, mask)), heat: toDataUri(heat) });
      } catch (error) {
        problems.push(errorMessage(error));
      }
    }
    groups.push({ defect, count: images.length, samples });
  }
  if (groups.every((g) => g.samples.length === 0)) {
    notices.push(`${category}: qualitative grid empty, no readable anomaly map under ${mapsRoot}`);
    return { problems, notices };
  }
  const grid: QualitativeGrid = {
    arm: describeArm(result.cell),
    seed: result.cell.seed,
    low,
    high,
    colourBar: toDataUri(drawColourBar(16, Math.min(thumbnailSize, 160))),
    groups,
  };
  return { grid, problems, notices };
}
