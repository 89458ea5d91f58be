// Benchmark of the data layer (npm run bench:data): 800×800 xyz TIFF read rate against tifffile.imread on the
// same files in the same run, and preprocessing + geometric features per scan with 1 and all worker threads.
// Env: GEOAD_BENCH_SCANS (default 8), GEOAD_BENCH_REPEATS (read passes, default 3), GEOAD_BENCH_SIZE (default 800).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const dist = new URL('../dist/pipelines/', import.meta.url);
const { encodePng } = await import(new URL('io/png.js', dist).href);
const { encodeTiffFloat32, decodeTiff, decodeTiffWithGeotiff } = await import(new URL('io/tiff.js', dist).href);

const { readSample, readWholeFile } = await import(new URL('data/read-sample.js', dist).href);
const { prepareSample } = await import(new URL('data/prepare-sample.js', dist).href);
const { computeGeometricFeatures } = await import(new URL('features/geometric-features.js', dist).href);
const { discoverDataset, listSamples } = await import(new URL('data/discover.js', dist).href);
const { prepareDataset } = await import(new URL('data/prepare-dataset.js', dist).href);

const SCANS = Number(process.env.GEOAD_BENCH_SCANS ?? 8);
const REPEATS = Number(process.env.GEOAD_BENCH_REPEATS ?? 3);
const SIZE = Number(process.env.GEOAD_BENCH_SIZE ?? 800);
const PYTHON = '/usr/bin/python3';

// A table plane with a sphere on it (like an MVTec scan: object in the middle, background to remove).
function renderScan(k) {
  const focal = SIZE * 1.2;
  const xyz = new Float32Array(SIZE * SIZE * 3);
  const rgb = new Uint8Array(SIZE * SIZE * 3);
  const c = [0.01 * (k % 3) - 0.01, 0.005 * (k % 2), 0.42];
  const r = 0.06;
  for (let v = 0; v < SIZE; v++) {
    for (let u = 0; u < SIZE; u++) {
      const d = [(u + 0.5 - SIZE / 2) / focal, (v + 0.5 - SIZE / 2) / focal, 1];
      let t = 0.48 / (1 + 0.05 * d[0] - 0.08 * d[1]); // tilted table
      const b = d[0] * c[0] + d[1] * c[1] + d[2] * c[2];
      const a = d[0] * d[0] + d[1] * d[1] + 1;
      const disc = b * b - a * (c[0] * c[0] + c[1] * c[1] + c[2] * c[2] - r * r);
      if (disc >= 0) t = Math.min(t, (b - Math.sqrt(disc)) / a);
      const p = v * SIZE + u;
      for (let i = 0; i < 3; i++) xyz[p * 3 + i] = t * d[i];
      rgb[p * 3] = (u * 3) & 255; rgb[p * 3 + 1] = (v * 5) & 255; rgb[p * 3 + 2] = 128;
    }
  }
  return { xyz, rgb };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const work = mkdtempSync(join(tmpdir(), 'geoad-bench-data-'));
try {
  const dir = join(work, 'root', 'bench', 'train', 'good');
  mkdirSync(join(dir, 'rgb'), { recursive: true });
  mkdirSync(join(dir, 'xyz'), { recursive: true });
  mkdirSync(join(work, 'deflate'));
  for (let k = 0; k < SCANS; k++) {
    const { xyz, rgb } = renderScan(k);
    const id = String(k).padStart(3, '0');
    writeFileSync(join(dir, 'xyz', `${id}.tiff`), encodeTiffFloat32({ width: SIZE, height: SIZE, channels: 3, data: xyz }));
    writeFileSync(join(dir, 'rgb', `${id}.png`), encodePng({ width: SIZE, height: SIZE, channels: 3, data: rgb }));
  }
  const files = Array.from({ length: SCANS }, (_, k) => join(dir, 'xyz', `${String(k).padStart(3, '0')}.tiff`));
  const deflated = files.map((_, k) => join(work, 'deflate', `${k}.tiff`));
  const pyRead = `
import sys, time, json, tifffile
files, repeats = sys.argv[2:], int(sys.argv[1])
for f in files: tifffile.imread(f)
t = time.perf_counter()
for _ in range(repeats):
    for f in files: tifffile.imread(f)
print(json.dumps(time.perf_counter() - t))`;
  execFileSync(PYTHON, ['-c', `import sys, tifffile\nfor s, d in zip(sys.argv[1::2], sys.argv[2::2]): tifffile.imwrite(d, tifffile.imread(s), compression='zlib', photometric='rgb')`, ...files.flatMap((f, k) => [f, deflated[k]])]);

  const timeNode = async (paths, decode) => {
    // Files are read as readSample reads them (one positional read per file); geotiff gets the same bytes.
    const load = readWholeFile;
    for (const f of paths) await decode(await load(f), f); // warm-up
    const t = performance.now();
    for (let r = 0; r < REPEATS; r++) for (const f of paths) await decode(await load(f), f);
    return (performance.now() - t) / 1000;
  };
  const timePython = (paths) => JSON.parse(execFileSync(PYTHON, ['-c', pyRead, String(REPEATS), ...paths], { encoding: 'utf8' }));
  const reads = SCANS * REPEATS;
  const rows = [];
  for (const [label, paths] of [['uncompressed', files], ['deflate (tifffile-written)', deflated]]) {
    const mb = paths.reduce((s, f) => s + statSync(f).size, 0) / SCANS / 1e6;
    const ours = await timeNode(paths, decodeTiff);
    const geotiff = await timeNode(paths, decodeTiffWithGeotiff);
    const py = timePython(paths);
    rows.push({ label, mb, ours: reads / ours, geotiff: reads / geotiff, tifffile: reads / py });
  }
  console.log(`\nxyz TIFF read, ${SIZE}×${SIZE}×3 float32, ${SCANS} files × ${REPEATS} passes (file read + decode)`);
  console.log('layout                      MB/file  geoad scans/s (MB/s)  geotiff scans/s  tifffile scans/s (MB/s)  ratio geoad/tifffile');
  for (const r of rows) {
    console.log(
      `${r.label.padEnd(27)} ${r.mb.toFixed(2).padStart(7)}  ${r.ours.toFixed(1).padStart(13)} (${(r.ours * r.mb).toFixed(0).padStart(4)})  ${r.geotiff.toFixed(1).padStart(15)}  ${r.tifffile.toFixed(1).padStart(16)} (${(r.tifffile * r.mb).toFixed(0).padStart(4)})  ${(r.ours / r.tifffile).toFixed(2).padStart(20)}`,
    );
  }

  // Preprocess + features, in-process, one scan at a time (no cache), with a per-stage split.
  const refs = listSamples(discoverDataset(join(work, 'root')));
  const stage = { read: [], prepare: [], features: [] };
  for (const ref of refs) {
    let t = performance.now();
    const raw = await readSample(ref);
    stage.read.push(performance.now() - t);
    t = performance.now();
    const prepared = prepareSample(raw);
    stage.prepare.push(performance.now() - t);
    t = performance.now();
    computeGeometricFeatures(prepared);
    stage.features.push(performance.now() - t);
  }
  console.log(`\nper scan, in-process (median of ${SCANS}): read ${median(stage.read).toFixed(0)} ms, preprocess ${median(stage.prepare).toFixed(0)} ms, features ${median(stage.features).toFixed(0)} ms, total ${(median(stage.read) + median(stage.prepare) + median(stage.features)).toFixed(0)} ms`);

  const all = availableParallelism();
  for (const workers of [...new Set([1, all])]) {
    const cacheDir = join(work, `cache-${workers}`);
    const cold = await prepareDataset({ root: join(work, 'root'), cacheDir, workers, progress: false });
    const warm = await prepareDataset({ root: join(work, 'root'), cacheDir, workers, progress: false });
    console.log(`prepareDataset, ${workers} worker(s): ${(cold.durationMs / SCANS).toFixed(0)} ms/scan wall (${((SCANS * 1000) / cold.durationMs).toFixed(2)} scans/s); cache hit ${(warm.durationMs / SCANS).toFixed(0)} ms/scan`);
  }
  const [l1, l5] = loadavg();
  console.log(`\nload average ${l1.toFixed(2)} ${l5.toFixed(2)}; ${all} CPUs; node ${process.version}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
