// Trapezoid integration up to a limit: interpolation at the limit, the streaming and reference forms agree.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LimitedTrapezoid, integrateLikeReference } from '../../../pipelines/eval/trapezoid.js';
import { sumLikeNumpy } from '../../../pipelines/eval/numpy-sum.js';

const x = [0, 0.1, 0.2, 0.5, 1];
const y = [0, 0.4, 0.6, 0.9, 1];

test('hand-worked area up to 0.3 (limit between points: y interpolated to 0.7)', () => {
  // [0,.1]: .02; [.1,.2]: .05; [.2,.3]: 0.1·(0.6+0.7)/2 = .065 → .135
  const t = new LimitedTrapezoid(0.3);
  x.forEach((xi, i) => t.add(xi, y[i]));
  assert.ok(Math.abs(t.value() - 0.135) < 1e-15);
  assert.ok(Math.abs(integrateLikeReference(x, y, 0.3) - 0.135) < 1e-15);
});

test('limit on a point and at the end', () => {
  assert.ok(Math.abs(integrateLikeReference(x, y, 0.2) - 0.07) < 1e-15);
  const t = new LimitedTrapezoid(1);
  x.forEach((xi, i) => t.add(xi, y[i]));
  assert.ok(Math.abs(t.value() - integrateLikeReference(x, y, 1)) < 1e-15);
  assert.throws(() => integrateLikeReference([0.1, 0.2], [0, 1], 0.05), /outside/);
  assert.throws(() => new LimitedTrapezoid(0), /positive/);
});

test('sumLikeNumpy: pairwise order (matches a plain sum on exact values)', () => {
  const values = Array.from({ length: 300 }, (_, i) => i * 0.5);
  assert.equal(sumLikeNumpy(values), 22425);
  assert.equal(sumLikeNumpy([]), 0);
  assert.equal(sumLikeNumpy([1, 2, 3]), 6);
});
