// Defaults and validation of ReportOptions, in one place.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../orchestrator/util/errors.js';
import { expectInteger, expectNumber, expectOneOf } from '../orchestrator/util/validate.js';
import { packagePath } from './assets.js';
import type { NormalizedReportOptions, ReportOptions } from './types.js';
import { normalizeProgressMode } from '../orchestrator/util/progress.js';

function expectRunDir(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`Expected \`${name}\` to be a run directory, got \`${String(value)}\``);
  const path = resolve(value);
  if (!existsSync(path) || !statSync(path).isDirectory()) throw new UsageError(`Expected \`${name}\` to be a run directory, but ${path} does not exist or is not a folder`);
  return path;
}

/** Fills defaults and validates every option; throws a UsageError naming the option. */
export function normalizeReportOptions(options: ReportOptions): NormalizedReportOptions {
  const run = expectRunDir('RUN', options.run);
  const compare = (options.compare ?? []).map((c) => expectRunDir('--compare', c));
  if (compare.includes(run)) throw new UsageError(`Expected \`--compare\` to name runs other than RUN, got \`${run}\` itself`);
  const out = resolve(options.out ?? resolve(run, 'report'));
  if (existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`Expected \`--out\` to be a folder, but ${out} is a file`);
  const baselines = resolve(options.baselines ?? packagePath('datasets', 'baselines', 'mvtec3d-ad.json'));
  if (options.baselines !== undefined && !existsSync(baselines)) throw new UsageError(`Expected \`--baselines\` to be a JSON file, but ${baselines} does not exist`);
  return {
    run,
    compare,
    out,
    figures: options.figures ?? true,
    qualitative: options.qualitative ?? true,
    baselines,
    regressionTolerance: expectNumber('--regression-tolerance', options.regressionTolerance ?? 0.005, 0, 1),
    figureWidth: expectInteger('--figure-width', options.figureWidth ?? 1200, 200, 4000),
    figureHeight: expectInteger('--figure-height', options.figureHeight ?? 675, 150, 4000),
    thumbnailSize: expectInteger('--thumbnail-size', options.thumbnailSize ?? 128, 32, 1024),
    progress: normalizeProgressMode(options.progress),
  };
}
