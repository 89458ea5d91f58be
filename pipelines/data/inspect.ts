// `geoad data inspect`: counts samples per category/split/defect and checks each one by reading it (one at a time).
import { errorMessage } from '../../orchestrator/util/errors.js';
import { startProgress } from '../../orchestrator/util/progress.js';
import { discoverDataset, listSamples } from './discover.js';
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
  /** Show progress while checking. @default true */
  readonly progress?: boolean;
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
  /** One entry per sample that failed to read; messages name the file. */
  readonly problems: readonly string[];
}

/** Lists and (by default) checks every sample of the dataset; problems are collected, not thrown. */
export async function inspectDataset(options: InspectOptions): Promise<InspectReport> {
  const check = options.check ?? true;
  const index = discoverDataset(options.root, { categories: options.categories, categoryOption: options.categoryOption });
  const problems: string[] = [];
  const rows: InspectRow[] = [];
  const total = listSamples(index).length;
  const progress = check && (options.progress ?? true) ? startProgress({ label: 'inspect', total }) : undefined;
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
        rows.push({ category: category.name, split: group.split, defect: group.defect, samples: group.samples.length, ok, anomalous, nonFinitePoints, sizes: [...sizes].sort() });
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
