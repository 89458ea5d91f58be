// `geoad train`: maps argv to TrainOptions and calls train(); prints where the model went. Ctrl-C stops between
// steps and says how to resume (exit 130).
import type { CommandModule, Options } from 'yargs';
import { withInterruptSignal } from '../util/interrupt.js';
import { progressOption } from '../util/progress.js';
import { BACKENDS, type BackendChoice } from '../../pipelines/model/backend.js';
import { VARIANTS, type Variant } from '../../pipelines/model/network.js';
import { DEFAULT_PREPROCESSING, parseFpfhRadius, train, type ProgressChoice, type TrainOptions } from '../../pipelines/train/index.js';
import { VISUAL_KINDS } from '../../pipelines/visual/index.js';


interface TrainArgs {
  readonly data: string;
  readonly category: string;
  readonly variant: string;
  readonly out: string;
  readonly epochs: number;
  readonly 'batch-size': number;
  readonly lr: number;
  readonly 'weight-decay': number;
  readonly schedule: string;
  readonly 'warmup-steps'?: number;
  readonly 'clip-norm': number;
  readonly seed: number;
  readonly backend: string;
  readonly resume: boolean;
  readonly visual?: string;
  readonly 'visual-backbone'?: string;
  readonly hidden: number;
  readonly 'attention-dim': number;
  readonly 'image-size': number;
  readonly 'visual-grid': number;
  readonly 'geometric-grid': number;
  readonly limit: number;
  readonly progress: string;
  readonly cache?: string | false;
  readonly workers?: number;
  readonly 'distance-threshold': number;
  readonly 'largest-component': boolean;
  readonly 'prepare-seed': number;
  readonly 'fpfh-radius': string;
}

/** `geoad train` (yargs command module). */
export const trainCommand: CommandModule<object, TrainArgs> = {
  command: 'train',
  describe: 'Train the GeoAD reconstructor (or an ablation) on one category; checkpoints every epoch, resumable',
  builder: (yargs) =>
    yargs
      .option('data', { type: 'string', demandOption: true, describe: 'Dataset root (MVTec 3D-AD layout)' })
      .option('category', { type: 'string', demandOption: true, describe: 'Category folder to train on' })
      .option('variant', { type: 'string', default: 'full', choices: VARIANTS, describe: 'Model variant (ablation)' })
      .option('out', { type: 'string', demandOption: true, describe: 'Output folder: checkpoints/, checkpoint.json, train-log.jsonl, summary.json' })
      .option('epochs', { type: 'number', default: 20, describe: 'Epochs to train (in total, also when resuming)' })
      .option('batch-size', { type: 'number', default: 8, describe: 'Samples per step' })
      .option('lr', { type: 'number', default: 1e-3, describe: 'Peak learning rate (AdamW)' })
      .option('weight-decay', { type: 'number', default: 1e-4, describe: 'Decoupled weight decay on weight matrices (0: Adam)' })
      .option('schedule', { type: 'string', default: 'cosine', choices: ['cosine', 'constant'], describe: 'Learning-rate schedule after warmup' })
      .option('warmup-steps', { type: 'number', describe: 'Linear warmup steps (default: 5% of all steps, at most 100)' })
      .option('clip-norm', { type: 'number', default: 1, describe: 'Clip gradients to this global L2 norm (0: off)' })
      .option('seed', { type: 'number', default: 0, describe: 'Seed of initialisation and shuffling' })
      .option('backend', { type: 'string', default: 'auto', choices: BACKENDS, describe: 'TensorFlow.js backend (`geoad doctor` says what auto picks)' })
      .option('resume', { type: 'boolean', default: false, describe: 'Continue from the last checkpoint in --out, with the same options (only --epochs may grow)' })
      .option('visual', { type: 'string', choices: VISUAL_KINDS, describe: 'Built-in visual features (default colour-gradient)' })
      .option('visual-backbone', { type: 'string', describe: 'TensorFlow.js model folder used as visual backbone (contract in docs/architecture.md)' })
      .option('hidden', { type: 'number', default: 64, describe: 'Width of the enhanced features' })
      .option('attention-dim', { type: 'number', default: 32, describe: 'Query/key width of the non-local attention' })
      .option('image-size', { type: 'number', default: 224, describe: 'Prepared image side' })
      .option('visual-grid', { type: 'number', default: 28, describe: 'Side of the visual feature grid (image size must be a multiple of twice it)' })
      .option('geometric-grid', { type: 'number', default: 56, describe: 'Side of the geometric feature grid (as prepared by `geoad data prepare --grid`)' })
      .option('limit', { type: 'number', default: 0, describe: 'Use at most N training samples (0: all)' })
      .option('progress', progressOption)
      .option('cache', { type: 'string', describe: 'Preprocessing/feature cache folder [default: DATA/.geoad-cache]; --no-cache computes without it' })
      .option('workers', { type: 'number', describe: 'Worker threads that fill the cache before training; 0 = compute misses in the main thread [default: all CPUs]' })
      .option('distance-threshold', { type: 'number', default: DEFAULT_PREPROCESSING.distanceThreshold, describe: 'Plane distance below which points are background (metres; as `geoad data prepare`)' })
      .option('largest-component', { type: 'boolean', default: DEFAULT_PREPROCESSING.keepLargestComponent, describe: 'Keep only the largest connected component (as `geoad data prepare`)' })
      .option('prepare-seed', { type: 'number', default: DEFAULT_PREPROCESSING.seed, describe: 'RANSAC seed of the plane removal (`geoad data prepare --seed`)' })
      .option('fpfh-radius', { type: 'string', default: String(DEFAULT_PREPROCESSING.fpfhRadius), describe: 'FPFH radius in metres, or auto (as `geoad data prepare`)' })
      .example('$0 train --data data/synth --category bagel --out runs/bagel-full', 'Train `full` with defaults on the best available backend')
      .example('$0 train --data mvtec3d --category bagel --variant no-gcn --epochs 40 --seed 1 --backend wasm --out runs/bagel-no-gcn', 'An ablation on wasm')
      .example('$0 train --data mvtec3d --category bagel --out runs/bagel --epochs 40 --resume', 'Continue an interrupted run')
      .example('$0 train --data mvtec3d --category bagel --visual-backbone models/dino-vitb8-tfjs --out runs/bagel-dino', 'With an exported DINO ViT')
      .example('$0 train --data mvtec3d --category bagel --largest-component --prepare-seed 3 --out runs/bagel-lc', 'On samples prepared by `geoad data prepare mvtec3d --largest-component --seed 3`'),
  handler: async (argv) => {
    const options: TrainOptions = {
      data: argv.data,
      category: argv.category,
      variant: argv.variant as Variant,
      out: argv.out,
      epochs: argv.epochs,
      batchSize: argv['batch-size'],
      lr: argv.lr,
      weightDecay: argv['weight-decay'],
      schedule: argv.schedule as 'cosine' | 'constant',
      ...(argv['warmup-steps'] !== undefined ? { warmupSteps: argv['warmup-steps'] } : {}),
      clipNorm: argv['clip-norm'],
      seed: argv.seed,
      backend: argv.backend as BackendChoice,
      resume: argv.resume,
      ...(argv.visual !== undefined ? { visual: argv.visual as (typeof VISUAL_KINDS)[number] } : {}),
      ...(argv['visual-backbone'] !== undefined ? { visualBackbone: argv['visual-backbone'] } : {}),
      hidden: argv.hidden,
      attentionDim: argv['attention-dim'],
      imageSize: argv['image-size'],
      visualGrid: argv['visual-grid'],
      geometricGrid: argv['geometric-grid'],
      limit: argv.limit,
      progress: argv.progress as ProgressChoice,
      ...(argv.cache !== undefined ? { cache: argv.cache } : {}),
      ...(argv.workers !== undefined ? { workers: argv.workers } : {}),
      distanceThreshold: argv['distance-threshold'],
      largestComponent: argv['largest-component'],
      prepareSeed: argv['prepare-seed'],
      fpfhRadius: parseFpfhRadius(argv['fpfh-radius']),
    };
    const result = await withInterruptSignal((signal) => train(options, { signal }));
    const validation = result.validationLoss === null ? 'no validation split' : `validation loss ${result.validationLoss.toFixed(4)} (mean-feature baseline ${result.baselineValidationLoss!.toFixed(4)})`;
    const epochs = `${result.epochs} epoch${result.epochs === 1 ? '' : 's'}`;
    process.stdout.write(`Trained ${result.variant} for ${epochs} on ${result.backend}: loss ${result.finalLoss.toFixed(4)}, ${validation}\nModel: ${result.out} (latest ${result.checkpoint})\n`);
  },
};
