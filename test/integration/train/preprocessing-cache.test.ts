// Train and infer prepare samples with the same options as `geoad data prepare`: a cache filled with non-default
// --distance-threshold/--largest-component/--seed/--fpfh-radius is hit (nothing recomputed) by a train run given the
// same values, and by infer, which takes them from the model; the values are recorded in the checkpoint.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { prepareDataset } from '../../../pipelines/data/prepare-dataset.js';
import { infer, loadCheckpoint, train } from '../../../pipelines/train/index.js';
import { writeMvtecTree } from '../../unit/data/mvtec-fixture.js';

const root = writeMvtecTree(['bagel']);
const work = mkdtempSync(join(tmpdir(), 'geoad-prep-train-'));
after(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});
const cache = join(root, '.geoad-cache');

// Cache files (relative path → modification time): a recomputed sample adds a file under another key.
function listCache(): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(cache, path), statSync(path).mtimeMs);
    }
  };
  walk(cache);
  return out;
}

const shapes = { imageSize: 32, visualGrid: 4, geometricGrid: 8, hidden: 8, attentionDim: 4, batchSize: 2, epochs: 1, backend: 'cpu' as const, progress: 'none' as const };
const preprocessing = { distanceThreshold: 0.004, largestComponent: true, prepareSeed: 7, fpfhRadius: 0.01 };

test('a cache filled by data prepare with non-default options is hit by train and infer with the same options', async () => {
  const prepared = await prepareDataset({
    root,
    workers: 0,
    progress: false,
    prepare: { size: 32, distanceThreshold: 0.004, keepLargestComponent: true, seed: 7 },
    features: { grid: 8, fpfhRadius: 0.01 },
  });
  assert.equal(prepared.featuresHits, 0);
  const before = listCache();
  assert.equal(before.size, 2 * prepared.samples);

  const lines: string[] = [];
  const model = join(work, 'model');
  await train({ data: root, category: 'bagel', out: model, ...shapes, ...preprocessing, workers: 1 }, { print: (line) => lines.push(line) });
  assert.ok(lines.includes(`cache ${cache}: 4 of 4 samples found, 0 computed on 1 worker thread(s)`), lines.join('\n'));
  assert.deepEqual(listCache(), before, 'train recomputed samples');
  const { spec } = (await loadCheckpoint(model)).meta;
  assert.deepEqual(spec.preprocessing, { distanceThreshold: 0.004, keepLargestComponent: true, seed: 7, fpfhRadius: 0.01 });

  // infer takes the options from the model (none are given here); 0 workers: the main-thread loader must hit too.
  const result = await infer({ model, data: root, category: 'bagel', out: join(work, 'maps'), backend: 'cpu', progress: 'none', workers: 0 }, { print: () => {} });
  assert.equal(result.maps, 4);
  assert.deepEqual(listCache(), before, 'infer recomputed samples');

  // The same run with the default options misses the cache (so the checks above can fail).
  await train({ data: root, category: 'bagel', out: join(work, 'defaults'), ...shapes, workers: 0 }, { print: () => {} });
  assert.ok(listCache().size > before.size, 'default options hit a cache filled with other options');
});
