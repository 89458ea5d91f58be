// Pure Chart.js configurations (plain JSON, no functions) shared by the HTML pages and the PNG figures.
import type { CellResult } from '../orchestrator/matrix/run-layout.js';
import type { Curve } from '../pipelines/eval/types.js';
import type { DatasetTable, MetricDef, Variant } from './aggregate.js';
import { armKeyOf, listArms, type Arm } from './arms.js';

/** A chart: a stable id (canvas id and figure file name), a title and its Chart.js configuration. */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly config: Record<string, unknown>;
}

/** Colour-blind-safe colours (Okabe–Ito) per variant, and for extra series. */
export const VARIANT_COLOURS: Readonly<Record<Variant, string>> = { full: '#0072B2', 'no-mfe': '#E69F00', 'no-gcn': '#009E73', 'no-nla': '#CC79A7' };
const EXTRA_COLOURS = ['#56B4E9', '#D55E00', '#F0E442', '#000000', '#999999'];
const ARM_COLOURS = [...Object.values(VARIANT_COLOURS), ...EXTRA_COLOURS];

/** A colour per arm key: the variant's colour when no arm has grid values, else one colour per arm in table order. */
export function colourArms(arms: readonly Arm[]): ReadonlyMap<string, string> {
  const gridded = arms.some((a) => a.overrides !== undefined);
  return new Map(arms.map((a, i) => [a.key, gridded ? ARM_COLOURS[i % ARM_COLOURS.length] : VARIANT_COLOURS[a.variant]]));
}
const DASHES = [[], [6, 3], [2, 2], [8, 3, 2, 3]];
const MAX_CURVE_POINTS = 200;

/** Keeps at most `max` points of a curve, evenly spread by index, always with both ends. */
export function thinCurve(curve: Curve, max = MAX_CURVE_POINTS): { x: number; y: number }[] {
  const n = Math.min(curve.x.length, curve.y.length);
  if (n <= max) return Array.from({ length: n }, (_, i) => ({ x: curve.x[i], y: curve.y[i] }));
  return Array.from({ length: max }, (_, k) => {
    const i = Math.round((k * (n - 1)) / (max - 1));
    return { x: curve.x[i], y: curve.y[i] };
  });
}

function baseOptions(title: string, xTitle: string, yTitle: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: { title: { display: true, text: title, font: { size: 16, weight: 'bold' } }, legend: { position: 'bottom' } },
    scales: {
      x: { title: { display: true, text: xTitle } },
      y: { title: { display: true, text: yTitle } },
    },
    ...extra,
  };
}

function lowerAxisBound(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return 0;
  return Math.max(0, Math.floor((Math.min(...finite) - 0.05) * 10) / 10);
}

/** Grouped bars: one group per category (plus the mean), one bar per arm, for one metric. */
export function buildMetricBarChart(id: string, table: DatasetTable, metric: MetricDef): ChartSpec {
  const labels = [...table.categories, 'Mean'];
  const colours = colourArms(table.arms);
  const datasets = table.arms.map((arm) => ({
    label: arm.label,
    backgroundColor: colours.get(arm.key),
    data: [...table.categories.map((c) => table.stats[c]?.[arm.key]), table.mean[arm.key]].map((s) => s?.[metric.key]?.mean ?? null),
  }));
  const all = datasets.flatMap((d) => d.data).filter((v): v is number => v !== null);
  const title = `${metric.label} per category — ${table.dataset}`;
  const options = baseOptions(title, 'category', metric.label);
  (options.scales as Record<string, Record<string, unknown>>).y = { min: lowerAxisBound(all), max: 1, title: { display: true, text: metric.label } };
  return { id, title, config: { type: 'bar', data: { labels, datasets }, options } };
}

/** Bars of every metric for one category, one bar per arm (category pages). */
export function buildCategoryBarChart(id: string, table: DatasetTable, category: string, metrics: readonly MetricDef[]): ChartSpec {
  const labels = metrics.map((m) => m.label);
  const colours = colourArms(table.arms);
  const datasets = table.arms.map((arm) => ({
    label: arm.label,
    backgroundColor: colours.get(arm.key),
    data: metrics.map((m) => table.stats[category]?.[arm.key]?.[m.key]?.mean ?? null),
  }));
  const title = `All metrics — ${category}`;
  const options = baseOptions(title, 'metric', 'value (mean over seeds)');
  (options.scales as Record<string, Record<string, unknown>>).y = { min: 0, max: 1, title: { display: true, text: 'value (mean over seeds)' } };
  return { id, title, config: { type: 'bar', data: { labels, datasets }, options } };
}

/** The result shown per arm in curve charts: the lowest seed (deterministic). */
export function pickCurveResults(results: readonly CellResult[], category: string): CellResult[] {
  const byArm = new Map<string, CellResult>();
  for (const r of results) {
    if (r.cell.category !== category) continue;
    const current = byArm.get(armKeyOf(r.cell));
    if (!current || r.cell.seed < current.cell.seed) byArm.set(armKeyOf(r.cell), r);
  }
  return [...byArm.values()];
}

/** PRO or ROC curves of one category, one line per arm (lowest seed). */
export function buildCurveChart(id: string, category: string, results: readonly CellResult[], kind: 'pro' | 'pixelRoc' | 'imageRoc'): ChartSpec {
  const names = { pro: ['PRO curve', 'FPR (anomaly-free pixels)', 'PRO'], pixelRoc: ['Pixel ROC', 'FPR', 'TPR'], imageRoc: ['Image ROC', 'FPR', 'TPR'] } as const;
  const [name, xTitle, yTitle] = names[kind];
  const picked = pickCurveResults(results, category);
  const arms = listArms(picked.map((r) => r.cell));
  const colours = colourArms(arms);
  const datasets = picked.map((r, i) => ({
    label: `${arms.find((a) => a.key === armKeyOf(r.cell))!.label} (seed ${r.cell.seed})`,
    data: thinCurve(r.metrics.curves[kind]),
    borderColor: colours.get(armKeyOf(r.cell)),
    backgroundColor: colours.get(armKeyOf(r.cell)),
    borderDash: DASHES[i % DASHES.length],
    showLine: true,
    pointRadius: 0,
    borderWidth: 2,
  }));
  const title = `${name} — ${category}`;
  const options = baseOptions(title, xTitle, yTitle);
  const scales = options.scales as Record<string, Record<string, unknown>>;
  scales.x = { type: 'linear', min: 0, max: kind === 'pro' ? 0.3 : 1, title: { display: true, text: xTitle } };
  scales.y = { min: 0, max: 1, title: { display: true, text: yTitle } };
  return { id, title, config: { type: 'scatter', data: { datasets }, options } };
}

/** Training loss per epoch: one line per result given (each labelled by arm and seed; colour per arm, dash per seed). */
export function buildLossChart(id: string, title: string, results: readonly CellResult[], labelOf: (r: CellResult) => string): ChartSpec {
  const epochs = Math.max(0, ...results.map((r) => r.training.lossCurve.length));
  const colours = colourArms(listArms(results.map((r) => r.cell)));
  const datasets = results.map((r) => {
    const colour = colours.get(armKeyOf(r.cell));
    return {
      label: labelOf(r),
      data: [...r.training.lossCurve],
      borderColor: colour,
      backgroundColor: colour,
      borderDash: DASHES[r.cell.seed % DASHES.length],
      pointRadius: 0,
      borderWidth: 1.5,
    };
  });
  const options = baseOptions(title, 'epoch', 'mean training loss');
  return { id, title, config: { type: 'line', data: { labels: Array.from({ length: epochs }, (_, i) => i + 1), datasets }, options } };
}

/** Mean training loss per epoch and arm over every category and seed of a dataset (index page). */
export function buildMeanLossChart(id: string, table: DatasetTable): ChartSpec {
  const epochs = Math.max(0, ...table.results.map((r) => r.training.lossCurve.length));
  const colours = colourArms(table.arms);
  const datasets = table.arms.map((arm) => {
    const curves = table.results.filter((r) => armKeyOf(r.cell) === arm.key).map((r) => r.training.lossCurve);
    const data = Array.from({ length: epochs }, (_, e) => {
      const values = curves.map((c) => c[e]).filter((v): v is number => v !== undefined);
      return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null;
    });
    return { label: arm.label, data, borderColor: colours.get(arm.key), backgroundColor: colours.get(arm.key), pointRadius: 0, borderWidth: 2 };
  });
  const title = `Training loss (mean over categories and seeds) — ${table.dataset}`;
  return { id, title, config: { type: 'line', data: { labels: Array.from({ length: epochs }, (_, i) => i + 1), datasets }, options: baseOptions(title, 'epoch', 'mean training loss') } };
}
