import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { DataError, UsageError } from '../../../orchestrator/util/errors.js';
import { prepareDataset } from '../../../pipelines/data/prepare-dataset.js';
import { writeMvtecTree } from '../../unit/data/mvtec-fixture.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'geoad-prep-'));
  dirs.push(d);
  return d;
};

// Every file below `dir` with its bytes, keyed by relative path.
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(dir, path), readFileSync(path).toString('base64'));
    }
  };
  walk(dir);
  return out;
}

const options = { prepare: { size: 32 }, features: { grid: 8 }, progress: false };

test('the cache is byte-identical for 0 (in-process) and 2 worker threads; a second run only hits', async () => {
  const root = writeMvtecTree(['bagel', 'cookie']);
  dirs.push(root);
  const inline = temp();
  const threaded = temp();
  const a = await prepareDataset({ root, cacheDir: inline, workers: 0, ...options });
  const b = await prepareDataset({ root, cacheDir: threaded, workers: 2, ...options });
  assert.equal(a.samples, 14);
  assert.equal(b.samples, 14);
  assert.equal(a.featuresHits, 0);
  const sa = snapshot(inline);
  assert.equal(sa.size, 28, 'one prepared and one features record per sample');
  assert.deepEqual(snapshot(threaded), sa);
  const again = await prepareDataset({ root, cacheDir: threaded, workers: 2, ...options });
  assert.equal(again.preparedHits, 14);
  assert.equal(again.featuresHits, 14);
});

test('a corrupt sample fails with an error naming the file; records already written stay', async () => {
  const root = writeMvtecTree(['bagel']);
  dirs.push(root);
  const cache = temp();
  await prepareDataset({ root, cacheDir: cache, workers: 0, categories: ['bagel'], splits: ['train'], ...options });
  const before = snapshot(cache);
  assert.equal(before.size, 6);
  const bad = join(root, 'bagel', 'test', 'crack', 'xyz', '001.tiff');
  writeFileSync(bad, readFileSync(bad).subarray(0, 100));
  for (const workers of [0, 2]) {
    await assert.rejects(
      prepareDataset({ root, cacheDir: cache, workers, ...options }),
      (e: unknown) => e instanceof DataError && e.file === bad && e.exitCode === 1 && e.message.startsWith(`${bad}: `),
    );
  }
  const afterFailure = snapshot(cache);
  for (const [path, bytes] of before) assert.equal(afterFailure.get(path), bytes, `${path} kept`);
});

test('invalid options are usage errors before any work', async () => {
  const root = writeMvtecTree(['bagel']);
  dirs.push(root);
  await assert.rejects(prepareDataset({ root, workers: -1 }), (e: unknown) => e instanceof UsageError && /`--workers`.*`-1`/.test(e.message));
  await assert.rejects(prepareDataset({ root, splits: ['tain' as never] }), /`--splits`.*`tain`/);
  // Named as `geoad data prepare` spells them; a grid finer than the prepared size is caught here, not per sample.
  await assert.rejects(prepareDataset({ root, prepare: { size: 4 } }), /`--size`/);
  await assert.rejects(prepareDataset({ root, features: { grid: 0 } }), /`--grid`/);
  await assert.rejects(prepareDataset({ root, prepare: { size: 32 }, features: { grid: 64 } }), /Expected `--grid` to be at most `--size` \(32\), got `64`/);
  await assert.rejects(prepareDataset({ root, progress: 'loud' as never }), /Expected `--progress` to be one of `auto`, `plain`, `off`/);
  assert.deepEqual(readdirSync(root).sort(), ['bagel', 'manifest.json'], 'nothing was written');
});
