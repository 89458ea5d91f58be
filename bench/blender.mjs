// Benchmark of the Blender backend (npm run bench:blender): seconds per sample for Blender (Cycles CPU, 16 and 64
// samples per pixel; one Blender process per shard of all scenes, so start-up is shared) against the built-in
// renderer on the same synthetic scenes, as two ratios:
// - render only: Blender's start-up, mesh import, Cycles render, per-pixel ray-cast and output reading, against the
//   built-in rasterizeScene alone;
// - whole per-sample path: the above plus what both renderers share (building the scene's labelled mesh in
//   TypeScript, encoding the PNG/TIFF outputs), against the built-in's scene building + rasterize + encoding.
// Env: GEOAD_BENCH_SCENES (default 4), GEOAD_BENCH_SIZE (image side, default 128), GEOAD_BENCH_CYCLES ("16,64").
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const dist = new URL('../dist/pipelines/synth/', import.meta.url);
const { renderWithExternal } = await import(new URL('blender/index.js', dist).href);
const { rasterizeScene } = await import(new URL('rasterize.js', dist).href);
const { sampleScene } = await import(new URL('sample-scene.js', dist).href);
const { buildRenderScene } = await import(new URL('build-mesh.js', dist).href);
const { encodeSample } = await import(new URL('encode-sample.js', dist).href);
const { locateSampleFiles } = await import(new URL('plan.js', dist).href);
const { categoryNames } = await import(new URL('categories.js', dist).href);

const SCENES = Number(process.env.GEOAD_BENCH_SCENES ?? 4);
const SIZE = Number(process.env.GEOAD_BENCH_SIZE ?? 128);
const CYCLES = (process.env.GEOAD_BENCH_CYCLES ?? '16,64').split(',').map(Number);

const samples = Array.from({ length: SCENES }, (_, i) => {
  const id = { category: categoryNames[i % categoryNames.length], split: 'test', defect: i % 2 ? 'dent' : 'crack', index: i };
  return { params: sampleScene(1, id, SIZE), files: locateSampleFiles(id) };
});
const seconds = (started) => (performance.now() - started) / 1000;

// Built-in, whole path per sample, timing its three steps; the scenes are kept for Blender.
const build = (s) => buildRenderScene(s.params, { resolution: SIZE });
encodeSample(rasterizeScene(build(samples[0])), SIZE, samples[0].files); // warm-up (JIT)
let buildSeconds = 0, rasterSeconds = 0, encodeSeconds = 0;
const scenes = samples.map((s) => {
  let started = performance.now();
  const scene = build(s);
  buildSeconds += seconds(started);
  started = performance.now();
  const output = rasterizeScene(scene);
  rasterSeconds += seconds(started);
  started = performance.now();
  encodeSample(output, SIZE, s.files);
  encodeSeconds += seconds(started);
  return scene;
});
const raster = rasterSeconds / SCENES;
const whole = (buildSeconds + rasterSeconds + encodeSeconds) / SCENES;
const faces = scenes.reduce((n, scene) => n + scene.mesh.indices.length / 3, 0) / SCENES;
console.log(`Blender benchmark: ${SCENES} scenes, ${SIZE}×${SIZE} px, ${Math.round(faces)} faces per scene on average`);
console.log(`machine: ${availableParallelism()} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`builtin rasterize only  ${raster.toFixed(4)} s/sample`);
console.log(`builtin whole path      ${whole.toFixed(4)} s/sample  (scene building ${(buildSeconds / SCENES).toFixed(4)}, rasterize ${raster.toFixed(4)}, encoding ${(encodeSeconds / SCENES).toFixed(4)})`);

const tasks = samples.map((s, i) => ({ key: s.params.key, scene: scenes[i], seed: s.params.seed }));
const filesByKey = new Map(samples.map((s) => [s.params.key, s.files]));
const work = mkdtempSync(join(tmpdir(), 'geoad-bench-blender-'));
try {
  for (const cycles of CYCLES) {
    let blenderEncodeSeconds = 0;
    const started = performance.now();
    const summary = await renderWithExternal(
      tasks,
      { renderer: 'blender', jobs: 1, samples: cycles, device: 'cpu', shardSize: SCENES, workDir: work, timeoutMs: 3_600_000, retries: 0, log: () => {} },
      async (key, output) => {
        const begun = performance.now();
        encodeSample(output, SIZE, filesByKey.get(key));
        blenderEncodeSeconds += seconds(begun);
      },
    );
    if (summary.failedShards.length > 0) throw new Error(summary.failedShards[0].message);
    const total = seconds(started);
    const render = (total - blenderEncodeSeconds) / SCENES;
    const blenderWhole = (buildSeconds + total) / SCENES;
    console.log(
      `blender cycles ${String(cycles).padStart(3)}  render ${render.toFixed(3)} s/sample (${(render / raster).toFixed(0)}× rasterize only); ` +
        `whole path ${blenderWhole.toFixed(3)} s/sample (${(blenderWhole / whole).toFixed(0)}× builtin whole path)`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
