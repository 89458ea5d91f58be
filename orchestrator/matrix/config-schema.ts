// The matrix config (YAML or JSON): datasets × categories × variants × seeds plus stage options. Options of the
// per-cell jobs (train, infer, eval) may take the anomalib-like grid form `{grid: [...]}`; options that decide a
// shared upstream job (synth, prepare, and the prepared size/grid) may not. Validated with zod; errors name the field.
import { z } from 'zod';
import { categoryNames } from '../../pipelines/synth/categories.js';
import { isGrid, stableStringify } from './grid.js';

/** The GeoAD variants (the paper's ablations). */
export const VARIANT_NAMES = ['full', 'no-mfe', 'no-gcn', 'no-nla'] as const;
export type VariantName = (typeof VARIANT_NAMES)[number];

/** Stages of the job graph, in dependency order; `collect` runs inside the orchestrator. */
export const STAGES = ['synth', 'prepare', 'train', 'infer', 'eval', 'collect', 'report'] as const;
export type Stage = (typeof STAGES)[number];

/** A value, or `{grid: [v1, v2, …]}` meaning one matrix cell per value. */
export type Gridded<T> = T | { readonly grid: readonly T[] };

function gridded<S extends z.ZodType>(schema: S) {
  return z.union([schema, z.object({ grid: z.array(schema).min(1, 'a grid needs at least one value') }).strict()]);
}

/** Where the grid form is allowed, for the error on keys that do not take it. */
const GRID_KEYS_HELP =
  'the grid form is allowed on `categories`, `variants`, `seeds` and the `train` (except `imageSize` and `geometricGrid`), `infer` and `eval` options';

/**
 * A value that decides a job shared by many cells (one synth per dataset, one prepare per dataset and category), so
 * it cannot be gridded: the cells would need different upstream jobs. `{grid: …}` gets an error saying so.
 */
function shared<S extends z.ZodType>(schema: S, job: string) {
  return z.preprocess((value, ctx) => {
    if (!isGrid(value)) return value;
    ctx.addIssue({ code: 'custom', message: `cannot take the grid form: it decides the ${job}, which is shared by every cell; ${GRID_KEYS_HELP}. Use one matrix (RUN) per value instead` });
    return z.NEVER;
  }, schema);
}

/** A list axis: a single value, a list, or `{grid: [...]}` (all mean "one cell per value"). */
function axis<S extends z.ZodType>(schema: S) {
  return z.union([schema.transform((v) => [v]), z.array(schema).min(1, 'needs at least one value'), z.object({ grid: z.array(schema).min(1, 'a grid needs at least one value') }).strict().transform((g) => g.grid)]);
}

const name = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,40}$/i, 'expected a name of letters, digits, `-` or `_` (at most 41 characters)');
const categoryName = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'expected a category folder name (letters, digits, `-`, `_`)');
const positive = z.number().int().min(1);

const synthOption = <S extends z.ZodType>(schema: S) => shared(schema, 'synth job of the dataset');
const prepareOption = <S extends z.ZodType>(schema: S) => shared(schema, 'prepare job of each dataset and category');

const syntheticDataset = z
  .object({
    kind: z.literal('synthetic'),
    name,
    categories: z.array(categoryName).min(1).optional(),
    synth: z
      .object({
        /** A `geoad synth --preset` name (tiny, small, paper). */
        preset: synthOption(z.string().optional()),
        /** A `geoad synth --config` file, relative to the matrix config. */
        config: synthOption(z.string().optional()),
        train: synthOption(positive.optional()),
        validation: synthOption(positive.optional()),
        test: synthOption(positive.optional()),
        resolution: synthOption(z.number().int().min(32).max(2048).optional()),
        seed: synthOption(z.number().int().min(0).default(0)),
        workers: synthOption(positive.optional()),
      })
      .strict()
      .default({ seed: 0 }),
  })
  .strict();

const mvtecDataset = z
  .object({
    kind: z.literal('mvtec'),
    name,
    /** The MVTec 3D-AD root; `geoad matrix run --dataset-root NAME=PATH` fills or replaces it. */
    root: z.string().min(1).optional(),
    categories: z.array(categoryName).min(1).optional(),
  })
  .strict();

const datasetSchema = z.discriminatedUnion('kind', [syntheticDataset, mvtecDataset]);

const trainSchema = z
  .object({
    epochs: gridded(z.number().int().min(1).max(10_000)).default(20),
    batchSize: gridded(z.number().int().min(1).max(1024)).default(8),
    lr: gridded(z.number().positive().max(10)).optional(),
    weightDecay: gridded(z.number().min(0).max(1)).optional(),
    schedule: gridded(z.enum(['cosine', 'constant'])).optional(),
    backend: gridded(z.enum(['auto', 'tensorflow', 'wasm', 'cpu'])).default('auto'),
    /** Also the prepared size (`data prepare --size`), so shared like the prepare options. */
    imageSize: prepareOption(z.number().int().min(16).max(1024).optional()),
    visualGrid: gridded(z.number().int().min(2).max(128)).optional(),
    /** Also the prepared feature grid (`data prepare --grid`). */
    geometricGrid: prepareOption(z.number().int().min(2).max(512).optional()),
    hidden: gridded(z.number().int().min(4).max(1024)).optional(),
    attentionDim: gridded(z.number().int().min(2).max(1024)).optional(),
    limit: gridded(z.number().int().min(0)).optional(),
  })
  .strict();

const inferSchema = z
  .object({
    sigma: gridded(z.number().min(0).max(64)).optional(),
    batchSize: gridded(z.number().int().min(1).max(1024)).optional(),
  })
  .strict();

// One check rather than a union, so a wrong value is told both allowed forms (a union reports only its first branch).
const proThresholds = z.custom<'exact' | number>((v) => v === 'exact' || (Number.isInteger(v) && (v as number) >= 2), {
  message: 'expected "exact" (every distinct score a threshold) or an integer ≥ 2 (that many thresholds, e.g. 99 as in the MVTec 3D-AD papers)',
});

const evalSchema = z
  .object({
    resolution: gridded(z.number().int().min(8).max(4096)).optional(),
    proThresholds: gridded(proThresholds).optional(),
    minDefectArea: gridded(z.number().int().min(1)).optional(),
  })
  .strict();

const timeouts = z
  .object(Object.fromEntries(STAGES.filter((s) => s !== 'collect').map((s) => [s, z.number().positive().optional()])) as Record<Exclude<Stage, 'collect'>, z.ZodOptional<z.ZodNumber>>)
  .strict();

/** The whole matrix config. */
export const matrixConfigSchema = z
  .object({
    name: name.default('matrix'),
    datasets: z.array(datasetSchema).min(1, 'needs at least one dataset'),
    categories: axis(categoryName).optional(),
    variants: axis(z.enum(VARIANT_NAMES)).default([...VARIANT_NAMES]),
    seeds: axis(z.number().int().min(0).max(0xffffffff)).default([0]),
    prepare: z
      .object({
        workers: prepareOption(z.number().int().min(0).optional()),
        /** `data prepare --distance-threshold` / `train --distance-threshold` (metres). */
        distanceThreshold: prepareOption(z.number().positive().optional()),
        /** `data prepare --largest-component` / `train --largest-component`. */
        largestComponent: prepareOption(z.boolean().optional()),
        /** The RANSAC seed: `data prepare --seed` / `train --prepare-seed`. */
        seed: prepareOption(z.number().int().min(0).optional()),
        /** FPFH radius in metres or `auto`: `data prepare --fpfh-radius` / `train --fpfh-radius`. */
        fpfhRadius: prepareOption(z.union([z.literal('auto'), z.number().positive().max(10)]).optional()),
      })
      .strict()
      .default({}),
    train: trainSchema.default({ epochs: 20, batchSize: 8, backend: 'auto' }),
    infer: inferSchema.default({}),
    eval: evalSchema.default({}),
    report: z.object({ enabled: z.boolean().default(true), figures: z.boolean().default(true), qualitative: z.boolean().default(true) }).strict().default({ enabled: true, figures: true, qualitative: true }),
    limits: z
      .object({
        retries: z.number().int().min(0).max(20).default(2),
        retryDelaySeconds: z.number().min(0).max(3600).default(5),
        /** Seconds per attempt, by stage. */
        timeoutSeconds: timeouts.default({}),
      })
      .strict()
      .default({ retries: 2, retryDelaySeconds: 5, timeoutSeconds: {} }),
  })
  .strict()
  .superRefine((config, ctx) => {
    // A value listed twice would plan the same cells twice: name the field rather than fail on a duplicate job id.
    const once = (list: readonly unknown[], path: (string | number)[], what: string) =>
      list.forEach((value, k) => {
        if (list.slice(0, k).some((v) => stableStringify(v) === stableStringify(value))) {
          ctx.addIssue({ code: 'custom', path: [...path, k], message: `duplicate ${what} \`${typeof value === 'object' ? stableStringify(value) : String(value)}\`: list each value once` });
        }
      });
    once(config.seeds, ['seeds'], 'seed');
    once(config.variants, ['variants'], 'variant');
    if (config.categories !== undefined) once(config.categories, ['categories'], 'category');
    for (const stage of ['train', 'infer', 'eval'] as const) {
      for (const [key, value] of Object.entries(config[stage])) if (isGrid(value)) once(value.grid, [stage, key, 'grid'], 'grid value');
    }
    const seen = new Set<string>();
    config.datasets.forEach((d, i) => {
      if (seen.has(d.name)) ctx.addIssue({ code: 'custom', path: ['datasets', i, 'name'], message: `duplicate dataset name \`${d.name}\`` });
      seen.add(d.name);
      if (d.categories !== undefined) once(d.categories, ['datasets', i, 'categories'], 'category');
      if (d.categories === undefined && config.categories === undefined) {
        ctx.addIssue({ code: 'custom', path: ['datasets', i, 'categories'], message: 'give the categories here or in the top-level `categories`' });
      }
      // Synthetic sets can only hold the generator's categories (MVTec roots are checked once their root is known).
      if (d.kind === 'synthetic') {
        const [list, path] = d.categories !== undefined ? [d.categories, ['datasets', i, 'categories']] : [config.categories ?? [], ['categories']];
        list.forEach((c, k) => {
          if (!categoryNames.includes(c)) ctx.addIssue({ code: 'custom', path: [...path, k], message: `unknown category \`${c}\` for synthetic dataset \`${d.name}\`: expected one of ${categoryNames.map((n) => `\`${n}\``).join(', ')}` });
        });
      }
    });
  });

/** A validated matrix config (lists expanded, defaults filled). */
export type MatrixConfig = z.infer<typeof matrixConfigSchema>;
export type DatasetConfig = MatrixConfig['datasets'][number];
