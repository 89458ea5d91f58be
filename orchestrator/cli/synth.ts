// `geoad synth`: maps argv (and --config FILE, which flags override) to SynthOptions and calls renderDataset().
import type { Argv, CommandModule } from 'yargs';
import { ExitCode } from '../util/errors.js';
import { withInterruptSignal } from '../util/interrupt.js';
import { progressOption } from '../util/progress.js';
import { parseList } from '../util/validate.js';
import { formatSummary, renderDataset, type SynthOptions } from '../../pipelines/synth/index.js';
import { loadSynthConfig } from '../../pipelines/synth/config-file.js';
import { categoryNames } from '../../pipelines/synth/categories.js';
import { defectTypes } from '../../pipelines/synth/params.js';
import { synthPresets } from '../../datasets/synth-presets.js';

interface SynthArgs {
  out?: string;
  preset?: string;
  train?: number;
  validation?: number;
  test?: number;
  resolution?: number;
  categories?: string[];
  defects?: string[];
  seed?: number;
  workers?: number;
  force?: boolean;
  config?: string;
  renderer?: 'builtin' | 'blender' | 'blenderproc';
  blender?: string;
  'blender-jobs'?: number;
  samples?: number;
  device?: 'cpu' | 'cuda' | 'optix';
  'shard-size'?: number;
  'blender-timeout'?: number;
  progress?: 'auto' | 'plain' | 'off';
}

const builder = (yargs: Argv) =>
  yargs
    .strict()
    .option('out', { type: 'string', describe: 'Output folder (MVTec 3D-AD layout + manifest.json) [default: ./data/synth]' })
    .option('preset', { type: 'string', describe: `Counts and resolution from a preset: ${Object.keys(synthPresets).join(', ')}` })
    .option('train', { type: 'number', describe: 'Training samples, total across categories [default: 10000]' })
    .option('validation', { type: 'number', describe: 'Anomaly-free validation samples, total [default: 1000]' })
    .option('test', { type: 'number', describe: 'Test samples (good + each defect), total; at least categories × (1 + defects) [default: 1000]' })
    .option('resolution', { type: 'number', describe: 'Square image size in pixels, 32–2048 [default: 400]' })
    .option('categories', { type: 'string', array: true, describe: `Comma-separated categories [default: all: ${categoryNames.join(',')}]` })
    .option('defects', { type: 'string', array: true, describe: `Comma-separated defect types [default: all: ${defectTypes.join(',')}]` })
    .option('seed', { type: 'number', describe: 'Dataset seed [default: 0]' })
    .option('workers', { type: 'number', describe: 'Worker threads (built-in renderer); 0 = in the main thread [default: CPU cores]' })
    .option('force', { type: 'boolean', describe: 'Replace a dataset rendered with a different config in --out' })
    .option('config', { type: 'string', describe: 'JSON/YAML file with the same keys (kebab-case); flags override it' })
    .option('renderer', { choices: ['builtin', 'blender', 'blenderproc'] as const, describe: 'Renderer [default: builtin]' })
    .option('blender', { type: 'string', describe: 'Blender executable for the Blender backends [default: blender on PATH]' })
    .option('blender-jobs', { type: 'number', describe: 'Blender processes at once [default: 1]' })
    .option('samples', { type: 'number', describe: 'Cycles samples per pixel (Blender backends) [default: 64]' })
    .option('device', { choices: ['cpu', 'cuda', 'optix'] as const, describe: 'Cycles device [default: cpu]' })
    .option('shard-size', { type: 'number', describe: 'Samples per Blender process [default: 20]' })
    .option('blender-timeout', { type: 'number', describe: 'Seconds one Blender process may run before it is killed [default: max(120, 60 × shard size)]' })
    // `none` (what train/infer used to take) is accepted as a hidden alias of `off`; yargs checks choices after coerce.
    .option('progress', progressOption)
    .example('$0 synth --preset small --out data/synth-small', 'Render the small preset (all 10 categories) at 224 px')
    .example('$0 synth --train 90 --validation 18 --test 63 --categories bagel,tire --seed 7', 'A custom set of two categories')
    .example('$0 synth --config synth.yaml --workers 2', 'Options from a file; flags override it')
    .example('$0 synth --renderer blender --blender-jobs 2 --samples 128 --device cuda', 'Render with Blender Cycles on a GPU');

/** Flags given on the command line (undefined ones do not override the config file). */
function toOptions(argv: SynthArgs): SynthOptions {
  const fromFile = argv.config ? loadSynthConfig(argv.config) : {};
  const flags: SynthOptions = {
    out: argv.out,
    preset: argv.preset,
    train: argv.train,
    validation: argv.validation,
    test: argv.test,
    resolution: argv.resolution,
    categories: argv.categories ? parseList(argv.categories) : undefined,
    defects: argv.defects ? parseList(argv.defects) : undefined,
    seed: argv.seed,
    workers: argv.workers,
    force: argv.force,
    renderer: argv.renderer,
    blender: argv.blender,
    blenderJobs: argv['blender-jobs'],
    samples: argv.samples,
    device: argv.device,
    shardSize: argv['shard-size'],
    blenderTimeout: argv['blender-timeout'],
    progress: argv.progress,
  };
  const defined = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  // Values the flags did not override are the file's: their errors name the file and the field.
  const keys = Object.keys(fromFile).filter((key) => !(key in defined)) as (keyof SynthOptions)[];
  return { ...fromFile, ...defined, ...(argv.config ? { configFile: { path: argv.config, keys } } : {}) };
}

// The `geoad synth` command module.
export const synthCommand: CommandModule<object, SynthArgs> = {
  command: 'synth',
  describe: 'Render a synthetic RGB + point-cloud anomaly dataset (MVTec 3D-AD layout)',
  builder: builder as unknown as CommandModule<object, SynthArgs>['builder'],
  handler: async (argv) => {
    const summary = await withInterruptSignal((signal) => renderDataset({ ...toOptions(argv), signal }));
    process.stdout.write(`${formatSummary(summary)}\n`);
    if (summary.interrupted) process.exitCode = ExitCode.interrupted;
  },
};
