// The report stage: `buildReport(options)` reads a run (and runs to compare with) and writes a static site —
// index.html, one page per category and PNG figures — that opens offline from file://.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeArm } from '../orchestrator/matrix/cell-label.js';
import type { CellResult, MatrixCell } from '../orchestrator/matrix/run-layout.js';
import { writeFileAtomic } from '../orchestrator/util/atomic-write.js';
import { startProgressIn } from '../orchestrator/util/progress.js';
import { ALL_METRICS, MAIN_METRICS, aggregateDataset, readMetric, type DatasetTable } from './aggregate.js';
import { packagePath } from './assets.js';
import { loadBaselines, type Baselines } from './baselines.js';
import { buildCategoryBarChart, buildCurveChart, buildLossChart, buildMeanLossChart, buildMetricBarChart, type ChartSpec } from './chart-configs.js';
import { compareTables } from './compare.js';
import { describeEvaluation } from './evaluation.js';
import { createFigureRenderer } from './figures.js';
import { formatValue, slugify } from './format.js';
import { loadRun, type LoadedRun } from './load-run.js';
import { buildDatasetRows, buildMetadata, buildStageRows, describeStatus, listDatasets } from './run-info.js';
import { normalizeReportOptions } from './options.js';
import { buildQualitativeGrid, pickGridCell, type QualitativeGrid } from './qualitative.js';
import { createPageRenderer, type PageRenderer } from './render.js';
import type { NormalizedReportOptions, ReportOptions, ReportSummary } from './types.js';
import { buildAblationTable, buildBaselinesView, buildCategoryTable, buildCompareView, buildMainTable, buildSeedTable, buildThresholdRows } from './view-model.js';

export type { ReportOptions, ReportSummary } from './types.js';

function readVersion(): string {
  return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
}

interface CategoryPage {
  readonly file: string;
  readonly dataset: string;
  readonly category: string;
  readonly results: readonly CellResult[];
  readonly charts: readonly ChartSpec[];
}

const figurePath = (id: string) => `figures/${id}.png`;
const withFigures = (charts: readonly ChartSpec[], on: boolean) => charts.map((c) => ({ ...c, figure: on ? figurePath(c.id) : undefined }));

function toGridView(grid: QualitativeGrid | undefined) {
  if (!grid) return undefined;
  return { ...grid, groups: grid.groups.map((g) => ({ ...g, samples: g.samples.map((s) => ({ ...s, scoreText: s.score.toPrecision(4) })) })) };
}

// Planned cells without a result, with the arm's label (variant and grid values) in place of the variant.
const toMissingView = (cells: readonly MatrixCell[]) => cells.map((c) => ({ ...c, variant: describeArm(c) }));

/** Renders one category page (reading its qualitative grid); returns the HTML and what could not be shown. */
async function renderCategoryPage(
  page: CategoryPage,
  table: DatasetTable,
  run: LoadedRun,
  opts: NormalizedReportOptions,
  renderer: PageRenderer,
  common: object,
): Promise<{ html: string; problems: string[]; notices: string[] }> {
  let grid: QualitativeGrid | undefined;
  let qualitativeNote = 'Qualitative grid disabled (--no-qualitative).';
  const problems: string[] = [];
  const notices: string[] = [];
  if (opts.qualitative) {
    const built = await buildQualitativeGrid(pickGridCell(page.results)!, run.dir, opts.thumbnailSize);
    grid = built.grid;
    problems.push(...built.problems);
    notices.push(...built.notices);
    qualitativeNote = built.notices.join(' ') || 'No qualitative samples.';
  }
  const counts = page.results[0].metrics.counts;
  const html = renderer.renderCategory({
    ...common,
    title: `${page.category} — ${run.manifest.name}`,
    heading: page.category,
    subheading: `${page.dataset} · run ${run.manifest.name}`,
    breadcrumb: { href: 'index.html', label: run.manifest.name },
    counts: [
      { key: 'Test images', value: `${counts.testImages} (${counts.anomalousImages} anomalous, ${counts.goodImages} good)` },
      { key: 'Validation images', value: String(counts.validationImages) },
      { key: 'Ground-truth regions', value: String(counts.regions) },
      { key: 'Evaluated pixels', value: String(counts.pixels) },
      { key: 'Maps resized', value: page.results.some((r) => r.metrics.resizedMaps) ? 'yes' : 'no' },
    ],
    missing: toMissingView(run.missing.filter((c) => c.dataset === page.dataset && c.category === page.category)),
    table: buildCategoryTable(table, page.category, ALL_METRICS),
    seedTable: buildSeedTable(page.results, ALL_METRICS, (r, key) => readMetric(r.metrics, key)),
    charts: withFigures(page.charts, opts.figures),
    thresholds: buildThresholdRows(page.results),
    grid: toGridView(grid),
    gridLow: grid ? formatValue(grid.low, 4) : '',
    gridHigh: grid ? formatValue(grid.high, 4) : '',
    qualitativeNote,
  });
  return { html, problems, notices };
}

/** Builds the report site of `options.run` into `options.out` and says what it wrote. */
export async function buildReport(options: ReportOptions): Promise<ReportSummary> {
  const started = Date.now();
  const opts = normalizeReportOptions(options);
  const run = await loadRun(opts.run);
  const others = await Promise.all(opts.compare.map((dir) => loadRun(dir)));
  const baselines: Baselines | undefined = await loadBaselines(opts.baselines);
  const version = readVersion();
  const problems = [...run.problems, ...others.flatMap((o) => o.problems.map((p) => `compare run ${o.dir}: ${p}`))];
  const notices: string[] = [];
  const renderer = createPageRenderer();

  const datasets = listDatasets(run);
  const tables = new Map<string, DatasetTable>(datasets.map((d) => [d.name, aggregateDataset(d.name, d.kind, run.results, run.manifest.cells)]));
  if (run.superseded > 0) notices.push(`${run.superseded} result file(s) in ${join(run.dir, 'results')} are left out: their cells are not in run.json's plan (superseded by a config change in this run).`);
  const pages: CategoryPage[] = [];
  const indexCharts: ChartSpec[] = [];
  const datasetViews = datasets.map((d) => {
    const table = tables.get(d.name)!;
    const ds = slugify(d.name);
    const pageOf = (category: string) => `cat-${ds}-${slugify(category)}.html`;
    const finished = new Set(table.results.map((r) => r.cell.category));
    for (const category of table.categories.filter((c) => finished.has(c))) {
      const results = table.results.filter((r) => r.cell.category === category);
      const id = `${ds}-${slugify(category)}`;
      pages.push({
        file: pageOf(category),
        dataset: d.name,
        category,
        results,
        charts: [
          buildCategoryBarChart(`${id}-metrics`, table, category, ALL_METRICS),
          buildCurveChart(`${id}-pro`, category, results, 'pro'),
          buildCurveChart(`${id}-pixel-roc`, category, results, 'pixelRoc'),
          buildCurveChart(`${id}-image-roc`, category, results, 'imageRoc'),
          buildLossChart(`${id}-loss`, `Training loss — ${category}`, results, (r) => `${describeArm(r.cell)} (seed ${r.cell.seed})`),
        ],
      });
    }
    const charts = table.results.length === 0 ? [] : [...MAIN_METRICS.map((m) => buildMetricBarChart(`${ds}-bars-${slugify(m.key)}`, table, m)), buildMeanLossChart(`${ds}-loss`, table)];
    indexCharts.push(...charts);
    const fullOrFirst = table.arms.some((a) => a.variant === 'full') ? 'full' : table.arms[0]?.variant;
    const evaluation = describeEvaluation(table.results);
    // With grid values the columns are arms (variant · grid values); without, the captions read as they always did.
    const gridded = table.arms.some((a) => a.overrides !== undefined);
    return {
      name: d.name,
      kind: d.kind,
      anchor: `dataset-${ds}`,
      empty: table.results.length === 0,
      mainTableId: `main-table-${ds}`,
      ablationTableId: `ablation-table-${ds}`,
      mainTable: buildMainTable(table, MAIN_METRICS, (c) => (finished.has(c) ? pageOf(c) : undefined)),
      mainCaption: gridded
        ? `Mean ± std over seeds per category and arm (a variant with its grid values). Bold: the best arm for that category and metric (highest mean; ties all bold), on the Mean row the best mean over categories. ${evaluation.summary}`
        : `Mean ± std over seeds per category and variant. Bold: the best variant for that category and metric (highest mean; ties all bold), on the Mean row the best mean over categories. ${evaluation.summary}`,
      ablationTable: buildAblationTable(table, ALL_METRICS),
      ablationCaption: gridded
        ? `Means over categories; coloured numbers are differences to the full arm with the same grid values. ${evaluation.summary}`
        : `Means over categories; coloured numbers are differences to full. ${evaluation.summary}`,
      baselines: d.kind === 'mvtec' && baselines ? buildBaselinesView(baselines, table, evaluation, `measured-table-${ds}`) : undefined,
      charts: withFigures(charts, opts.figures),
      thresholds: buildThresholdRows(table.results.filter((r) => r.cell.variant === fullOrFirst)),
      categoryLinks: table.categories.filter((c) => finished.has(c)).map((c) => ({ name: c, href: pageOf(c) })),
    };
  });
  if (baselines && !datasets.some((d) => d.kind === 'mvtec')) notices.push('Published baselines are not shown: no dataset of this run is MVTec 3D-AD.');

  const compareViews = others.map((other) => {
    const comparisons = listDatasets(other)
      .filter((d) => tables.has(d.name))
      .map((d) => compareTables(tables.get(d.name)!, aggregateDataset(d.name, d.kind, other.results, other.manifest.cells), ALL_METRICS, opts.regressionTolerance));
    return buildCompareView(other.manifest.name, other.dir, comparisons, ALL_METRICS);
  });

  const allCharts = [...indexCharts, ...pages.flatMap((p) => p.charts)];
  const progress = startProgressIn(opts.progress, { label: 'report', total: pages.length + 1 + (opts.figures ? allCharts.length : 0) });
  const written: string[] = [];
  try {
    if (opts.figures) {
      const figures = createFigureRenderer(opts.figureWidth, opts.figureHeight);
      for (const chart of allCharts) {
        await writeFileAtomic(join(opts.out, figurePath(chart.id)), await figures.render(chart));
        written.push(figurePath(chart.id));
        progress?.tick();
      }
    }
    const common = { generator: version, runDir: run.dir };
    for (const page of pages) {
      const rendered = await renderCategoryPage(page, tables.get(page.dataset)!, run, opts, renderer, common);
      problems.push(...rendered.problems);
      notices.push(...rendered.notices);
      await writeFileAtomic(join(opts.out, page.file), rendered.html);
      progress?.tick();
    }
    const html = renderer.renderIndex({
      ...common,
      title: `${run.manifest.name} — geoad-bench report`,
      heading: run.manifest.name,
      subheading: `${datasets.map((d) => d.name).join(', ')} · ${run.manifest.cells.length} planned cells`,
      status: describeStatus(run),
      metadata: buildMetadata(run, version),
      datasetRows: buildDatasetRows(run),
      stageRows: buildStageRows(run.results),
      missing: toMissingView(run.missing),
      problems,
      notices,
      datasets: datasetViews,
      compare: compareViews,
      tolerance: opts.regressionTolerance,
      config: JSON.stringify(run.manifest.config, null, 2) ?? 'null',
      charts: indexCharts,
    });
    await writeFileAtomic(join(opts.out, 'index.html'), html);
    progress?.tick();
  } finally {
    progress?.stop();
  }
  return {
    out: opts.out,
    indexPath: join(opts.out, 'index.html'),
    pages: pages.map((p) => p.file),
    figures: written,
    cells: { planned: run.manifest.cells.length, finished: run.manifest.cells.length - run.missing.length, missing: run.missing.length, superseded: run.superseded },
    problems,
    notices,
    durationMs: Date.now() - started,
  };
}
