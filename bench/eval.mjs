// Benchmark of `evaluate()` (issue 6): a category-sized set — 110 test maps at 800×800 (30 good, 4 defect types × 20)
// plus 20 validation maps — evaluated with every metric (exact AUPRO), then with the papers' 99 thresholds, each in
// a fresh child process (wall time and peak RSS), then the NumPy/SciPy twin (bench/eval_numpy.py) on the same files.
// Usage: npm run bench:eval [-- --size 800 --keep --no-twin]   (prints its numbers; nothing is asserted)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);

if (args[0] === '--child') {
  // Child: one evaluation, reported as JSON on stdout.
  const { evaluate } = await import('../dist/pipelines/eval/index.js');
  const [, maps, data, pro] = args;
  const started = performance.now();
  const result = await evaluate({ mapsDir: maps, dataRoot: data, proThresholds: pro === 'exact' ? 'exact' : Number(pro), progress: false });
  const seconds = (performance.now() - started) / 1000;
  const c = result.categories[0];
  process.stdout.write(JSON.stringify({ seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024, iAuroc: c.iAuroc, pAuroc: c.pAuroc, aupro: c.aupro, threshold: c.threshold.calibrated ? c.threshold.threshold : null }));
  process.exit(0);
}

const { encodePng } = await import('../dist/pipelines/io/png.js');
const { encodeTiffFloat32 } = await import('../dist/pipelines/io/tiff.js');
const size = Number(option('--size', '800'));
const root = mkdtempSync(join(tmpdir(), 'geoad-bench-eval-'));
const data = join(root, 'data');
const maps = join(root, 'maps');
let seed = 12345;
const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const write = (path, bytes) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
};
const rgbStub = encodePng({ width: 1, height: 1, channels: 3, data: new Uint8Array(3) });
const xyzStub = encodeTiffFloat32({ width: 1, height: 1, channels: 3, data: new Float32Array(3) });

// A map: low-frequency background plus noise, raised inside the gt blobs (scores mostly distinct, as real maps).
function makeMap(gt) {
  const map = new Float32Array(size * size);
  const fx = 1 + rand() * 4;
  const fy = 1 + rand() * 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      map[i] = 0.2 * Math.sin((fx * x) / size) * Math.cos((fy * y) / size) + 0.5 * rand() + (gt?.[i] ? 0.4 + 0.3 * rand() : 0);
    }
  }
  return map;
}

const generateStarted = performance.now();
const groups = [['good', 30], ['crack', 20], ['hole', 20], ['contamination', 20], ['cut', 20]];
for (const [defect, count] of groups) {
  for (let k = 0; k < count; k++) {
    const id = String(k).padStart(3, '0');
    const dir = join(data, 'bench', 'test', defect);
    write(join(dir, 'rgb', `${id}.png`), rgbStub);
    write(join(dir, 'xyz', `${id}.tiff`), xyzStub);
    const gt = new Uint8Array(size * size);
    if (defect !== 'good') {
      for (let b = 0, blobs = 1 + Math.floor(rand() * 3); b < blobs; b++) {
        const cx = size * (0.2 + 0.6 * rand());
        const cy = size * (0.2 + 0.6 * rand());
        const rx = size * (0.01 + 0.06 * rand());
        const ry = size * (0.01 + 0.06 * rand());
        for (let y = Math.max(0, Math.floor(cy - ry)); y < Math.min(size, cy + ry); y++) {
          for (let x = Math.max(0, Math.floor(cx - rx)); x < Math.min(size, cx + rx); x++) {
            if (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1) gt[y * size + x] = 255;
          }
        }
      }
      write(join(dir, 'gt', `${id}.png`), encodePng({ width: size, height: size, channels: 1, data: gt }));
    }
    write(join(maps, 'bench', 'test', defect, `${id}.tiff`), encodeTiffFloat32({ width: size, height: size, channels: 1, data: makeMap(defect === 'good' ? null : gt) }));
  }
}
for (let k = 0; k < 20; k++) {
  write(join(maps, 'bench', 'validation', 'good', `${String(k).padStart(3, '0')}.tiff`), encodeTiffFloat32({ width: size, height: size, channels: 1, data: makeMap(null) }));
}
console.log(`generated 110 test maps + 20 validation maps at ${size}×${size} in ${((performance.now() - generateStarted) / 1000).toFixed(1)} s (${root})`);

function child(pro) {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', maps, data, pro], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`evaluate (${pro}) failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

const fmt = (r) => `I-AUROC ${r.iAuroc.toFixed(4)}  P-AUROC ${r.pAuroc.toFixed(4)}  AUPRO@0.3 ${r.aupro['0.3'].toFixed(4)}  @0.01 ${r.aupro['0.01'].toFixed(4)}`;
const exact = child('exact');
console.log(`geoad evaluate, exact AUPRO : ${exact.seconds.toFixed(2)} s, peak RSS ${exact.maxRssMiB.toFixed(0)} MiB  (${fmt(exact)})`);
const sampled = child('99');
console.log(`geoad evaluate, 99 thresholds: ${sampled.seconds.toFixed(2)} s, peak RSS ${sampled.maxRssMiB.toFixed(0)} MiB  (${fmt(sampled)})`);
if (args.includes('--no-twin')) console.log('NumPy/SciPy twin skipped (--no-twin)');
else try {
  const twin = (pro) => JSON.parse(execFileSync('/usr/bin/python3', [join(here, 'eval_numpy.py'), '--maps', maps, '--data', data, '--category', 'bench', '--pro-thresholds', pro], { encoding: 'utf8', maxBuffer: 1 << 24 }));
  const ref = twin('exact');
  console.log(`NumPy/SciPy twin, exact      : ${ref.seconds.toFixed(2)} s  (${fmt(ref)})`);
  console.log(`ratio twin / geoad (exact)   : ${(ref.seconds / exact.seconds).toFixed(2)}×`);
  console.log(`max |Δ| vs twin: P-AUROC ${Math.abs(ref.pAuroc - exact.pAuroc).toExponential(1)}, AUPRO@0.3 ${Math.abs(ref.aupro['0.3'] - exact.aupro['0.3']).toExponential(1)}, threshold ${ref.threshold?.threshold === exact.threshold ? 'equal' : `${ref.threshold?.threshold} vs ${exact.threshold}`}`);
} catch (error) {
  console.log(`NumPy/SciPy twin not run: ${error.message.split('\n')[0]}`);
}
if (!args.includes('--keep')) rmSync(root, { recursive: true, force: true });
