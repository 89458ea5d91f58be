// Options of `geoad synth` / renderDataset(): the typed, readonly input, its defaults (filled in one place) and
// the checks run on entry, with messages that name the option and the value received.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { synthPresets } from '../../datasets/synth-presets.js';
import { UsageError } from '../../orchestrator/util/errors.js';
import { expectInteger, expectNumber, expectOneOf } from '../../orchestrator/util/validate.js';
import { categoryNames } from './categories.js';
import { defectTypes, type DefectType } from './params.js';
import { minimumTestSamples } from './plan.js';
import { normalizeProgressMode } from '../../orchestrator/util/progress.js';

export const renderers = ['builtin', 'blender', 'blenderproc'] as const;
export type RendererName = (typeof renderers)[number];
export const devices = ['cpu', 'cuda', 'optix'] as const;

/** Everything renderDataset() accepts. Counts are totals across categories. */
export interface SynthOptions {
  /** Output folder. @default './data/synth' */
  readonly out?: string;
  /** A preset from datasets/synth-presets.ts supplying counts and resolution (explicit values win). */
  readonly preset?: string;
  /** Training samples (anomaly-free). @default 10000 */
  readonly train?: number;
  /** Validation samples (anomaly-free, for threshold calibration). @default 1000 */
  readonly validation?: number;
  /** Test samples (good and every defect type). @default 1000 */
  readonly test?: number;
  /** Square image size in pixels, 32–2048. @default 400 */
  readonly resolution?: number;
  /** Categories to render. @default all */
  readonly categories?: readonly string[];
  /** Defect types in the test split. @default all */
  readonly defects?: readonly string[];
  /** Dataset seed (non-negative integer below 2^32). @default 0 */
  readonly seed?: number;
  /** Worker threads for the built-in renderer; 0 renders in the main thread. @default os.availableParallelism() */
  readonly workers?: number;
  /** Replace an existing dataset rendered with a different config. @default false */
  readonly force?: boolean;
  /** @default 'builtin' */
  readonly renderer?: RendererName;
  /** Blender executable for the Blender backends. @default 'blender' on PATH */
  readonly blender?: string;
  /** Blender processes at once. @default 1 */
  readonly blenderJobs?: number;
  /** Cycles samples per pixel (Blender backends). @default 64 */
  readonly samples?: number;
  /** Cycles device. @default 'cpu' */
  readonly device?: (typeof devices)[number];
  /** Samples per Blender process. @default 20 */
  readonly shardSize?: number;
  /** Seconds one Blender process (one shard attempt) may run before it is killed. @default max(120, 60 × shardSize) */
  readonly blenderTimeout?: number;
  /** Which options came from a `--config` file: their errors name the file and its field instead of the flag. */
  readonly configFile?: { readonly path: string; readonly keys: readonly (keyof SynthOptions)[] };
  /** Progress display: a bar on a TTY / plain lines, always plain, or none (`none` is an alias of `off`). @default 'auto' */
  readonly progress?: 'auto' | 'plain' | 'off' | 'none';
  /** Where progress and log lines go. @default process.stderr */
  readonly stream?: NodeJS.WriteStream;
  /** Stops the run after the samples in flight (they are finished and recorded). */
  readonly signal?: AbortSignal;
}

/** SynthOptions with every default filled in and every value checked. */
export interface NormalizedSynthOptions {
  readonly out: string;
  readonly train: number;
  readonly validation: number;
  readonly test: number;
  readonly resolution: number;
  readonly categories: readonly string[];
  readonly defects: readonly DefectType[];
  readonly seed: number;
  readonly workers: number;
  readonly force: boolean;
  readonly renderer: RendererName;
  readonly blender: string | undefined;
  readonly blenderJobs: number;
  readonly samples: number;
  readonly device: (typeof devices)[number];
  readonly shardSize: number;
  /** Seconds. */
  readonly blenderTimeout: number;
  readonly progress: 'auto' | 'plain' | 'off';
  readonly stream: NodeJS.WriteStream;
  readonly signal: AbortSignal | undefined;
}

function expectNames(option: string, values: readonly string[] | undefined, known: readonly string[], what: string): string[] {
  if (values === undefined) return [...known];
  if (!Array.isArray(values) || values.length === 0) throw new UsageError(`Expected \`${option}\` to list at least one ${what}, got \`${String(values)}\``);
  const unknown = values.filter((v) => !known.includes(v));
  if (unknown.length > 0) {
    throw new UsageError(`Unknown ${what} \`${unknown[0]}\` in \`${option}\`; expected some of ${known.map((k) => `\`${k}\``).join(', ')}`);
  }
  return [...new Set(values)];
}

/** A non-empty path. */
function expectPath(name: string, value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`Expected \`${name}\` to be ${what}, got \`${String(value)}\``);
  return value;
}

// Refuses a test count that would leave some category without a good sample or without one of a defect type
// (evaluation needs both; planSamples() shares the count out evenly).
function expectTestCount(name: string, value: unknown, categories: number, defects: number): number {
  const n = expectInteger(name, value, 1, 10_000_000);
  const min = minimumTestSamples(categories, defects);
  if (n < min) {
    const what = `${categories} categor${categories === 1 ? 'y' : 'ies'} × (1 good + ${defects} defect type${defects === 1 ? '' : 's'})`;
    throw new UsageError(`Expected \`${name}\` to be at least ${min} (${what}), got \`${n}\`; raise \`${name}\` or pass fewer --defects/--categories`);
  }
  return n;
}

// Runs one option's check under the name the user wrote: `--train` for a flag or a default, and for a value read
// from the config file its field, with the file first ("neg.yaml: Expected `train` to be …").
function checkOption<T>(options: SynthOptions, key: keyof SynthOptions, flag: string, check: (name: string) => T): T {
  const file = options.configFile;
  if (!file?.keys.includes(key)) return check(flag);
  try {
    return check(flag.replace(/^--/, ''));
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`${file.path}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** Fills defaults and validates; throws UsageError naming the first bad option (or config-file field). */
export function normalizeSynthOptions(options: SynthOptions): NormalizedSynthOptions {
  const check = <T>(key: keyof SynthOptions, flag: string, run: (name: string) => T): T => checkOption(options, key, flag, run);
  let preset: (typeof synthPresets)[string] | undefined;
  if (options.preset !== undefined) {
    preset = synthPresets[options.preset];
    if (!preset) check('preset', '--preset', (name) => expectOneOf(name, options.preset, Object.keys(synthPresets)));
  }
  const categories = check('categories', '--categories', (name) => expectNames(name, options.categories, categoryNames, 'category'));
  const defects = check('defects', '--defects', (name) => expectNames(name, options.defects, defectTypes, 'defect type')) as DefectType[];
  const k = categories.length;
  const train = check('train', '--train', (name) => expectInteger(name, options.train ?? preset?.train ?? 10000, k, 10_000_000));
  const validation = check('validation', '--validation', (name) => expectInteger(name, options.validation ?? preset?.validation ?? 1000, k, 10_000_000));
  const test = check('test', '--test', (name) => expectTestCount(name, options.test ?? preset?.test ?? 1000, k, defects.length));
  const out = check('out', '--out', (name) => expectPath(name, options.out ?? './data/synth', 'a folder path'));
  const blender = options.blender === undefined ? undefined : check('blender', '--blender', (name) => expectPath(name, options.blender, 'a path'));
  const shardSize = check('shardSize', '--shard-size', (name) => expectInteger(name, options.shardSize ?? 20, 1, 10000));
  return {
    out: resolve(out),
    train,
    validation,
    test,
    resolution: check('resolution', '--resolution', (name) => expectInteger(name, options.resolution ?? preset?.resolution ?? 400, 32, 2048)),
    categories,
    defects,
    seed: check('seed', '--seed', (name) => expectInteger(name, options.seed ?? 0, 0, 0xffffffff)),
    workers: check('workers', '--workers', (name) => expectInteger(name, options.workers ?? availableParallelism(), 0, 256)),
    force: options.force ?? false,
    renderer: check('renderer', '--renderer', (name) => expectOneOf(name, options.renderer ?? 'builtin', renderers)),
    blender,
    blenderJobs: check('blenderJobs', '--blender-jobs', (name) => expectInteger(name, options.blenderJobs ?? 1, 1, 64)),
    samples: check('samples', '--samples', (name) => expectInteger(name, options.samples ?? 64, 1, 65536)),
    device: check('device', '--device', (name) => expectOneOf(name, options.device ?? 'cpu', devices)),
    shardSize,
    blenderTimeout: check('blenderTimeout', '--blender-timeout', (name) => expectNumber(name, options.blenderTimeout ?? Math.max(120, shardSize * 60), 0.1, 7 * 24 * 3600)),
    progress: normalizeProgressMode(options.progress),
    stream: options.stream ?? process.stderr,
    signal: options.signal,
  };
}

/**
 * The options that decide the dataset's content: a different value on an existing folder needs --force. Cycles'
 * RGB depends on the device (CPU and GPU kernels differ), so the device counts for the Blender renderers; workers,
 * jobs, shard size and the output path do not (the files are the same for any of them).
 */
export function selectDataConfig(options: NormalizedSynthOptions) {
  return {
    train: options.train,
    validation: options.validation,
    test: options.test,
    resolution: options.resolution,
    categories: options.categories,
    defects: options.defects,
    seed: options.seed,
    renderer: options.renderer,
    ...(options.renderer === 'builtin' ? {} : { samples: options.samples, device: options.device }),
  };
}

export type DataConfig = ReturnType<typeof selectDataConfig>;

/** Every option of a run as it was used, for the manifest's provenance block (never compared on resume). */
export function selectRunOptions(options: NormalizedSynthOptions) {
  return {
    out: options.out,
    renderer: options.renderer,
    workers: options.workers,
    device: options.device,
    samples: options.samples,
    /** The executable run for the Blender renderers (`blender` = looked up on PATH). */
    blender: options.blender ?? 'blender',
    blenderJobs: options.blenderJobs,
    shardSize: options.shardSize,
    blenderTimeout: options.blenderTimeout,
  };
}

export type RunOptions = ReturnType<typeof selectRunOptions>;
