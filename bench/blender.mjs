// Benchmark of the Blender backend (npm run bench:blender): seconds per sample for Blender (Cycles CPU, 16 and 64
// samples per pixel; one Blender process per shard of all scenes, so start-up is shared) against the built-in
// rasterizer on the same synthetic scenes, and the ratio. Blender's time includes start-up, mesh import, the
// Cycles render and the per-pixel ray-cast for XYZ/mask; the built-in time is rasterizeScene alone.
// Env: GEOAD_BENCH_SCENES (default 4), GEOAD_BENCH_SIZE (image side, default 128), GEOAD_BENCH_CYCLES ("16,64").
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const dist = new URL('../dist/pipelines/synth/', import.meta.url);
const { renderWithExternal } = await import(new URL('blender/index.js', dist).href);
const { rasterizeScene } = await import(new URL('rasterize.js', dist).href);
const { sampleScene } = await import(new URL('sample-scene.js', dist).href);
const { buildRenderScene } = await import(new URL('build-mesh.js', dist).href);
const { categoryNames } = await import(new URL('categories.js', dist).href);

const SCENES = Number(process.env.GEOAD_BENCH_SCENES ?? 4);
const SIZE = Number(process.env.GEOAD_BENCH_SIZE ?? 128);
const CYCLES = (process.env.GEOAD_BENCH_CYCLES ?? '16,64').split(',').map(Number);

const tasks = Array.from({ length: SCENES }, (_, i) => {
  const id = { category: categoryNames[i % categoryNames.length], split: 'test', defect: i % 2 ? 'dent' : 'crack', index: i };
  return { key: `${id.category}/test/${id.defect}/${String(i).padStart(3, '0')}`, scene: buildRenderScene(sampleScene(1, id, SIZE), { resolution: SIZE }), seed: i };
});
const faces = tasks.reduce((n, t) => n + t.scene.mesh.indices.length / 3, 0) / SCENES;
console.log(`Blender benchmark: ${SCENES} scenes, ${SIZE}×${SIZE} px, ${Math.round(faces)} faces per scene on average`);
console.log(`machine: ${availableParallelism()} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

rasterizeScene(tasks[0].scene); // warm-up (JIT)
let started = performance.now();
for (const task of tasks) rasterizeScene(task.scene);
const builtin = (performance.now() - started) / 1000 / SCENES;
console.log(`builtin            ${builtin.toFixed(4)} s/sample`);

const work = mkdtempSync(join(tmpdir(), 'geoad-bench-blender-'));
try {
  for (const samples of CYCLES) {
    started = performance.now();
    const summary = await renderWithExternal(
      tasks,
      { renderer: 'blender', jobs: 1, samples, device: 'cpu', shardSize: SCENES, workDir: work, timeoutMs: 3_600_000, retries: 0, log: () => {} },
      async () => {},
    );
    if (summary.failedShards.length > 0) throw new Error(summary.failedShards[0].message);
    const perSample = (performance.now() - started) / 1000 / SCENES;
    console.log(`blender cycles ${String(samples).padStart(3)}  ${perSample.toFixed(3)} s/sample  (${(perSample / builtin).toFixed(0)}× builtin)`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
