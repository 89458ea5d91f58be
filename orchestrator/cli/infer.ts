// `geoad infer`: maps argv to InferOptions and calls infer(); writes float32 TIFF anomaly maps for `geoad eval`.
// Ctrl-C stops between batches (exit 130); a re-run writes the missing maps.
import type { CommandModule } from 'yargs';
import { withInterruptSignal } from '../util/interrupt.js';
import { BACKENDS, type BackendChoice } from '../../pipelines/model/backend.js';
import { infer, type InferOptions, type ProgressChoice } from '../../pipelines/train/index.js';
import { progressOption } from '../util/progress.js';

interface InferArgs {
  readonly model: string;
  readonly data: string;
  readonly category: string;
  readonly out: string;
  readonly backend: string;
  readonly sigma: number;
  readonly 'batch-size': number;
  readonly progress: string;
  readonly cache?: string | false;
  readonly workers?: number;
}

/** `geoad infer` (yargs command module). */
export const inferCommand: CommandModule<object, InferArgs> = {
  command: 'infer',
  describe: 'Write anomaly maps (float32 TIFF, image resolution, σ=4 smoothing) for every test and validation image',
  builder: (yargs) =>
    yargs
      .option('model', { type: 'string', demandOption: true, describe: 'A `geoad train --out` folder (its latest checkpoint) or a checkpoint folder' })
      .option('data', { type: 'string', demandOption: true, describe: 'Dataset root (MVTec 3D-AD layout)' })
      .option('category', { type: 'string', demandOption: true, describe: 'Category to write maps for' })
      .option('out', { type: 'string', demandOption: true, describe: 'Maps root: OUT/<category>/{test,validation}/<defect>/NNN.tiff; a re-run with the same model writes only missing maps' })
      .option('backend', { type: 'string', default: 'auto', choices: BACKENDS, describe: 'TensorFlow.js backend' })
      .option('sigma', { type: 'number', default: 4, describe: 'Gaussian smoothing σ in pixels of the prepared image (0: none)' })
      .option('batch-size', { type: 'number', default: 8, describe: 'Samples per forward pass' })
      .option('progress', progressOption)
      .option('cache', { type: 'string', describe: 'Preprocessing/feature cache folder [default: DATA/.geoad-cache]; --no-cache computes without it. Samples are prepared with the options the model was trained with' })
      .option('workers', { type: 'number', describe: 'Worker threads that fill the cache before inference; 0 = compute misses in the main thread [default: all CPUs]' })
      .example('$0 infer --model runs/bagel-full --data data/synth --category bagel --out runs/maps', 'Maps for geoad eval --maps runs/maps')
      .example('$0 infer --model runs/bagel/checkpoints/epoch-010 --data mvtec3d --category bagel --out maps --backend cpu', 'From a given epoch, on cpu'),
  handler: async (argv) => {
    const options: InferOptions = {
      model: argv.model,
      data: argv.data,
      category: argv.category,
      out: argv.out,
      backend: argv.backend as BackendChoice,
      sigma: argv.sigma,
      batchSize: argv['batch-size'],
      progress: argv.progress as ProgressChoice,
      ...(argv.cache !== undefined ? { cache: argv.cache } : {}),
      ...(argv.workers !== undefined ? { workers: argv.workers } : {}),
    };
    const result = await withInterruptSignal((signal) => infer(options, { signal }));
    const written = result.maps - result.skipped;
    const kept = result.skipped > 0 ? `; ${result.skipped} already there` : '';
    process.stdout.write(`Wrote ${written} anomaly map${written === 1 ? '' : 's'} to ${result.out}/${result.category} (${result.backend}, ${result.checkpoint}${kept})\n`);
  },
};
