// `geoad report RUN [--compare RUN2 …] --out SITE`: maps argv to ReportOptions and calls buildReport.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { buildReport } from '../../reports/index.js';
import type { ProgressMode, ReportOptions } from '../../reports/types.js';
import { ExitCode } from '../util/errors.js';
import { progressOption } from '../util/progress.js';

interface ReportArgs {
  run: string;
  compare?: string[];
  out?: string;
  figures: boolean;
  qualitative: boolean;
  baselines?: string;
  regressionTolerance?: number;
  figureWidth?: number;
  figureHeight?: number;
  thumbnailSize?: number;
  progress: ProgressMode;
}

/** Maps parsed arguments to the stage's options (pure; tested without running the stage). */
export function toReportOptions(argv: ArgumentsCamelCase<ReportArgs> | ReportArgs): ReportOptions {
  return {
    run: argv.run,
    compare: argv.compare ?? [],
    out: argv.out,
    figures: argv.figures,
    qualitative: argv.qualitative,
    baselines: argv.baselines,
    regressionTolerance: argv.regressionTolerance,
    figureWidth: argv.figureWidth,
    figureHeight: argv.figureHeight,
    thumbnailSize: argv.thumbnailSize,
    progress: argv.progress,
  };
}

/** The `report` command module. */
export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <run>',
  describe: 'Render a run as a static HTML site (index, a page per category, PNG figures) that opens offline',
  builder: (yargs: Argv) =>
    yargs
      .positional('run', { type: 'string', demandOption: true, describe: 'Run directory (holds run.json and results/)' })
      .option('compare', { type: 'string', array: true, describe: 'Other run directories: per-metric delta tables with regressions marked' })
      .option('out', { type: 'string', describe: 'Output folder of the site [default: RUN/report]' })
      .option('figures', { type: 'boolean', default: true, describe: 'Render PNG figures (--no-figures to skip)' })
      .option('qualitative', { type: 'boolean', default: true, describe: 'Render the qualitative grid from maps and images (--no-qualitative to skip)' })
      .option('baselines', { type: 'string', describe: 'Published baselines JSON [default: datasets/baselines/mvtec3d-ad.json]' })
      .option('regression-tolerance', { type: 'number', describe: 'Drop that counts as a regression in --compare tables [default: 0.005]' })
      .option('figure-width', { type: 'number', describe: 'PNG figure width in pixels [default: 1200]' })
      .option('figure-height', { type: 'number', describe: 'PNG figure height in pixels [default: 675]' })
      .option('thumbnail-size', { type: 'number', describe: 'Longest side of qualitative thumbnails [default: 128]' })
      // `--no-progress` (the old boolean form) still works: yargs gives false, read as `off`; choices are checked after coerce.
      .option('progress', progressOption)
      .example('$0 report runs/paper --out site', 'Render runs/paper into site/index.html')
      .example('$0 report runs/paper --compare runs/baseline --out site', 'Also show per-metric deltas against runs/baseline')
      .example('$0 report runs/quick --no-figures --no-qualitative', 'Tables and interactive charts only, into runs/quick/report') as unknown as Argv<ReportArgs>,
  handler: async (argv) => {
    const summary = await buildReport(toReportOptions(argv));
    process.stderr.write(`geoad report: wrote ${summary.indexPath} (${summary.pages.length} category pages, ${summary.figures.length} figures; ${summary.cells.finished}/${summary.cells.planned} cells)\n`);
    for (const notice of summary.notices) process.stderr.write(`geoad report: note: ${notice}\n`);
    for (const problem of summary.problems) process.stderr.write(`geoad report: problem: ${problem}\n`);
    if (summary.problems.length > 0) process.exitCode = ExitCode.failure;
  },
};
