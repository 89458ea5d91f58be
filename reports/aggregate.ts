// Pure aggregation of cell results into the report's tables: mean ± std over seeds per arm (a variant with its grid
// values), means over categories, best-per-row marks and the ablation deltas to the matching `full` arm.
import type { CellResult, MatrixCell } from '../orchestrator/matrix/run-layout.js';
import type { CategoryMetrics } from '../pipelines/eval/types.js';
import { armKeyOf, listArms, referenceKeyOf, type Arm } from './arms.js';

export type { Arm, Variant } from './arms.js';
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

/** Stats per arm, by arm key. */
export type ArmStats = Readonly<Record<string, MetricStats>>;

/** One dataset's aggregated results. */
export interface DatasetTable {
  readonly dataset: string;
  readonly kind: MatrixCell['datasetKind'];
  /** Planned or finished categories, sorted. */
  readonly categories: readonly string[];
  /** Arms (variant + grid values) that have at least one result, in table order. */
  readonly arms: readonly Arm[];
  /** stats[category][armKey][metric]: over the seeds of that arm. */
  readonly stats: Readonly<Record<string, ArmStats>>;
  /** Mean over categories per arm; std over seeds of per-seed category means (seeds complete for all categories). */
  readonly mean: ArmStats;
  /** Labels of the arms whose mean leaves out categories that have no result. */
  readonly partialMeans: readonly string[];
  /** Planned seeds per category and arm key, and per arm key over the dataset: a stat over fewer is marked. */
  readonly plannedSeeds: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly plannedArmSeeds: Readonly<Record<string, number>>;
  /** Results of the dataset, sorted. */
  readonly results: readonly CellResult[];
}

const groupKey = (category: string, armKey: string) => `${category}\u0000${armKey}`;

/** Aggregates the results of one dataset; `planned` (the manifest's cells) adds rows for categories with no result yet. */
export function aggregateDataset(
  dataset: string,
  kind: MatrixCell['datasetKind'],
  results: readonly CellResult[],
  planned: readonly MatrixCell[],
  metrics: readonly MetricDef[] = ALL_METRICS,
): DatasetTable {
  const own = results.filter((r) => r.cell.dataset === dataset);
  const plannedOwn = planned.filter((c) => c.dataset === dataset);
  const categories = [...new Set([...plannedOwn.map((c) => c.category), ...own.map((r) => r.cell.category)])].sort((a, b) => a.localeCompare(b, 'en'));
  const arms = listArms(own.map((r) => r.cell));
  // One result per seed in each group: an arm's cells differ only in their seed.
  const groups = new Map<string, Map<number, CellResult>>();
  for (const r of own) {
    const key = groupKey(r.cell.category, armKeyOf(r.cell));
    if (!groups.has(key)) groups.set(key, new Map());
    groups.get(key)!.set(r.cell.seed, r);
  }
  const plannedSeeds: Record<string, Record<string, number>> = {};
  const plannedArmSeeds: Record<string, Set<number>> = {};
  for (const c of plannedOwn) {
    const arm = armKeyOf(c);
    plannedSeeds[c.category] ??= {};
    plannedSeeds[c.category][arm] = (plannedSeeds[c.category][arm] ?? 0) + 1;
    (plannedArmSeeds[arm] ??= new Set()).add(c.seed);
  }
  const stats: Record<string, Record<string, MetricStats>> = {};
  for (const category of categories) {
    stats[category] = {};
    for (const arm of arms) {
      const group = groups.get(groupKey(category, arm.key));
      if (!group) continue;
      const entry: MetricStats = {};
      for (const m of metrics) {
        const values = [...group.values()].map((r) => readMetric(r.metrics, m.key)).filter((v): v is number => v !== undefined);
        if (values.length > 0) entry[m.key] = computeStat(values);
      }
      stats[category][arm.key] = entry;
    }
  }
  const mean: Record<string, MetricStats> = {};
  const partialMeans: string[] = [];
  for (const arm of arms) {
    const withData = categories.filter((c) => stats[c][arm.key] !== undefined);
    if (withData.length < categories.length) partialMeans.push(arm.label);
    const seeds = [...new Set(own.filter((r) => armKeyOf(r.cell) === arm.key).map((r) => r.cell.seed))].sort((a, b) => a - b);
    const entry: MetricStats = {};
    for (const m of metrics) {
      const categoryMeans = withData.map((c) => stats[c][arm.key]?.[m.key]?.mean).filter((v): v is number => v !== undefined);
      if (categoryMeans.length === 0) continue;
      const seedMeans: number[] = [];
      for (const seed of seeds) {
        const values = categories.map((c) => {
          const r = groups.get(groupKey(c, arm.key))?.get(seed);
          return r ? readMetric(r.metrics, m.key) : undefined;
        });
        if (values.every((v) => v !== undefined)) seedMeans.push((values as number[]).reduce((a, b) => a + b, 0) / values.length);
      }
      const overCategories = computeStat(categoryMeans).mean;
      entry[m.key] = { mean: overCategories, std: seedMeans.length >= 2 ? computeStat(seedMeans).std : null, n: seedMeans.length };
    }
    mean[arm.key] = entry;
  }
  const armSeeds = Object.fromEntries(Object.entries(plannedArmSeeds).map(([k, v]) => [k, v.size]));
  return { dataset, kind, categories, arms, stats, mean, partialMeans, plannedSeeds, plannedArmSeeds: armSeeds, results: own };
}

/** The arms (keys) whose mean is the highest (within 1e-12) for a metric in one row of stats; empty when fewer than two have data. */
export function findBestArms(row: ArmStats | undefined, key: MetricKey): string[] {
  if (!row) return [];
  const entries = Object.entries(row).filter(([, s]) => s[key] !== undefined);
  if (entries.length < 2) return [];
  const best = Math.max(...entries.map(([, s]) => s[key]!.mean));
  return entries.filter(([, s]) => s[key]!.mean >= best - 1e-12).map(([arm]) => arm);
}

/** One row of the ablation table: an arm's means and their differences to the `full` arm with the same grid values. */
export interface AblationRow {
  readonly arm: Arm;
  readonly values: Partial<Record<MetricKey, { readonly stat: Stat; readonly delta: number | null }>>;
}

/** The ablation table (arms as rows, category means as columns, deltas to the matching `full` arm). */
export function buildAblationRows(table: DatasetTable, metrics: readonly MetricDef[] = ALL_METRICS): AblationRow[] {
  return table.arms.map((arm) => {
    const referenceKey = referenceKeyOf(arm);
    const reference = referenceKey === arm.key ? undefined : table.mean[referenceKey];
    const values: AblationRow['values'] = {};
    for (const m of metrics) {
      const stat = table.mean[arm.key]?.[m.key];
      if (!stat) continue;
      const base = reference?.[m.key];
      values[m.key] = { stat, delta: base ? stat.mean - base.mean : null };
    }
    return { arm, values };
  });
}
