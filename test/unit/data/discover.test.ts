import assert from 'node:assert/strict';
import { mkdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DataError, UsageError } from '../../../orchestrator/util/errors.js';
import { checkDatasetRoot, discoverDataset, listSamples, scanDataset } from '../../../pipelines/data/discover.js';
import { writeMvtecTree, writeSynthManifest } from './mvtec-fixture.js';

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
const tree = (...args: Parameters<typeof writeMvtecTree>) => {
  const root = writeMvtecTree(...args);
  roots.push(root);
  return root;
};

test('discovers categories, splits, defect types and samples in order', () => {
  const root = tree(['cookie', 'bagel']);
  mkdirSync(join(root, '.geoad-cache', 'prepared'), { recursive: true }); // hidden: skipped
  const index = discoverDataset(root);
  assert.deepEqual(index.categories.map((c) => c.name), ['bagel', 'cookie']);
  const bagel = index.categories[0];
  assert.deepEqual(bagel.groups.map((g) => `${g.split}/${g.defect}:${g.samples.length}`), ['train/good:3', 'validation/good:1', 'test/good:1', 'test/crack:2']);
  assert.deepEqual(bagel.defectTypes, ['crack']);
  const crack = bagel.groups[3].samples[1];
  assert.equal(crack.id, '001');
  assert.equal(crack.xyzPath, join(root, 'bagel', 'test', 'crack', 'xyz', '001.tiff'));
  assert.equal(crack.gtPath, join(root, 'bagel', 'test', 'crack', 'gt', '001.png'));
  assert.equal(bagel.groups[0].samples[0].gtPath, undefined);
  assert.equal(listSamples(index).length, 14);
  assert.equal(listSamples(index, { splits: ['test'] }).length, 6);
});

test('filters categories and rejects unknown ones with a usage error naming them', () => {
  const root = tree(['bagel', 'cookie']);
  assert.deepEqual(discoverDataset(root, { categories: ['cookie'] }).categories.map((c) => c.name), ['cookie']);
  assert.throws(() => discoverDataset(root, { categories: ['tire'] }), (e: unknown) => e instanceof UsageError && /^Expected `--category` .*`tire`.*`bagel`, `cookie`/.test(e.message));
  // The message names the option the caller's command uses.
  assert.throws(() => discoverDataset(root, { categories: ['tire'], categoryOption: '--categories' }), (e: unknown) => e instanceof UsageError && /^Expected `--categories` /.test(e.message));
});

test('a missing root is a usage error naming the path', () => {
  assert.throws(() => discoverDataset('/nonexistent/geoad-root'), (e: unknown) => e instanceof UsageError && e.message.includes('/nonexistent/geoad-root'));
});

test('an empty category is an error naming its folder', () => {
  const root = tree(['bagel']);
  mkdirSync(join(root, 'empty', 'train', 'good', 'rgb'), { recursive: true });
  assert.throws(() => discoverDataset(root), (e: unknown) => e instanceof DataError && e.file === join(root, 'empty') && /empty category/.test(e.message));
});

test('an anomalous test sample without gt is an error naming the expected gt file', () => {
  const root = tree(['bagel']);
  unlinkSync(join(root, 'bagel', 'test', 'crack', 'gt', '001.png'));
  assert.throws(() => discoverDataset(root), (e: unknown) => e instanceof DataError && e.file === join(root, 'bagel', 'test', 'crack', 'gt', '001.png'));
});

test('an rgb without xyz (and an xyz without rgb) is an error naming the missing file', () => {
  const root = tree(['bagel']);
  unlinkSync(join(root, 'bagel', 'train', 'good', 'xyz', '002.tiff'));
  assert.throws(() => discoverDataset(root), (e: unknown) => e instanceof DataError && e.file.endsWith(join('train', 'good', 'xyz', '002.tiff')) && /missing xyz/.test(e.message));
  const other = tree(['bagel']);
  writeFileSync(join(other, 'bagel', 'train', 'good', 'xyz', '009.tiff'), 'x');
  assert.throws(() => discoverDataset(other), (e: unknown) => e instanceof DataError && e.file.endsWith(join('rgb', '009.png')));
});

test('scanDataset lists samples with a missing rgb/xyz/gt as problems and keeps the rest', () => {
  const root = tree(['bagel']);
  const xyz = join(root, 'bagel', 'train', 'good', 'xyz', '002.tiff');
  const gt = join(root, 'bagel', 'test', 'crack', 'gt', '001.png');
  unlinkSync(xyz);
  unlinkSync(gt);
  const { index, problems } = scanDataset(root);
  assert.deepEqual(problems.map((p) => [p.error.file, p.group]), [
    [xyz, { category: 'bagel', split: 'train', defect: 'good' }],
    [gt, { category: 'bagel', split: 'test', defect: 'crack' }],
  ]);
  assert.match(problems[0].error.message, /missing xyz point cloud/);
  assert.equal(listSamples(index).length, 5);
  // A defect folder whose every sample is broken stays in the scan (a row for `geoad data inspect`).
  unlinkSync(join(root, 'bagel', 'test', 'crack', 'gt', '000.png'));
  assert.deepEqual(scanDataset(root).index.categories[0].groups.map((g) => `${g.split}/${g.defect}:${g.samples.length}`), ['train/good:2', 'validation/good:1', 'test/good:1', 'test/crack:0']);
});

test('an interrupted geoad synth set is refused by discovery, naming the manifest; a finished one or an MVTec root is not', () => {
  const root = tree(['bagel', 'cookie']);
  assert.equal(discoverDataset(root).categories.length, 2, 'a manifest.json that is not a geoad synth manifest is ignored');
  const manifest = writeSynthManifest(root, { bagel: { done: 5, pending: 2 }, cookie: { done: 7, pending: 0 } });
  const message = 'synthetic set incomplete: 12 of 14 samples done; re-run geoad synth with the same options to finish';
  assert.throws(() => discoverDataset(root), (e: unknown) => e instanceof DataError && e.file === manifest && e.message === `${manifest}: ${message}`);
  assert.deepEqual(scanDataset(root).problems.map((p) => p.error.message), [`${manifest}: ${message}`]);
  // Only the categories asked for count: cookie is finished.
  assert.equal(discoverDataset(root, { categories: ['cookie'] }).categories.length, 1);
  assert.throws(() => discoverDataset(root, { categories: ['bagel'] }), /5 of 7 samples of bagel done/);
  writeSynthManifest(root, { bagel: { done: 7, pending: 0 }, cookie: { done: 7, pending: 0 } });
  assert.equal(discoverDataset(root).categories.length, 2);
});

test('a category folder passed as the root is a usage error naming its parent', () => {
  const root = tree(['bagel']);
  assert.throws(
    () => discoverDataset(join(root, 'bagel')),
    (e: unknown) => e instanceof UsageError && e.message === `Dataset root ${join(root, 'bagel')} looks like a category folder (it holds split folders such as train/ or test/); pass its parent ${root}`,
  );
  assert.throws(() => checkDatasetRoot(join(root, 'nope')), (e: unknown) => e instanceof UsageError && /does not exist/.test(e.message));
});
