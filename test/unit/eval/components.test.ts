// 8-connected component labelling: corner contact joins regions, labels follow raster order of first pixels.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelComponents8 } from '../../../pipelines/eval/components.js';

const grid = (rows: string[]) => ({
  mask: Uint8Array.from(rows.join('').split(''), (c) => (c === '#' ? 1 : 0)),
  width: rows[0].length,
  height: rows.length,
});

test('two regions touching only at a corner are one region', () => {
  const { mask, width, height } = grid(['##...', '##...', '..##.', '..##.']);
  const c = labelComponents8(mask, width, height);
  assert.equal(c.count, 1);
  assert.deepEqual([...c.sizes], [8]);
});

test('separate regions get raster-order numbers and exact sizes', () => {
  const { mask, width, height } = grid(['...#.', '#..#.', '#....', '....#']);
  const c = labelComponents8(mask, width, height);
  assert.equal(c.count, 3);
  assert.deepEqual([...c.sizes], [2, 2, 1]);
  assert.equal(c.labels[3], 1); // first pixel in raster order
  assert.equal(c.labels[5], 2);
  assert.equal(c.labels[19], 3);
  assert.equal(c.labels[0], 0);
});

test('a U shape merged late keeps one label (union of provisional labels)', () => {
  const { mask, width, height } = grid(['#.#', '#.#', '###']);
  const c = labelComponents8(mask, width, height);
  assert.equal(c.count, 1);
  assert.ok([...c.labels].every((l, i) => (mask[i] ? l === 1 : l === 0)));
});

test('rejects a mask of the wrong size', () => {
  assert.throws(() => labelComponents8(new Uint8Array(5), 2, 2), /expected 4 pixels, got 5/);
});
