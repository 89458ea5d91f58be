// Test helper: tiny MVTec 3D-AD-shaped trees (a sphere on a tilted table plane, seen by a pinhole camera).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePng } from '../../../pipelines/io/png.js';
import { encodeTiffFloat32 } from '../../../pipelines/io/tiff.js';

export interface SceneOptions {
  readonly width?: number;
  readonly height?: number;
  /** Sphere radius (metres) and a per-sample shift so samples differ. */
  readonly radius?: number;
  readonly shift?: number;
  /** Adds a small floating cluster (a second tiny sphere) away from the object. */
  readonly floater?: boolean;
}

export interface Scene {
  readonly width: number;
  readonly height: number;
  readonly xyz: Float32Array;
  readonly rgb: Uint8Array;
  /** 1 where the sphere (object) is hit, 2 for the floater, 0 for the table. */
  readonly label: Uint8Array;
}

const TABLE_NORMAL = (() => {
  const n = [0.05, -0.08, -1];
  const l = Math.hypot(...n);
  return n.map((v) => v / l);
})();
const TABLE_OFFSET = 0.5; // n·p + d = 0 with d = 0.5 ⇒ the table is ~0.5 m away

/** Renders the scene: table plane, a sphere resting on it, optionally a small floating sphere. */
export function renderScene(options: SceneOptions = {}): Scene {
  const width = options.width ?? 48;
  const height = options.height ?? 40;
  const radius = options.radius ?? 0.03;
  const shift = options.shift ?? 0;
  const focal = width * 1.2;
  // Sphere centre: on the table, at distance `radius` above it (toward the camera).
  const tableCentre = [shift, 0, 0.5];
  const t0 = -TABLE_OFFSET / (TABLE_NORMAL[0] * tableCentre[0] + TABLE_NORMAL[1] * tableCentre[1] + TABLE_NORMAL[2] * tableCentre[2]);
  const onTable = tableCentre.map((v) => v * t0);
  const centre = onTable.map((v, i) => v + TABLE_NORMAL[i] * radius);
  const floaterCentre = [onTable[0] - 0.09, onTable[1] - 0.07, onTable[2] - 0.05];
  const xyz = new Float32Array(width * height * 3);
  const rgb = new Uint8Array(width * height * 3);
  const label = new Uint8Array(width * height);
  const sphere = (c: number[], r: number, d: number[]) => {
    const b = -2 * (d[0] * c[0] + d[1] * c[1] + d[2] * c[2]);
    const a = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    const cc = c[0] * c[0] + c[1] * c[1] + c[2] * c[2] - r * r;
    const disc = b * b - 4 * a * cc;
    return disc < 0 ? Infinity : (-b - Math.sqrt(disc)) / (2 * a);
  };
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const d = [(u + 0.5 - width / 2) / focal, (v + 0.5 - height / 2) / focal, 1];
      const tTable = -TABLE_OFFSET / (TABLE_NORMAL[0] * d[0] + TABLE_NORMAL[1] * d[1] + TABLE_NORMAL[2] * d[2]);
      const tSphere = sphere(centre, radius, d);
      const tFloat = options.floater ? sphere(floaterCentre, 0.006, d) : Infinity;
      let t = tTable, l = 0;
      if (tSphere < t) { t = tSphere; l = 1; }
      if (tFloat < t) { t = tFloat; l = 2; }
      const p = v * width + u;
      for (let c = 0; c < 3; c++) xyz[p * 3 + c] = t * d[c];
      label[p] = l;
      rgb[p * 3] = l === 1 ? 200 : 60;
      rgb[p * 3 + 1] = (u * 5) & 255;
      rgb[p * 3 + 2] = (v * 7) & 255;
    }
  }
  return { width, height, xyz, rgb, label };
}

/** Writes one sample's rgb/xyz (and gt when given) into `dir/{rgb,xyz,gt}/<id>`. */
export function writeSample(dir: string, id: string, scene: Scene, gt?: Uint8Array): void {
  for (const sub of ['rgb', 'xyz', ...(gt ? ['gt'] : [])]) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'rgb', `${id}.png`), encodePng({ width: scene.width, height: scene.height, channels: 3, data: scene.rgb }));
  writeFileSync(join(dir, 'xyz', `${id}.tiff`), encodeTiffFloat32({ width: scene.width, height: scene.height, channels: 3, data: scene.xyz }));
  if (gt) writeFileSync(join(dir, 'gt', `${id}.png`), encodePng({ width: scene.width, height: scene.height, channels: 1, data: gt }));
}

/** A gt mask: 255 on the left half of the object, else 0. */
export function defectMask(scene: Scene): Uint8Array {
  const gt = new Uint8Array(scene.width * scene.height);
  for (let p = 0; p < gt.length; p++) if (scene.label[p] === 1 && p % scene.width < scene.width / 2) gt[p] = 255;
  return gt;
}

/**
 * Writes ROOT/<category>/{train/good (3), validation/good (1), test/good (1), test/crack (2)} for each category and
 * returns ROOT (a fresh temp folder).
 */
export function writeMvtecTree(categories: readonly string[] = ['bagel', 'cookie'], options: SceneOptions = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'geoad-mvtec-'));
  categories.forEach((category, ci) => {
    const base = join(root, category);
    const scene = (k: number) => renderScene({ ...options, shift: 0.004 * k - 0.006 + ci * 0.002 });
    for (let i = 0; i < 3; i++) writeSample(join(base, 'train', 'good'), String(i).padStart(3, '0'), scene(i));
    writeSample(join(base, 'validation', 'good'), '000', scene(3));
    const good = scene(1);
    writeSample(join(base, 'test', 'good'), '000', good, new Uint8Array(good.width * good.height));
    for (let i = 0; i < 2; i++) {
      const s = scene(i + 2);
      writeSample(join(base, 'test', 'crack'), String(i).padStart(3, '0'), s, defectMask(s));
    }
  });
  writeFileSync(join(root, 'manifest.json'), '{}\n');
  return root;
}

/**
 * Writes ROOT/manifest.json as `geoad synth` does (format `geoad-synth`, one entry per sample): `done` complete and
 * `pending` unfinished entries per category, as an interrupted synth leaves it. Returns the manifest path.
 */
export function writeSynthManifest(root: string, counts: Readonly<Record<string, { done: number; pending: number }>>): string {
  const samples = Object.entries(counts).flatMap(([category, { done, pending }]) =>
    Array.from({ length: done + pending }, (_, i) => {
      const key = `${category}/train/good/${String(i).padStart(3, '0')}`;
      return { key, files: {}, complete: i < done, anomalyPixels: i < done ? 0 : null, scene: { category, split: 'train', defect: 'good', index: i, key } };
    }),
  );
  const path = join(root, 'manifest.json');
  writeFileSync(path, JSON.stringify({ format: 'geoad-synth', generatorVersion: 'test', layout: 'mvtec3d-ad', config: {}, run: {}, seed: 0, camera: {}, samples }));
  return path;
}
