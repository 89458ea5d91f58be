import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cachePath, loadOrPrepare, loadSampleData, prepareCacheKey } from '../../../pipelines/data/cache.js';
import { decodeCacheRecord, encodeCacheRecord } from '../../../pipelines/data/cache-record.js';
import { discoverDataset } from '../../../pipelines/data/discover.js';
import { readSampleFiles } from '../../../pipelines/data/read-sample.js';
import { encodeTiffFloat32 } from '../../../pipelines/io/tiff.js';
import { renderScene, writeMvtecTree } from './mvtec-fixture.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function setup() {
  const root = writeMvtecTree(['bagel']);
  const cache = mkdtempSync(join(tmpdir(), 'geoad-cache-'));
  dirs.push(root, cache);
  return { ref: discoverDataset(root).categories[0].groups[3].samples[0], cache };
}
const options = { prepare: { size: 32 }, features: { grid: 8 } };

test('a cache hit returns arrays identical to the computed ones', async () => {
  const { ref, cache } = setup();
  const first = await loadSampleData(ref, options, cache);
  assert.equal(first.preparedHit, false);
  assert.equal(first.featuresHit, false);
  const second = await loadSampleData(ref, options, cache);
  assert.equal(second.preparedHit, true);
  assert.equal(second.featuresHit, true);
  for (const key of ['rgb', 'xyz', 'gt', 'foreground'] as const) assert.deepEqual(second.prepared[key], first.prepared[key], key);
  assert.deepEqual(second.prepared.plane, first.prepared.plane);
  assert.deepEqual(second.features, first.features);
  assert.equal(second.features.channels, 39);
});

test('changing a parameter (or the input file) invalidates; unchanged ones still hit', async () => {
  const { ref, cache } = setup();
  await loadSampleData(ref, options, cache);
  const grid = await loadSampleData(ref, { ...options, features: { grid: 4 } }, cache);
  assert.equal(grid.preparedHit, true, 'a feature parameter leaves the preprocessing cache valid');
  assert.equal(grid.featuresHit, false);
  assert.equal(grid.features.grid, 4);
  const threshold = await loadSampleData(ref, { ...options, prepare: { size: 32, distanceThreshold: 0.004 } }, cache);
  assert.equal(threshold.preparedHit, false);
  assert.equal(threshold.featuresHit, false);
  const seed = await loadSampleData(ref, { ...options, prepare: { size: 32, seed: 3 } }, cache);
  assert.equal(seed.preparedHit, false);
  // Defaults spelled out hash like defaults left out.
  assert.equal((await loadSampleData(ref, { prepare: { size: 32, distanceThreshold: 0.005 }, features: { grid: 8, fpfhRadius: 'auto' } }, cache)).featuresHit, true);
  // Rewriting the xyz with other content invalidates.
  const scene = renderScene({ shift: 0.01 });
  writeFileSync(ref.xyzPath, encodeTiffFloat32({ width: 48, height: 40, channels: 3, data: scene.xyz }));
  assert.equal((await loadSampleData(ref, options, cache)).preparedHit, false);
});

test('a corrupt cache record is recomputed and rewritten, never an error', async () => {
  const { ref, cache } = setup();
  const first = await loadOrPrepare(ref, options.prepare, cache);
  const key = prepareCacheKey(ref, await readSampleFiles(ref), options.prepare);
  const path = cachePath(cache, 'prepared', ref, key);
  const size = statSync(path).size;
  writeFileSync(path, readFileSync(path).subarray(0, 100));
  const again = await loadSampleData(ref, options, cache);
  assert.equal(again.preparedHit, false);
  assert.deepEqual(again.prepared.xyz, first.xyz);
  assert.equal(statSync(path).size, size);
  // Atomic writes leave no temp files behind.
  const listing = readdirSync(join(cache, 'prepared', 'bagel', 'test', 'crack'));
  assert.ok(listing.every((f) => !f.startsWith('.tmp-')), listing.join(','));
  assert.ok(existsSync(path));
});

test('cache records round-trip and reject truncation', () => {
  const bytes = encodeCacheRecord({ key: 'k', n: 1 }, { a: Uint8Array.from([1, 2, 3]), b: Float32Array.from([0.5, -1, Number.NaN]) });
  const record = decodeCacheRecord(bytes, 'x.bin');
  assert.deepEqual(record.meta, { key: 'k', n: 1 });
  assert.deepEqual(record.arrays.a, Uint8Array.from([1, 2, 3]));
  assert.deepEqual(record.arrays.b, Float32Array.from([0.5, -1, Number.NaN]));
  assert.deepEqual(encodeCacheRecord({ key: 'k', n: 1 }, { a: Uint8Array.from([1, 2, 3]), b: Float32Array.from([0.5, -1, Number.NaN]) }), bytes);
  assert.throws(() => decodeCacheRecord(bytes.subarray(0, bytes.length - 8), 'x.bin'), /x\.bin: truncated cache array `b`/);
  assert.throws(() => decodeCacheRecord(new Uint8Array(5), 'y.bin'), /y\.bin: not a geoad cache record/);
});
