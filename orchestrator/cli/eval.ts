// `geoad eval`: maps argv to EvalOptions and calls evaluate(); prints the table (per-file warnings on stderr),
// writes results.json with --out.
import type { CommandModule } from 'yargs';
import { UsageError } from '../util/errors.js';
import { evaluate, formatEvalTable, parseMinDefectArea } from '../../pipelines/eval/index.js';
import { parseList } from '../util/validate.js';
import { progressOption, type ProgressMode } from '../util/progress.js';

interface EvalArgs {
  readonly maps: string;
  readonly data: string;
  readonly category?: string[];
  readonly out?: string;
  readonly resolution?: number;
  readonly 'pro-thresholds': string;
  readonly 'min-defect-area'?: string[];
  readonly json: boolean;
  readonly workers?: number;
  readonly progress: ProgressMode;
}

// `exact` or a positive integer, as typed on the command line.
function parseProThresholds(value: string): 'exact' | number {
  if (value === 'exact') return 'exact';
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new UsageError(`Expected \`--pro-thresholds\` to be \`exact\` or an integer from 2 to 1000000, got \`${value}\``);
  }
  return n;
}

export const evalCommand: CommandModule<object, EvalArgs> = {
  command: 'eval',
  describe: 'Score anomaly maps (float32 TIFF, MVTec 3D-AD layout): I-AUROC, P-AUROC, AUPRO@0.3/0.1/0.05/0.01, calibrated threshold',
  builder: (yargs) =>
    yargs
      .option('maps', { type: 'string', demandOption: true, describe: 'Maps folder: MAPS/<category>/test/<defect>/NNN.tiff (+ validation/good/NNN.tiff)' })
      .option('data', { type: 'string', demandOption: true, describe: 'Dataset root (MVTec 3D-AD layout) holding the gt masks' })
      .option('category', { type: 'string', array: true, describe: 'Categories to evaluate (repeat or comma-separate); default: every folder of --maps' })
      .option('out', { type: 'string', describe: 'Write results JSON (versioned schema) to this file, atomically' })
      .option('resolution', { type: 'number', describe: 'Evaluate at N×N (maps bilinear, gt nearest), e.g. 224 as CFM/GeoAD; default: gt resolution' })
      .option('pro-thresholds', { type: 'string', default: 'exact', describe: '`exact` PRO curve, or N thresholds by anomaly-free-pixel rank (99 = the papers)' })
      .option('min-defect-area', { type: 'string', array: true, describe: 'Minimum defect area in pixels at the evaluation resolution: N, or category=N (repeatable); default: 0.1 % of a validation map, rounded up' })
      .option('workers', { type: 'number', describe: 'Threads decoding maps ahead (0: none); results do not depend on it. Default: min(4, CPUs)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the results JSON instead of the table' })
      .option('progress', progressOption)
      .example('$0 eval --maps runs/maps --data data/mvtec3d --out results.json', 'Every category of runs/maps, exact AUPRO')
      .example('$0 eval --maps maps --data mvtec3d --category bagel --resolution 224 --pro-thresholds 99', 'As CFM/GeoAD report it')
      .example('$0 eval --maps maps --data mvtec3d --min-defect-area bagel=200 --min-defect-area rope=50', 'Per-category minimum defect areas'),
  handler: async (argv) => {
    const result = await evaluate({
      mapsDir: argv.maps,
      dataRoot: argv.data,
      categories: parseList(argv.category),
      ...(argv.out !== undefined ? { out: argv.out } : {}),
      resolution: argv.resolution ?? null,
      proThresholds: parseProThresholds(argv['pro-thresholds']),
      ...(argv.workers !== undefined ? { workers: argv.workers } : {}),
      ...(argv['min-defect-area'] ? { minDefectArea: parseMinDefectArea(argv['min-defect-area']) } : {}),
      progress: argv.progress,
    });
    for (const category of result.categories) {
      for (const warning of category.warnings ?? []) process.stderr.write(`geoad: warning: ${warning.file}: ${warning.message}\n`);
      if (category.threshold.calibrated && category.threshold.warning) process.stderr.write(`geoad: warning: ${category.category}: ${category.threshold.warning}\n`);
    }
    process.stdout.write(argv.json ? `${JSON.stringify(result, null, 2)}\n` : formatEvalTable(result));
    if (argv.out !== undefined && !argv.json) process.stdout.write(`Results written to ${argv.out}\n`);
  },
};
