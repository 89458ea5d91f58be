// Decides what may happen to the output folder before anything is written: create it, resume a dataset with the
// same config, replace one with a different config (only with --force), or refuse a foreign non-empty folder.
import { accessSync, constants, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TEMP_PREFIX } from '../../orchestrator/util/atomic-write.js';
import { UsageError, errorMessage } from '../../orchestrator/util/errors.js';
import { GENERATOR_VERSION, MANIFEST_NAME, diffConfig, readManifest, type SynthManifest } from './manifest.js';
import type { DataConfig } from './options.js';

/** The manifest of a dataset that this run continues, if any. */
export interface PreparedOutput {
  readonly previous: SynthManifest | undefined;
}

/** Checks and prepares `root` for a dataset with `config`. Throws UsageError (nothing touched) when it may not. */
export function prepareOutput(root: string, config: DataConfig, force: boolean): PreparedOutput {
  try {
    if (statSync(root, { throwIfNoEntry: false })?.isDirectory() === false) {
      throw new UsageError(`\`--out\` ${root} exists and is not a folder`);
    }
    mkdirSync(root, { recursive: true });
    accessSync(root, constants.W_OK);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`Cannot write to \`--out\` folder ${root}: ${errorMessage(error)}`, { cause: error });
  }
  const previous = readManifest(root);
  if (!previous) {
    const entries = readdirSync(root);
    if (entries.length > 0) {
      throw new UsageError(
        `\`--out\` folder ${root} is not empty and holds no geoad ${MANIFEST_NAME} (found \`${entries[0]}\`); choose an empty or new folder`,
      );
    }
    return { previous: undefined };
  }
  const changed = diffConfig({ ...previous.config, generatorVersion: previous.generatorVersion }, { ...config, generatorVersion: GENERATOR_VERSION });
  if (changed.length === 0) {
    removeTempFiles(root, previous.config.categories);
    return { previous };
  }
  if (!force) {
    throw new UsageError(
      `\`--out\` folder ${root} holds a dataset rendered with a different config (${changed.map((k) => `\`${k}\``).join(', ')} ${changed.length === 1 ? 'differs' : 'differ'}); ` +
        'use the same options to resume it, another --out, or --force to replace it',
    );
  }
  // --force: remove exactly what the previous dataset wrote.
  for (const category of previous.config.categories) rmSync(join(root, category), { recursive: true, force: true });
  rmSync(join(root, MANIFEST_NAME), { force: true });
  return { previous: undefined };
}

/** Deletes temp files left by a killed run (atomic writes that never reached their rename). */
function removeTempFiles(root: string, categories: readonly string[]): void {
  const visit = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) visit(join(dir, entry.name));
      else if (entry.name.startsWith(TEMP_PREFIX)) rmSync(join(dir, entry.name), { force: true });
    }
  };
  for (const category of categories) visit(join(root, category));
  for (const name of readdirSync(root)) if (name.startsWith(TEMP_PREFIX)) rmSync(join(root, name), { force: true });
}
