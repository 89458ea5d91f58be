// A `geoad synth` interrupted part-way leaves complete samples only (atomic writes), so its folders look like a whole,
// smaller dataset; its manifest lists the pending samples. Every consumer of the data layer must refuse it, and
// `geoad data inspect` must list it as a problem.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DataError } from '../../../orchestrator/util/errors.js';
import { discoverDataset } from '../../../pipelines/data/discover.js';
import { inspectDataset } from '../../../pipelines/data/inspect.js';
import { prepareDataset } from '../../../pipelines/data/prepare-dataset.js';

test('an interrupted synthetic set is refused by discovery and prepare, and listed by inspect', async (t) => {
  let renderDataset: typeof import('../../../pipelines/synth/index.js').renderDataset;
  try {
    ({ renderDataset } = await import('../../../pipelines/synth/index.js'));
  } catch (error) {
    return t.skip(`skipped: the synthetic generator cannot be loaded (${(error as Error).message})`);
  }
  const out = mkdtempSync(join(tmpdir(), 'geoad-synth-interrupted-'));
  try {
    // Ctrl-C as `geoad synth` gets it: the signal aborts at the first progress line; samples in flight finish.
    const controller = new AbortController();
    const stream = { isTTY: false, write: () => (controller.abort(), true) } as unknown as NodeJS.WriteStream;
    const summary = await renderDataset({ out, train: 40, validation: 2, test: 6, defects: ['dent', 'bump'], resolution: 32, workers: 1, progress: 'plain', categories: ['bagel'], signal: controller.signal, stream });
    assert.equal(summary.interrupted, true);
    const manifest = join(out, 'manifest.json');
    const incomplete = (e: unknown) => e instanceof DataError && e.file === manifest && /synthetic set incomplete: \d+ of 48 samples done; re-run geoad synth with the same options to finish$/.test(e.message);
    assert.throws(() => discoverDataset(out), incomplete);
    await assert.rejects(prepareDataset({ root: out, progress: 'off', workers: 0 }), incomplete);
    const report = await inspectDataset({ root: out, progress: 'off' });
    assert.match(report.problems[0], /manifest\.json: synthetic set incomplete: /);
    assert.ok(report.rows.length > 0, 'the samples written are still listed');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
