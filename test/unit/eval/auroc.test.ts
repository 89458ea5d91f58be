// AUROC with ties counted half: hand-computed cases and the properties the issue asks for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeAuroc } from '../../../pipelines/eval/auroc.js';

test('hand-computed: 5 of 6 pairs ordered correctly', () => {
  // positives 0.9, 0.4; negatives 0.8, 0.1, 0.2 → 0.9 beats 3, 0.4 beats 2.
  const r = computeAuroc([0.9, 0.4, 0.8, 0.1, 0.2], [1, 1, 0, 0, 0]);
  assert.equal(r.auroc, 5 / 6);
  assert.deepEqual(r.curve.x, [0, 0, 1 / 3, 1 / 3, 2 / 3, 1]);
  assert.deepEqual(r.curve.y, [0, 0.5, 0.5, 1, 1, 1]);
});

test('ties count half', () => {
  assert.equal(computeAuroc([0.5, 0.5], [1, 0]).auroc, 0.5);
  // positives 0.7, 0.3; negatives 0.3, 0.1: pairs (0.7>0.3)=1, (0.7>0.1)=1, (0.3=0.3)=0.5, (0.3>0.1)=1 → 3.5/4.
  assert.equal(computeAuroc([0.7, 0.3, 0.3, 0.1], [1, 1, 0, 0]).auroc, 3.5 / 4);
});

test('perfect scores give 1, inverted give 0, a strictly increasing transform changes nothing', () => {
  const labels = [0, 1, 0, 1, 1, 0, 0, 1];
  const perfect = labels.map((l, i) => l + i / 100);
  assert.equal(computeAuroc(perfect, labels).auroc, 1);
  assert.equal(computeAuroc(perfect.map((s) => -s), labels).auroc, 0);
  const mixed = [0.3, 0.2, 0.5, 0.9, 0.1, 0.4, 0.6, 0.6];
  const base = computeAuroc(mixed, labels).auroc;
  assert.equal(computeAuroc(mixed.map((s) => Math.exp(3 * s) - 7), labels).auroc, base);
});

test('needs both classes and no NaN', () => {
  assert.throws(() => computeAuroc([0.1, 0.2], [1, 1]), /positives and negatives/);
  assert.throws(() => computeAuroc([0.1, Number.NaN], [1, 0]), /NaN/);
  assert.throws(() => computeAuroc([0.1], [1, 0]), /1 scores but 2 labels/);
});
