// Pure per-metric deltas between this run and another (same dataset, category and variant), regressions marked.
import type { DatasetTable, MetricDef, MetricKey, Variant } from './aggregate.js';

/** One metric of one row: this run's mean, the other's, and the change. */
export interface DeltaCell {
  readonly ours: number;
  readonly theirs: number;
  readonly delta: number;
  readonly status: 'regression' | 'improvement' | 'same';
}

/** A row of the delta table (a category, or the mean over categories). */
export interface DeltaRow {
  readonly variant: Variant;
  readonly category: string;
  readonly isMean: boolean;
  readonly cells: Partial<Record<MetricKey, DeltaCell>>;
}

/** The delta table of one dataset against one other run. */
export interface DatasetComparison {
  readonly dataset: string;
  readonly rows: readonly DeltaRow[];
  readonly regressions: number;
  readonly improvements: number;
}

/** Classifies a change: a drop beyond `tolerance` is a regression, a rise beyond it an improvement. */
export function classifyDelta(delta: number, tolerance: number): DeltaCell['status'] {
  if (delta < -tolerance) return 'regression';
  if (delta > tolerance) return 'improvement';
  return 'same';
}

/** Compares two aggregated tables of the same dataset over the categories and variants both have. */
export function compareTables(ours: DatasetTable, theirs: DatasetTable, metrics: readonly MetricDef[], tolerance: number): DatasetComparison {
  const rows: DeltaRow[] = [];
  let regressions = 0;
  let improvements = 0;
  for (const variant of ours.variants.filter((v) => theirs.variants.includes(v))) {
    const pairs: { category: string; isMean: boolean; a: Partial<Record<MetricKey, { mean: number }>> | undefined; b: Partial<Record<MetricKey, { mean: number }>> | undefined }[] = [
      ...ours.categories.filter((c) => theirs.categories.includes(c)).map((c) => ({ category: c, isMean: false, a: ours.stats[c]?.[variant], b: theirs.stats[c]?.[variant] })),
      { category: 'Mean', isMean: true, a: ours.mean[variant], b: theirs.mean[variant] },
    ];
    for (const { category, isMean, a, b } of pairs) {
      if (!a || !b) continue;
      const cells: DeltaRow['cells'] = {};
      for (const m of metrics) {
        const x = a[m.key]?.mean;
        const y = b[m.key]?.mean;
        if (x === undefined || y === undefined) continue;
        const status = classifyDelta(x - y, tolerance);
        if (status === 'regression') regressions++;
        if (status === 'improvement') improvements++;
        cells[m.key] = { ours: x, theirs: y, delta: x - y, status };
      }
      rows.push({ variant, category, isMean, cells });
    }
  }
  return { dataset: ours.dataset, rows, regressions, improvements };
}
