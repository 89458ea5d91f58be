// `geoad infer`: anomaly maps of every test and validation image of a category from a trained model, as float32
// TIFFs at the original image resolution: MAPS/<category>/<split>/<defect>/<id>.tiff. Stops between batches when
// its signal is aborted (Ctrl-C); a re-run writes only the missing maps. Entry point: infer(options).
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '../../orchestrator/util/atomic-write.js';
import { InterruptedError } from '../../orchestrator/util/interrupt.js';
import { silentProgress, startProgressIn } from '../../orchestrator/util/progress.js';
import { encodeTiffFloat32 } from '../io/tiff.js';
import { selectBackend } from '../model/backend.js';
import { computeDistanceMap } from '../model/loss.js';
import { buildAnomalyMap } from './anomaly-map.js';
import { disposeCheckpoint, loadCheckpoint, resolveCheckpointDir, restoreWeights } from './checkpoint.js';
import { sliceBatch } from './feature-set.js';
import { buildModel } from './geoad-model.js';
import { loadSampleRecords, toFeatureSet } from './load-features.js';
import { mapPath, selectMissingMaps } from './maps-folder.js';
import { normalizeInferOptions, type InferOptions } from './options.js';
import { createDatasetLoader, fillCache, listCategorySamples, type SampleLoader } from './samples.js';

/** What inference wrote. */
export interface InferResult {
  readonly out: string;
  readonly category: string;
  readonly backend: string;
  /** Maps of the category now in OUT (one per test and validation image). */
  readonly maps: number;
  /** Of those, kept from an earlier, interrupted run of the same model. */
  readonly skipped: number;
  readonly checkpoint: string;
  readonly durationMs: number;
}

/** Hooks for callers and tests: a custom sample loader, a line printer and a stop signal. */
export interface InferContext {
  readonly loader?: SampleLoader;
  readonly print?: (line: string) => void;
  /** When aborted, inference stops before its next batch with an InterruptedError. */
  readonly signal?: AbortSignal;
}

/** Writes one anomaly map per test and validation sample of the category (those still missing on a re-run). */
export async function infer(options: InferOptions, context: InferContext = {}): Promise<InferResult> {
  const started = Date.now();
  const o = normalizeInferOptions(options);
  const print = context.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  resolveCheckpointDir(o.model); // a missing checkpoint is a usage error before any backend starts
  const refs = listCategorySamples(o.data, o.category);
  const backend = await selectBackend(o.backend); // before decoding: tensors need an initialised backend
  const checkpoint = await loadCheckpoint(o.model);
  const spec = checkpoint.meta.spec;
  // Allowed (e.g. a cross-category study), but rarely meant. Older checkpoints do not name their category.
  if (spec.category !== undefined && spec.category !== o.category) {
    print(`warning: the model ${checkpoint.dir} was trained on \`${spec.category}\`; writing maps for \`${o.category}\` with it`);
  }
  const model = await buildModel(spec);
  try {
    restoreWeights(checkpoint, model, null);
    disposeCheckpoint(checkpoint);
    const all = [...refs.test, ...refs.validation];
    const stamp = { checkpoint: resolve(checkpoint.dir), savedAt: checkpoint.meta.savedAt, sigma: o.sigma, data: resolve(o.data) };
    const todo = await selectMissingMaps(o.out, o.category, all, stamp);
    const skipped = all.length - todo.length;
    const there = `already in ${join(o.out, o.category)} from this model`;
    if (skipped > 0) print(todo.length > 0 ? `${skipped} of ${all.length} maps ${there}; writing the other ${todo.length}` : `all ${all.length} maps ${there}; nothing to do`);
    // The samples are prepared exactly as the training samples were: sizes and preprocessing come from the spec.
    const sampleShape = { size: spec.imageSize, grid: spec.reconstructor.geometricGrid, preprocessing: spec.preprocessing };
    if (!context.loader) await fillCache(todo, sampleShape, o, `prepare ${o.category}`, print);
    const loader = context.loader ?? createDatasetLoader({ ...sampleShape, cacheDir: o.cache });
    const shape = {
      imageSize: spec.imageSize,
      geometricGrid: spec.reconstructor.geometricGrid,
      geometricChannels: spec.reconstructor.geometricChannels,
      channelsFrom: join(checkpoint.dir, 'model.json'),
    };
    const progress = (todo.length === 0 ? undefined : startProgressIn(o.progress, { label: `infer ${o.category}`, total: all.length, initial: skipped })) ?? silentProgress;
    try {
      for (let start = 0; start < todo.length; start += o.batchSize) {
        if (context.signal?.aborted) throw new InterruptedError(`Interrupted: ${skipped + start} of ${all.length} maps written; re-run to finish`);
        const records = await loadSampleRecords(todo.slice(start, start + o.batchSize), loader, model.extractor, shape);
        const set = toFeatureSet(records, spec, model.extractor);
        const indices = records.map((_, i) => i);
        const distances = tf.tidy(() => {
          const batch = sliceBatch(set, indices);
          return computeDistanceMap(model.predict(batch.inputs), batch.targets).dataSync() as Float32Array;
        });
        const cells = set.grid * set.grid;
        for (const [i, r] of records.entries()) {
          const map = buildAnomalyMap({ distance: distances.subarray(i * cells, (i + 1) * cells), grid: set.grid, cellMask: r.cellMask, foreground: r.foreground, size: r.size, originalWidth: r.originalWidth, originalHeight: r.originalHeight }, o.sigma);
          await writeFileAtomic(mapPath(o.out, r.ref), encodeTiffFloat32({ width: r.originalWidth, height: r.originalHeight, channels: 1, data: map }));
          progress.tick();
        }
      }
    } finally {
      progress.stop();
    }
    return { out: o.out, category: o.category, backend, maps: all.length, skipped, checkpoint: checkpoint.dir, durationMs: Date.now() - started };
  } finally {
    model.dispose();
  }
}
