// Tiny synthetic datasets for training tests: a placeholder folder tree (so discovery finds the samples) and a
// loader that generates each sample from its ref — geometry follows colour, except in a defect patch.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SampleRef } from '../../../pipelines/data/types.js';
import type { LoadedSample, SampleLoader } from '../../../pipelines/train/samples.js';

export const SIZE = 32;
export const GEO_GRID = 8;
export const GEO_CHANNELS = 4;
export const ORIGINAL = { width: 40, height: 36 };

/** Writes ROOT/<category>/<split>/<defect>/{rgb,xyz,gt}/NNN.* placeholders; returns ROOT. */
export function makeDatasetTree(counts: { train: number; validation: number; good: number; defect: number }, category = 'widget'): string {
  const root = mkdtempSync(join(tmpdir(), 'geoad-train-'));
  const groups: [string, string, number][] = [
    ['train', 'good', counts.train],
    ['validation', 'good', counts.validation],
    ['test', 'good', counts.good],
    ['test', 'bump', counts.defect],
  ];
  for (const [split, defect, n] of groups) {
    for (const kind of ['rgb', 'xyz', 'gt']) mkdirSync(join(root, category, split, defect, kind), { recursive: true });
    for (let i = 0; i < n; i++) {
      const id = String(i).padStart(3, '0');
      writeFileSync(join(root, category, split, defect, 'rgb', `${id}.png`), '');
      writeFileSync(join(root, category, split, defect, 'xyz', `${id}.tiff`), '');
      if (split === 'test') writeFileSync(join(root, category, split, defect, 'gt', `${id}.png`), '');
    }
  }
  return root;
}

/** Removes a tree made by makeDatasetTree. */
export function removeTree(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** The defect patch of a `bump` sample, in geometric-grid cells [y0, y1) × [x0, x1). */
export const DEFECT_CELLS = { y0: 3, y1: 5, x0: 3, x1: 5 };

/** Generates a sample: a smooth colour field on a disc, geometry a fixed function of the colour (+ a bump for defects). */
export function syntheticLoader(options: { nanIn?: string } = {}): SampleLoader {
  return async (ref: SampleRef): Promise<LoadedSample> => {
    const h = hash(`${ref.split}/${ref.defect}/${ref.id}`);
    const phase = (h % 1000) / 160;
    const freq = 0.15 + ((h >>> 10) % 100) / 1000;
    const field = (x: number, y: number) => Math.sin(freq * x + phase) * Math.cos(freq * 0.7 * y - phase);
    const rgb = new Uint8Array(SIZE * SIZE * 3);
    const foreground = new Uint8Array(SIZE * SIZE);
    const c = SIZE / 2;
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const f = field(x, y);
        const p = y * SIZE + x;
        rgb[p * 3] = Math.round(128 + 100 * f);
        rgb[p * 3 + 1] = Math.round(128 - 80 * f);
        rgb[p * 3 + 2] = 90;
        foreground[p] = (x - c) ** 2 + (y - c) ** 2 < (SIZE * 0.45) ** 2 ? 1 : 0;
      }
    }
    const cell = SIZE / GEO_GRID;
    const data = new Float32Array(GEO_GRID * GEO_GRID * GEO_CHANNELS);
    const cellMask = new Uint8Array(GEO_GRID * GEO_GRID);
    for (let gy = 0; gy < GEO_GRID; gy++) {
      for (let gx = 0; gx < GEO_GRID; gx++) {
        const k = gy * GEO_GRID + gx;
        const cx = (gx + 0.5) * cell;
        const cy = (gy + 0.5) * cell;
        cellMask[k] = foreground[Math.floor(cy) * SIZE + Math.floor(cx)];
        if (!cellMask[k]) continue;
        const f = field(cx, cy);
        const bump = ref.defect !== 'good' && gy >= DEFECT_CELLS.y0 && gy < DEFECT_CELLS.y1 && gx >= DEFECT_CELLS.x0 && gx < DEFECT_CELLS.x1 ? 1.5 : 0;
        data[k * GEO_CHANNELS] = f + bump;
        data[k * GEO_CHANNELS + 1] = f * f;
        data[k * GEO_CHANNELS + 2] = 0.5 * f - bump;
        data[k * GEO_CHANNELS + 3] = 0.2;
      }
    }
    if (options.nanIn === `${ref.split}/${ref.defect}/${ref.id}`) data[5] = Number.NaN;
    return {
      prepared: { ref, size: SIZE, originalWidth: ORIGINAL.width, originalHeight: ORIGINAL.height, rgb, xyz: new Float32Array(SIZE * SIZE * 3), gt: new Uint8Array(SIZE * SIZE), foreground },
      geometric: { grid: GEO_GRID, channels: GEO_CHANNELS, data, foreground: cellMask },
    };
  };
}

/** Train options shared by the tests: tiny shapes, quiet. */
export const tinyOptions = { imageSize: SIZE, visualGrid: 4, geometricGrid: GEO_GRID, hidden: 16, attentionDim: 8, batchSize: 4, progress: 'off' as const };
