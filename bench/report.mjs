// Benchmark: render the report of a paper-sized synthetic run (10 categories × 4 variants × 3 seeds, with anomaly
// maps and images for the qualitative grid) and print the time and the size of index.html. Goal: < 30 s.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReport } from '../dist/reports/index.js';
import { encodePng } from '../dist/pipelines/io/png.js';
import { encodeTiffFloat32 } from '../dist/pipelines/io/tiff.js';

const CATEGORIES = ['bagel', 'cable_gland', 'carrot', 'cookie', 'dowel', 'foam', 'peach', 'potato', 'rope', 'tire'];
const VARIANTS = ['full', 'no-mfe', 'no-gcn', 'no-nla'];
const SEEDS = [0, 1, 2];
const DEFECTS = ['combined', 'contamination', 'crack', 'good', 'hole'];
const IMAGES_PER_DEFECT = 20;
const SIZE = 224; // the evaluation resolution of the papers' code

function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const clamp = (v) => Math.min(1, Math.max(0, v));
const curve = (r, k, maxX) => {
  const x = Array.from({ length: 200 }, (_, i) => (i / 199) * maxX);
  return { x, y: x.map((v) => clamp(1 - Math.exp((-v * k) / maxX) + (r() - 0.5) * 0.01)) };
};

function makeRun(dir) {
  const cells = [];
  for (const category of CATEGORIES) for (const variant of VARIANTS) for (const seed of SEEDS) {
    cells.push({ id: `cell${String(cells.length).padStart(3, '0')}`, dataset: 'mvtec3d', datasetKind: 'mvtec', category, variant, seed });
  }
  const dataRoot = join(dir, 'data');
  const mapsDir = join(dir, 'maps');
  mkdirSync(join(dir, 'results'), { recursive: true });
  writeFileSync(join(dir, 'run.json'), JSON.stringify({
    schema: 'geoad-run', version: 1, name: 'paper-bench', config: { preset: 'paper', epochs: 50 }, cells,
    datasets: [{ name: 'mvtec3d', kind: 'mvtec', root: dataRoot }],
    environment: { gitCommit: 'bench', geoadVersion: '0.1.0', node: process.version, hostname: 'bench', cpus: 'bench', cpuCount: 2, memoryGiB: 24, executor: 'local' },
    startedAt: '2026-12-04T00:00:00.000Z', finishedAt: '2026-12-04T08:00:00.000Z',
  }));
  cells.forEach((cell, index) => {
    const r = random(index + 1);
    const m = (base) => clamp(base + (cell.variant === 'full' ? 0.03 : 0) + r() * 0.04);
    writeFileSync(join(dir, 'results', `${cell.id}.json`), JSON.stringify({
      schema: 'geoad-cell-result', version: 1, cell, backend: 'tfjs-node',
      metrics: {
        category: cell.category,
        counts: { testImages: 100, anomalousImages: 80, goodImages: 20, validationImages: 20, regions: 90, pixels: 5017600 },
        iAuroc: m(0.85), pAuroc: m(0.95), aupro: { '0.3': m(0.88), '0.1': m(0.7), '0.05': m(0.55), '0.01': m(0.25) },
        curves: { imageRoc: curve(r, 6, 1), pixelRoc: curve(r, 14, 1), pro: curve(r, 4, 0.3) },
        threshold: { calibrated: true, threshold: 0.4 + r() * 0.2, minDefectArea: 40, image: { precision: 0.9, recall: 0.85, f1: 0.874, fpr: 0.1 }, pixel: { precision: 0.5, recall: 0.6, f1: 0.545 } },
        resizedMaps: false, durationMs: 20000,
      },
      training: { epochs: 50, finalLoss: 0.1, validationLoss: 0.11, lossCurve: Array.from({ length: 50 }, (_, e) => 1 / (1 + e * 0.3) + r() * 0.02), parameterCount: 1e6 },
      durations: { train: 900, infer: 60, eval: 20 }, dataRoot, mapsDir: join(mapsDir, cell.variant, String(cell.seed)), modelDir: join(dir, 'models', cell.id),
    }));
  });
  // Maps and images only for the cells the grid reads (full, seed 0).
  for (const category of CATEGORIES) {
    for (const defect of DEFECTS) {
      const base = join(dataRoot, category, 'test', defect);
      const maps = join(mapsDir, 'full', '0', category, 'test', defect);
      for (const sub of [join(base, 'rgb'), join(base, 'gt'), maps]) mkdirSync(sub, { recursive: true });
      for (let k = 0; k < IMAGES_PER_DEFECT; k++) {
        const id = String(k).padStart(3, '0');
        const r = random(k * 31 + defect.length);
        const rgb = new Uint8Array(SIZE * SIZE * 3).map((_, i) => 80 + ((i * 13 + k) % 97));
        const gt = new Uint8Array(SIZE * SIZE);
        const map = new Float32Array(SIZE * SIZE).map(() => r() * 0.2);
        if (defect !== 'good') for (let y = 90; y < 130; y++) for (let x = 60 + k; x < 100 + k; x++) { gt[y * SIZE + x] = 255; map[y * SIZE + x] = 0.5 + r() * 0.5; }
        writeFileSync(join(base, 'rgb', `${id}.png`), encodePng({ width: SIZE, height: SIZE, channels: 3, data: rgb }));
        writeFileSync(join(base, 'gt', `${id}.png`), encodePng({ width: SIZE, height: SIZE, channels: 1, data: gt }));
        writeFileSync(join(maps, `${id}.tiff`), encodeTiffFloat32({ width: SIZE, height: SIZE, channels: 1, data: map }));
      }
    }
  }
  return cells.length;
}

const dirSize = (d) => readdirSync(d, { withFileTypes: true }).reduce((s, e) => s + (e.isDirectory() ? dirSize(join(d, e.name)) : statSync(join(d, e.name)).size), 0);

const root = mkdtempSync(join(tmpdir(), 'geoad-bench-report-'));
try {
  const run = join(root, 'run');
  const cells = makeRun(run);
  const out = join(root, 'site');
  const started = performance.now();
  const summary = await buildReport({ run, out, progress: false });
  const seconds = (performance.now() - started) / 1000;
  const index = statSync(summary.indexPath).size;
  console.log(`report: ${cells} cells (${CATEGORIES.length} categories × ${VARIANTS.length} variants × ${SEEDS.length} seeds), ${DEFECTS.length * IMAGES_PER_DEFECT} maps of ${SIZE}×${SIZE} per category`);
  console.log(`report: rendered in ${seconds.toFixed(2)} s (goal < 30 s): ${summary.pages.length} category pages, ${summary.figures.length} PNG figures`);
  console.log(`report: index.html ${(index / 1024).toFixed(1)} KiB; site ${(dirSize(out) / 1024 / 1024).toFixed(2)} MiB`);
  if (summary.problems.length > 0) console.log(`report: problems: ${summary.problems.join('; ')}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
