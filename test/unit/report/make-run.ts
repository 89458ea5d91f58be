// Test helper: writes a fake run directory (run.json, results/, tiny MVTec-layout data and float32 maps).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CellResult, MatrixCell, RunManifest } from '../../../orchestrator/matrix/run-layout.js';
import { encodePng } from '../../../pipelines/io/png.js';
import { encodeTiffFloat32 } from '../../../pipelines/io/tiff.js';

export interface FakeRunOptions {
  readonly name?: string;
  readonly dataset?: string;
  readonly kind?: 'synthetic' | 'mvtec';
  readonly categories?: readonly string[];
  readonly variants?: readonly MatrixCell['variant'][];
  readonly seeds?: readonly number[];
  /** Cells (by index in plan order) to leave without a result. */
  readonly skip?: readonly number[];
  /** Write data and maps for the qualitative grid. */
  readonly images?: boolean;
  /** Added to every metric (for compare tests). */
  readonly offset?: number;
  readonly config?: unknown;
  readonly defects?: readonly string[];
  readonly dir?: string;
  /** Grid values: one cell per entry for each (category, variant, seed), as `MatrixCell.overrides`. */
  readonly grid?: readonly Record<string, unknown>[];
  /** How the results say they were evaluated; null writes results without it (as before it was recorded). */
  readonly evaluation?: CellResult['evaluation'] | null;
}

/** A small deterministic PRNG (mulberry32). */
export function makeRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clamp = (v: number) => Math.min(1, Math.max(0, v));

function curve(random: () => number, steepness: number, maxX: number) {
  const x = Array.from({ length: 50 }, (_, i) => (i / 49) * maxX);
  const y = x.map((v) => clamp(1 - Math.exp((-v * steepness) / maxX) + (random() - 0.5) * 0.01));
  return { x, y };
}

function writeImages(root: string, mapsDir: string, category: string, defects: readonly string[]): void {
  const size = 24;
  for (const defect of ['good', ...defects]) {
    for (let k = 0; k < 3; k++) {
      const id = String(k).padStart(3, '0');
      const rgb = new Uint8Array(size * size * 3).map((_, i) => (i * 7 + k * 31) % 256);
      const gt = new Uint8Array(size * size);
      const map = new Float32Array(size * size).map((_, i) => ((i % size) / size) * 0.2 + k * 0.1);
      if (defect !== 'good') {
        for (let y = 8; y < 14; y++) for (let x = 8 + k; x < 14 + k; x++) { gt[y * size + x] = 255; map[y * size + x] = 0.8 + k * 0.05; }
      }
      const base = join(root, category, 'test', defect);
      mkdirSync(join(base, 'rgb'), { recursive: true });
      mkdirSync(join(base, 'gt'), { recursive: true });
      writeFileSync(join(base, 'rgb', `${id}.png`), encodePng({ width: size, height: size, channels: 3, data: rgb }));
      writeFileSync(join(base, 'gt', `${id}.png`), encodePng({ width: size, height: size, channels: 1, data: gt }));
      mkdirSync(join(mapsDir, category, 'test', defect), { recursive: true });
      writeFileSync(join(mapsDir, category, 'test', defect, `${id}.tiff`), encodeTiffFloat32({ width: size, height: size, channels: 1, data: map }));
    }
  }
}

/** Writes a fake run and returns its directory and planned cells. */
export function makeFakeRun(options: FakeRunOptions = {}): { dir: string; cells: MatrixCell[] } {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'geoad-report-'));
  const dataset = options.dataset ?? 'synthetic-small';
  const kind = options.kind ?? 'synthetic';
  const categories = options.categories ?? ['bagel', 'cookie'];
  const variants = options.variants ?? ['full', 'no-mfe'];
  const seeds = options.seeds ?? [0, 1];
  const evaluation = options.evaluation === undefined ? { proCurveMode: 'sampled-99' as const, resolution: 224 } : options.evaluation;
  const cells: MatrixCell[] = [];
  for (const category of categories) for (const variant of variants) for (const seed of seeds) for (const overrides of options.grid ?? [undefined]) {
    cells.push({ id: `c${cells.length.toString().padStart(3, '0')}`, dataset, datasetKind: kind, category, variant, seed, ...(overrides ? { overrides } : {}) });
  }
  const dataRoot = join(dir, 'data', dataset);
  const mapsRoot = join(dir, 'maps');
  const manifest: RunManifest = {
    schema: 'geoad-run',
    version: 1,
    name: options.name ?? 'fake-run',
    config: options.config ?? { preset: 'quick', epochs: 3 },
    cells,
    datasets: [{ name: dataset, kind, root: dataRoot, samples: { train: 10, validation: 4, test: 9 } }],
    environment: { gitCommit: 'abc1234', geoadVersion: '0.1.0', node: 'v20.20.0', hostname: 'test-host', cpus: 'Test CPU', cpuCount: 2, memoryGiB: 24, executor: 'local' },
    startedAt: '2026-12-04T10:00:00.000Z',
    finishedAt: (options.skip ?? []).length > 0 ? null : '2026-12-04T11:30:00.000Z',
  };
  mkdirSync(join(dir, 'results'), { recursive: true });
  writeFileSync(join(dir, 'run.json'), JSON.stringify(manifest, null, 2));
  cells.forEach((cell, index) => {
    if ((options.skip ?? []).includes(index)) return;
    const random = makeRandom(index * 7919 + 13);
    const boost = (cell.variant === 'full' ? 0.04 : 0) + (options.offset ?? 0);
    const metric = (base: number) => clamp(base + boost + random() * 0.03);
    const mapsDir = join(mapsRoot, cell.variant, String(cell.seed));
    const result: CellResult = {
      schema: 'geoad-cell-result',
      version: 1,
      cell,
      backend: 'tfjs-cpu',
      metrics: {
        category: cell.category,
        counts: { testImages: 9, anomalousImages: 6, goodImages: 3, validationImages: 4, regions: 6, pixels: 5184 },
        iAuroc: metric(0.85),
        pAuroc: metric(0.93),
        aupro: { '0.3': metric(0.8), '0.1': metric(0.6), '0.05': metric(0.45), '0.01': metric(0.2) },
        curves: { imageRoc: curve(random, 6, 1), pixelRoc: curve(random, 12, 1), pro: curve(random, 4, 0.3) },
        threshold: { calibrated: true, threshold: 0.5 + random() * 0.1, minDefectArea: 20, image: { precision: 0.9, recall: 0.8, f1: 0.847, fpr: 0.1 }, pixel: { precision: 0.6, recall: 0.7, f1: 0.646 } },
        resizedMaps: false,
        durationMs: 1200,
      },
      ...(evaluation === null ? {} : { evaluation }),
      training: { epochs: 5, finalLoss: 0.1, validationLoss: 0.12, lossCurve: [1, 0.6, 0.3, 0.2, 0.1].map((v) => v * (1 + random() * 0.1)), parameterCount: 12345 },
      durations: { train: 60 + index, infer: 5, eval: 2 },
      dataRoot,
      mapsDir,
      modelDir: join(dir, 'models', cell.id),
    };
    writeFileSync(join(dir, 'results', `${cell.id}.json`), JSON.stringify(result));
    if (options.images) writeImages(dataRoot, mapsDir, cell.category, options.defects ?? ['crack', 'hole']);
  });
  return { dir, cells };
}
