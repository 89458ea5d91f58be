// `geoad synth --renderer blender` end to end with fake Blender executables (no Blender needed): a kill -9 in the
// middle of a shard followed by a resume, a hanging Blender stopped by --blender-timeout, and which options make
// an existing dataset be refused (device) or not (workers, jobs, shard size), with every option in the manifest.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { UsageError } from '../../../orchestrator/util/errors.js';
import { decodePng } from '../../../pipelines/io/png.js';
import { decodeTiff } from '../../../pipelines/io/tiff.js';
import { renderDataset, type SynthOptions } from '../../../pipelines/synth/index.js';
import { isAlive } from '../../helpers/process-alive.js';

const dir = mkdtempSync(join(tmpdir(), 'geoad-synth-fake-blender-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));

/** A `blender` executable that runs the fake with these environment variables. */
function fakeBlender(name: string, env: Record<string, string>): string {
  const path = join(dir, name);
  const vars = Object.entries(env).map(([k, v]) => `${k}='${v}'`).join(' ');
  writeFileSync(path, `#!/bin/sh\n${vars} exec "${process.execPath}" "${join(fixtures, 'fake-blender.mjs')}" "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

const pidFile = join(dir, 'pids');
const fast = fakeBlender('fast-blender', { FAKE_BLENDER_MODE: 'slow', FAKE_BLENDER_DELAY_MS: '0' });
const slow = fakeBlender('slow-blender', { FAKE_BLENDER_MODE: 'slow', FAKE_BLENDER_DELAY_MS: '400', FAKE_BLENDER_PIDS: pidFile });
const hanging = fakeBlender('hanging-blender', { FAKE_BLENDER_MODE: 'hang-keys', FAKE_BLENDER_HANG_KEYS: '/test/' });

const base: SynthOptions = {
  categories: ['tire'], defects: ['crack'], train: 2, validation: 1, test: 4, resolution: 32, seed: 9,
  renderer: 'blender', shardSize: 3, blenderJobs: 1, workers: 1, progress: 'off',
};

/** sha256 of every sample file (png/tiff) below `root`, by relative path; temp files included so leftovers show. */
function hashSamples(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.work') walk(path);
      } else if (entry.name !== 'manifest.json') out.set(relative(root, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(root);
  return out;
}

/** The CLI as a process, on the TypeScript sources (test/fixtures/geoad.ts does what bin/geoad.mjs does). */
const geoad = fileURLToPath(new URL('../../fixtures/geoad.ts', import.meta.url));
function runGeoad(...args: string[]): { code: number | null; out: string; err: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', geoad, ...args], { encoding: 'utf8' });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

/** The `geoad synth` flags of `options` (those these tests use). */
function toFlags(options: SynthOptions & { out: string; blender: string }): string[] {
  return [
    '--out', options.out, '--categories', options.categories!.join(','), '--defects', options.defects!.join(','),
    '--train', String(options.train), '--validation', String(options.validation), '--test', String(options.test),
    '--resolution', String(options.resolution), '--seed', String(options.seed ?? 0), '--renderer', 'blender', '--blender', options.blender,
    '--shard-size', String(options.shardSize), '--blender-jobs', String(options.blenderJobs), '--workers', String(options.workers), '--progress', 'off',
  ];
}


test('kill -9 in the middle of a Blender shard, then a resume: the set equals an uninterrupted run, no half-written sample', async () => {
  const reference = join(dir, 'reference');
  await renderDataset({ ...base, out: reference, blender: fast });
  const expected = hashSamples(reference);
  assert.equal(expected.size, 7 * 2 + 4);

  const out = join(dir, 'killed');
  const child = spawn(process.execPath, ['--import', 'tsx', geoad, 'synth', ...toFlags({ ...base, out, blender: slow })], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const done = () => (existsSync(out) ? [...hashSamples(out).keys()].filter((f) => f.includes('/rgb/') && !f.includes('.tmp-')).length : 0);
  // The first shard holds 3 samples at 400 ms each: kill once its first sample is written.
  for (let i = 0; i < 1200 && done() < 1; i++) await new Promise((r) => setTimeout(r, 25));
  child.kill('SIGKILL');
  await exited;
  const before = done();
  assert.ok(before >= 1 && before < 7, `killed after ${before} samples`);
  // Blender runs under a parent-death signal: it dies with geoad instead of rendering the rest of its shard
  // (≥ 800 ms of work left) into a scratch folder nobody reads.
  const pids = readFileSync(pidFile, 'utf8').trim().split('\n').map(Number);
  for (let i = 0; i < 12 && pids.some(isAlive); i++) await new Promise((r) => setTimeout(r, 25));
  assert.deepEqual(pids.filter(isAlive), [], 'no Blender outlives a killed geoad');
  const work = join(out, '.work');
  const stale = readdirSync(work).filter((name) => name.startsWith('.shard-'));
  assert.equal(stale.length, 1, 'kill -9 leaves the shard scratch folder behind');
  // Every file already in place is whole (atomic writes): it decodes.
  for (const file of hashSamples(out).keys()) {
    if (file.includes('.tmp-')) continue;
    const bytes = readFileSync(join(out, file));
    if (file.endsWith('.png')) decodePng(bytes, file);
    else await decodeTiff(bytes, file);
  }

  const resumed = await renderDataset({ ...base, out, blender: fast });
  assert.equal(resumed.rendered + resumed.skipped, 7);
  assert.ok(resumed.skipped >= before, `skipped ${resumed.skipped} of the ${before} finished`);
  assert.deepEqual(readdirSync(work).filter((name) => name.startsWith('.shard-')), [], 'the stale scratch folder is swept');
  assert.deepEqual(hashSamples(out), expected);
});

test('a hanging Blender fails its shard at --blender-timeout quoting its log (exit 1), keeps finished samples, and a re-run completes', () => {
  const out = join(dir, 'hang');
  const argv = ['synth', '--out', out, '--categories', 'tire', '--defects', 'crack', '--train', '2', '--validation', '1', '--test', '2', '--resolution', '32',
    '--renderer', 'blender', '--shard-size', '5', '--blender-jobs', '1', '--progress', 'off'];
  const started = Date.now();
  const first = runGeoad(...argv, '--blender', hanging, '--blender-timeout', '1');
  const seconds = (Date.now() - started) / 1000;
  assert.equal(first.code, 1, first.err);
  assert.match(first.err, /^geoad: 2 sample\(s\) in 1 Blender shard\(s\) failed/);
  assert.match(first.err, /timed out after 1\.0 s/);
  assert.match(first.err, /fake blender: hanging on tire\/test\/good\/000/, 'the end of the log is quoted');
  // Start-up, two attempts of ~1 s and a 1 s back-off; generous bound, not a speed check.
  assert.ok(seconds < 20, `took ${seconds} s`);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.deepEqual(manifest.samples.filter((s: { complete: boolean }) => s.complete).map((s: { key: string }) => s.key), ['tire/train/good/000', 'tire/train/good/001', 'tire/validation/good/000']);
  assert.equal(manifest.run.blenderTimeout, 1);
  assert.ok(existsSync(join(out, 'tire/validation/good/xyz/000.tiff')));
  assert.ok(!existsSync(join(out, 'tire/test/good/rgb/000.png')));
  const second = runGeoad(...argv, '--blender', fast);
  assert.equal(second.code, 0, second.err);
  assert.match(second.out, /Done: 5\/5 samples .*\(2 rendered now, 3 already there\)/);
});

test('the manifest records every option of the run; --device is part of the data config, workers and sharding are not', async () => {
  const out = join(dir, 'options');
  await renderDataset({ ...base, out, blender: fast, blenderTimeout: 30 });
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.deepEqual(manifest.run, { out, renderer: 'blender', workers: 1, device: 'cpu', samples: 64, blender: fast, blenderJobs: 1, shardSize: 3, blenderTimeout: 30 });
  assert.equal(manifest.config.device, 'cpu');
  const before = hashSamples(out);
  await assert.rejects(renderDataset({ ...base, out, blender: fast, device: 'cuda' }), (e: unknown) => e instanceof UsageError && /`device` differ.*--force/.test(e.message));
  // Other workers, jobs, shard size and timeout resume the same dataset (nothing to render) and are recorded.
  const again = await renderDataset({ ...base, out, blender: fast, workers: 2, blenderJobs: 2, shardSize: 1, blenderTimeout: 60 });
  assert.equal(again.rendered, 0);
  assert.deepEqual(hashSamples(out), before);
  const after = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.deepEqual([after.run.workers, after.run.blenderJobs, after.run.shardSize, after.run.blenderTimeout], [2, 2, 1, 60]);
  assert.deepEqual(after.config, manifest.config);
  // The built-in renderer does not use the device: it is no part of its data config.
  const builtin = join(dir, 'builtin');
  mkdirSync(builtin);
  await renderDataset({ ...base, renderer: 'builtin', out: builtin, train: 1, validation: 1, test: 2 });
  const resumed = await renderDataset({ ...base, renderer: 'builtin', out: builtin, train: 1, validation: 1, test: 2, device: 'optix', workers: 2 });
  assert.equal(resumed.rendered, 0);
});

