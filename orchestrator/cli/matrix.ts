// `geoad matrix plan|run|status|retry`: maps argv to the matrix's typed options and calls its entry functions.
import type { Argv, CommandModule } from 'yargs';
import { formatPlan } from '../matrix/format-plan.js';
import { planRun, retryMatrix, runMatrix, type RunMatrixSummary } from '../matrix/run-matrix.js';
import type { RunMatrixOptions } from '../matrix/run-options.js';
import { formatJobList, formatStatus, readMatrixStatus } from '../matrix/status.js';
import { ExitCode, GeoadError, UsageError } from '../util/errors.js';
import { parseList } from '../util/validate.js';

interface ExecArgs {
  readonly executor?: string;
  readonly workers?: number;
  readonly gpus?: string;
  readonly stageWorkers?: number;
  readonly retries?: number;
  readonly retryDelay?: number;
  readonly timeout?: number;
  readonly failFast?: boolean;
  readonly partition?: string;
  readonly gres?: string;
  readonly time?: string;
  readonly sbatchArg?: string[];
  readonly pollSeconds?: number;
}

interface RunArgs extends ExecArgs {
  readonly config?: string;
  readonly preset?: string;
  readonly out: string;
  readonly datasetRoot?: string[];
  readonly json?: boolean;
}

interface RunDirArgs extends ExecArgs {
  readonly run: string;
  readonly json?: boolean;
  readonly failed?: boolean;
  readonly job?: string[];
  readonly jobs?: boolean;
}

function addExecutorOptions<T>(yargs: Argv<T>): Argv<T> {
  return yargs
    .option('executor', { type: 'string', choices: ['local', 'slurm'], describe: 'Where jobs run [default: local]' })
    .option('workers', { type: 'number', describe: 'Concurrent CPU jobs (local) [default: CPUs]' })
    .option('gpus', { type: 'string', describe: 'GPU indices for train/infer jobs (local), e.g. 0,1: one job per GPU with CUDA_VISIBLE_DEVICES' })
    .option('stage-workers', { type: 'number', describe: 'Worker threads per synth/prepare job [default: CPUs / --workers]' })
    .option('retries', { type: 'number', describe: 'Retries after a failed attempt [default: config limits.retries, 2]' })
    .option('retry-delay', { type: 'number', describe: 'Backoff base in seconds, doubled per retry [default: config, 5]' })
    .option('timeout', { type: 'number', describe: 'Seconds per attempt for every stage [default: config limits.timeoutSeconds]' })
    .option('fail-fast', { type: 'boolean', describe: 'Stop launching jobs after the first job fails for good' })
    .option('partition', { type: 'string', describe: 'Slurm partition' })
    .option('gres', { type: 'string', describe: 'Slurm --gres for GPU jobs, e.g. gpu:1' })
    .option('time', { type: 'string', describe: 'Slurm --time per task, e.g. 04:00:00' })
    .option('sbatch-arg', { type: 'string', array: true, describe: 'Extra sbatch option, as an #SBATCH line (repeatable), e.g. --account=lab' })
    .option('poll-seconds', { type: 'number', describe: 'Seconds between squeue polls [default: 5]' });
}

function toExecutorOptions(argv: ExecArgs): Omit<RunMatrixOptions, 'out'> {
  const gpus = argv.gpus === undefined ? undefined : parseList(argv.gpus).map((g) => (/^\d+$/.test(g) ? Number(g) : Number.NaN));
  if (gpus?.some((g) => Number.isNaN(g))) throw new UsageError(`Expected \`--gpus\` to be a comma-separated list of GPU indices, got \`${argv.gpus}\``);
  const slurm = { partition: argv.partition, gres: argv.gres, time: argv.time, extraArgs: argv.sbatchArg, pollSeconds: argv.pollSeconds };
  return {
    executor: argv.executor as RunMatrixOptions['executor'],
    workers: argv.workers,
    gpus,
    stageWorkers: argv.stageWorkers,
    retries: argv.retries,
    retryDelaySeconds: argv.retryDelay,
    timeoutSeconds: argv.timeout,
    failFast: argv.failFast,
    slurm: Object.values(slurm).some((v) => v !== undefined) ? slurm : undefined,
  };
}

function finish(summary: RunMatrixSummary): void {
  process.stdout.write(`${summary.done}/${summary.total} jobs done${summary.failed.length > 0 ? `, ${summary.failed.length} failed` : ''}${summary.blocked > 0 ? `, ${summary.blocked} blocked` : ''}${summary.pending > 0 ? `, ${summary.pending} pending` : ''}; run ${summary.run}\n`);
  if (summary.reportPath) process.stdout.write(`Report: ${summary.reportPath}\n`);
  if (summary.exitCode === ExitCode.interrupted) throw new GeoadError(`interrupted; run the same command again to resume ${summary.run}`, { exitCode: ExitCode.interrupted });
  if (summary.exitCode !== ExitCode.ok) {
    const first = summary.failed[0];
    throw new GeoadError(`${summary.failed.length} job(s) failed${first ? ` (first: ${first.error ?? first.id})` : ''}; see \`geoad matrix status ${summary.run}\`, then \`geoad matrix retry ${summary.run}\``);
  }
}

const planCommand: CommandModule<object, RunArgs> = {
  command: 'plan [config]',
  describe: 'Print the expanded jobs and their dependencies without running anything',
  builder: (yargs) =>
    (yargs as Argv<object>)
      .positional('config', { type: 'string', describe: 'Matrix config (YAML or JSON)' })
      .option('preset', { type: 'string', describe: 'A built-in preset instead of CONFIG: quick, paper' })
      .option('out', { type: 'string', default: 'runs/plan', describe: 'Run directory the paths point into' })
      .option('dataset-root', { type: 'string', array: true, describe: 'NAME=PATH of an mvtec dataset' })
      .option('stage-workers', { type: 'number', describe: 'Worker threads per synth/prepare job' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the jobs as JSON' })
      .example('$0 matrix plan --preset quick', 'List the jobs of the README main job')
      .example('$0 matrix plan my-matrix.yaml --json', 'The jobs of a config as JSON') as unknown as Argv<RunArgs>,
  handler: (argv) => {
    const { plan, options } = planRun({ config: argv.config, preset: argv.preset, out: argv.out, datasetRoots: argv.datasetRoot, stageWorkers: argv.stageWorkers });
    process.stdout.write(argv.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan, options.stageCommand));
  },
};

const runCommand: CommandModule<object, RunArgs> = {
  command: 'run [config]',
  describe: 'Run (or resume) the matrix: jobs locally or on Slurm, recorded in RUN/ledger.sqlite',
  builder: (yargs) =>
    addExecutorOptions(
      (yargs as Argv<object>)
        .positional('config', { type: 'string', describe: 'Matrix config (YAML or JSON)' })
        .option('preset', { type: 'string', describe: 'A built-in preset instead of CONFIG: quick, paper' })
        .option('out', { type: 'string', demandOption: true, describe: 'Run directory; running the same command again resumes it' })
        .option('dataset-root', { type: 'string', array: true, describe: 'NAME=PATH of an mvtec dataset (repeatable)' }),
    )
      .example('$0 matrix run --preset quick --out runs/quick', 'The README main job: small synthetic set, four variants, report')
      .example('$0 matrix run --preset paper --dataset-root mvtec=/data/mvtec3d --gpus 0,1 --out runs/paper', 'The paper matrix on two local GPUs')
      .example('$0 matrix run m.yaml --out runs/m --executor slurm --partition gpu --gres gpu:1 --time 04:00:00', 'On Slurm as job arrays') as unknown as Argv<RunArgs>,
  handler: async (argv) => {
    finish(await runMatrix({ ...toExecutorOptions(argv), config: argv.config, preset: argv.preset, out: argv.out, datasetRoots: argv.datasetRoot }));
  },
};

const statusCommand: CommandModule<object, RunDirArgs> = {
  command: 'status <run>',
  describe: 'A table per stage: done, running, failed, blocked, pending, elapsed, ETA (exit 1 if any job failed)',
  builder: (yargs) =>
    (yargs as Argv<object>)
      .positional('run', { type: 'string', demandOption: true, describe: 'Run directory' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the status as JSON' })
      .option('jobs', { type: 'boolean', default: false, describe: 'Also list every job id with its stage, status and attempts (the ids `retry --job` takes)' })
      .example('$0 matrix status runs/quick', 'How far the quick run is')
      .example('$0 matrix status runs/quick --jobs', 'Every job id with its status, e.g. to pick one for `retry --job`')
      .example('$0 matrix status runs/paper --json', 'The same as JSON, failed jobs with errors and logs') as unknown as Argv<RunDirArgs>,
  handler: (argv) => {
    const { jobs, ...status } = readMatrixStatus(argv.run);
    if (argv.json) process.stdout.write(`${JSON.stringify(argv.jobs ? { ...status, jobs } : status, null, 2)}\n`);
    else process.stdout.write(formatStatus({ ...status, jobs }) + (argv.jobs ? `\n${formatJobList(jobs)}` : ''));
    if (status.failed.length > 0) process.exitCode = ExitCode.failure;
  },
};

const retryCommand: CommandModule<object, RunDirArgs> = {
  command: 'retry <run>',
  describe: 'Re-queue failed and blocked jobs (or --job IDs and what follows them) and run the matrix again',
  builder: (yargs) =>
    addExecutorOptions(
      (yargs as Argv<object>)
        .positional('run', { type: 'string', demandOption: true, describe: 'Run directory' })
        .option('failed', { type: 'boolean', default: true, describe: 'Re-queue failed jobs and the jobs they blocked (the default)' })
        .option('job', { type: 'string', array: true, describe: 'Re-run these job ids (even done ones) and everything after them' }),
    )
      .example('$0 matrix retry runs/paper --failed', 'Run the failed jobs again with a fresh retry budget')
      .example('$0 matrix retry runs/quick --job train-synth-bagel-full-s0-1a2b3c4d', 'Re-run one training and its infer/eval/report') as unknown as Argv<RunDirArgs>,
  handler: async (argv) => {
    if (argv.failed === false && argv.job === undefined) throw new UsageError('Nothing to retry: give `--failed` or `--job ID`');
    finish(await retryMatrix({ ...toExecutorOptions(argv), run: argv.run, jobs: argv.job === undefined ? undefined : parseList(argv.job) }));
  },
};

/** `geoad matrix <plan|run|status|retry>`. */
export const matrixCommand: CommandModule<object, object> = {
  command: 'matrix <command>',
  describe: 'The ablation matrix: plan, run (local or Slurm, resumable), status and retry',
  builder: (yargs) =>
    yargs
      .command(planCommand)
      .command(runCommand)
      .command(statusCommand)
      .command(retryCommand)
      .demandCommand(1, 'Name a matrix command: plan, run, status or retry')
      .example('$0 matrix run --preset quick --out runs/quick', 'The README main job')
      .example('$0 matrix status runs/quick', 'Progress per stage'),
  handler: () => {},
};
