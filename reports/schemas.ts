// zod schemas of the run files the report reads (run.json, results/<cell>.json) and of the baselines file.
import { z } from 'zod';

const unit = z.number().min(0).max(1);
const finite = z.number().refine(Number.isFinite, 'expected a finite number');
const curve = z
  .object({ x: z.array(finite), y: z.array(finite) })
  .refine((c) => c.x.length === c.y.length, 'x and y must have the same length');

const cell = z.object({
  id: z.string().min(1),
  dataset: z.string().min(1),
  datasetKind: z.enum(['synthetic', 'mvtec']),
  category: z.string().min(1),
  variant: z.enum(['full', 'no-mfe', 'no-gcn', 'no-nla']),
  seed: z.number().int(),
  /** Grid values (e.g. `train.lr`): they make a cell its own arm, so the schema must keep them. */
  overrides: z.record(z.string(), z.unknown()).optional(),
});

/** RUN/run.json (RunManifest). */
export const runManifestSchema = z.object({
  schema: z.literal('geoad-run'),
  version: z.literal(1),
  name: z.string(),
  config: z.unknown(),
  cells: z.array(cell),
  datasets: z.array(
    z.object({ name: z.string(), kind: z.enum(['synthetic', 'mvtec']), root: z.string(), samples: z.record(z.string(), z.number()).optional() }),
  ),
  environment: z.object({
    gitCommit: z.string().nullable(),
    geoadVersion: z.string(),
    node: z.string(),
    hostname: z.string(),
    cpus: z.string(),
    cpuCount: z.number(),
    memoryGiB: z.number(),
    executor: z.enum(['local', 'slurm']),
  }),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

const threshold = z.union([
  z.object({
    calibrated: z.literal(true),
    threshold: finite,
    minDefectArea: z.number(),
    image: z.object({ precision: unit, recall: unit, f1: unit, fpr: unit }),
    pixel: z.object({ precision: unit, recall: unit, f1: unit }),
  }),
  z.object({ calibrated: z.literal(false), reason: z.string() }),
]);

const categoryMetrics = z.object({
  category: z.string(),
  counts: z.object({
    testImages: z.number().int().min(0),
    anomalousImages: z.number().int().min(0),
    goodImages: z.number().int().min(0),
    validationImages: z.number().int().min(0),
    regions: z.number().int().min(0),
    pixels: z.number().min(0),
  }),
  iAuroc: unit,
  pAuroc: unit,
  aupro: z.record(z.string(), unit),
  curves: z.object({ imageRoc: curve, pixelRoc: curve, pro: curve }),
  threshold,
  resizedMaps: z.boolean(),
  durationMs: z.number().min(0),
});

/** RUN/results/<cellId>.json (CellResult). */
export const cellResultSchema = z.object({
  schema: z.literal('geoad-cell-result'),
  version: z.literal(1),
  cell,
  backend: z.string(),
  metrics: categoryMetrics,
  /** Added within v1; older results lack it. */
  evaluation: z
    .object({ proCurveMode: z.string().regex(/^(exact|sampled-\d+)$/, 'expected `exact` or `sampled-N`'), resolution: z.number().int().min(1).nullable() })
    .optional(),
  training: z.object({
    epochs: z.number().int().min(0),
    finalLoss: finite,
    validationLoss: finite.nullable(),
    lossCurve: z.array(finite),
    parameterCount: z.number().int().min(0),
  }),
  durations: z.record(z.string(), z.number().min(0)),
  dataRoot: z.string(),
  mapsDir: z.string(),
  modelDir: z.string(),
});

const citation = z.object({
  paper: z.string().min(1),
  authors: z.string().min(1),
  venue: z.string().min(1),
  year: z.number().int(),
  table: z.string().min(1),
  url: z.string().min(1),
  readFrom: z.string().min(1),
});

/** datasets/baselines/*.json: published numbers, each block of numbers with its citation. */
export const baselinesSchema = z.object({
  schema: z.literal('geoad-baselines'),
  version: z.literal(1),
  dataset: z.string(),
  note: z.string().optional(),
  categories: z.array(z.string()).min(1),
  methods: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string().min(1),
      modality: z.string().min(1),
      results: z.array(
        z.object({
          metric: z.enum(['iAuroc', 'pAuroc', 'aupro@0.3', 'aupro@0.1', 'aupro@0.05', 'aupro@0.01']),
          values: z.record(z.string(), unit),
          mean: unit,
          citation,
        }),
      ),
    }),
  ),
  notSourced: z.array(z.object({ method: z.string(), reason: z.string() })).default([]),
});
