// `geoad data inspect|prepare`: maps argv to the data layer's typed options and calls its entry functions.
import type { Argv, CommandModule } from 'yargs';
import { formatInspectReport, inspectDataset } from '../../pipelines/data/inspect.js';
import { prepareDataset } from '../../pipelines/data/prepare-dataset.js';
import { progressOption, type ProgressMode } from '../util/progress.js';
import type { Split } from '../../pipelines/data/types.js';
import { GeoadError } from '../util/errors.js';
import { expectNumber, parseList } from '../util/validate.js';


/** `--category` and its spelling `--categories`: two options, so that errors can name the one the user typed. */
interface CategoryArgs {
  readonly category?: string[];
  readonly categories?: string[];
}

function addCategoryOptions<T>(yargs: Argv<T>): Argv<T> {
  return yargs
    .option('category', { type: 'string', array: true, describe: 'Only these categories (repeat or comma-separate; also --categories)' })
    .option('categories', { type: 'string', array: true, hidden: true });
}

// The categories of either spelling, and the flag to name in errors.
function readCategories(argv: CategoryArgs): { categories: string[]; categoryOption: string } {
  const both = argv.category !== undefined && argv.categories !== undefined;
  const categoryOption = both ? '--category/--categories' : argv.categories !== undefined ? '--categories' : '--category';
  return { categories: parseList([...(argv.category ?? []), ...(argv.categories ?? [])]), categoryOption };
}

interface InspectArgs extends CategoryArgs {
  readonly root: string;
  readonly check: boolean;
  readonly json: boolean;
  readonly progress: ProgressMode;
}

interface PrepareArgs extends CategoryArgs {
  readonly root: string;
  readonly splits?: string[];
  readonly cache?: string;
  readonly workers?: number;
  readonly size: number;
  readonly grid: number;
  readonly distanceThreshold: number;
  readonly largestComponent: boolean;
  readonly seed: number;
  readonly fpfhRadius: string;
  readonly progress: ProgressMode;
}

const inspectCommand: CommandModule<object, InspectArgs> = {
  command: 'inspect <root>',
  describe: 'List categories, splits and defect types, count samples and check every file',
  builder: (yargs) =>
    addCategoryOptions((yargs as Argv<object>).positional('root', { type: 'string', demandOption: true, describe: 'Dataset root (MVTec 3D-AD layout)' }))
      .option('check', { type: 'boolean', default: true, describe: 'Read and validate every sample (--no-check only lists them)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the report as JSON' })
      .option('progress', progressOption)
      .example('$0 data inspect data/mvtec3d', 'Check every sample of every category and print a table')
      .example('$0 data inspect data/mvtec3d --category bagel --no-check', 'Only count the samples of one category') as unknown as Argv<InspectArgs>,
  handler: async (argv) => {
    const report = await inspectDataset({ root: argv.root, ...readCategories(argv), check: argv.check, progress: argv.progress });
    process.stdout.write(argv.json ? `${JSON.stringify(report, null, 2)}\n` : formatInspectReport(report));
    if (report.problems.length > 0) {
      throw new GeoadError(`${report.problems.length} problem(s) found; first: ${report.problems[0]}`);
    }
  },
};

const prepareCommand: CommandModule<object, PrepareArgs> = {
  command: 'prepare <root>',
  describe: 'Preprocess samples (plane removal, resize) and compute geometric features into the cache, in parallel',
  builder: (yargs) =>
    addCategoryOptions((yargs as Argv<object>).positional('root', { type: 'string', demandOption: true, describe: 'Dataset root (MVTec 3D-AD layout)' }))
      .option('splits', { type: 'string', array: true, describe: 'Only these splits: train, validation, test' })
      .option('cache', { type: 'string', describe: 'Cache folder [default: ROOT/.geoad-cache]' })
      .option('workers', { type: 'number', describe: 'Worker threads; 0 = in the main thread [default: all CPUs]' })
      .option('size', { type: 'number', default: 224, describe: 'Prepared resolution (size × size)' })
      .option('grid', { type: 'number', default: 56, describe: 'Feature grid (grid × grid cells)' })
      .option('distance-threshold', { type: 'number', default: 0.005, describe: 'Plane distance below which points are background (metres)' })
      .option('largest-component', { type: 'boolean', default: false, describe: 'Keep only the largest connected component' })
      .option('seed', { type: 'number', default: 0, describe: 'RANSAC seed (`geoad train --prepare-seed`)' })
      .option('fpfh-radius', { type: 'string', default: 'auto', describe: 'FPFH radius in metres, or auto (2.5 × median point spacing)' })
      .option('progress', progressOption)
      .example('$0 data prepare data/mvtec3d --category bagel,cookie --workers 2', 'Fill the cache for two categories on 2 threads')
      .example('$0 data prepare data/synth --size 224 --grid 28 --largest-component', 'Coarser grid, drop stray clusters (train with the same --largest-component to use this cache)') as unknown as Argv<PrepareArgs>,
  handler: async (argv) => {
    const fpfhRadius = argv.fpfhRadius === 'auto' ? 'auto' : expectNumber('--fpfh-radius', Number(argv.fpfhRadius), 1e-9, 10);
    const result = await prepareDataset({
      root: argv.root,
      ...readCategories(argv),
      ...(argv.splits !== undefined ? { splits: parseList(argv.splits) as Split[] } : {}),
      ...(argv.cache !== undefined ? { cacheDir: argv.cache } : {}),
      ...(argv.workers !== undefined ? { workers: argv.workers } : {}),
      prepare: { size: argv.size, distanceThreshold: argv.distanceThreshold, keepLargestComponent: argv.largestComponent, seed: argv.seed },
      features: { grid: argv.grid, fpfhRadius },
      progress: argv.progress,
    });
    const computed = result.samples - result.featuresHits;
    process.stdout.write(
      `Prepared ${result.samples} samples in ${(result.durationMs / 1000).toFixed(1)} s (${computed} computed, ${result.featuresHits} from cache); ` +
        `${result.nonFinitePoints} non-finite points; cache ${result.cacheDir}\n`,
    );
  },
};

/** `geoad data <inspect|prepare>`. */
export const dataCommand: CommandModule<object, object> = {
  command: 'data <command>',
  describe: 'Inspect and prepare MVTec 3D-AD-layout datasets (reader, preprocessing, geometric features)',
  builder: (yargs) =>
    yargs
      .command(inspectCommand)
      .command(prepareCommand)
      .demandCommand(1, 'Name a data command: inspect or prepare')
      .example('$0 data inspect data/mvtec3d', 'Check a dataset')
      .example('$0 data prepare data/mvtec3d --workers 2', 'Fill the preprocessing and feature cache'),
  handler: () => {},
};
