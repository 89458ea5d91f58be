// geoad infer through its entry function, and the pure anomaly-map step.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { UsageError } from '../../../orchestrator/util/errors.js';
import { readTiff } from '../../../pipelines/io/tiff.js';
import { buildAnomalyMap, infer, normalizeInferOptions, normalizeTrainOptions, resizeBilinearAligned, train } from '../../../pipelines/train/index.js';
import { DEFECT_CELLS, GEO_GRID, ORIGINAL, makeDatasetTree, removeTree, syntheticLoader, tinyOptions } from './fixture.js';

const root = makeDatasetTree({ train: 16, validation: 3, good: 3, defect: 3 });
const work = mkdtempSync(join(tmpdir(), 'geoad-infer-'));
after(() => {
  removeTree(root);
  rmSync(work, { recursive: true, force: true });
});

test('resizeBilinearAligned keeps corners and interpolates linearly', () => {
  const out = resizeBilinearAligned(Float32Array.from([0, 1, 2, 3]), 2, 2, 3, 3);
  assert.deepEqual(Array.from(out), [0, 0.5, 1, 1, 1.5, 2, 2, 2.5, 3]);
  assert.throws(() => resizeBilinearAligned(new Float32Array(3), 2, 2, 4, 4), /expected 2×2 values, got 3/);
});

test('buildAnomalyMap: original resolution, background zero, peak at the error', () => {
  const grid = 4;
  const distance = new Float32Array(16);
  distance[5] = 10;
  const foreground = new Uint8Array(16 * 16).fill(1);
  for (let x = 0; x < 16; x++) foreground[15 * 16 + x] = 0;
  const map = buildAnomalyMap({ distance, grid, cellMask: new Uint8Array(16).fill(1), foreground, size: 16, originalWidth: 31, originalHeight: 31 }, 1);
  assert.equal(map.length, 31 * 31);
  for (let x = 0; x < 31; x++) assert.equal(map[30 * 31 + x], 0, 'background row is not zero');
  let best = 0;
  for (let i = 1; i < map.length; i++) if (map[i] > map[best]) best = i;
  const [by, bx] = [Math.floor(best / 31), best % 31];
  assert.ok(Math.abs(by - 10) <= 2 && Math.abs(bx - 10) <= 2, `peak at ${by},${bx}`);
  const masked = buildAnomalyMap({ distance, grid, cellMask: new Uint8Array(16), foreground, size: 16, originalWidth: 16, originalHeight: 16 }, 0);
  assert.ok(masked.every((v) => v === 0), 'background cells must not score');
});

test('infer writes one float32 TIFF per test and validation image at the original size; defects score higher', async () => {
  const model = join(work, 'model');
  await train({ data: root, category: 'widget', out: model, backend: 'wasm', epochs: 15, lr: 0.01, ...tinyOptions }, { loader: syntheticLoader(), print: () => {} });
  const maps = join(work, 'maps');
  const result = await infer({ model, data: root, category: 'widget', out: maps, backend: 'wasm', sigma: 1, progress: 'off' }, { loader: syntheticLoader() });
  assert.equal(result.maps, 9);
  const maxInside = async (split: string, defect: string, id: string) => {
    const tiff = await readTiff(join(maps, 'widget', split, defect, `${id}.tiff`));
    assert.deepEqual([tiff.width, tiff.height, tiff.channels], [ORIGINAL.width, ORIGINAL.height, 1]);
    assert.equal(tiff.data[0], 0, 'corner (background) must score 0');
    // the defect patch in original pixels
    const sx = ORIGINAL.width / GEO_GRID;
    const sy = ORIGINAL.height / GEO_GRID;
    let inside = 0;
    for (let y = Math.ceil(DEFECT_CELLS.y0 * sy); y < DEFECT_CELLS.y1 * sy; y++) {
      for (let x = Math.ceil(DEFECT_CELLS.x0 * sx); x < DEFECT_CELLS.x1 * sx; x++) inside = Math.max(inside, tiff.data[y * tiff.width + x]);
    }
    return inside;
  };
  for (const id of ['000', '001', '002']) {
    const good = await maxInside('test', 'good', id);
    const bad = await maxInside('test', 'bump', id);
    assert.ok(bad > 2 * good, `sample ${id}: defect ${bad} vs good ${good}`);
    await maxInside('validation', 'good', id);
  }
  const again = join(work, 'maps2');
  await infer({ model, data: root, category: 'widget', out: again, backend: 'wasm', sigma: 1, progress: 'off' }, { loader: syntheticLoader() });
  assert.ok(readFileSync(join(maps, 'widget', 'test', 'bump', '001.tiff')).equals(readFileSync(join(again, 'widget', 'test', 'bump', '001.tiff'))), 'maps are not deterministic');
});

test('infer rejects a folder without a checkpoint and an unknown category', async () => {
  await assert.rejects(infer({ model: work, data: root, category: 'widget', out: join(work, 'x'), progress: 'off' }), (e: unknown) => e instanceof UsageError && /No checkpoint in/.test(e.message));
  await assert.rejects(infer({ model: join(work, 'model'), data: root, category: 'gear', out: join(work, 'x'), progress: 'off' }, { loader: syntheticLoader() }), /got `gear`; found `widget`/);
});

test('maps for another category than the model was trained on: one warning naming both', async () => {
  const gadgets = makeDatasetTree({ train: 2, validation: 1, good: 1, defect: 1 }, 'gadget');
  try {
    const lines: string[] = [];
    const result = await infer({ model: join(work, 'model'), data: gadgets, category: 'gadget', out: join(work, 'maps-gadget'), progress: 'off' }, { loader: syntheticLoader(), print: (l) => lines.push(l) });
    assert.equal(result.maps, 3);
    assert.deepEqual(lines, [`warning: the model ${join(work, 'model', 'checkpoints', 'epoch-015')} was trained on \`widget\`; writing maps for \`gadget\` with it`]);
  } finally {
    removeTree(gadgets);
  }
});

test('an --out that is a file, or below one, is refused before any work, naming --out', async () => {
  const file = join(work, 'a-file');
  writeFileSync(file, '');
  const notFolder = (path: string, where: string) => (e: unknown) => e instanceof UsageError && e.message === `Expected \`--out\` to be a folder, got \`${path}\`, ${where}`;
  // A model folder that does not exist: had the options passed, loading it would fail with another message.
  const options = { model: join(work, 'nope'), data: root, category: 'widget', progress: 'off' as const };
  await assert.rejects(infer({ ...options, out: file }), notFolder(file, 'a file'));
  await assert.rejects(infer({ ...options, out: join(file, 'maps') }), notFolder(join(file, 'maps'), `below the file ${file}`));
  assert.throws(() => normalizeTrainOptions({ data: root, category: 'widget', out: file }), notFolder(file, 'a file'));
});

test('--progress takes auto, plain or off; none is still accepted as off', () => {
  const options = { model: 'm', data: root, category: 'widget', out: join(work, 'x') };
  assert.equal(normalizeInferOptions({ ...options, progress: 'off' }).progress, 'off');
  assert.equal(normalizeInferOptions({ ...options, progress: 'none' }).progress, 'off');
  assert.equal(normalizeTrainOptions({ data: root, category: 'widget', out: join(work, 'x'), progress: 'none' }).progress, 'off');
  assert.throws(() => normalizeInferOptions({ ...options, progress: 'quiet' as 'off' }), /Expected `--progress` to be one of `auto`, `plain`, `off`, got `quiet`/);
});
