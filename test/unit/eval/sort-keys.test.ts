// Sortable keys of float32 scores and the radix sort the sweeps rely on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyOf, radixSortKeys, valueOfKey, writeKeys } from '../../../pipelines/eval/sort-keys.js';

test('key order is numeric order; −0 and +0 share a key; keys round-trip', () => {
  const values = [-Infinity, -3.5, -1e-30, -0, 0, 1e-38, 0.25, 0.5, 1, 7e30, Infinity].map(Math.fround);
  for (let i = 1; i < values.length; i++) {
    const [a, b] = [keyOf(values[i - 1]), keyOf(values[i])];
    if (Object.is(values[i - 1], -0)) assert.equal(a, b);
    else assert.ok(a < b, `${values[i - 1]} < ${values[i]}`);
  }
  for (const v of values) assert.equal(valueOfKey(keyOf(v)), v === 0 ? 0 : v);
  const out = new Uint32Array(values.length);
  writeKeys(Float32Array.from(values), out, 0);
  assert.deepEqual([...out], values.map(keyOf));
});

test('radixSortKeys sorts like a comparison sort and carries the payload (stable)', () => {
  let s = 12345;
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const values = Float32Array.from({ length: 5000 }, () => (rand() - 0.3) * 10 ** Math.floor(rand() * 6 - 3));
  values[10] = values[20]; // a tie
  const keys = new Uint32Array(values.length);
  writeKeys(values, keys, 0);
  const payload = Uint32Array.from(keys.keys());
  radixSortKeys(keys, payload);
  const expected = [...values.keys()].sort((a, b) => values[a] - values[b] || a - b);
  assert.deepEqual([...payload], expected);
  assert.deepEqual([...keys].map(valueOfKey), expected.map((i) => values[i]));
});

test('radixSortKeys skips passes where every digit is equal and handles tiny inputs', () => {
  const keys = Uint32Array.from([0x80000003, 0x80000001, 0x80000002]);
  radixSortKeys(keys);
  assert.deepEqual([...keys], [0x80000001, 0x80000002, 0x80000003]);
  const one = Uint32Array.from([5]);
  radixSortKeys(one);
  assert.deepEqual([...one], [5]);
  assert.throws(() => radixSortKeys(new Uint32Array(2), new Uint32Array(3)), /payload/);
});
