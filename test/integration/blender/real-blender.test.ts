// Runs Debian's Blender for real on tiny scenes: Blender's ray-cast XYZ and mask agree with the built-in
// rasterizer (on object pixels) and with analytic ray–plane intersections; a 2-job run with other shards gives identical files.
// Skipped with GEOAD_SKIP_BLENDER=1; CI installs Blender and runs them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { diagnoseRenderers, renderWithExternal } from '../../../pipelines/synth/blender/index.js';
import type { ExternalRenderOptions, ExternalRenderTask } from '../../../pipelines/synth/blender/types.js';
import { buildRenderScene } from '../../../pipelines/synth/build-mesh.js';
import { rasterizeScene } from '../../../pipelines/synth/rasterize.js';
import { sampleScene } from '../../../pipelines/synth/sample-scene.js';
import type { RenderOutput } from '../../../pipelines/synth/types.js';
import { buildAnalyticScene, compareOutputs, formatAgreement, selectObjectPixels } from '../../unit/blender/analytic-scene.js';

const skip = process.env.GEOAD_SKIP_BLENDER === '1' ? 'GEOAD_SKIP_BLENDER=1' : false;
const dir = mkdtempSync(join(tmpdir(), 'geoad-real-blender-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const analytic = buildAnalyticScene(48);
const synthTasks: ExternalRenderTask[] = (['crack', 'dent'] as const).map((defect, i) => {
  const id = { category: i === 0 ? 'bagel' : 'cookie', split: 'test', defect, index: i } as const;
  return { key: `${id.category}/test/${defect}/00${i}`, scene: buildRenderScene(sampleScene(11, id, 64), { resolution: 64 }), seed: 100 + i };
});
const tasks: ExternalRenderTask[] = [{ key: 'analytic/test/crack/000', scene: analytic.scene, seed: 7 }, ...synthTasks];

async function render(subset: readonly ExternalRenderTask[], options: Partial<ExternalRenderOptions>): Promise<Map<string, RenderOutput>> {
  const outputs = new Map<string, RenderOutput>();
  const summary = await renderWithExternal(
    subset,
    { renderer: 'blender', jobs: 1, samples: 4, device: 'cpu', shardSize: 8, workDir: join(dir, 'work'), timeoutMs: 300_000, retries: 0, log: () => {}, ...options },
    async (key, output) => void outputs.set(key, output),
  );
  assert.deepEqual(summary.failedShards, []);
  assert.equal(summary.rendered, subset.length);
  return outputs;
}

let first: Map<string, RenderOutput> | undefined;

test('blender XYZ and mask agree with the built-in renderer and the analytic scene', { skip }, async (t) => {
  first = await render(tasks, {});
  for (const task of tasks) {
    const blender = first.get(task.key)!;
    const builtin = rasterizeScene(task.scene);
    // Measured on the object's pixels: the flat support plane agrees easily and would dilute errors on the object.
    const agreement = compareOutputs(blender, builtin, 0.001, selectObjectPixels(task.scene, builtin.faceIds));
    const report = `${task.key}: ${formatAgreement(agreement)}`;
    t.diagnostic(report);
    assert.ok(agreement.object.pixels > 300, `only ${agreement.object.pixels} object pixels; ${report}`);
    assert.ok(agreement.object.share >= 0.99, report);
    assert.ok(agreement.all.share >= 0.99, report);
    assert.ok(agreement.maskIou >= 0.98, report);
    assert.ok(blender.mask.some((v) => v === 255), `${task.key}: the anomaly is visible`);
    // RGB shows the object where XYZ does (allowing anti-aliased silhouette pixels).
    let dark = 0;
    for (let i = 0; i < blender.mask.length; i++) if (blender.xyz[i * 3 + 2] !== 0 && blender.rgb[i * 3] + blender.rgb[i * 3 + 1] + blender.rgb[i * 3 + 2] === 0) dark++;
    assert.ok(dark < blender.mask.length * 0.01, `${task.key}: ${dark} foreground pixels are black in RGB`);
  }
  const exact = compareOutputs(first.get('analytic/test/crack/000')!, analytic.expected, 0.0001);
  assert.ok(exact.all.share >= 0.999 && exact.maskIou >= 0.99, `analytic: ${formatAgreement(exact)}`);
});

test('a 2-job run with other shards gives the same XYZ and masks as the 1-job run, and the same RGB', { skip }, async () => {
  assert.ok(first, 'the first test rendered the set');
  // Two Blender processes side by side (each with half the CPU threads), one sample per shard.
  const again = await render(tasks, { shardSize: 1, jobs: 2 });
  assert.deepEqual([...again.keys()].sort(), [...first.keys()].sort());
  for (const task of tasks) {
    const a = first.get(task.key)!;
    const b = again.get(task.key)!;
    assert.deepEqual(Buffer.from(b.xyz.buffer), Buffer.from(a.xyz.buffer), `${task.key}: XYZ`);
    assert.deepEqual(b.mask, a.mask, `${task.key}: mask`);
    // Cycles on the CPU is deterministic for a fixed seed and sample count, whatever the thread count.
    assert.deepEqual(b.rgb, a.rgb, `${task.key}: RGB`);
  }
});

test('the doctor finds the installed Blender with numpy', { skip }, async () => {
  const blender = (await diagnoseRenderers()).find((d) => d.name === 'blender')!;
  assert.equal(blender.usable, true, blender.detail);
  assert.match(blender.version ?? '', /^\d+\.\d+/);
  assert.match(blender.detail, /numpy \d/);
});
