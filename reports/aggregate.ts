// Pure aggregation of cell results into the report's tables: mean ± std over seeds, means over categories,
// best-per-row marks and the ablation deltas to `full`.
import type { CellResult, MatrixCell } from '../orchestrator/matrix/run-layout.js';
import type { CategoryMetrics } from '../pipelines/eval/types.js';
import { VARIANT_ORDER } from './load-run.js';

export type Variant = MatrixCell['variant'];
export type MetricKey = 'iAuroc' | 'pAuroc' | 'aupro@0.3' | 'aupro@0.1' | 'aupro@0.05' | 'aupro@0.01';

/** A metric as the tables name it. */
export interface MetricDef {
  readonly key: MetricKey;
  readonly label: string;
}

/** Every metric the category pages show, in column order. */
export const ALL_METRICS: readonly MetricDef[] = [
  { key: 'iAuroc', label: 'I-AUROC' },
  { key: 'pAuroc', label: 'P-AUROC' },
  { key: 'aupro@0.3', label: 'AUPRO@0.3' },
  { key: 'aupro@0.1', label: 'AUPRO@0.1' },
  { key: 'aupro@0.05', label: 'AUPRO@0.05' },
  { key: 'aupro@0.01', label: 'AUPRO@0.01' },
];

/** The metrics of the main table on the index page. */
export const MAIN_METRICS: readonly MetricDef[] = ALL_METRICS.filter((m) => ['iAuroc', 'pAuroc', 'aupro@0.3', 'aupro@0.05'].includes(m.key));

/** Reads one metric of a category's results (undefined when the AUPRO limit was not computed). */
export function readMetric(metrics: CategoryMetrics, key: MetricKey): number | undefined {
  if (key === 'iAuroc') return metrics.iAuroc;
  if (key === 'pAuroc') return metrics.pAuroc;
  return metrics.aupro[key.slice('aupro@'.length)];
}

/** Mean and sample standard deviation (n − 1) of values; std is null below two values. */
export interface Stat {
  readonly mean: number;
  readonly std: number | null;
  readonly n: number;
}

/** Mean ± sample std of `values` (which must not be empty). */
export function computeStat(values: readonly number[]): Stat {
  const n = values.length;
  if (n === 0) throw new RangeError('computeStat: no values');
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n < 2 ? null : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  return { mean, std, n };
}

export type MetricStats = Partial<Record<MetricKey, Stat>>;

/** One dataset's aggregated results. */
export interface DatasetTable {
  readonly dataset: string;
  readonly kind: MatrixCell['datasetKind'];
  /** Planned or finished categories, sorted. */
  readonly categories: readonly string[];
  /** Variants that have at least one result, in table order. */
  readonly variants: readonly Variant[];
  /** stats[category][variant][metric]: over seeds. */
  readonly stats: Readonly<Record<string, Partial<Record<Variant, MetricStats>>>>;
  /** Mean over categories per variant; std over seeds of per-seed category means (seeds complete for all categories). */
  readonly mean: Partial<Record<Variant, MetricStats>>;
  /** Variants whose mean leaves out categories that have no result. */
  readonly partialMeans: readonly Variant[];
  /** Results of the dataset, sorted. */
  readonly results: readonly CellResult[];
}

const groupKey = (category: string, variant: string) => `${category}\u0000${variant}`;

/** Aggregates the results of one dataset; `plannedCategories` adds rows for categories with no result yet. */
export function aggregateDataset(
  dataset: string,
  kind: MatrixCell['datasetKind'],
  results: readonly CellResult[],
  plannedCategories: readonly string[],
  metrics: readonly MetricDef[] = ALL_METRICS,
): DatasetTable {
  const own = results.filter((r) => r.cell.dataset === dataset);
  const categories = [...new Set([...plannedCategories, ...own.map((r) => r.cell.category)])].sort((a, b) => a.localeCompare(b, 'en'));
  const variants = VARIANT_ORDER.filter((v) => own.some((r) => r.cell.variant === v));
  const groups = new Map<string, CellResult[]>();
  for (const r of own) {
    const key = groupKey(r.cell.category, r.cell.variant);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const stats: Record<string, Partial<Record<Variant, MetricStats>>> = {};
  for (const category of categories) {
    stats[category] = {};
    for (const variant of variants) {
      const group = groups.get(groupKey(category, variant));
      if (!group) continue;
      const entry: MetricStats = {};
      for (const m of metrics) {
        const values = group.map((r) => readMetric(r.metrics, m.key)).filter((v): v is number => v !== undefined);
        if (values.length > 0) entry[m.key] = computeStat(values);
      }
      stats[category][variant] = entry;
    }
  }
  const mean: Partial<Record<Variant, MetricStats>> = {};
  const partialMeans: Variant[] = [];
  for (const variant of variants) {
    const withData = categories.filter((c) => stats[c][variant] !== undefined);
    if (withData.length < categories.length) partialMeans.push(variant);
    const seeds = [...new Set(own.filter((r) => r.cell.variant === variant).map((r) => r.cell.seed))].sort((a, b) => a - b);
    const entry: MetricStats = {};
    for (const m of metrics) {
      const categoryMeans = withData.map((c) => stats[c][variant]?.[m.key]?.mean).filter((v): v is number => v !== undefined);
      if (categoryMeans.length === 0) continue;
      const seedMeans: number[] = [];
      for (const seed of seeds) {
        const values = categories.map((c) => {
          const r = groups.get(groupKey(c, variant))?.find((x) => x.cell.seed === seed);
          return r ? readMetric(r.metrics, m.key) : undefined;
        });
        if (values.every((v) => v !== undefined)) seedMeans.push((values as number[]).reduce((a, b) => a + b, 0) / values.length);
      }
      const overCategories = computeStat(categoryMeans).mean;
      entry[m.key] = { mean: overCategories, std: seedMeans.length >= 2 ? computeStat(seedMeans).std : null, n: seedMeans.length };
    }
    mean[variant] = entry;
  }
  return { dataset, kind, categories, variants, stats, mean, partialMeans, results: own };
}

/** The variants whose mean is the highest (within 1e-12) for a metric in one row of stats; empty when none has data. */
export function findBestVariants(row: Partial<Record<Variant, MetricStats>> | undefined, key: MetricKey): Variant[] {
  if (!row) return [];
  const entries = (Object.entries(row) as [Variant, MetricStats][]).filter(([, s]) => s[key] !== undefined);
  if (entries.length < 2) return [];
  const best = Math.max(...entries.map(([, s]) => s[key]!.mean));
  return entries.filter(([, s]) => s[key]!.mean >= best - 1e-12).map(([v]) => v);
}

/** One row of the ablation table: a variant's means and their differences to `full`. */
export interface AblationRow {
  readonly variant: Variant;
  readonly values: Partial<Record<MetricKey, { readonly stat: Stat; readonly delta: number | null }>>;
}

/** The ablation table (variants as rows, category means as columns, deltas to `full`). */
export function buildAblationRows(table: DatasetTable, metrics: readonly MetricDef[] = ALL_METRICS): AblationRow[] {
  const full = table.mean.full;
  return table.variants.map((variant) => {
    const values: AblationRow['values'] = {};
    for (const m of metrics) {
      const stat = table.mean[variant]?.[m.key];
      if (!stat) continue;
      const reference = full?.[m.key];
      values[m.key] = { stat, delta: reference && variant !== 'full' ? stat.mean - reference.mean : null };
    }
    return { variant, values };
  });
}
