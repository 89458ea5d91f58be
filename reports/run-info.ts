// Run-level facts for the index page: datasets and their sizes, status, metadata and compute time, all pure over a loaded run.
import { formatGridValue } from '../orchestrator/matrix/cell-label.js';
import type { CellResult, MatrixCell } from '../orchestrator/matrix/run-layout.js';
import { describeEvaluation } from './evaluation.js';
import { formatSeconds } from './format.js';
import type { LoadedRun } from './load-run.js';

/** The run's datasets: those of the manifest, then any only seen in results; each with its planned categories. */
export function listDatasets(run: LoadedRun): { name: string; kind: 'synthetic' | 'mvtec'; categories: string[] }[] {
  const names = [...new Set([...run.manifest.datasets.map((d) => d.name), ...run.manifest.cells.map((c) => c.dataset), ...run.results.map((r) => r.cell.dataset)])];
  return names.map((name) => {
    const cell = run.manifest.cells.find((c) => c.dataset === name) ?? run.results.find((r) => r.cell.dataset === name)?.cell;
    const kind = run.manifest.datasets.find((d) => d.name === name)?.kind ?? cell?.datasetKind ?? 'synthetic';
    return { name, kind, categories: [...new Set(run.manifest.cells.filter((c) => c.dataset === name).map((c) => c.category))] };
  });
}

/** The status badge: running, partial (finished with cells missing) or complete. */
export function describeStatus(run: LoadedRun): { text: string; class: string } {
  const planned = run.manifest.cells.length;
  const done = planned - run.missing.length;
  if (run.manifest.finishedAt === null) return { text: `running — ${done} of ${planned} cells finished`, class: 'running' };
  if (run.missing.length > 0) return { text: `partial — ${done} of ${planned} cells finished`, class: 'partial' };
  return { text: `complete — ${planned} cells`, class: 'complete' };
}

// The grid values of the plan per key (`lr: 0.001, 0.003`), or undefined when no cell has any.
function describeGrid(cells: readonly MatrixCell[]): string | undefined {
  const values = new Map<string, Set<string>>();
  for (const cell of cells) {
    for (const [key, value] of Object.entries(cell.overrides ?? {})) {
      if (!values.has(key)) values.set(key, new Set());
      values.get(key)!.add(formatGridValue(value));
    }
  }
  if (values.size === 0) return undefined;
  return [...values.keys()].sort().map((key) => `${key}: ${[...values.get(key)!].join(', ')}`).join('; ');
}

/** Key/value rows of the run's metadata. */
export function buildMetadata(run: LoadedRun, version: string) {
  const m = run.manifest;
  const env = m.environment;
  const wall = m.finishedAt ? (Date.parse(m.finishedAt) - Date.parse(m.startedAt)) / 1000 : Number.NaN;
  const backends = [...new Set(run.results.map((r) => r.backend))].sort();
  const seeds = [...new Set(m.cells.map((c) => c.seed))].sort((a, b) => a - b);
  const variants = [...new Set(m.cells.map((c) => c.variant))];
  const evaluation = describeEvaluation(run.results);
  const grid = describeGrid(m.cells);
  return [
    { key: 'Run', value: m.name },
    { key: 'Started', value: m.startedAt },
    { key: 'Finished', value: m.finishedAt ?? 'still running' },
    { key: 'Wall time', value: formatSeconds(wall) },
    { key: 'Cells', value: `${m.cells.length} planned, ${m.cells.length - run.missing.length} finished, ${run.missing.length} missing${run.superseded > 0 ? `; ${run.superseded} superseded result(s) left out` : ''}` },
    { key: 'Variants', value: variants.join(', ') || '—' },
    ...(grid === undefined ? [] : [{ key: 'Grid values', value: grid }]),
    { key: 'Seeds', value: seeds.join(', ') || '—' },
    { key: 'Git commit', value: env.gitCommit ?? 'unknown (not a git checkout)' },
    { key: 'geoad version', value: env.geoadVersion },
    { key: 'Backend', value: backends.join(', ') || '—' },
    { key: 'AUPRO curve', value: run.results.length > 0 ? evaluation.curve : '—' },
    { key: 'Evaluation resolution', value: run.results.length > 0 ? evaluation.resolution : '—' },
    { key: 'Executor', value: env.executor },
    { key: 'Host', value: env.hostname },
    { key: 'CPU', value: `${env.cpus} × ${env.cpuCount}` },
    { key: 'Memory', value: `${env.memoryGiB} GiB` },
    { key: 'Node.js', value: env.node },
    { key: 'Report by', value: `geoad-bench ${version}` },
  ];
}

/** The datasets table: kind, root and samples per split (`—` until the matrix has counted them). */
export function buildDatasetRows(run: LoadedRun) {
  const count = (samples: Readonly<Record<string, number>> | undefined, split: string) => (samples?.[split] === undefined ? '—' : String(samples[split]));
  return run.manifest.datasets.map((d) => ({ name: d.name, kind: d.kind, root: d.root, train: count(d.samples, 'train'), validation: count(d.samples, 'validation'), test: count(d.samples, 'test') }));
}

/** Total and mean seconds per stage (train, infer, eval, …) over the finished cells. */
export function buildStageRows(results: readonly CellResult[]) {
  const stages = [...new Set(results.flatMap((r) => Object.keys(r.durations)))].sort();
  return stages.map((stage) => {
    const values = results.map((r) => r.durations[stage]).filter((v): v is number => v !== undefined);
    const total = values.reduce((a, b) => a + b, 0);
    return { stage, total: formatSeconds(total), mean: formatSeconds(total / Math.max(1, values.length)) };
  });
}
