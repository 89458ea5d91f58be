// Benchmark of `geoad synth` with the built-in renderer: samples/s and peak memory at 400×400 and 800×800 with
// 1 and 2 workers. Goal (2-core machine): ≥ 20 samples/s at 400×400 with 2 workers, < 500 MB per worker.
// Run with `npm run bench:synth` (builds dist/ first). Each configuration runs in its own process so that its peak
// RSS is its own; "per worker" is that peak divided by the worker count (an upper bound: it includes the main thread).
// On a shared machine wall-clock rates depend on other load, so it also prints CPU ms per sample (all threads) and
// the rate that CPU cost allows when `workers` cores are free ("if idle" = workers × 1000 / CPU ms per sample).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);

if (process.argv[2] === '--child') {
  const [resolution, workers, out, train, validation, test] = process.argv.slice(3).map((v, i) => (i === 2 ? v : Number(v)));
  const { renderDataset } = await import('../dist/pipelines/synth/index.js');
  const summary = await renderDataset({ out, resolution, workers, train, validation, test, seed: 1, progress: 'off' });
  const usage = process.resourceUsage();
  const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
  process.stdout.write(JSON.stringify({ samples: summary.rendered, seconds: summary.seconds, cpuSeconds, maxRssMiB: usage.maxRSS / 1024 }));
} else {
  // Counts are per category (train, validation, test), scaled to however many categories the generator has.
  const { categoryNames } = await import('../dist/pipelines/synth/categories.js');
  const perCategory = (train, validation, test) => [train, validation, test].map((n) => n * categoryNames.length);
  const configs = [
    { resolution: 400, workers: 1, counts: perCategory(6, 2, 14) },
    { resolution: 400, workers: 2, counts: perCategory(6, 2, 14) },
    { resolution: 800, workers: 1, counts: perCategory(1, 1, 7) },
    { resolution: 800, workers: 2, counts: perCategory(1, 1, 7) },
  ];
  console.log(`geoad synth benchmark (built-in renderer, all categories, mixed splits and defects); load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('resolution  workers  samples  seconds  samples/s  CPU ms/sample  samples/s if idle  peak RSS MiB  MiB/worker');
  for (const { resolution, workers, counts } of configs) {
    const out = mkdtempSync(join(tmpdir(), 'geoad-bench-synth-'));
    try {
      const child = spawnSync(process.execPath, [self, '--child', String(resolution), String(workers), out, ...counts.map(String)], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`child failed (${child.status}): ${child.stderr}`);
      const r = JSON.parse(child.stdout);
      console.log(
        `${`${resolution}×${resolution}`.padEnd(10)}  ${String(workers).padStart(7)}  ${String(r.samples).padStart(7)}  ${r.seconds.toFixed(1).padStart(7)}  ${(r.samples / r.seconds).toFixed(2).padStart(9)}  ${((r.cpuSeconds * 1000) / r.samples).toFixed(1).padStart(13)}  ${((workers * r.samples) / r.cpuSeconds).toFixed(1).padStart(17)}  ${r.maxRssMiB.toFixed(0).padStart(12)}  ${(r.maxRssMiB / workers).toFixed(0).padStart(10)}`,
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}
