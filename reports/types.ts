// The report stage's contract: options in, a summary of what was written out.
import type { ProgressMode } from '../orchestrator/util/progress.js';

/** Options of `buildReport` (and `geoad report`). */
export interface ReportOptions {
  /** The run directory (holds run.json and results/). */
  readonly run: string;
  /** Other run directories to compare against (per-metric delta tables). @default [] */
  readonly compare?: readonly string[];
  /** Output folder of the site. @default `<run>/report` */
  readonly out?: string;
  /** Render PNG figures next to the HTML. @default true */
  readonly figures?: boolean;
  /** Render the qualitative grid (reads anomaly maps and images). @default true */
  readonly qualitative?: boolean;
  /** Published baselines JSON. @default datasets/baselines/mvtec3d-ad.json of this package */
  readonly baselines?: string;
  /** A drop larger than this (in metric units, e.g. 0.005 = 0.5 points) marks a regression in compare tables. @default 0.005 */
  readonly regressionTolerance?: number;
  /** PNG figure width in pixels. @default 1200 */
  readonly figureWidth?: number;
  /** PNG figure height in pixels. @default 675 */
  readonly figureHeight?: number;
  /** Longest side of a qualitative thumbnail in pixels. @default 128 */
  readonly thumbnailSize?: number;
  /**
   * Progress on stderr: a bar on a TTY (plain lines otherwise), always plain lines, or none. `true` / `false` are
   * read as `auto` / `off`. @default 'auto'
   */
  readonly progress?: ProgressMode | boolean;
}


/** Options after defaults are filled in and values validated. */
export type NormalizedReportOptions = Required<Omit<ReportOptions, 'compare' | 'progress'>> & { readonly compare: readonly string[]; readonly progress: ProgressMode };

/** What `buildReport` wrote and what it could not show. */
export interface ReportSummary {
  readonly out: string;
  readonly indexPath: string;
  /** Category pages, relative to `out`. */
  readonly pages: readonly string[];
  /** PNG figures, relative to `out`. */
  readonly figures: readonly string[];
  /** `superseded`: result files of cells run.json no longer plans (a config change), left out of the report. */
  readonly cells: { readonly planned: number; readonly finished: number; readonly missing: number; readonly superseded: number };
  /** Bad inputs that were skipped (invalid result files, unreadable maps or images); each names the file. */
  readonly problems: readonly string[];
  /** Things not shown that are not errors (missing data folders, cells not yet run). */
  readonly notices: readonly string[];
  readonly durationMs: number;
}

/** How progress is shown (the project's `--progress auto|plain|off`). */
export type { ProgressMode };
