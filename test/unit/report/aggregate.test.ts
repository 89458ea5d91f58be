import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CellResult } from '../../../orchestrator/matrix/run-layout.js';
import { MAIN_METRICS, aggregateDataset, buildAblationRows, computeStat, findBestArms, type DatasetTable } from '../../../reports/aggregate.js';
import { armKeyOf } from '../../../reports/arms.js';
import { classifyDelta, compareTables } from '../../../reports/compare.js';
import { buildAblationTable, buildMainTable } from '../../../reports/view-model.js';
import { formatDelta, slugify } from '../../../reports/format.js';

function result(category: string, variant: CellResult['cell']['variant'], seed: number, iAuroc: number, aupro3 = 0.5, overrides?: Record<string, unknown>): CellResult {
  const grid = overrides ? `-${JSON.stringify(overrides)}` : '';
  return {
    cell: { id: `${category}-${variant}-${seed}${grid}`, dataset: 'd', datasetKind: 'synthetic', category, variant, seed, ...(overrides ? { overrides } : {}) },
    metrics: { category, iAuroc, pAuroc: 0.9, aupro: { '0.3': aupro3 } },
  } as unknown as CellResult;
}

// The planned cells: those of the results, plus one cell per category in `extra` (no result yet).
function plannedOf(results: readonly CellResult[], extra: readonly string[] = []) {
  return [...results.map((r) => r.cell), ...extra.map((category) => ({ ...results[0].cell, id: `planned-${category}`, category }))];
}

// The stats of a variant (and grid values) in a row of the table.
const statOf = (row: DatasetTable['stats'][string] | undefined, variant: CellResult['cell']['variant'], overrides?: Record<string, unknown>) => row?.[armKeyOf({ variant, overrides })];

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
  const table = aggregateDataset('d', 'synthetic', results, plannedOf(results, ['c']));

  it('keeps planned categories without results as rows and orders variants', () => {
    assert.deepEqual(table.categories, ['a', 'b', 'c']);
    assert.deepEqual(table.arms.map((a) => a.label), ['full', 'no-mfe']);
    assert.equal(statOf(table.stats.c, 'full'), undefined);
  });

  it('averages over seeds per category and over categories for the mean, std over per-seed means', () => {
    assert.ok(Math.abs(statOf(table.stats.a, 'full')!.iAuroc!.mean - 0.85) < 1e-12);
    const mean = statOf(table.mean, 'full')!.iAuroc!;
    assert.ok(Math.abs(mean.mean - 0.75) < 1e-12); // (0.85 + 0.65) / 2
    // Seed means over a, b, c: c has no result, so no seed is complete and std is unknown.
    assert.equal(mean.std, null);
    assert.deepEqual(table.partialMeans, ['full', 'no-mfe']);
  });

  it('computes the std over seeds that finished every category', () => {
    const complete = aggregateDataset('d', 'synthetic', results, plannedOf(results));
    const std = statOf(complete.mean, 'full')!.iAuroc!.std!;
    // Seed 0 mean 0.8, seed 1 mean 0.7 → sample std 0.0707…
    assert.ok(Math.abs(std - Math.SQRT2 * 0.05) < 1e-12);
  });

  it('marks the best variant per row and metric, and none when only one variant has data', () => {
    assert.deepEqual(findBestArms(table.stats.a, 'iAuroc'), [armKeyOf({ variant: 'no-mfe' })]);
    assert.deepEqual(findBestArms(table.stats.b, 'iAuroc'), []);
  });

  it('builds ablation deltas against full', () => {
    const own = results.filter((r) => r.cell.category === 'a');
    const rows = buildAblationRows(aggregateDataset('d', 'synthetic', own, plannedOf(own)));
    assert.equal(rows[0].values.iAuroc!.delta, null);
    assert.ok(Math.abs(rows[1].values.iAuroc!.delta! - 0.1) < 1e-12);
  });
});

describe('grid values (arms)', () => {
  // lr is gridded: each (variant, lr) is its own arm; seeds 0 and 1 of each.
  const lr = (v: number) => ({ 'train.lr': v });
  const results = [
    result('a', 'full', 0, 0.90, 0.5, lr(0.001)), result('a', 'full', 1, 0.80, 0.5, lr(0.001)),
    result('a', 'full', 0, 0.50, 0.5, lr(0.003)), result('a', 'full', 1, 0.40, 0.5, lr(0.003)),
    result('b', 'full', 0, 0.70, 0.5, lr(0.001)), result('b', 'full', 1, 0.60, 0.5, lr(0.001)),
    result('b', 'full', 0, 0.30, 0.5, lr(0.003)), result('b', 'full', 1, 0.10, 0.5, lr(0.003)),
    result('a', 'no-mfe', 0, 0.95, 0.5, lr(0.001)), result('a', 'no-mfe', 1, 0.85, 0.5, lr(0.001)),
    result('a', 'no-mfe', 0, 0.45, 0.5, lr(0.003)), result('a', 'no-mfe', 1, 0.45, 0.5, lr(0.003)),
    result('b', 'no-mfe', 0, 0.75, 0.5, lr(0.001)), result('b', 'no-mfe', 1, 0.65, 0.5, lr(0.001)),
    result('b', 'no-mfe', 0, 0.20, 0.5, lr(0.003)), result('b', 'no-mfe', 1, 0.20, 0.5, lr(0.003)),
  ];
  const table = aggregateDataset('d', 'synthetic', results, plannedOf(results));
  const near = (x: number | null | undefined, y: number) => assert.ok(x !== null && x !== undefined && Math.abs(x - y) < 1e-12, `${x} ≠ ${y}`);

  it('makes each variant with its grid values an arm, labelled `variant · lr=…`, in table order', () => {
    assert.deepEqual(table.arms.map((a) => a.label), ['full · lr=0.001', 'full · lr=0.003', 'no-mfe · lr=0.001', 'no-mfe · lr=0.003']);
    assert.deepEqual(buildMainTable(table, MAIN_METRICS, () => undefined).columns.slice(0, 4), table.arms.map((a) => a.label));
  });

  it('averages over seeds only, never over grid values', () => {
    const a1 = statOf(table.stats.a, 'full', lr(0.001))!.iAuroc!;
    near(a1.mean, 0.85);
    near(a1.std, Math.SQRT2 * 0.05);
    assert.equal(a1.n, 2);
    near(statOf(table.stats.a, 'full', lr(0.003))!.iAuroc!.mean, 0.45);
  });

  it('takes the Mean row’s mean and std from the same cells: per-seed means over categories of one arm', () => {
    // full · lr=0.003: seed 0 → (0.5 + 0.3) / 2 = 0.4, seed 1 → (0.4 + 0.1) / 2 = 0.25.
    const mean = statOf(table.mean, 'full', lr(0.003))!.iAuroc!;
    near(mean.mean, 0.325);
    near(mean.std, Math.abs(0.4 - 0.25) / Math.SQRT2);
  });

  it('gives ablation deltas to the full arm with the same grid values', () => {
    const rows = buildAblationRows(table);
    const delta = (label: string) => rows.find((r) => r.arm.label === label)!.values.iAuroc!.delta;
    assert.equal(delta('full · lr=0.003'), null);
    near(delta('no-mfe · lr=0.001'), 0.8 - 0.75); // (0.9 + 0.7) / 2 vs (0.85 + 0.75) / 2 → +0.05
    near(delta('no-mfe · lr=0.003'), (0.45 + 0.2) / 2 - 0.325);
  });

  it('compares arm with arm across runs', () => {
    const other = aggregateDataset('d', 'synthetic', results.filter((r) => r.cell.overrides?.['train.lr'] === 0.001), plannedOf(results));
    const cmp = compareTables(table, other, [{ key: 'iAuroc', label: 'I-AUROC' }], 0.005);
    assert.deepEqual([...new Set(cmp.rows.map((r) => r.arm.label))], ['full · lr=0.001', 'no-mfe · lr=0.001']);
    assert.ok(cmp.rows.every((r) => r.cells.iAuroc!.delta === 0));
  });
});

describe('partial cells', () => {
  it('mark a value that averages fewer seeds than planned with its n', () => {
    const done = [result('a', 'full', 0, 0.8), result('a', 'full', 1, 0.82), result('b', 'full', 0, 0.7), result('b', 'full', 1, 0.72), result('b', 'full', 2, 0.74)];
    const planned = [...plannedOf(done), { ...done[0].cell, id: 'a-full-2', seed: 2 }];
    const table = aggregateDataset('d', 'synthetic', done, planned);
    const view = buildMainTable(table, MAIN_METRICS, () => undefined);
    const iAuroc = (label: string) => view.rows.find((r) => r.label === label)!.cells[0];
    assert.equal(iAuroc('a').note, '(n=2 of 3)');
    assert.equal(`${iAuroc('a').text} ${iAuroc('a').std} ${iAuroc('a').note}`, '0.810 ± 0.014 (n=2 of 3)');
    assert.equal(iAuroc('b').note, undefined, 'all planned seeds finished');
    assert.equal(iAuroc('Mean').note, '(n=2 of 3)', 'the ± over seeds that finished every category');
    assert.equal(buildAblationTable(table, MAIN_METRICS).rows[0].cells[0].note, '(n=2 of 3)');
  });
});

describe('buildMainTable', () => {
  it('bolds, per category (row) and metric, the variant(s) with the highest mean; ties all bold', () => {
    const results = [
      result('a', 'full', 0, 0.90, 0.8), result('a', 'no-mfe', 0, 0.95, 0.7),
      result('b', 'full', 0, 0.70, 0.6), result('b', 'no-mfe', 0, 0.70, 0.9),
    ];
    const view = buildMainTable(aggregateDataset('d', 'synthetic', results, plannedOf(results)), MAIN_METRICS, () => undefined);
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
    const a = [result('a', 'full', 0, 0.80), result('b', 'full', 0, 0.80)];
    const b = [result('a', 'full', 0, 0.90), result('b', 'full', 0, 0.90)];
    const cmp = compareTables(aggregateDataset('d', 'synthetic', a, plannedOf(a)), aggregateDataset('d', 'synthetic', b, plannedOf(b)), [{ key: 'iAuroc', label: 'I-AUROC' }], 0.005);
    assert.equal(cmp.rows.length, 3); // categories a, b and the mean
    assert.equal(cmp.rows[0].cells.iAuroc!.status, 'regression');
    // The Mean row restates the category rows: counted apart, not added to them.
    assert.deepEqual([cmp.regressions, cmp.improvements, cmp.meanRegressions, cmp.meanImprovements], [2, 0, 1, 0]);
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
