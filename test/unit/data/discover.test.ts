import assert from 'node:assert/strict';
import { mkdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DataError, UsageError } from '../../../orchestrator/util/errors.js';
import { discoverDataset, listSamples } from '../../../pipelines/data/discover.js';
import { writeMvtecTree } from './mvtec-fixture.js';

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
