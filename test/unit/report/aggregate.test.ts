import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CellResult } from '../../../orchestrator/matrix/run-layout.js';
import { MAIN_METRICS, aggregateDataset, buildAblationRows, computeStat, findBestVariants } from '../../../reports/aggregate.js';
import { classifyDelta, compareTables } from '../../../reports/compare.js';
import { buildMainTable } from '../../../reports/view-model.js';
import { formatDelta, slugify } from '../../../reports/format.js';

function result(category: string, variant: CellResult['cell']['variant'], seed: number, iAuroc: number, aupro3 = 0.5): CellResult {
  return {
    cell: { id: `${category}-${variant}-${seed}`, dataset: 'd', datasetKind: 'synthetic', category, variant, seed },
    metrics: { category, iAuroc, pAuroc: 0.9, aupro: { '0.3': aupro3 } },
  } as unknown as CellResult;
}

describe('computeStat', () => {
  it('gives mean and sample std (n − 1), null std for one value', () => {
    const s = computeStat([0.8, 0.9, 1.0]);
    assert.ok(Math.abs(s.mean - 0.9) < 1e-12);
    assert.ok(Math.abs((s.std ?? 0) - 0.1) < 1e-12);
    assert.deepEqual(computeStat([0.7]), { mean: 0.7, std: null, n: 1 });
    assert.throws(() => computeStat([]), RangeError);
  });
});

describe('aggregateDataset', () => {
  const results = [
    result('a', 'full', 0, 0.9), result('a', 'full', 1, 0.8),
    result('b', 'full', 0, 0.7), result('b', 'full', 1, 0.6),
    result('a', 'no-mfe', 0, 0.95),
  ];
  const table = aggregateDataset('d', 'synthetic', results, ['a', 'b', 'c']);

  it('keeps planned categories without results as rows and orders variants', () => {
    assert.deepEqual(table.categories, ['a', 'b', 'c']);
    assert.deepEqual(table.variants, ['full', 'no-mfe']);
    assert.equal(table.stats.c.full, undefined);
  });

  it('averages over seeds per category and over categories for the mean, std over per-seed means', () => {
    assert.ok(Math.abs(table.stats.a.full!.iAuroc!.mean - 0.85) < 1e-12);
    const mean = table.mean.full!.iAuroc!;
    assert.ok(Math.abs(mean.mean - 0.75) < 1e-12); // (0.85 + 0.65) / 2
    // Seed means over a, b, c: c has no result, so no seed is complete and std is unknown.
    assert.equal(mean.std, null);
    assert.deepEqual(table.partialMeans, ['full', 'no-mfe']);
  });

  it('computes the std over seeds that finished every category', () => {
    const complete = aggregateDataset('d', 'synthetic', results, ['a', 'b']);
    const std = complete.mean.full!.iAuroc!.std!;
    // Seed 0 mean 0.8, seed 1 mean 0.7 → sample std 0.0707…
    assert.ok(Math.abs(std - Math.SQRT2 * 0.05) < 1e-12);
  });

  it('marks the best variant per row and metric, and none when only one variant has data', () => {
    assert.deepEqual(findBestVariants(table.stats.a, 'iAuroc'), ['no-mfe']);
    assert.deepEqual(findBestVariants(table.stats.b, 'iAuroc'), []);
  });

  it('builds ablation deltas against full', () => {
    const rows = buildAblationRows(aggregateDataset('d', 'synthetic', results.filter((r) => r.cell.category === 'a'), ['a']));
    assert.equal(rows[0].values.iAuroc!.delta, null);
    assert.ok(Math.abs(rows[1].values.iAuroc!.delta! - 0.1) < 1e-12);
  });
});

describe('buildMainTable', () => {
  it('bolds, per category (row) and metric, the variant(s) with the highest mean; ties all bold', () => {
    const results = [
      result('a', 'full', 0, 0.90, 0.8), result('a', 'no-mfe', 0, 0.95, 0.7),
      result('b', 'full', 0, 0.70, 0.6), result('b', 'no-mfe', 0, 0.70, 0.9),
    ];
    const view = buildMainTable(aggregateDataset('d', 'synthetic', results, ['a', 'b']), MAIN_METRICS, () => undefined);
    assert.deepEqual(view.columns, ['full', 'no-mfe', 'full', 'no-mfe', 'full', 'no-mfe', 'full', 'no-mfe']);
    const bold = (label: string) => view.rows.find((r) => r.label === label)!.cells.map((c) => c.best);
    // Columns: I-AUROC (full, no-mfe), P-AUROC, AUPRO@0.3, AUPRO@0.05 (not in these results).
    assert.deepEqual(bold('a'), [false, true, true, true, true, false, false, false]);
    assert.deepEqual(bold('b'), [true, true, true, true, false, true, false, false]);
    assert.deepEqual(bold('Mean'), [false, true, true, true, false, true, false, false]);
  });
});

describe('compareTables', () => {
  it('marks drops beyond the tolerance as regressions', () => {
    const ours = aggregateDataset('d', 'synthetic', [result('a', 'full', 0, 0.80)], ['a']);
    const theirs = aggregateDataset('d', 'synthetic', [result('a', 'full', 0, 0.90)], ['a']);
    const cmp = compareTables(ours, theirs, [{ key: 'iAuroc', label: 'I-AUROC' }], 0.005);
    assert.equal(cmp.rows.length, 2); // category a and the mean
    assert.equal(cmp.rows[0].cells.iAuroc!.status, 'regression');
    assert.equal(cmp.regressions, 2);
    assert.equal(classifyDelta(0.004, 0.005), 'same');
    assert.equal(classifyDelta(0.006, 0.005), 'improvement');
  });
});

describe('format', () => {
  it('formats deltas with a sign and slugs that stay distinct', () => {
    assert.equal(formatDelta(0.0123), '+0.012');
    assert.equal(formatDelta(-0.0049), '−0.005');
    assert.equal(formatDelta(0.0001), '±0.000');
    assert.equal(slugify('bagel'), 'bagel');
    assert.equal(slugify('cable_gland'), 'cable_gland');
    assert.match(slugify('<script>'), /^script-[0-9a-f]{6}$/);
    assert.notEqual(slugify('a b'), slugify('a-b'));
  });
});
