// Options of `geoad synth` / renderDataset(): the typed, readonly input, its defaults (filled in one place) and
// the checks run on entry, with messages that name the option and the value received.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { synthPresets } from '../../datasets/synth-presets.js';
import { UsageError } from '../../orchestrator/util/errors.js';
import { expectInteger, expectOneOf } from '../../orchestrator/util/validate.js';
import { categoryNames } from './categories.js';
import { defectTypes, type DefectType } from './params.js';

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
  /** Worker threads for the built-in renderer. @default os.availableParallelism() */
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
  /** Progress display: a bar on a TTY / plain lines, always plain, or none. @default 'auto' */
  readonly progress?: 'auto' | 'plain' | 'off';
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

/** Fills defaults and validates; throws UsageError naming the first bad option. */
export function normalizeSynthOptions(options: SynthOptions): NormalizedSynthOptions {
  let preset: (typeof synthPresets)[string] | undefined;
  if (options.preset !== undefined) {
    preset = synthPresets[options.preset];
    if (!preset) expectOneOf('--preset', options.preset, Object.keys(synthPresets));
  }
  const categories = expectNames('--categories', options.categories, categoryNames, 'category');
  const defects = expectNames('--defects', options.defects, defectTypes, 'defect type') as DefectType[];
  const k = categories.length;
  const train = expectInteger('--train', options.train ?? preset?.train ?? 10000, k, 10_000_000);
  const validation = expectInteger('--validation', options.validation ?? preset?.validation ?? 1000, k, 10_000_000);
  const test = expectInteger('--test', options.test ?? preset?.test ?? 1000, k, 10_000_000);
  const out = options.out ?? './data/synth';
  if (typeof out !== 'string' || out.trim() === '') throw new UsageError(`Expected \`--out\` to be a folder path, got \`${String(out)}\``);
  const renderer = expectOneOf('--renderer', options.renderer ?? 'builtin', renderers);
  const blender = options.blender;
  if (blender !== undefined && (typeof blender !== 'string' || blender === '')) throw new UsageError(`Expected \`--blender\` to be a path, got \`${String(blender)}\``);
  const progress = expectOneOf('progress', options.progress ?? 'auto', ['auto', 'plain', 'off'] as const);
  return {
    out: resolve(out),
    train,
    validation,
    test,
    resolution: expectInteger('--resolution', options.resolution ?? preset?.resolution ?? 400, 32, 2048),
    categories,
    defects,
    seed: expectInteger('--seed', options.seed ?? 0, 0, 0xffffffff),
    workers: expectInteger('--workers', options.workers ?? availableParallelism(), 1, 256),
    force: options.force ?? false,
    renderer,
    blender,
    blenderJobs: expectInteger('--blender-jobs', options.blenderJobs ?? 1, 1, 64),
    samples: expectInteger('--samples', options.samples ?? 64, 1, 65536),
    device: expectOneOf('--device', options.device ?? 'cpu', devices),
    shardSize: expectInteger('--shard-size', options.shardSize ?? 20, 1, 10000),
    progress,
    stream: options.stream ?? process.stderr,
    signal: options.signal,
  };
}

/** The options that decide the dataset's content: a different value on an existing folder needs --force. */
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
    ...(options.renderer === 'builtin' ? {} : { samples: options.samples }),
  };
}

export type DataConfig = ReturnType<typeof selectDataConfig>;
