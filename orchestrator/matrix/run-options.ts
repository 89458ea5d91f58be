// Options of `geoad matrix run` / runMatrix(): typed, readonly, defaults filled and checked in one place.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { SlurmOptions } from '../executors/slurm-script.js';
import { UsageError } from '../util/errors.js';
import { expectInteger, expectNumber, expectOneOf } from '../util/validate.js';
import { findRepoRoot } from './load-config.js';

/** Testing hook: a JSON array naming the stage executable instead of `node bin/geoad.mjs`. */
export const STAGE_COMMAND_ENV = 'GEOAD_MATRIX_STAGE_COMMAND';

export interface RunMatrixOptions {
  /** A matrix config file (YAML or JSON). Give this or `preset`. */
  readonly config?: string;
  /** A built-in preset name (datasets/presets/NAME.yaml). */
  readonly preset?: string;
  /** The run directory (ledger, logs, data, results, report). */
  readonly out: string;
  /** @default 'local' */
  readonly executor?: 'local' | 'slurm';
  /** Concurrent CPU jobs (local). @default the number of CPUs */
  readonly workers?: number;
  /** GPU indices for GPU jobs (local), e.g. [0, 1]. @default [] */
  readonly gpus?: readonly number[];
  /** Worker threads each synth/prepare job uses. @default max(1, CPUs / workers) */
  readonly stageWorkers?: number;
  /** Retries after a failed attempt; overrides the config's `limits.retries`. */
  readonly retries?: number;
  /** Base of the exponential backoff in seconds; overrides `limits.retryDelaySeconds`. */
  readonly retryDelaySeconds?: number;
  /** Seconds per attempt for every stage; overrides `limits.timeoutSeconds`. */
  readonly timeoutSeconds?: number;
  /** Stop launching after the first job fails for good. @default false */
  readonly failFast?: boolean;
  /** `NAME=PATH` pairs filling mvtec dataset roots. */
  readonly datasetRoots?: readonly string[];
  readonly slurm?: SlurmOptions;
  /** The stage executable; default: $GEOAD_MATRIX_STAGE_COMMAND (JSON array) or `node bin/geoad.mjs`. */
  readonly stageCommand?: readonly string[];
  /** Install SIGINT/SIGTERM handlers (stop cleanly, exit 130). @default true */
  readonly handleSignals?: boolean;
  /** Line printer for job events. @default stderr */
  readonly print?: (line: string) => void;
}

/** Options with defaults filled; null retries / delay / timeout mean "as the config says". */
export type NormalizedRunMatrixOptions = Required<Omit<RunMatrixOptions, 'config' | 'preset' | 'slurm' | 'retries' | 'retryDelaySeconds' | 'timeoutSeconds'>> & {
  readonly retries: number | null;
  readonly retryDelaySeconds: number | null;
  readonly timeoutSeconds: number | null;
  readonly config: string | undefined;
  readonly preset: string | undefined;
  readonly slurm: SlurmOptions;
};

/** The stage executable from the option, the environment hook, or this checkout's bin/geoad.mjs. */
export function resolveStageCommand(explicit: readonly string[] | undefined): string[] {
  if (explicit !== undefined) {
    if (explicit.length === 0) throw new UsageError('Expected `stageCommand` to name an executable, got an empty list');
    return [...explicit];
  }
  const fromEnv = process.env[STAGE_COMMAND_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fromEnv);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((p) => typeof p === 'string')) {
      throw new UsageError(`Expected \`${STAGE_COMMAND_ENV}\` to be a JSON array of strings, got \`${fromEnv}\``);
    }
    return parsed as string[];
  }
  return [process.execPath, join(findRepoRoot(), 'bin', 'geoad.mjs')];
}

/** Fills defaults and validates; messages name the option. */
export function normalizeRunMatrixOptions(options: RunMatrixOptions): NormalizedRunMatrixOptions {
  if (typeof options.out !== 'string' || options.out === '') throw new UsageError('Expected `--out` to be a run directory path');
  const cpuCount = availableParallelism();
  const workers = expectInteger('--workers', options.workers ?? cpuCount, 1, 1024);
  const gpus = [...(options.gpus ?? [])];
  gpus.forEach((g) => expectInteger('--gpus', g, 0, 1024));
  if (new Set(gpus).size !== gpus.length) throw new UsageError(`Expected \`--gpus\` to list each GPU index once, got \`${gpus.join(',')}\``);
  const slurm = options.slurm ?? {};
  if (slurm.pollSeconds !== undefined) expectNumber('--poll-seconds', slurm.pollSeconds, 0.1, 3600);
  if (slurm.time !== undefined && !/^(\d+-)?\d+(:\d{1,2}){0,2}$/.test(slurm.time)) {
    throw new UsageError(`Expected \`--time\` in a Slurm time format (MINUTES, HH:MM:SS or D-HH:MM:SS), got \`${slurm.time}\``);
  }
  return {
    config: options.config,
    preset: options.preset,
    out: options.out,
    executor: expectOneOf('--executor', options.executor ?? 'local', ['local', 'slurm'] as const),
    workers,
    gpus,
    stageWorkers: expectInteger('--stage-workers', options.stageWorkers ?? Math.max(1, Math.floor(cpuCount / workers)), 0, 1024),
    retries: options.retries === undefined ? null : expectInteger('--retries', options.retries, 0, 20),
    retryDelaySeconds: options.retryDelaySeconds === undefined ? null : expectNumber('--retry-delay', options.retryDelaySeconds, 0, 3600),
    timeoutSeconds: options.timeoutSeconds === undefined ? null : expectNumber('--timeout', options.timeoutSeconds, 0.1, 30 * 24 * 3600),
    failFast: options.failFast ?? false,
    datasetRoots: [...(options.datasetRoots ?? [])],
    slurm,
    stageCommand: resolveStageCommand(options.stageCommand),
    handleSignals: options.handleSignals ?? true,
    print: options.print ?? ((line: string) => process.stderr.write(`${line}\n`)),
  };
}
