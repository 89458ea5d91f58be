// Expands a validated matrix config into jobs with stable ids and dependencies:
// synth → prepare → train → infer → eval → collect → report (one synth per synthetic dataset,
// one prepare per dataset and category, one train/infer/eval/collect chain per cell, one report).
import { isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../util/errors.js';
import type { DatasetConfig, MatrixConfig, Stage } from './config-schema.js';
import { describeArm } from './cell-label.js';
import { expandGrid, hashParameters } from './grid.js';
import type { JobSpec } from './job-spec.js';
import { runPaths, type MatrixCell, type RunManifest } from './run-layout.js';

/** Where the plan's paths point; nothing here touches the disk. */
export interface ExpandContext {
  /** The run directory (absolute paths are derived from it). */
  readonly run: string;
  /** Folder of the config file: relative paths in it (synth `config`, dataset `root`) resolve against it. */
  readonly configDir: string;
  /** Worker threads handed to synth and prepare. */
  readonly stageWorkers: number;
}

/** The expanded matrix. */
export interface MatrixPlan {
  readonly jobs: readonly JobSpec[];
  readonly cells: readonly MatrixCell[];
  readonly datasets: RunManifest['datasets'];
}

const GPU_BACKENDS = new Set(['auto', 'tensorflow']);

function toFlag(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** `{lr: 0.01, batchSize: 4}` → `['--batch-size', '4', '--lr', '0.01']` (keys sorted; undefined skipped). */
export function toFlags(values: Readonly<Record<string, unknown>>, skip: readonly string[] = []): string[] {
  return Object.keys(values)
    .sort()
    .filter((k) => values[k] !== undefined && !skip.includes(k))
    .flatMap((k) => [toFlag(k), String(values[k])]);
}

function datasetRoot(dataset: DatasetConfig, run: string, configDir: string): string {
  if (dataset.kind === 'synthetic') return join(runPaths(run).dataDir, dataset.name);
  if (dataset.root === undefined) {
    throw new UsageError(`Dataset \`${dataset.name}\` (mvtec) has no \`root\`: set \`datasets[].root\` in the config or pass \`--dataset-root ${dataset.name}=PATH\``);
  }
  return isAbsolute(dataset.root) ? dataset.root : resolve(configDir, dataset.root);
}

/** Expands `config` into jobs (stable order: datasets, then categories, variants, seeds, grid values). */
export function expandMatrix(config: MatrixConfig, context: ExpandContext): MatrixPlan {
  const run = resolve(context.run);
  const paths = runPaths(run);
  const limits = config.limits.timeoutSeconds;
  const timeoutOf = (stage: Exclude<Stage, 'collect'>) => limits[stage] ?? null;
  const jobs: JobSpec[] = [];
  const cells: MatrixCell[] = [];
  const datasets: { name: string; kind: 'synthetic' | 'mvtec'; root: string }[] = [];
  const base = { waitFor: 'success' as const, gpu: false, clean: [] as string[], resume: null, resultPath: null, collect: null };
  const trainCombos = expandGrid(config.train);
  const inferCombos = expandGrid(config.infer);
  const evalCombos = expandGrid(config.eval);
  // The prepare options go into every cell's hash, so a changed one gives new train/infer/eval jobs instead of
  // reusing outputs computed from the old cache.
  const preparedWith = cacheOptions(config.prepare);
  const trainPrepareFlags = toTrainPrepareFlags(config.prepare);
  for (const dataset of config.datasets) {
    const root = datasetRoot(dataset, run, context.configDir);
    const categories = dataset.categories ?? config.categories ?? [];
    datasets.push({ name: dataset.name, kind: dataset.kind === 'synthetic' ? 'synthetic' : 'mvtec', root });
    const datasetKey = dataset.kind === 'synthetic' ? { kind: dataset.kind, synth: dataset.synth, categories } : { kind: dataset.kind, root };
    let synthId: string | null = null;
    if (dataset.kind === 'synthetic') {
      const s = dataset.synth;
      synthId = `synth-${dataset.name}-${hashParameters(datasetKey)}`;
      const config_ = s.config === undefined ? undefined : isAbsolute(s.config) ? s.config : resolve(context.configDir, s.config);
      jobs.push({
        ...base,
        id: synthId,
        stage: 'synth',
        label: `synth ${dataset.name} (${categories.join(', ')})`,
        cellId: null,
        deps: [],
        args: ['synth', '--out', root, '--seed', String(s.seed), '--categories', categories.join(','), '--workers', String(s.workers ?? context.stageWorkers), ...toFlags({ preset: s.preset, config: config_, train: s.train, validation: s.validation, test: s.test, resolution: s.resolution })],
        timeoutSeconds: timeoutOf('synth'),
        resultPath: join(root, 'manifest.json'),
      });
    }
    for (const category of categories) {
      const prepareValues = { ...config.prepare, size: config.train.imageSize, grid: config.train.geometricGrid };
      const prepareId = `prepare-${dataset.name}-${category}-${hashParameters({ datasetKey, category, prepareValues, synthId })}`;
      jobs.push({
        ...base,
        id: prepareId,
        stage: 'prepare',
        label: `prepare ${dataset.name}/${category}`,
        cellId: null,
        deps: synthId ? [synthId] : [],
        args: ['data', 'prepare', root, '--categories', category, '--workers', String(config.prepare.workers ?? context.stageWorkers), ...toFlags(prepareValues, ['workers'])],
        timeoutSeconds: timeoutOf('prepare'),
      });
      for (const variant of config.variants) {
        for (const seed of config.seeds) {
          for (const t of trainCombos) {
            for (const i of inferCombos) {
              for (const e of evalCombos) {
                const overrides = { ...prefixKeys('train', t.chosen), ...prefixKeys('infer', i.chosen), ...prefixKeys('eval', e.chosen) };
                const hash = hashParameters({ datasetKey, category, variant, seed, prepare: preparedWith, train: t.values, infer: i.values, eval: e.values }, 8);
                const cellId = `${dataset.name}-${category}-${variant}-s${seed}-${hash}`;
                const cell: MatrixCell = { id: cellId, dataset: dataset.name, datasetKind: dataset.kind === 'synthetic' ? 'synthetic' : 'mvtec', category, variant, seed, ...(Object.keys(overrides).length > 0 ? { overrides } : {}) };
                cells.push(cell);
                const dir = paths.cellDir(cellId);
                const modelDir = join(dir, 'model');
                const mapsDir = join(dir, 'maps');
                const evalPath = join(dir, 'eval.json');
                const backend = String(t.values.backend);
                const gpu = GPU_BACKENDS.has(backend);
                const ids = { train: `train-${cellId}`, infer: `infer-${cellId}`, eval: `eval-${cellId}` };
                // Grid values are part of the label: cells that differ only in them must not read alike.
                const where = `${dataset.name}/${category} ${describeArm(cell)} seed ${seed}`;
                jobs.push({
                  ...base,
                  id: ids.train,
                  stage: 'train',
                  label: `train ${where}`,
                  cellId,
                  deps: [prepareId],
                  args: ['train', '--data', root, '--category', category, '--variant', variant, '--seed', String(seed), '--out', modelDir, '--workers', String(context.stageWorkers), ...toFlags(t.values), ...trainPrepareFlags],
                  gpu,
                  timeoutSeconds: timeoutOf('train'),
                  resume: { marker: join(modelDir, 'checkpoint.json'), flag: '--resume' },
                  resultPath: join(modelDir, 'summary.json'),
                });
                jobs.push({
                  ...base,
                  id: ids.infer,
                  stage: 'infer',
                  label: `infer ${where}`,
                  cellId,
                  deps: [ids.train],
                  args: ['infer', '--model', modelDir, '--data', root, '--category', category, '--out', mapsDir, '--backend', backend, '--workers', String(context.stageWorkers), ...toFlags(i.values)],
                  gpu,
                  timeoutSeconds: timeoutOf('infer'),
                  clean: [mapsDir],
                  resultPath: mapsDir,
                });
                jobs.push({
                  ...base,
                  id: ids.eval,
                  stage: 'eval',
                  label: `eval ${where}`,
                  cellId,
                  deps: [ids.infer],
                  args: ['eval', '--maps', mapsDir, '--data', root, '--category', category, '--out', evalPath, ...toFlags(e.values)],
                  timeoutSeconds: timeoutOf('eval'),
                  clean: [evalPath],
                  resultPath: evalPath,
                });
                jobs.push({
                  ...base,
                  id: `collect-${cellId}`,
                  stage: 'collect',
                  label: `collect ${where}`,
                  cellId,
                  deps: [ids.eval],
                  args: [],
                  timeoutSeconds: null,
                  resultPath: paths.cellResult(cellId),
                  collect: { cell, evalPath, modelDir, mapsDir, dataRoot: root, stageJobs: ids },
                });
              }
            }
          }
        }
      }
    }
  }
  if (config.report.enabled) {
    const collects = jobs.filter((j) => j.stage === 'collect').map((j) => j.id);
    jobs.push({
      ...base,
      id: `report-${hashParameters({ collects, report: config.report })}`,
      stage: 'report',
      label: 'report',
      cellId: null,
      deps: collects,
      waitFor: 'settled',
      args: ['report', run, '--out', paths.reportDir, ...(config.report.figures ? [] : ['--no-figures']), ...(config.report.qualitative ? [] : ['--no-qualitative'])],
      timeoutSeconds: timeoutOf('report'),
      resultPath: join(paths.reportDir, 'index.html'),
    });
  }
  assertUniqueIds(jobs);
  return { jobs, cells, datasets };
}

function prefixKeys(prefix: string, values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}.${k}`, v]));
}

// What the prepared cache depends on: every prepare option but the thread count; undefined when none is set, so
// configs without prepare options keep the ids they had before prepare options were hashed.
function cacheOptions(prepare: MatrixConfig['prepare']): Record<string, unknown> | undefined {
  const { workers: _threads, ...options } = prepare;
  return Object.values(options).some((v) => v !== undefined) ? options : undefined;
}

// `geoad train` names the preparation options it reads the cache with like `data prepare`, except the RANSAC seed
// (`--prepare-seed`, as `--seed` is the training seed). Only the options the config sets are passed.
const TRAIN_PREPARE_FLAGS = { distanceThreshold: '--distance-threshold', largestComponent: '--largest-component', seed: '--prepare-seed', fpfhRadius: '--fpfh-radius' } as const;

function toTrainPrepareFlags(prepare: MatrixConfig['prepare']): string[] {
  return (Object.keys(TRAIN_PREPARE_FLAGS) as (keyof typeof TRAIN_PREPARE_FLAGS)[]).flatMap((key) => (prepare[key] === undefined ? [] : [TRAIN_PREPARE_FLAGS[key], String(prepare[key])]));
}

function assertUniqueIds(jobs: readonly JobSpec[]): void {
  const seen = new Set<string>();
  for (const job of jobs) {
    if (seen.has(job.id)) throw new UsageError(`The matrix holds job \`${job.id}\` twice: a category, variant, seed or grid value is listed twice`);
    seen.add(job.id);
  }
}
