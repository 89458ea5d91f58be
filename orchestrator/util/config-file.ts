// Config files (JSON or YAML) validated with a zod schema; errors name the file and the field.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { UsageError, errorMessage } from './errors.js';

/** Parses a JSON or YAML file (by extension; YAML is a superset of JSON, so other extensions parse as YAML). */
export function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read config file ${path}: ${errorMessage(error)}`);
  }
  try {
    return extname(path).toLowerCase() === '.json' ? JSON.parse(text) : YAML.parse(text);
  } catch (error) {
    // The YAML parser appends a multi-line code frame; its first line already names the problem, line and column,
    // and CLI errors are one line.
    const reason = errorMessage(error).split('\n')[0].replace(/:\s*$/, '');
    throw new UsageError(`Config file ${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${reason}`);
  }
}

/** Formats the first issue of a zod error as "`field.path`: message". */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `\`${issue.path.length > 0 ? issue.path.join('.') : '(root)'}\`: ${issue.message}`)
    .join('; ');
}

/** Validates `value` against `schema`; on failure throws a UsageError naming `source` and the field. */
export function validateConfig<S extends z.ZodType>(schema: S, value: unknown, source: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`Invalid config in ${source}: ${describeZodError(result.error)}`);
  return result.data;
}
