// Packed meshes, job files, command lines and the generated Python scripts (bpy and BlenderProc).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildRenderCommand } from '../../../pipelines/synth/blender/command.js';
import { buildShardJob, roughnessFromShininess, samplePathsFor, toCyclesSeed } from '../../../pipelines/synth/blender/job-file.js';
import { packMesh, validateRenderScene } from '../../../pipelines/synth/blender/mesh-file.js';
import { splitIntoShards, validateExternalRender } from '../../../pipelines/synth/blender/render-external.js';
import { generateRenderScript } from '../../../pipelines/synth/blender/script.js';
import type { ExternalRenderOptions } from '../../../pipelines/synth/blender/types.js';
import { buildAnalyticScene } from './analytic-scene.js';

const { scene } = buildAnalyticScene(16, 4);

test('packMesh lays out little-endian sections that read back exactly', () => {
  const { layout, bytes } = packMesh(scene.mesh);
  const view = new DataView(bytes.buffer);
  const n = scene.mesh.positions.length / 3;
  const m = scene.mesh.indices.length / 3;
  assert.equal(layout.vertexCount, n);
  assert.equal(layout.faceCount, m);
  assert.equal(bytes.length % 4, 0);
  assert.equal(view.getFloat32(layout.positions + 4 * 5, true), scene.mesh.positions[5]);
  assert.equal(view.getFloat32(layout.colors + 4 * 7, true), scene.mesh.colors[7]);
  assert.equal(view.getUint32(layout.indices + 4 * (3 * m - 1), true), scene.mesh.indices[3 * m - 1]);
  assert.deepEqual(bytes.subarray(layout.faceLabels, layout.faceLabels + m), scene.mesh.faceLabels);
  assert.deepEqual(bytes.subarray(layout.faceMaterials, layout.faceMaterials + m), scene.mesh.faceMaterials);
});

test('validateRenderScene names the sample and the broken field', () => {
  const bad = { ...scene, mesh: { ...scene.mesh, positions: scene.mesh.positions.map((v, i) => (i === 4 ? Number.NaN : v)) } };
  assert.throws(() => validateRenderScene('cat/test/crack/001', bad), /Sample cat\/test\/crack\/001: .*mesh\.positions\[4\] is NaN/);
  const outOfRange = { ...scene, mesh: { ...scene.mesh, indices: scene.mesh.indices.map((v, i) => (i === 0 ? 99999 : v)) } };
  assert.throws(() => validateRenderScene('k', outOfRange), /mesh\.indices\[0\] = 99999 is not below the vertex count/);
  const material = { ...scene, materials: scene.materials.slice(0, 1) };
  assert.throws(() => validateRenderScene('k', material), /faceMaterials\[\d+\] = 1 but the scene has 1 materials/);
});

test('validateExternalRender rejects bad options with the option name', () => {
  const options: ExternalRenderOptions = { renderer: 'blender', jobs: 1, samples: 16, device: 'cpu', shardSize: 8, workDir: '/tmp/x', timeoutMs: 1000, retries: 0, log: () => {} };
  assert.throws(() => validateExternalRender([], { ...options, jobs: 0 }), /Expected `--blender-jobs` to be an integer from 1 to 256, got `0`/);
  assert.throws(() => validateExternalRender([], { ...options, device: 'metal' as never }), /Expected `--device` to be one of/);
  const task = { key: 'a', scene, seed: 1 };
  assert.throws(() => validateExternalRender([task, task], options), /Sample key a appears twice/);
  const skewed = { ...scene, camera: { ...scene.camera, fy: scene.camera.fx * 1.1 } };
  assert.throws(() => validateExternalRender([{ key: 'b', scene: skewed, seed: 1 }], options), /square pixels/);
  assert.doesNotThrow(() => validateExternalRender([{ key: 'b', scene: skewed, seed: 1 }], { ...options, renderer: 'blenderproc' }));
});

test('shards keep task order and stable ids whatever the job count', () => {
  const tasks = Array.from({ length: 7 }, (_, i) => ({ key: `k${i}`, scene, seed: i }));
  const shards = splitIntoShards(tasks, 3);
  assert.deepEqual(shards.map((s) => s.id), ['shard-k0', 'shard-k3', 'shard-k6']);
  assert.equal(splitIntoShards([{ key: 'bagel/test/crack/000', scene, seed: 1 }], 4)[0].id, 'shard-bagel-test-crack-000');
  assert.deepEqual(shards.map((s) => s.tasks.map((t) => t.key)), [['k0', 'k1', 'k2'], ['k3', 'k4', 'k5'], ['k6']]);
});

test('the job file carries camera, lights, materials (with roughness), seed and output paths', () => {
  const paths = [samplePathsFor('/w/s', 0, 'png')];
  const job = buildShardJob('shard-0000', [{ key: 'a/1', scene, seed: 42 }], [packMesh(scene.mesh).layout], paths, { samples: 16, device: 'cpu', threads: 2, rgbFormat: 'png' });
  assert.equal(job.threads, 2);
  assert.equal(job.items[0].seed, 42);
  assert.equal(toCyclesSeed(2 ** 40), 2 ** 40 % 2147483647);
  assert.equal(toCyclesSeed(-1), 2147483646);
  assert.deepEqual(job.items[0].camera, scene.camera);
  assert.deepEqual(job.items[0].lights, scene.lights);
  assert.equal(job.items[0].outputs.rgb, '/w/s/out/0000.rgb.png');
  assert.equal(job.items[0].materials[1].name, 'plane');
  assert.ok(Math.abs(roughnessFromShininess(0) - 1) < 1e-12);
  assert.ok(roughnessFromShininess(100) < roughnessFromShininess(10));
});

test('command lines: blender with --python-exit-code, blenderproc with the custom path before the script', () => {
  assert.deepEqual(buildRenderCommand({ renderer: 'blender', scriptPath: 's.py', jobPath: 'j.json' }), {
    file: 'blender', args: ['-b', '--factory-startup', '--python-exit-code', '1', '-P', 's.py', '--', '--job', 'j.json'],
  });
  assert.deepEqual(buildRenderCommand({ renderer: 'blenderproc', blenderPath: '/opt/b/blender', scriptPath: 's.py', jobPath: 'j.json' }), {
    file: 'blenderproc', args: ['run', '--custom-blender-path', '/opt/b/blender', 's.py', '--', '--job', 'j.json'],
  });
});

test('both generated scripts are valid Python (py_compile)', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'geoad-blender-script-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const renderer of ['blender', 'blenderproc'] as const) {
    const file = join(dir, `${renderer}.py`);
    writeFileSync(file, generateRenderScript(renderer));
    execFileSync('/usr/bin/python3', ['-m', 'py_compile', file]);
  }
});

test('the BlenderProc script imports blenderproc first and uses only the API calls it needs', () => {
  const script = generateRenderScript('blenderproc');
  assert.equal(script.split('\n')[0], 'import blenderproc as bproc');
  const calls = [...new Set([...script.matchAll(/\bbproc\.([\w.]+)\s*\(/g)].map((m) => m[1]))].sort();
  assert.deepEqual(calls, [
    'camera.add_camera_pose', 'camera.set_intrinsics_from_K_matrix', 'init',
    'math.change_source_coordinate_frame_of_transformation_matrix', 'object.create_from_blender_mesh',
    'object.get_all_mesh_objects', 'renderer.render', 'renderer.set_cpu_threads', 'renderer.set_denoiser', 'renderer.set_max_amount_of_samples',
    'renderer.set_noise_threshold', 'renderer.set_render_devices', 'renderer.set_world_background', 'types.Light',
    'utility.reset_keyframes',
  ]);
  // No scene logic in Python: no random numbers, no geometry generation.
  assert.doesNotMatch(script, /\brandom\b|primitive_|create_primitive/);
});

test('the bpy script reads everything from the job file and is deterministic', () => {
  const a = generateRenderScript('blender');
  assert.equal(a, generateRenderScript('blender'));
  assert.match(a, /cycles\.seed = int\(item\['seed'\]\)/);
  assert.doesNotMatch(a, /\bimport random\b|primitive_/);
  assert.doesNotMatch(a, /\{\{|\}\}/);
});
