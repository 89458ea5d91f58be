// Published MVTec 3D-AD results (datasets/baselines/*.json), validated, each number with its citation.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { describeZodError } from '../orchestrator/util/config-file.js';
import { DataError, errorMessage } from '../orchestrator/util/errors.js';
import { baselinesSchema } from './schemas.js';

/** The baselines file as validated. */
export type Baselines = z.infer<typeof baselinesSchema>;

/** Reads and validates a baselines file; undefined when the file does not exist. */
export async function loadBaselines(path: string): Promise<Baselines | undefined> {
  if (!existsSync(path)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new DataError(path, `not valid JSON: ${errorMessage(error)}`, { cause: error });
  }
  const parsed = baselinesSchema.safeParse(value);
  if (!parsed.success) throw new DataError(path, `not a valid baselines file: ${describeZodError(parsed.error)}`);
  for (const method of parsed.data.methods) {
    for (const block of method.results) {
      const unknown = Object.keys(block.values).filter((c) => !parsed.data.categories.includes(c));
      if (unknown.length > 0) throw new DataError(path, `method \`${method.id}\` ${block.metric}: unknown categories ${unknown.join(', ')}`);
    }
  }
  return parsed.data;
}
