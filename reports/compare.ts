// Pure per-metric deltas between this run and another (same dataset, category and arm), regressions marked.
import type { Arm, DatasetTable, MetricDef, MetricKey } from './aggregate.js';

/** One metric of one row: this run's mean, the other's, and the change. */
export interface DeltaCell {
  readonly ours: number;
  readonly theirs: number;
  readonly delta: number;
  readonly status: 'regression' | 'improvement' | 'same';
}

/** A row of the delta table (a category, or the mean over categories). */
export interface DeltaRow {
  readonly arm: Arm;
  readonly category: string;
  readonly isMean: boolean;
  readonly cells: Partial<Record<MetricKey, DeltaCell>>;
}

/** The delta table of one dataset against one other run. */
export interface DatasetComparison {
  readonly dataset: string;
  readonly rows: readonly DeltaRow[];
  /** Changes beyond the tolerance in category rows. */
  readonly regressions: number;
  readonly improvements: number;
  /** The same in the Mean rows, counted apart: they restate the category rows, so adding them would count twice. */
  readonly meanRegressions: number;
  readonly meanImprovements: number;
}

/** Classifies a change: a drop beyond `tolerance` is a regression, a rise beyond it an improvement. */
export function classifyDelta(delta: number, tolerance: number): DeltaCell['status'] {
  if (delta < -tolerance) return 'regression';
  if (delta > tolerance) return 'improvement';
  return 'same';
}

/** Compares two aggregated tables of the same dataset over the categories and arms both have. */
export function compareTables(ours: DatasetTable, theirs: DatasetTable, metrics: readonly MetricDef[], tolerance: number): DatasetComparison {
  const rows: DeltaRow[] = [];
  const counts = { regressions: 0, improvements: 0, meanRegressions: 0, meanImprovements: 0 };
  for (const arm of ours.arms.filter((a) => theirs.arms.some((b) => b.key === a.key))) {
    const pairs: { category: string; isMean: boolean; a: Partial<Record<MetricKey, { mean: number }>> | undefined; b: Partial<Record<MetricKey, { mean: number }>> | undefined }[] = [
      ...ours.categories.filter((c) => theirs.categories.includes(c)).map((c) => ({ category: c, isMean: false, a: ours.stats[c]?.[arm.key], b: theirs.stats[c]?.[arm.key] })),
      { category: 'Mean', isMean: true, a: ours.mean[arm.key], b: theirs.mean[arm.key] },
    ];
    for (const { category, isMean, a, b } of pairs) {
      if (!a || !b) continue;
      const cells: DeltaRow['cells'] = {};
      for (const m of metrics) {
        const x = a[m.key]?.mean;
        const y = b[m.key]?.mean;
        if (x === undefined || y === undefined) continue;
        const status = classifyDelta(x - y, tolerance);
        if (status === 'regression') counts[isMean ? 'meanRegressions' : 'regressions']++;
        if (status === 'improvement') counts[isMean ? 'meanImprovements' : 'improvements']++;
        cells[m.key] = { ours: x, theirs: y, delta: x - y, status };
      }
      rows.push({ arm, category, isMean, cells });
    }
  }
  return { dataset: ours.dataset, rows, ...counts };
}
