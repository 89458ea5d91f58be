import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadSampleData } from '../../../pipelines/data/cache.js';
import { discoverDataset, listSamples } from '../../../pipelines/data/discover.js';
import { inspectDataset } from '../../../pipelines/data/inspect.js';

test('discovers, checks and prepares the synthetic generator’s output; anomalies survive plane removal', async (t) => {
  let renderDataset: typeof import('../../../pipelines/synth/index.js').renderDataset;
  try {
    ({ renderDataset } = await import('../../../pipelines/synth/index.js'));
  } catch (error) {
    return t.skip(`skipped: the synthetic generator cannot be loaded (${(error as Error).message})`);
  }
  const out = mkdtempSync(join(tmpdir(), 'geoad-synth-data-'));
  try {
    await renderDataset({ out, train: 2, validation: 2, test: 6, defects: ['dent', 'bump'], resolution: 64, workers: 1, progress: 'off', categories: ['bagel', 'tire'] });
    const index = discoverDataset(out);
    assert.deepEqual(index.categories.map((c) => c.name), ['bagel', 'tire']);
    for (const category of index.categories) {
      assert.deepEqual([...new Set(category.groups.map((g) => g.split))], ['train', 'validation', 'test']);
      assert.ok(category.defectTypes.length > 0);
    }
    const report = await inspectDataset({ root: out, progress: false });
    assert.deepEqual(report.problems, []);
    const cache = join(out, '.geoad-cache');
    for (const ref of listSamples(index)) {
      const { prepared, features } = await loadSampleData(ref, { prepare: { size: 64 }, features: { grid: 16 } }, cache);
      const pixels = prepared.foreground.length;
      const fg = prepared.foreground.reduce((s, v) => s + v, 0) / pixels;
      assert.ok(fg > 0.05 && fg < 0.9, `${ref.xyzPath}: foreground fraction ${fg}`);
      let gt = 0, kept = 0;
      for (let p = 0; p < pixels; p++) if (prepared.gt[p]) { gt++; kept += prepared.foreground[p]; }
      if (ref.defect !== 'good') assert.ok(gt > 0 && kept / gt >= 0.9, `${ref.xyzPath}: ${kept}/${gt} anomalous pixels kept`);
      assert.ok(features.foreground.some((v) => v === 1));
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
