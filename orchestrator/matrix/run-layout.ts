// The run directory's layout and the files the matrix writes for the report to read.
import { join } from 'node:path';
import type { CategoryMetrics, ProCurveMode } from '../../pipelines/eval/types.js';

export const RUN_MANIFEST_VERSION = 1;
export const CELL_RESULT_VERSION = 1;

/** Where everything of a run lives, below RUN. */
export const runPaths = (run: string) => ({
  ledger: join(run, 'ledger.sqlite'),
  manifest: join(run, 'run.json'),
  jobsDir: join(run, 'jobs'),
  jobDir: (jobId: string) => join(run, 'jobs', jobId),
  jobLog: (jobId: string) => join(run, 'jobs', jobId, 'log.txt'),
  dataDir: join(run, 'data'),
  resultsDir: join(run, 'results'),
  cellResult: (cellId: string) => join(run, 'results', `${cellId}.json`),
  reportDir: join(run, 'report'),
  /** Added for the matrix: per-cell working folders (model, maps, eval.json) and Slurm batch scripts. */
  cellsDir: join(run, 'cells'),
  cellDir: (cellId: string) => join(run, 'cells', cellId),
  slurmDir: join(run, 'slurm'),
});

/** A (dataset, category, variant, seed) cell of the matrix. */
export interface MatrixCell {
  /** Stable id: a hash of the cell's parameters. */
  readonly id: string;
  readonly dataset: string;
  readonly datasetKind: 'synthetic' | 'mvtec';
  readonly category: string;
  readonly variant: 'full' | 'no-mfe' | 'no-gcn' | 'no-nla';
  readonly seed: number;
  /** Grid values beyond the four axes (e.g. `train.lr`), by dotted config path; absent when there are none. */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/** RUN/run.json: what was planned, with the environment it ran in. Written when the run starts, updated as it goes. */
export interface RunManifest {
  readonly schema: 'geoad-run';
  readonly version: typeof RUN_MANIFEST_VERSION;
  readonly name: string;
  /** The resolved matrix config, as validated. */
  readonly config: unknown;
  readonly cells: readonly MatrixCell[];
  /** `samples`: per split (train, validation, test) over the planned categories, once the data exists (dataset-sizes.ts). */
  readonly datasets: readonly { readonly name: string; readonly kind: 'synthetic' | 'mvtec'; readonly root: string; readonly samples?: Readonly<Record<string, number>> }[];
  readonly environment: {
    readonly gitCommit: string | null;
    readonly geoadVersion: string;
    readonly node: string;
    readonly hostname: string;
    readonly cpus: string;
    readonly cpuCount: number;
    readonly memoryGiB: number;
    readonly executor: 'local' | 'slurm';
  };
  readonly startedAt: string;
  readonly finishedAt: string | null;
}

/** RUN/results/<cellId>.json: one cell's outcome, written atomically by its eval job. */
export interface CellResult {
  readonly schema: 'geoad-cell-result';
  readonly version: typeof CELL_RESULT_VERSION;
  readonly cell: MatrixCell;
  readonly backend: string;
  readonly metrics: CategoryMetrics;
  /**
   * How the metrics were computed, from the eval result (added within v1: results written before it lack it, so
   * readers treat it as optional). `resolution` null = each image's own ground-truth resolution.
   */
  readonly evaluation?: { readonly proCurveMode: ProCurveMode; readonly resolution: number | null };
  readonly training: {
    readonly epochs: number;
    readonly finalLoss: number;
    readonly validationLoss: number | null;
    /** Per-epoch mean training loss, for loss curves. */
    readonly lossCurve: readonly number[];
    readonly parameterCount: number;
  };
  /** Seconds per stage (train, infer, eval). */
  readonly durations: Readonly<Record<string, number>>;
  readonly dataRoot: string;
  readonly mapsDir: string;
  readonly modelDir: string;
}
