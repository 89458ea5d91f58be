// `geoad infer`: maps argv to InferOptions and calls infer(); writes float32 TIFF anomaly maps for `geoad eval`.
import type { CommandModule } from 'yargs';
import { BACKENDS, type BackendChoice } from '../../pipelines/model/backend.js';
import { infer } from '../../pipelines/train/index.js';

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
      .option('out', { type: 'string', demandOption: true, describe: 'Maps root: OUT/<category>/{test,validation}/<defect>/NNN.tiff' })
      .option('backend', { type: 'string', default: 'auto', choices: BACKENDS, describe: 'TensorFlow.js backend' })
      .option('sigma', { type: 'number', default: 4, describe: 'Gaussian smoothing σ in pixels of the prepared image (0: none)' })
      .option('batch-size', { type: 'number', default: 8, describe: 'Samples per forward pass' })
      .option('progress', { type: 'string', default: 'auto', choices: ['auto', 'plain', 'none'], describe: 'Progress display' })
      .option('cache', { type: 'string', describe: 'Preprocessing/feature cache folder [default: DATA/.geoad-cache]; --no-cache computes without it. Samples are prepared with the options the model was trained with' })
      .option('workers', { type: 'number', describe: 'Worker threads that fill the cache before inference; 0 = compute misses in the main thread [default: all CPUs]' })
      .example('$0 infer --model runs/cube-full --data data/synth --category cube --out runs/maps', 'Maps for geoad eval --maps runs/maps')
      .example('$0 infer --model runs/bagel/checkpoints/epoch-010 --data mvtec3d --category bagel --out maps --backend cpu', 'From a given epoch, on cpu'),
  handler: async (argv) => {
    const result = await infer({
      model: argv.model,
      data: argv.data,
      category: argv.category,
      out: argv.out,
      backend: argv.backend as BackendChoice,
      sigma: argv.sigma,
      batchSize: argv['batch-size'],
      progress: argv.progress as 'auto' | 'plain' | 'none',
      ...(argv.cache !== undefined ? { cache: argv.cache } : {}),
      ...(argv.workers !== undefined ? { workers: argv.workers } : {}),
    });
    process.stdout.write(`Wrote ${result.maps} anomaly maps to ${result.out}/${result.category} (${result.backend}, ${result.checkpoint})\n`);
  },
};
