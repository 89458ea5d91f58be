// Reads a matrix config file or a named preset (datasets/presets/NAME.yaml) and validates it; errors name the
// file and the field, and for a wrong choice list the allowed values.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { readConfigFile } from '../util/config-file.js';
import { UsageError } from '../util/errors.js';
import { matrixConfigSchema, type MatrixConfig } from './config-schema.js';

/** The geoad-bench checkout this module runs from (source via tsx, or dist/). */
export function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && /"name":\s*"geoad-bench"/.test(readFileSync(pkg, 'utf8'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the geoad-bench checkout above this module');
    dir = parent;
  }
}

/** Folder of the built-in presets. */
export function presetsDir(): string {
  return join(findRepoRoot(), 'datasets', 'presets');
}

/** Names of the built-in presets. */
export function listPresets(): string[] {
  return readdirSync(presetsDir())
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** Path of preset `name`, or a UsageError listing the presets. */
export function resolvePreset(name: string): string {
  const presets = listPresets();
  if (!presets.includes(name)) throw new UsageError(`Expected \`--preset\` to be one of ${presets.map((p) => `\`${p}\``).join(', ')}, got \`${name}\``);
  return join(presetsDir(), `${name}.yaml`);
}

// zod reports a failed union as "Invalid input"; the branch that got furthest says more (e.g. the allowed values).
function deepestIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue;
  let best: z.core.$ZodIssue | undefined;
  for (const branch of issue.errors) {
    for (const inner of branch) {
      const candidate = deepestIssue({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue);
      if (best === undefined || candidate.path.length > best.path.length) best = candidate;
    }
  }
  return best ?? issue;
}

/** "`datasets.0.kind`: Invalid option: expected one of …" for the first problem (unions unwrapped). */
export function describeMatrixError(error: z.ZodError): string {
  const issue = deepestIssue(error.issues[0]);
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  return `\`${path}\`: ${issue.message}`;
}

/** Validates a parsed config object; `source` names it in errors. */
export function parseMatrixConfig(value: unknown, source: string): MatrixConfig {
  const result = matrixConfigSchema.safeParse(value);
  if (!result.success) throw new UsageError(`Invalid matrix config in ${source}: ${describeMatrixError(result.error)}`);
  return result.data;
}

/** A config read from a file or preset, with the folder its relative paths resolve against. */
export interface LoadedMatrixConfig {
  readonly config: MatrixConfig;
  readonly source: string;
  readonly configDir: string;
}

/** Loads `--preset NAME` or a CONFIG path (exactly one of them). */
export function loadMatrixConfig(input: { readonly config?: string; readonly preset?: string }): LoadedMatrixConfig {
  if ((input.config === undefined) === (input.preset === undefined)) {
    throw new UsageError('Give either a CONFIG file or `--preset NAME`, not both or neither');
  }
  const source = input.preset !== undefined ? resolvePreset(input.preset) : resolve(input.config as string);
  return { config: parseMatrixConfig(readConfigFile(source), source), source, configDir: dirname(source) };
}

/** Fills or replaces mvtec dataset roots from `NAME=PATH` pairs (`--dataset-root`). */
export function applyDatasetRoots(config: MatrixConfig, pairs: readonly string[]): MatrixConfig {
  const roots = new Map<string, string>();
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new UsageError(`Expected \`--dataset-root\` as NAME=PATH, got \`${pair}\``);
    roots.set(pair.slice(0, at), resolve(pair.slice(at + 1)));
  }
  for (const name of roots.keys()) {
    const dataset = config.datasets.find((d) => d.name === name);
    if (dataset === undefined || dataset.kind !== 'mvtec') {
      const names = config.datasets.filter((d) => d.kind === 'mvtec').map((d) => `\`${d.name}\``);
      throw new UsageError(`Expected \`--dataset-root\` to name an mvtec dataset of the config (${names.join(', ') || 'there are none'}), got \`${name}\``);
    }
  }
  return { ...config, datasets: config.datasets.map((d) => (d.kind === 'mvtec' && roots.has(d.name) ? { ...d, root: roots.get(d.name) } : d)) };
}
