// Reads a run directory: the manifest (required) and the result of every planned cell (invalid ones become problems).
// Results of cells the manifest no longer lists (a config changed in the same RUN) are counted, not read.
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeZodError } from '../orchestrator/util/config-file.js';
import { TEMP_PREFIX } from '../orchestrator/util/atomic-write.js';
import { DataError, UsageError, errorMessage } from '../orchestrator/util/errors.js';
import { runPaths, type CellResult, type MatrixCell, type RunManifest } from '../orchestrator/matrix/run-layout.js';
import { compareArms } from './arms.js';
import { cellResultSchema, runManifestSchema } from './schemas.js';

export { VARIANT_ORDER } from './arms.js';

/** A run as the report sees it. */
export interface LoadedRun {
  readonly dir: string;
  readonly manifest: RunManifest;
  /** Valid results of the planned cells, sorted by dataset, category, arm (variant, grid values), seed. */
  readonly results: readonly CellResult[];
  /** Planned cells without a (valid) result. */
  readonly missing: readonly MatrixCell[];
  /** Result files that could not be read or failed validation, each naming the file and field. */
  readonly problems: readonly string[];
  /** Result files of cells run.json no longer plans (superseded by a config change), left out. */
  readonly superseded: number;
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DataError(path, `cannot read: ${errorMessage(error)}`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DataError(path, `not valid JSON: ${errorMessage(error)}`, { cause: error });
  }
}

/** Orders cells by dataset, category, arm (variant in table order, then grid values), seed. */
export function compareCells(a: MatrixCell, b: MatrixCell): number {
  return a.dataset.localeCompare(b.dataset, 'en') || a.category.localeCompare(b.category, 'en') || compareArms(a, b) || a.seed - b.seed;
}

/** Loads RUN/run.json and the planned cells' RUN/results/*.json. A missing or invalid manifest throws; bad result files are collected. */
export async function loadRun(dir: string): Promise<LoadedRun> {
  const paths = runPaths(dir);
  if (!existsSync(paths.manifest)) throw new UsageError(`Expected a run directory with run.json, but ${paths.manifest} does not exist`);
  const parsed = runManifestSchema.safeParse(await readJson(paths.manifest));
  if (!parsed.success) throw new DataError(paths.manifest, `not a valid run manifest: ${describeZodError(parsed.error)}`);
  const manifest = parsed.data as RunManifest;
  const problems: string[] = [];
  const byId = new Map<string, CellResult>();
  const files = existsSync(paths.resultsDir)
    ? readdirSync(paths.resultsDir).filter((f) => f.endsWith('.json') && !f.startsWith(TEMP_PREFIX)).sort()
    : [];
  const planned = new Set(manifest.cells.map((c) => c.id));
  let superseded = 0;
  for (const file of files) {
    // Only the current plan is reported: results of an earlier config stay on disk but are not mixed in.
    if (!planned.has(file.slice(0, -'.json'.length))) {
      superseded++;
      continue;
    }
    const path = join(paths.resultsDir, file);
    try {
      const result = cellResultSchema.safeParse(await readJson(path));
      if (!result.success) throw new DataError(path, `not a valid cell result: ${describeZodError(result.error)}`);
      const cell = result.data as CellResult;
      if (`${cell.cell.id}.json` !== file) throw new DataError(path, `holds cell \`${cell.cell.id}\`, not the cell its name says`);
      if (cell.metrics.category !== cell.cell.category) throw new DataError(path, `metrics are for category \`${cell.metrics.category}\`, the cell is \`${cell.cell.category}\``);
      byId.set(cell.cell.id, cell);
    } catch (error) {
      problems.push(errorMessage(error));
    }
  }
  const results = [...byId.values()].sort((a, b) => compareCells(a.cell, b.cell));
  const missing = manifest.cells.filter((c) => !byId.has(c.id)).slice().sort(compareCells);
  return { dir, manifest, results, missing, problems, superseded };
}
