// `geoad data inspect`: counts samples per category/split/defect and checks each one by reading it (one at a time).
// Missing files and an unfinished synthetic set are listed with the read failures, so the table is always printed.
import { errorMessage } from '../../orchestrator/util/errors.js';
import { listSamples, scanDataset } from './discover.js';
import { normalizeProgressMode, startProgressIn, type ProgressMode } from '../../orchestrator/util/progress.js';
import { readSample } from './read-sample.js';
import type { Split } from './types.js';

export interface InspectOptions {
  readonly root: string;
  /** Only these categories; all when absent or empty. */
  readonly categories?: readonly string[];
  /** The option the categories came from, named when one is unknown. @default '--category' */
  readonly categoryOption?: string;
  /** Read and validate every sample (otherwise only list them). @default true */
  readonly check?: boolean;
  /** Progress while checking: `auto` (a bar on a TTY, plain lines otherwise), `plain` or `off` (true/false: auto/off). @default 'auto' */
  readonly progress?: ProgressMode | boolean;
}

/** One table row: a (category, split, defect) folder. */
export interface InspectRow {
  readonly category: string;
  readonly split: Split;
  readonly defect: string;
  readonly samples: number;
  /** Samples read without error (0 when not checked). */
  readonly ok: number;
  /** Samples whose gt marks at least one pixel anomalous. */
  readonly anomalous: number;
  readonly nonFinitePoints: number;
  /** Width×height values seen, e.g. `800×800`. */
  readonly sizes: readonly string[];
}

export interface InspectReport {
  readonly root: string;
  readonly checked: boolean;
  readonly rows: readonly InspectRow[];
  /** One entry per problem (a missing or unreadable file, an unfinished synthetic set); messages name the file. */
  readonly problems: readonly string[];
}

/** Lists and (by default) checks every sample of the dataset; problems are collected, not thrown. */
export async function inspectDataset(options: InspectOptions): Promise<InspectReport> {
  const check = options.check ?? true;
  const mode = normalizeProgressMode(options.progress);
  const scan = scanDataset(options.root, { categories: options.categories, categoryOption: options.categoryOption });
  const { index } = scan;
  const problems = scan.problems.map((p) => p.error.message);
  const rows: InspectRow[] = [];
  // Samples with a missing file count in their row (as samples, not as ok), like unreadable ones.
  const missing = (category: string, split: Split, defect: string) =>
    scan.problems.filter((p) => p.group?.category === category && p.group.split === split && p.group.defect === defect).length;
  const total = listSamples(index).length;
  const progress = check ? startProgressIn(mode, { label: 'inspect', total }) : undefined;
  try {
    for (const category of index.categories) {
      for (const group of category.groups) {
        let ok = 0, anomalous = 0, nonFinitePoints = 0;
        const sizes = new Set<string>();
        if (check) {
          for (const ref of group.samples) {
            try {
              const sample = await readSample(ref);
              ok++;
              nonFinitePoints += sample.nonFinitePoints;
              sizes.add(`${sample.width}×${sample.height}`);
              if (sample.gt && sample.gt.some((v) => v > 0)) anomalous++;
            } catch (error) {
              problems.push(errorMessage(error));
            }
            progress?.tick();
          }
        }
        const samples = group.samples.length + missing(category.name, group.split, group.defect);
        rows.push({ category: category.name, split: group.split, defect: group.defect, samples, ok, anomalous, nonFinitePoints, sizes: [...sizes].sort() });
      }
    }
  } finally {
    progress?.stop();
  }
  return { root: index.root, checked: check, rows, problems };
}

/** Renders the report as an aligned text table (plus the problems, if any). */
export function formatInspectReport(report: InspectReport): string {
  const header = report.checked
    ? ['category', 'split', 'defect', 'samples', 'ok', 'anomalous', 'non-finite pts', 'size']
    : ['category', 'split', 'defect', 'samples'];
  const body = report.rows.map((r) =>
    report.checked
      ? [r.category, r.split, r.defect, String(r.samples), String(r.ok), String(r.anomalous), String(r.nonFinitePoints), r.sizes.join(', ')]
      : [r.category, r.split, r.defect, String(r.samples)],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 3 && i <= 6 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const lines = [`Dataset ${report.root}`, line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
  const samples = report.rows.reduce((s, r) => s + r.samples, 0);
  lines.push(`${report.rows.length} folders, ${samples} samples${report.checked ? `, ${report.problems.length} with problems` : ' (not checked)'}`);
  for (const problem of report.problems) lines.push(`problem: ${problem}`);
  return `${lines.join('\n')}\n`;
}
