// `geoad matrix run` / `retry`: expand the config, take the run's lock, record the jobs in the ledger, stop leftovers
// of a killed run, walk the graph through the chosen executor, and stop cleanly on SIGINT/SIGTERM (children
// signalled, jobs pending).
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LocalExecutor } from '../executors/local-executor.js';
import { SlurmExecutor } from '../executors/slurm-executor.js';
import { stopLeftovers } from '../executors/stale.js';
import { RUN_ENV, type Executor } from '../executors/types.js';
import { Ledger, type JobRow } from '../ledger/ledger.js';
import { ExitCode, UsageError } from '../util/errors.js';
import { startProgress } from '../util/progress.js';
import { checkMvtecCategories } from './check-categories.js';
import { checkDatasetRoots, checkSyntheticTestCounts } from './check-roots.js';
import { STAGES, type MatrixConfig } from './config-schema.js';
import { measureDatasets } from './dataset-sizes.js';
import { expandMatrix, type MatrixPlan } from './expand.js';
import { stableStringify } from './grid.js';
import { applyDatasetRoots, findRepoRoot, loadMatrixConfig, parseMatrixConfig } from './load-config.js';
import { buildManifest, readPlannedCellIds, readStartedAt, writeManifest } from './manifest.js';
import { acquireRunLock } from './run-lock.js';
import { runJob } from './run-job.js';
import { normalizeRunMatrixOptions, type NormalizedRunMatrixOptions, type RunMatrixOptions } from './run-options.js';
import { runPaths, type RunManifest } from './run-layout.js';
import { runGraph } from './scheduler.js';

/** How a run ended. */
export interface RunMatrixSummary {
  readonly run: string;
  readonly total: number;
  readonly done: number;
  readonly failed: readonly JobRow[];
  readonly blocked: number;
  readonly pending: number;
  readonly interrupted: boolean;
  /** RUN/report/index.html when the report job is done. */
  readonly reportPath: string | null;
  /** 0 all done, 1 something failed or is blocked, 130 interrupted. */
  readonly exitCode: number;
}

/** Applies the command-line overrides of retries, retry delay and timeouts to the config. */
function applyLimits(config: MatrixConfig, o: NormalizedRunMatrixOptions): MatrixConfig {
  const timeoutSeconds = o.timeoutSeconds === null ? config.limits.timeoutSeconds : Object.fromEntries(STAGES.filter((s) => s !== 'collect').map((s) => [s, o.timeoutSeconds]));
  return { ...config, limits: { retries: o.retries ?? config.limits.retries, retryDelaySeconds: o.retryDelaySeconds ?? config.limits.retryDelaySeconds, timeoutSeconds } };
}

/** A config ready to run: `config` has the command line's limits applied; `storedConfig` is what the ledger and run.json keep. */
export interface PlannedRun {
  readonly config: MatrixConfig;
  /** The config as given (dataset roots filled in), without one-off `--retries` / `--retry-delay` / `--timeout`. */
  readonly storedConfig: MatrixConfig;
  readonly plan: MatrixPlan;
  readonly source: string;
  readonly configDir: string;
  readonly options: NormalizedRunMatrixOptions;
}

/** Loads, checks and expands the config of `options` without writing anything (also used by `matrix plan`). */
export function planRun(options: RunMatrixOptions): PlannedRun {
  const o = normalizeRunMatrixOptions(options);
  const loaded = loadMatrixConfig({ config: o.config, preset: o.preset });
  const storedConfig = applyDatasetRoots(loaded.config, o.datasetRoots);
  checkDatasetRoots(storedConfig, loaded.configDir, loaded.source);
  checkSyntheticTestCounts(storedConfig, loaded.source);
  checkMvtecCategories(storedConfig, loaded.configDir, loaded.source);
  const config = applyLimits(storedConfig, o);
  const plan = expandMatrix(config, { run: resolve(o.out), configDir: loaded.configDir, stageWorkers: o.stageWorkers });
  return { config, storedConfig, plan, source: loaded.source, configDir: loaded.configDir, options: o };
}

function createExecutor(o: NormalizedRunMatrixOptions, run: string, name: string): Executor {
  if (o.executor === 'local') return new LocalExecutor({ workers: o.workers, gpus: o.gpus });
  const paths = runPaths(run);
  return new SlurmExecutor({ ...o.slurm, scriptDir: paths.slurmDir, name, exitPath: (id, attempt) => `${paths.jobDir(id)}/exit-${attempt}` });
}

/** Runs (or resumes) the matrix of `options.config` / `options.preset` in `options.out`. */
export async function runMatrix(options: RunMatrixOptions): Promise<RunMatrixSummary> {
  const planned = planRun(options);
  const lock = acquireRunLock(resolve(planned.options.out), planned.options.print);
  try {
    return await executePlan(planned, options);
  } finally {
    lock.release();
  }
}

/** Re-queues a run's failed and blocked jobs (or `jobs`, with everything after them) and runs it again. */
export async function retryMatrix(options: { readonly run: string; readonly jobs?: readonly string[] } & Omit<RunMatrixOptions, 'config' | 'preset' | 'out'>): Promise<RunMatrixSummary> {
  const run = resolve(options.run);
  const ledger = Ledger.open(runPaths(run).ledger, { readonly: true });
  const stored = { config: ledger.getMeta<unknown>('config'), configDir: ledger.getMeta<string>('configDir'), options: ledger.getMeta<Partial<RunMatrixOptions>>('options') };
  const known = new Set(ledger.listJobs().map((j) => j.id));
  ledger.close();
  if (stored.config === undefined || stored.configDir === undefined) throw new UsageError(`${runPaths(run).ledger} holds no matrix config: was this run started by \`geoad matrix run\`?`);
  for (const id of options.jobs ?? []) if (!known.has(id)) throw new UsageError(`Expected \`--job\` to be a job id of ${run} (see \`geoad matrix status ${run} --jobs\`), got \`${id}\``);
  const { jobs, run: _run, ...overrides } = options;
  const given = stripUndefined(overrides);
  const o = normalizeRunMatrixOptions({ ...stored.options, ...given, out: run });
  const source = `${runPaths(run).ledger} (stored config)`;
  const storedConfig = parseMatrixConfig(stored.config, source);
  checkDatasetRoots(storedConfig, stored.configDir, source);
  checkSyntheticTestCounts(storedConfig, source);
  checkMvtecCategories(storedConfig, stored.configDir, source);
  // Limits given to this retry apply to it alone: the ledger keeps the stored config (executePlan stores it again).
  const config = applyLimits(storedConfig, o);
  const plan = expandMatrix(config, { run, configDir: stored.configDir, stageWorkers: o.stageWorkers });
  const chosen = jobs === undefined ? undefined : withDependents(plan, jobs);
  const lock = acquireRunLock(run, o.print);
  try {
    const reused = describeReused(storedConfig, stored.options ?? {}, given);
    if (reused !== '') o.print(`geoad matrix retry: reusing the run's stored ${reused} (a flag overrides one for this retry only)`);
    // A forced re-run starts afresh: a training would otherwise resume its finished checkpoint and do nothing.
    for (const job of plan.jobs) if (chosen?.includes(job.id) && job.resume) rmSync(dirname(job.resume.marker), { recursive: true, force: true });
    return await executePlan({ config, storedConfig, plan, source, configDir: stored.configDir, options: o }, options, chosen);
  } finally {
    lock.release();
  }
}

// The stored settings a retry reuses because no flag overrides them, as one phrase ('' when every one is given).
function describeReused(config: MatrixConfig, storedOptions: Partial<RunMatrixOptions>, given: Partial<RunMatrixOptions>): string {
  const timeouts = Object.entries(config.limits.timeoutSeconds).filter(([, s]) => s !== undefined);
  const values = new Set(timeouts.map(([, s]) => s));
  const timeoutText = timeouts.length === 0 ? 'none' : values.size === 1 && timeouts.length === STAGES.length - 1 ? `${timeouts[0][1]} s` : timeouts.map(([stage, s]) => `${stage} ${s} s`).join(', ');
  const parts: [keyof RunMatrixOptions, string | undefined][] = [
    ['retries', `retries ${config.limits.retries}`],
    ['retryDelaySeconds', `retry delay ${config.limits.retryDelaySeconds} s`],
    ['timeoutSeconds', `timeouts ${timeoutText}`],
    ['executor', storedOptions.executor === undefined ? undefined : `executor ${storedOptions.executor}`],
    ['workers', storedOptions.workers === undefined ? undefined : `workers ${storedOptions.workers}`],
    ['gpus', storedOptions.gpus?.length ? `gpus ${storedOptions.gpus.join(',')}` : undefined],
  ];
  return parts.filter(([key, text]) => text !== undefined && given[key] === undefined).map(([, text]) => text).join(', ');
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// The given jobs and every job that (transitively) depends on them.
function withDependents(plan: MatrixPlan, ids: readonly string[]): string[] {
  const chosen = new Set(ids);
  let grew = true;
  while (grew) {
    grew = false;
    for (const job of plan.jobs) if (!chosen.has(job.id) && job.deps.some((d) => chosen.has(d))) (chosen.add(job.id), (grew = true));
  }
  return [...chosen];
}

// Runs a planned matrix; the caller holds the run's lock.
async function executePlan(input: PlannedRun, options: Pick<RunMatrixOptions, 'print'>, requeue?: readonly string[]): Promise<RunMatrixSummary> {
  const { config, storedConfig, plan, configDir, options: o } = input;
  const run = resolve(o.out);
  const paths = runPaths(run);
  const ledger = Ledger.open(paths.ledger);
  const controller = new AbortController();
  let interrupted = false;
  const executor = createExecutor(o, run, config.name);
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) {
      // A second Ctrl-C does not wait for children to exit; they still get SIGTERM as the parent dies (setpriv).
      o.print(`geoad matrix: ${signal} again: exiting now; run the same command to resume`);
      process.exit(ExitCode.interrupted);
    }
    interrupted = true;
    const running = executor.describeRunning();
    o.print(`geoad matrix: ${signal}: stopping; ${running.length} running job(s) will be re-run on resume${running.length > 0 ? `: ${running.join('; ')}` : ''}`);
    controller.abort();
    void executor.stop();
  };
  try {
    const previous = ledger.getMeta<unknown>('config');
    if (previous !== undefined && stableStringify(previous) !== stableStringify(JSON.parse(JSON.stringify(storedConfig)))) {
      // The old cells' results stay in RUN/results/ (nothing is deleted); the report shows only the cells planned now.
      const current = new Set(plan.cells.map((c) => c.id));
      const superseded = (readPlannedCellIds(run) ?? []).filter((id) => !current.has(id)).length;
      o.print(`geoad matrix: config changed since the last run: ${superseded} cell(s) superseded, their results are kept but not reported`);
    }
    ledger.setMeta('config', storedConfig);
    ledger.setMeta('configDir', configDir);
    ledger.setMeta('options', { executor: o.executor, workers: o.workers, gpus: o.gpus, stageWorkers: o.stageWorkers, failFast: o.failFast, slurm: o.slurm });
    ledger.upsertJobs(plan.jobs, paths.jobLog);
    const leftovers = ledger.listJobs().filter((j) => j.status === 'running');
    for (const line of await stopLeftovers(leftovers, run)) o.print(`geoad matrix: stopped a leftover of the previous run: ${line}`);
    ledger.requeueRunning();
    if (requeue !== undefined) ledger.requeue(requeue);
    else ledger.requeue();
    const startedAt = readStartedAt(run) ?? new Date().toISOString();
    // run.json is rewritten as the run goes (dataset sizes once the data exists, then finishedAt), one write at a time.
    let manifest: RunManifest = { ...buildManifest(storedConfig, plan, o.executor, findRepoRoot(), startedAt), datasets: measureDatasets(plan) };
    let manifestWrite = Promise.resolve();
    const updateManifest = (change: Partial<Pick<RunManifest, 'datasets' | 'finishedAt'>>) => {
      manifest = { ...manifest, ...change };
      const snapshot = manifest;
      manifestWrite = manifestWrite.catch(() => {}).then(() => writeManifest(run, snapshot));
      return manifestWrite;
    };
    await updateManifest({});
    if (o.handleSignals) {
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    }
    const planned = new Set(plan.jobs.map((j) => j.id));
    const doneBefore = ledger.listJobs().filter((j) => planned.has(j.id) && j.status === 'done').length;
    o.print(`geoad matrix: ${plan.jobs.length} jobs (${plan.cells.length} cells), ${doneBefore} already done; executor ${o.executor}; run ${run}`);
    const progress = startProgress({ label: 'matrix', total: plan.jobs.length, initial: doneBefore, logEverySeconds: 30 });
    // On a TTY the bar shows what finished; only retries and failures are printed as lines there.
    const bar = process.stderr.isTTY && process.env.GEOAD_PROGRESS !== 'plain' && options.print === undefined;
    const printEvent = (line: string) => (bar && line.startsWith('done ') ? undefined : o.print(bar ? `\n${line}` : line));
    let failedForGood = false;
    // The run's work is finished once every job but the report has settled: the report (the last job) is rendered
    // after `finishedAt` is written, so it shows the run as complete or partial rather than still running.
    let finishedAt: string | null = null;
    const markFinishedIfSettled = async () => {
      const open = ledger.listJobs().filter((j) => planned.has(j.id) && j.stage !== 'report' && (j.status === 'pending' || j.status === 'running'));
      if (open.length > 0 || finishedAt !== null) return;
      finishedAt = new Date().toISOString();
      await updateManifest({ finishedAt, datasets: measureDatasets(plan) });
    };
    await runGraph(plan.jobs, ledger, {
      runJob: async (job) => {
        if (job.stage === 'report') await markFinishedIfSettled();
        await runJob(job, {
          ledger,
          executor,
          stageCommand: o.stageCommand,
          env: { [RUN_ENV]: run },
          retries: config.limits.retries,
          retryDelaySeconds: config.limits.retryDelaySeconds,
          logPathOf: paths.jobLog,
          signal: controller.signal,
          print: printEvent,
        });
        // A synthetic set's size is known once its synth job is done (MVTec roots were counted at the start).
        if (job.stage === 'synth' && ledger.getJob(job.id)?.status === 'done') await updateManifest({ datasets: measureDatasets(plan) });
      },
      onSettled: (job, status) => {
        progress.tick();
        if (status === 'failed' && o.failFast && !failedForGood) {
          failedForGood = true;
          o.print(`geoad matrix: --fail-fast: ${job.label} failed; stopping the other jobs`);
          controller.abort();
          void executor.stop();
        }
      },
      stopped: () => controller.signal.aborted,
    });
    progress.stop();
    const rows = ledger.listJobs().filter((j) => planned.has(j.id));
    const count = (s: string) => rows.filter((j) => j.status === s).length;
    const failed = rows.filter((j) => j.status === 'failed');
    const reportJob = rows.find((j) => j.stage === 'report');
    const pending = count('pending');
    if (pending === 0 && count('running') === 0) await markFinishedIfSettled();
    const exitCode = interrupted ? ExitCode.interrupted : failed.length > 0 || count('blocked') > 0 || pending > 0 ? ExitCode.failure : ExitCode.ok;
    return { run, total: rows.length, done: count('done'), failed, blocked: count('blocked'), pending, interrupted, reportPath: reportJob?.status === 'done' ? reportJob.resultPath : null, exitCode };
  } finally {
    if (o.handleSignals) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    ledger.close();
  }
}
