// Writes a tiny MVTec 3D-AD–layout dataset and matching anomaly maps for the eval tests (deterministic).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng } from '../../../pipelines/io/png.js';
import { encodeTiffFloat32 } from '../../../pipelines/io/tiff.js';

export interface FixtureOptions {
  readonly root: string;
  readonly category?: string;
  readonly size?: number;
  /** Test images per defect folder. */
  readonly perDefect?: number;
  readonly defects?: readonly string[];
  readonly validation?: number;
  readonly seed?: number;
}

const RGB_STUB = encodePng({ width: 1, height: 1, channels: 3, data: new Uint8Array(3) });
const XYZ_STUB = encodeTiffFloat32({ width: 1, height: 1, channels: 3, data: new Float32Array(3) });

/** Writes DATA (rgb/xyz stubs + gt) and MAPS under `root`; returns their paths. */
export function makeEvalFixture(options: FixtureOptions): { data: string; maps: string } {
  const { root, category = 'widget', size = 16, perDefect = 3, defects = ['crack', 'hole'], validation = 2 } = options;
  let s = options.seed ?? 7;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const data = join(root, 'data');
  const maps = join(root, 'maps');
  const write = (path: string, bytes: Uint8Array) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, bytes);
  };
  for (const defect of ['good', ...defects]) {
    for (let k = 0; k < perDefect; k++) {
      const id = String(k).padStart(3, '0');
      const dir = join(data, category, 'test', defect);
      write(join(dir, 'rgb', `${id}.png`), RGB_STUB);
      write(join(dir, 'xyz', `${id}.tiff`), XYZ_STUB);
      const gt = new Uint8Array(size * size);
      if (defect !== 'good') {
        const x0 = 2 + Math.floor(rand() * (size - 8));
        const y0 = 2 + Math.floor(rand() * (size - 8));
        for (let y = y0; y < y0 + 3 + k; y++) for (let x = x0; x < x0 + 3; x++) gt[y * size + x] = 255;
      }
      write(join(dir, 'gt', `${id}.png`), encodePng({ width: size, height: size, channels: 1, data: gt }));
      const map = Float32Array.from(gt, (g) => Math.round((rand() + (g ? 0.7 : 0)) * 512) / 512);
      write(join(maps, category, 'test', defect, `${id}.tiff`), encodeTiffFloat32({ width: size, height: size, channels: 1, data: map }));
    }
  }
  for (let k = 0; k < validation; k++) {
    const id = String(k).padStart(3, '0');
    const map = Float32Array.from({ length: size * size }, () => Math.round(rand() * 512) / 512);
    write(join(maps, category, 'validation', 'good', `${id}.tiff`), encodeTiffFloat32({ width: size, height: size, channels: 1, data: map }));
  }
  return { data, maps };
}
