// `--config FILE` for geoad synth: a JSON or YAML object with the command's option names (kebab-case, as on the
// command line); validated strictly so that a typo names its field instead of being ignored.
import { z } from 'zod';
import { readConfigFile, validateConfig } from '../../orchestrator/util/config-file.js';
import type { SynthOptions } from './options.js';

const list = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s !== ''));

const schema = z
  .object({
    out: z.string().min(1),
    preset: z.string(),
    train: z.number(),
    validation: z.number(),
    test: z.number(),
    resolution: z.number(),
    categories: list,
    defects: list,
    seed: z.number(),
    workers: z.number(),
    force: z.boolean(),
    renderer: z.enum(['builtin', 'blender', 'blenderproc']),
    blender: z.string().min(1),
    'blender-jobs': z.number(),
    'blender-timeout': z.number(),
    samples: z.number(),
    device: z.enum(['cpu', 'cuda', 'optix']),
    'shard-size': z.number(),
  })
  .partial()
  .strict();

/** Reads and validates a synth config file into SynthOptions (errors name the file and the field). */
export function loadSynthConfig(path: string): SynthOptions {
  const c = validateConfig(schema, readConfigFile(path), path);
  const { 'blender-jobs': blenderJobs, 'blender-timeout': blenderTimeout, 'shard-size': shardSize, ...rest } = c;
  const defined = Object.entries({ blenderJobs, blenderTimeout, shardSize }).filter(([, v]) => v !== undefined);
  return { ...rest, ...Object.fromEntries(defined) };
}
