// The real chain on a tiny rendered set: geoad synth → data layer (cache) → train → infer → eval.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { evaluate } from '../../../pipelines/eval/index.js';
import { readTiff } from '../../../pipelines/io/tiff.js';
import { renderDataset } from '../../../pipelines/synth/index.js';
import { infer, train } from '../../../pipelines/train/index.js';

const work = mkdtempSync(join(tmpdir(), 'geoad-chain-'));
after(() => rmSync(work, { recursive: true, force: true }));

test('synth → train → infer → eval on a 64-pixel set', async () => {
  const data = join(work, 'data');
  await renderDataset({ out: data, train: 6, validation: 2, test: 4, defects: ['dent', 'bump', 'crack'], resolution: 64, categories: ['bagel'], workers: 1, progress: 'off', seed: 3 });
  const model = join(work, 'model');
  const shapes = { imageSize: 64, visualGrid: 8, geometricGrid: 16, hidden: 16, attentionDim: 8, batchSize: 3 };
  const trained = await train({ data, category: 'bagel', out: model, backend: 'wasm', epochs: 2, progress: 'none', ...shapes }, { print: () => {} });
  assert.equal(trained.epochs, 2);
  assert.ok(Number.isFinite(trained.finalLoss));
  assert.ok(existsSync(join(data, '.geoad-cache')), 'the data layer cache was not used');
  const maps = join(work, 'maps');
  const inferred = await infer({ model, data, category: 'bagel', out: maps, backend: 'wasm', progress: 'none' });
  assert.equal(inferred.maps, 6);
  const first = await readTiff(join(maps, 'bagel', 'validation', 'good', '000.tiff'));
  assert.deepEqual([first.width, first.height, first.channels], [64, 64, 1]);
  const result = await evaluate({ mapsDir: maps, dataRoot: data, categories: ['bagel'], progress: false, workers: 1 });
  const metrics = result.categories[0];
  assert.equal(metrics.counts.testImages, 4);
  assert.ok(metrics.iAuroc >= 0 && metrics.iAuroc <= 1);
  assert.ok(metrics.aupro['0.3'] >= 0 && metrics.aupro['0.3'] <= 1);
});
