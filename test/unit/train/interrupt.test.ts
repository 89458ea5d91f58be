// Stopping train() and infer() through their signal (what Ctrl-C aborts): where they stop, what they say, what they
// leave, and how a re-run goes on. The real SIGINT is sent in test/integration/train/interrupt.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { InterruptedError } from '../../../orchestrator/util/interrupt.js';
import { infer, train, type SampleLoader } from '../../../pipelines/train/index.js';
import { makeDatasetTree, removeTree, syntheticLoader, tinyOptions } from './fixture.js';

const root = makeDatasetTree({ train: 12, validation: 3, good: 3, defect: 3 });
const work = mkdtempSync(join(tmpdir(), 'geoad-interrupt-'));
after(() => {
  removeTree(root);
  rmSync(work, { recursive: true, force: true });
});
const base = { data: root, category: 'widget', backend: 'cpu' as const, ...tinyOptions };
const events = (out: string) => readFileSync(join(out, 'train-log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; epoch?: number; step?: number });

// Aborts `controller` when the loader is asked for its `n`-th sample (1-based).
function abortingLoader(controller: AbortController, n: number): SampleLoader {
  let calls = 0;
  const load = syntheticLoader();
  return (ref) => {
    if (++calls === n) controller.abort();
    return load(ref);
  };
}

test('train stops before its next step, keeps the last checkpoint and says how to resume (exit 130)', async () => {
  const out = join(work, 'resumed');
  await train({ ...base, out, epochs: 2 }, { loader: syntheticLoader(), print: () => {} });
  const controller = new AbortController();
  // The first line is printed just before the first step: abort there.
  const error = await train({ ...base, out, epochs: 4, resume: true }, { loader: syntheticLoader(), print: () => controller.abort(), signal: controller.signal }).then(
    () => assert.fail('training was not interrupted'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof InterruptedError, String(error));
  assert.equal(error.exitCode, 130);
  assert.equal(error.message, `Interrupted at epoch 3 (step 7); last checkpoint: epoch 2 in ${out}; re-run with --resume to continue`);
  assert.deepEqual(readdirSync(join(out, 'checkpoints')), ['epoch-001', 'epoch-002']);
  assert.deepEqual(JSON.parse(readFileSync(join(out, 'checkpoint.json'), 'utf8')), { latest: join('checkpoints', 'epoch-002'), epoch: 2 });
  const last = events(out).at(-1)!;
  assert.deepEqual([last.event, last.epoch, last.step], ['interrupted', 3, 7]);
  assert.equal((JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { epochs: number }).epochs, 2, 'an interrupted run wrote its summary');
  assert.equal((await train({ ...base, out, epochs: 4, resume: true }, { loader: syntheticLoader(), print: () => {} })).epochs, 4);
});

test('train interrupted before any checkpoint, or while loading samples, says to start again', async () => {
  const controller = new AbortController();
  const fresh = join(work, 'fresh');
  await assert.rejects(
    train({ ...base, out: fresh, epochs: 2 }, { loader: syntheticLoader(), print: () => controller.abort(), signal: controller.signal }),
    (e: unknown) => e instanceof InterruptedError && e.message === 'Interrupted at epoch 1 (step 1); no checkpoint yet; re-run to start again',
  );
  const loading = new AbortController();
  await assert.rejects(
    train({ ...base, out: join(work, 'loading'), epochs: 2 }, { loader: abortingLoader(loading, 3), print: () => {}, signal: loading.signal }),
    (e: unknown) => e instanceof InterruptedError && e.message === 'Interrupted while loading samples; no checkpoint yet; re-run to start again',
  );
  assert.equal((await train({ ...base, out: fresh, epochs: 1 }, { loader: syntheticLoader(), print: () => {} })).epochs, 1);
});

test('infer stops between batches with N of M maps written; a re-run writes only the missing ones, byte-identical', async () => {
  const model = join(work, 'model');
  await train({ ...base, out: model, epochs: 2 }, { loader: syntheticLoader(), print: () => {} });
  const options = { model, data: root, category: 'widget', backend: 'cpu' as const, batchSize: 2, progress: 'off' as const };
  const straight = join(work, 'maps-straight');
  await infer({ ...options, out: straight }, { loader: syntheticLoader() });
  const maps = join(work, 'maps');
  const controller = new AbortController();
  // Asked for the 3rd sample (2nd batch): that batch is finished, the 3rd is not started.
  await assert.rejects(
    infer({ ...options, out: maps }, { loader: abortingLoader(controller, 3), signal: controller.signal }),
    (e: unknown) => e instanceof InterruptedError && e.exitCode === 130 && e.message === 'Interrupted: 4 of 9 maps written; re-run to finish',
  );
  const files = (dir: string) => readdirSync(join(dir, 'widget'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tiff')).sort();
  assert.equal(files(maps).length, 4);
  let loaded = 0;
  const counting: SampleLoader = (ref) => {
    loaded++;
    return syntheticLoader()(ref);
  };
  const lines: string[] = [];
  const result = await infer({ ...options, out: maps }, { loader: counting, print: (l) => lines.push(l) });
  assert.deepEqual([result.maps, result.skipped, loaded], [9, 4, 5]);
  assert.deepEqual(lines, [`4 of 9 maps already in ${join(maps, 'widget')} from this model; writing the other 5`]);
  assert.deepEqual(files(maps), files(straight));
  for (const f of files(maps)) assert.ok(readFileSync(join(maps, 'widget', f)).equals(readFileSync(join(straight, 'widget', f))), `${f} differs`);
});

test('maps written by another model or σ are not kept: all are written again', async () => {
  const model = join(work, 'model');
  const maps = join(work, 'maps');
  const options = { model, data: root, category: 'widget', out: maps, backend: 'cpu' as const, progress: 'off' as const };
  const lines: string[] = [];
  const again = await infer(options, { loader: syntheticLoader(), print: (l) => lines.push(l) });
  assert.equal(again.skipped, 9, 'the same model and σ keep all maps');
  assert.deepEqual(lines, [`all 9 maps already in ${join(maps, 'widget')} from this model; nothing to do`]);
  const before = readFileSync(join(maps, 'widget', 'test', 'bump', '001.tiff'));
  const smoother = await infer({ ...options, sigma: 2 }, { loader: syntheticLoader(), print: () => {} });
  assert.equal(smoother.skipped, 0);
  assert.ok(!readFileSync(join(maps, 'widget', 'test', 'bump', '001.tiff')).equals(before), 'a map of another σ was kept');
  const retrained = join(work, 'model-2');
  await train({ ...base, out: retrained, epochs: 1 }, { loader: syntheticLoader(), print: () => {} });
  assert.equal((await infer({ ...options, model: retrained, sigma: 2 }, { loader: syntheticLoader(), print: () => {} })).skipped, 0);
});
