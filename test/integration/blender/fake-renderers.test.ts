// Fault handling with fake `blender` / `blenderproc` executables on PATH: crashes, hangs, partial output,
// retries, resume of the unfinished samples, and the exact command lines built.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, test } from 'node:test';
import { describeBlender, parseBlenderProbe } from '../../../pipelines/synth/blender/doctor.js';
import { diagnoseRenderers, renderWithExternal } from '../../../pipelines/synth/blender/index.js';
import type { ExternalRenderOptions, ExternalRenderTask } from '../../../pipelines/synth/blender/types.js';
import type { RenderOutput } from '../../../pipelines/synth/types.js';
import { buildAnalyticScene } from '../../unit/blender/analytic-scene.js';

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const { scene } = buildAnalyticScene(8, 2);
const tasks: ExternalRenderTask[] = Array.from({ length: 5 }, (_, i) => ({ key: `fake/test/good/${String(i).padStart(3, '0')}`, scene, seed: i }));
let dir = '';
let savedPath = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'geoad-fake-blender-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const [name, fixture] of [['blender', 'fake-blender.mjs'], ['blenderproc', 'fake-blenderproc.mjs']]) {
    writeFileSync(join(bin, name), `#!/bin/sh\nexec "${process.execPath}" "${join(fixtures, fixture)}" "$@"\n`);
    chmodSync(join(bin, name), 0o755);
  }
  savedPath = process.env.PATH ?? '';
  process.env.PATH = `${bin}:${savedPath}`;
  process.env.FAKE_BLENDER_ARGS = join(dir, 'args.jsonl');
});

afterEach(() => {
  process.env.PATH = savedPath;
  for (const key of ['FAKE_BLENDER_MODE', 'FAKE_BLENDER_ARGS', 'FAKE_BLENDER_STATE', 'FAKE_BLENDER_FAILURES']) delete process.env[key];
  rmSync(dir, { recursive: true, force: true });
});

function optionsFor(overrides: Partial<ExternalRenderOptions> = {}): ExternalRenderOptions & { lines: string[] } {
  const lines: string[] = [];
  return { renderer: 'blender', jobs: 2, samples: 4, device: 'cpu', shardSize: 2, workDir: join(dir, 'work'), timeoutMs: 20_000, retries: 0, log: (l) => lines.push(l), lines, ...overrides };
}

function collect(): { outputs: Map<string, RenderOutput>; onRendered: (key: string, output: RenderOutput) => Promise<void> } {
  const outputs = new Map<string, RenderOutput>();
  return { outputs, onRendered: async (key, output) => void outputs.set(key, output) };
}

const leftovers = (workDir: string) => readdirSync(workDir).filter((name) => name !== 'logs');

test('a healthy fake blender on PATH renders every sample and removes its temp folders', async () => {
  const { outputs, onRendered } = collect();
  const options = optionsFor();
  const summary = await renderWithExternal(tasks, options, onRendered);
  assert.deepEqual(summary, { rendered: 5, failedShards: [] });
  assert.deepEqual([...outputs.keys()].sort(), tasks.map((t) => t.key));
  const out = outputs.get('fake/test/good/003')!;
  assert.equal(out.rgb[0], 11); // index 1 within its shard
  assert.ok(Math.abs(out.xyz[2] - 0.501) < 1e-6);
  assert.deepEqual(leftovers(options.workDir), []);
  const args = readFileSync(join(dir, 'args.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
  assert.equal(args.length, 3);
  assert.deepEqual(args[0].slice(0, 5), ['-b', '--factory-startup', '--python-exit-code', '1', '-P']);
  assert.deepEqual(args[0].slice(6, 8), ['--', '--job']);
});

test('a blender that exits 1 fails its shards with the log tail quoted; a re-run completes the set', async () => {
  process.env.FAKE_BLENDER_MODE = 'exit1';
  const first = collect();
  const options = optionsFor();
  const summary = await renderWithExternal(tasks, options, first.onRendered);
  assert.equal(summary.rendered, 0);
  assert.deepEqual(summary.failedShards.map((f) => f.shard), ['shard-fake-test-good-000', 'shard-fake-test-good-002', 'shard-fake-test-good-004']);
  const message = summary.failedShards[0].message;
  assert.match(message, /^Shard shard-fake-test-good-000 failed \(exited with code 1\)/);
  assert.match(message, /RuntimeError: fake failure on purpose/);
  assert.match(message, /log: .*logs\/shard-fake-test-good-000\.log/);
  assert.match(readFileSync(join(options.workDir, 'logs', 'shard-fake-test-good-000.log'), 'utf8'), /fake failure on purpose/);
  assert.equal(first.outputs.size, 0);
  assert.deepEqual(leftovers(options.workDir), []);
  process.env.FAKE_BLENDER_MODE = 'ok';
  const second = collect();
  const again = await renderWithExternal(tasks, options, second.onRendered);
  assert.deepEqual(again, { rendered: 5, failedShards: [] });
});

test('a crash after the first sample keeps that sample and retries only the rest', async () => {
  process.env.FAKE_BLENDER_MODE = 'crash-after-first';
  const { outputs, onRendered } = collect();
  const summary = await renderWithExternal(tasks, optionsFor({ jobs: 1 }), onRendered);
  // Each shard renders its first sample; the second of shards 0 and 1 fails.
  assert.deepEqual([...outputs.keys()], ['fake/test/good/000', 'fake/test/good/002', 'fake/test/good/004']);
  assert.equal(summary.rendered, 3);
  assert.deepEqual(summary.failedShards.map((f) => f.keys), [['fake/test/good/001'], ['fake/test/good/003']]);
});

test('a hanging blender is killed at the timeout and reported as timed out', async () => {
  process.env.FAKE_BLENDER_MODE = 'hang';
  const { outputs, onRendered } = collect();
  const started = Date.now();
  const summary = await renderWithExternal(tasks.slice(0, 1), optionsFor({ timeoutMs: 1500 }), onRendered);
  const elapsed = Date.now() - started;
  assert.equal(outputs.size, 0);
  assert.equal(summary.failedShards.length, 1);
  assert.match(summary.failedShards[0].message, /failed \(timed out after 1\.5 s\)/);
  assert.match(summary.failedShards[0].message, /Sample 1\/64/);
  // The fake ignores SIGTERM, so SIGKILL follows after the grace period; generous bound, not a speed check.
  assert.ok(elapsed < 30_000, `took ${elapsed} ms`);
});

test('short output fails the shard without handing over a corrupt sample', async () => {
  process.env.FAKE_BLENDER_MODE = 'partial';
  const { outputs, onRendered } = collect();
  const summary = await renderWithExternal(tasks.slice(0, 2), optionsFor(), onRendered);
  assert.deepEqual([...outputs.keys()], ['fake/test/good/000']);
  assert.equal(summary.failedShards.length, 1);
  assert.match(summary.failedShards[0].message, /bad output: .*0001\.xyz\.f32: XYZ output has 384 bytes, expected 768/);
});

test('retries with backoff recover a flaky renderer', async () => {
  process.env.FAKE_BLENDER_MODE = 'flaky';
  process.env.FAKE_BLENDER_STATE = join(dir, 'state');
  process.env.FAKE_BLENDER_FAILURES = '1';
  const { outputs, onRendered } = collect();
  const options = optionsFor({ retries: 1, shardSize: 5, jobs: 1 });
  const summary = await renderWithExternal(tasks, options, onRendered);
  assert.deepEqual(summary, { rendered: 5, failedShards: [] });
  assert.equal(outputs.size, 5);
  assert.ok(options.lines.some((l) => /retrying 5 sample\(s\) in 1\.0 s \(attempt 2 of 2\)/.test(l)));
  assert.equal(readFileSync(process.env.FAKE_BLENDER_STATE, 'utf8'), '2');
});

test('a failing onRendered stops rendering and rejects (not retried as a renderer fault)', async () => {
  await assert.rejects(
    renderWithExternal(tasks, optionsFor({ retries: 2 }), async () => {
      throw new Error('disk full');
    }),
    /Handling the rendered sample fake\/test\/good\/00\d failed: disk full/,
  );
});

test('a missing blender executable gives a clear failure', async () => {
  const summary = await renderWithExternal(tasks.slice(0, 1), optionsFor({ blenderPath: join(dir, 'no-such-blender') }), async () => {});
  assert.match(summary.failedShards[0].message, /cannot start `.*no-such-blender`: not found/);
});

test('the fake blenderproc on PATH receives run [--custom-blender-path] script -- --job job and raw RGB is read', async () => {
  const { outputs, onRendered } = collect();
  const summary = await renderWithExternal(tasks.slice(0, 2), optionsFor({ renderer: 'blenderproc', blenderPath: '/opt/blender-3.4/blender' }), onRendered);
  assert.deepEqual(summary, { rendered: 2, failedShards: [] });
  assert.equal(outputs.get('fake/test/good/001')!.rgb[5], 11);
  const args = JSON.parse(readFileSync(join(dir, 'args.jsonl'), 'utf8').trim()) as string[];
  assert.deepEqual(args.slice(0, 3), ['run', '--custom-blender-path', '/opt/blender-3.4/blender']);
  assert.match(args[3], /render\.py$/);
  assert.deepEqual([args[4], args[5]], ['--', '--job']);
  assert.match(args[6], /job\.json$/);
  assert.ok(!existsSync(args[6]), 'the shard temp folder is removed');
});

test('cancelling through the signal stops the running shard and rejects with exit code 130', async () => {
  process.env.FAKE_BLENDER_MODE = 'hang';
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('Ctrl-C')), 300);
  await assert.rejects(renderWithExternal(tasks.slice(0, 2), optionsFor({ signal: controller.signal, retries: 3 }), async () => {}), (error: Error & { exitCode?: number }) => {
    assert.match(error.message, /cancelled after 0 of 2 sample\(s\): Ctrl-C/);
    assert.equal(error.exitCode, 130);
    return true;
  });
});

test('diagnoseRenderers explains a missing blender and finds blenderproc on PATH', async () => {
  const found = await diagnoseRenderers({ blenderPath: join(dir, 'no-such-blender') });
  assert.deepEqual(found.map((d) => [d.name, d.usable]), [['builtin', true], ['blender', false], ['blenderproc', true]]);
  assert.match(found[1].detail, /could not be run as .*no-such-blender.* \(no such file\)/);
  assert.equal(found[2].version, '2.8.0');
});

test('the doctor reads a Blender probe and says plainly what is missing', () => {
  const ok = parseBlenderProbe('Blender 3.4.1\nGEOAD_NUMPY 1.24.2\nGEOAD_PYTHON 3.11.2\n\nBlender quit\n');
  assert.deepEqual(ok, { version: '3.4.1', numpy: '1.24.2', numpyProblem: undefined, python: '3.11.2' });
  assert.equal(describeBlender('blender', ok).usable, true);
  const noNumpy = describeBlender('blender', parseBlenderProbe("Blender 3.4.1\nGEOAD_NO_NUMPY ModuleNotFoundError(\"No module named 'numpy'\")\nGEOAD_PYTHON 3.11.2\n"));
  assert.equal(noNumpy.usable, false);
  assert.match(noNumpy.detail, /cannot import numpy .*No module named 'numpy'.*python3-numpy/);
  assert.match(describeBlender('blender', parseBlenderProbe('Blender 2.93.1\nGEOAD_NUMPY 1.2\n')).detail, /too old/);
});
