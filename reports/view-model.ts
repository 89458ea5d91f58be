// Pure builders of the template contexts: tables as rows of preformatted cells, so templates stay logic-free.
import { describeArm } from '../orchestrator/matrix/cell-label.js';
import type { CellResult } from '../orchestrator/matrix/run-layout.js';
import { armKeyOf } from './arms.js';
import { ALL_METRICS, buildAblationRows, findBestArms, type ArmStats, type DatasetTable, type MetricDef, type MetricKey, type Stat } from './aggregate.js';
import type { Baselines } from './baselines.js';
import type { DatasetComparison } from './compare.js';
import type { EvaluationText } from './evaluation.js';
import { formatDelta, formatStd, formatValue } from './format.js';

/** A table cell of a measured value. */
export interface ValueCell {
  readonly text: string;
  readonly std: string;
  readonly best: boolean;
  readonly missing: boolean;
  readonly delta?: string;
  readonly deltaClass?: string;
  /** `(n=2 of 3)` when the value averages fewer seeds than planned. */
  readonly note?: string;
}

/** A table: a header of metric groups over variant columns, and rows. */
export interface MetricTableView {
  readonly groups: readonly { readonly label: string; readonly span: number }[];
  readonly columns: readonly string[];
  readonly rows: readonly { readonly label: string; readonly href?: string; readonly isMean: boolean; readonly cells: readonly ValueCell[] }[];
  readonly note?: string;
}

const missingCell: ValueCell = { text: '—', std: '', best: false, missing: true };

// A measured value; marked with its seed count when it stands on fewer seeds than planned (a partial run).
function valueCell(stat: Stat, best: boolean, planned: number | undefined): ValueCell {
  const cell: ValueCell = { text: formatValue(stat.mean), std: formatStd(stat), best, missing: false };
  return planned !== undefined && stat.n < planned ? { ...cell, note: `(n=${stat.n} of ${planned})` } : cell;
}

/** The main table: one row per category plus the mean; columns metric × arm; best arm per row and metric marked. */
export function buildMainTable(table: DatasetTable, metrics: readonly MetricDef[], hrefOf: (category: string) => string | undefined): MetricTableView {
  const groups = metrics.map((m) => ({ label: m.label, span: table.arms.length }));
  const columns = metrics.flatMap(() => table.arms.map((a) => a.label));
  const rowOf = (label: string, stats: ArmStats | undefined, planned: Readonly<Record<string, number>> | undefined, isMean: boolean, href?: string) => ({
    label,
    href,
    isMean,
    cells: metrics.flatMap((m) => {
      const best = findBestArms(stats, m.key);
      return table.arms.map((a): ValueCell => {
        const stat = stats?.[a.key]?.[m.key];
        return stat ? valueCell(stat, best.includes(a.key), planned?.[a.key]) : missingCell;
      });
    }),
  });
  const rows = [...table.categories.map((c) => rowOf(c, table.stats[c], table.plannedSeeds[c], false, hrefOf(c))), rowOf('Mean', table.mean, table.plannedArmSeeds, true)];
  const note =
    table.partialMeans.length > 0
      ? `Means of ${table.partialMeans.join(', ')} leave out categories without results; their ± is over seeds that finished every category.`
      : undefined;
  return { groups, columns, rows, note };
}

/** One category's table on its page: arms as rows, every metric as a column. */
export function buildCategoryTable(table: DatasetTable, category: string, metrics: readonly MetricDef[]): MetricTableView {
  const stats = table.stats[category];
  const best = new Map(metrics.map((m) => [m.key, findBestArms(stats, m.key)]));
  return {
    groups: [],
    columns: metrics.map((m) => m.label),
    rows: table.arms.map((a) => ({
      label: a.label,
      isMean: false,
      cells: metrics.map((m): ValueCell => {
        const stat = stats?.[a.key]?.[m.key];
        return stat ? valueCell(stat, best.get(m.key)!.includes(a.key), table.plannedSeeds[category]?.[a.key]) : missingCell;
      }),
    })),
  };
}

/** Per-seed values of one category (arm × seed rows), for transparency. */
export function buildSeedTable(results: readonly CellResult[], metrics: readonly MetricDef[], readValue: (r: CellResult, key: MetricKey) => number | undefined): MetricTableView {
  return {
    groups: [],
    columns: metrics.map((m) => m.label),
    rows: results.map((r) => ({
      label: `${describeArm(r.cell)}, seed ${r.cell.seed}`,
      isMean: false,
      cells: metrics.map((m): ValueCell => {
        const v = readValue(r, m.key);
        return v === undefined ? missingCell : { text: formatValue(v), std: '', best: false, missing: false };
      }),
    })),
  };
}

/** The ablation table: arms as rows, means over categories as columns, differences to the matching `full` arm. */
export function buildAblationTable(table: DatasetTable, metrics: readonly MetricDef[]): MetricTableView {
  const rows = buildAblationRows(table, metrics).map((row) => ({
    label: row.arm.label,
    isMean: false,
    cells: metrics.map((m): ValueCell => {
      const value = row.values[m.key];
      if (!value) return missingCell;
      const bestMean = Math.max(...table.arms.map((a) => table.mean[a.key]?.[m.key]?.mean ?? -Infinity));
      return {
        ...valueCell(value.stat, table.arms.length > 1 && value.stat.mean >= bestMean - 1e-12, table.plannedArmSeeds[row.arm.key]),
        delta: value.delta === null ? undefined : formatDelta(value.delta),
        deltaClass: value.delta === null ? undefined : value.delta < 0 ? 'down' : value.delta > 0 ? 'up' : 'flat',
      };
    }),
  }));
  return { groups: [], columns: metrics.map((m) => m.label), rows, note: table.arms.some((a) => a.variant === 'full') ? undefined : 'No `full` results: differences are not shown.' };
}

/**
 * The published-baselines block: per metric, the published methods × categories with a citation per row; and apart
 * from them, never as a row of their tables, this run's measured values (the `full` variant, or the first run) with
 * how they were evaluated.
 */
export function buildBaselinesView(baselines: Baselines, table: DatasetTable, evaluation: EvaluationText, tableId: string) {
  const labels: Record<string, string> = Object.fromEntries(ALL_METRICS.map((m) => [m.key, m.label]));
  const references: { number: number; paper: string; text: string; url: string; tables: string[] }[] = [];
  const referenceNumber = (c: Baselines['methods'][number]['results'][number]['citation']) => {
    let ref = references.find((r) => r.paper === c.paper);
    if (!ref) {
      ref = { number: references.length + 1, paper: c.paper, text: `${c.authors}. ${c.paper}. ${c.venue}, ${c.year}.`, url: c.url, tables: [] };
      references.push(ref);
    }
    const table = `${c.table} (read from ${c.readFrom})`;
    if (!ref.tables.includes(table)) ref.tables.push(table);
    return ref.number;
  };
  const metricKeys = [...new Set(baselines.methods.flatMap((m) => m.results.map((r) => r.metric)))];
  const published = metricKeys.map((key) => ({
    label: labels[key] ?? key,
    categories: baselines.categories,
    rows: baselines.methods.flatMap((method) =>
      method.results
        .filter((r) => r.metric === key)
        .map((r) => ({ name: method.name, modality: method.modality, ref: referenceNumber(r.citation), source: r.citation.table, values: baselines.categories.map((c) => formatValue(r.values[c])), mean: formatValue(r.mean) })),
    ),
  }));
  // One arm: the first `full` one (with grid values, the lowest in table order), else the first arm.
  const arm = table.arms.find((a) => a.variant === 'full') ?? table.arms[0];
  const seeds = new Set(table.results.filter((r) => arm && armKeyOf(r.cell) === arm.key).map((r) => r.cell.seed)).size;
  const measured = arm && {
    tableId,
    variant: arm.label,
    categories: baselines.categories,
    caption: `This run, variant ${arm.label}, mean over ${seeds} seed${seeds === 1 ? '' : 's'}. ${evaluation.summary}`,
    rows: metricKeys.map((key) => ({
      label: labels[key] ?? key,
      values: baselines.categories.map((c) => formatValue(table.stats[c]?.[arm.key]?.[key as MetricKey]?.mean)),
      mean: formatValue(table.mean[arm.key]?.[key as MetricKey]?.mean),
    })),
  };
  return { dataset: baselines.dataset, note: baselines.note, metrics: published, references, notSourced: baselines.notSourced, measured };
}

/** Threshold calibration rows: per result, the threshold and precision / recall / F1 at it (`variant`: the arm's label). */
export function buildThresholdRows(results: readonly CellResult[]) {
  return results.map((r) => {
    const t = r.metrics.threshold;
    const base = { category: r.cell.category, variant: describeArm(r.cell), seed: r.cell.seed };
    if (!t.calibrated) return { ...base, calibrated: false, reason: t.reason };
    return {
      ...base,
      calibrated: true,
      threshold: t.threshold.toPrecision(4),
      minDefectArea: String(t.minDefectArea),
      image: [t.image.precision, t.image.recall, t.image.f1, t.image.fpr].map((v) => formatValue(v)),
      pixel: [t.pixel.precision, t.pixel.recall, t.pixel.f1].map((v) => formatValue(v)),
    };
  });
}

/** A delta table against another run. */
export function buildCompareView(name: string, dir: string, comparisons: readonly DatasetComparison[], metrics: readonly MetricDef[]) {
  return {
    name,
    dir,
    columns: metrics.map((m) => m.label),
    datasets: comparisons.map((c) => ({
      dataset: c.dataset,
      regressions: c.regressions,
      improvements: c.improvements,
      meanRegressions: c.meanRegressions,
      meanImprovements: c.meanImprovements,
      rows: c.rows.map((row) => ({
        label: `${row.arm.label} · ${row.category}`,
        isMean: row.isMean,
        cells: metrics.map((m) => {
          const cell = row.cells[m.key];
          return cell
            ? { text: formatValue(cell.ours), theirs: formatValue(cell.theirs), delta: formatDelta(cell.delta), status: cell.status }
            : { text: '—', theirs: '—', delta: '', status: 'missing' };
        }),
      })),
    })),
  };
}
