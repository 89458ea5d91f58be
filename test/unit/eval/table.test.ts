// The stdout table of `geoad eval`: fractions with three decimals (as the report and results.json), and notes that
// say which map sizes were resized to which, and when a calibration ended at the lowest validation score.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatEvalTable } from '../../../pipelines/eval/table.js';
import type { CategoryMetrics, EvalResult } from '../../../pipelines/eval/types.js';

const curve = { x: [0, 1], y: [0, 1] };

function category(name: string, extra: Partial<CategoryMetrics>): CategoryMetrics {
  return {
    category: name,
    counts: { testImages: 4, anomalousImages: 2, goodImages: 2, validationImages: 2, regions: 2, pixels: 1024 },
    iAuroc: 0.9166666,
    pAuroc: 0.6666666,
    aupro: { '0.3': 0.5, '0.1': 0.25, '0.05': 0.125, '0.01': 0.0625 },
    curves: { imageRoc: curve, pixelRoc: curve, pro: curve },
    threshold: {
      calibrated: true, threshold: 0.123456, minDefectArea: 5, minDefectAreaSource: 'option',
      image: { precision: 1, recall: 0.5, f1: 2 / 3, fpr: 0 }, pixel: { precision: 0.5, recall: 0.5, f1: 0.5 },
    },
    resizedMaps: false,
    durationMs: 1,
    ...extra,
  };
}

function result(categories: CategoryMetrics[]): EvalResult {
  return {
    schema: 'geoad-eval', version: 1, createdAt: '2024-01-01T00:00:00.000Z', mapsDir: '/m', dataRoot: '/d', resolution: null,
    proCurveMode: 'exact', categories,
    mean: { iAuroc: 0.9166666, pAuroc: 0.6666666, aupro: { '0.3': 0.5, '0.1': 0.25, '0.05': 0.125, '0.01': 0.0625 } },
    durationMs: 2,
  };
}

test('values are fractions with three decimals, like the report', () => {
  const text = formatEvalTable(result([category('widget', {})]));
  assert.match(text, /^widget\s+0\.917\s+0\.667\s+0\.500\s+0\.250\s+0\.125\s+0\.063\s+0\.1235\s+0\.667\s+0\.500$/m);
  assert.doesNotMatch(text, /91\.7|66\.7/);
  assert.match(text, /values are fractions/);
});

test('notes list every map size of a category and what it was resized to', () => {
  const mapSizes = [
    { from: { width: 224, height: 224 }, to: { width: 800, height: 800 }, maps: 30 },
    { from: { width: 64, height: 64 }, to: { width: 800, height: 800 }, maps: 1 },
    { from: { width: 800, height: 800 }, to: { width: 800, height: 800 }, maps: 2 },
  ];
  const text = formatEvalTable(result([category('bagel', { resizedMaps: true, mapSizes }), category('tire', { mapSizes: [mapSizes[2]] })]));
  assert.match(text, /^bagel: maps resized \(bilinear\): 30 maps 224×224 → 800×800; 1 map 64×64 → 800×800; 2 maps 800×800 \(not resized\)\.$/m);
  assert.doesNotMatch(text, /tire: maps/);
});

test('a threshold at the lowest validation score is a warning, not a normal calibration', () => {
  const base = category('widget', {});
  assert.ok(base.threshold.calibrated);
  const threshold = { ...base.threshold, warning: 'threshold is the lowest validation score: …' };
  assert.match(formatEvalTable(result([{ ...base, threshold }])), /^widget: warning: threshold is the lowest validation score/m);
});
