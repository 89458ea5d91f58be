// `geoad infer`: anomaly maps of every test and validation image of a category from a trained model, as float32
// TIFFs at the original image resolution: MAPS/<category>/<split>/<defect>/<id>.tiff. Entry point: infer(options).
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '../../orchestrator/util/atomic-write.js';
import { startProgress } from '../../orchestrator/util/progress.js';
import { encodeTiffFloat32 } from '../io/tiff.js';
import { selectBackend } from '../model/backend.js';
import { computeDistanceMap } from '../model/loss.js';
import { buildAnomalyMap } from './anomaly-map.js';
import { disposeCheckpoint, loadCheckpoint, resolveCheckpointDir, restoreWeights } from './checkpoint.js';
import { sliceBatch } from './feature-set.js';
import { buildModel } from './geoad-model.js';
import { loadSampleRecords, toFeatureSet } from './load-features.js';
import { normalizeInferOptions, type InferOptions } from './options.js';
import { createDatasetLoader, fillCache, listCategorySamples, type SampleLoader } from './samples.js';

/** What inference wrote. */
export interface InferResult {
  readonly out: string;
  readonly category: string;
  readonly backend: string;
  readonly maps: number;
  readonly checkpoint: string;
  readonly durationMs: number;
}

/** Writes one anomaly map per test and validation sample of the category. */
export async function infer(options: InferOptions, context: { readonly loader?: SampleLoader; readonly print?: (line: string) => void } = {}): Promise<InferResult> {
  const started = Date.now();
  const o = normalizeInferOptions(options);
  const print = context.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  resolveCheckpointDir(o.model); // a missing checkpoint is a usage error before any backend starts
  const refs = listCategorySamples(o.data, o.category);
  const backend = await selectBackend(o.backend); // before decoding: tensors need an initialised backend
  const checkpoint = await loadCheckpoint(o.model);
  const spec = checkpoint.meta.spec;
  const model = await buildModel(spec);
  try {
    restoreWeights(checkpoint, model, null);
    disposeCheckpoint(checkpoint);
    const all = [...refs.test, ...refs.validation];
    // The samples are prepared exactly as the training samples were: sizes and preprocessing come from the spec.
    const sampleShape = { size: spec.imageSize, grid: spec.reconstructor.geometricGrid, preprocessing: spec.preprocessing };
    if (!context.loader) await fillCache(all, sampleShape, o, `prepare ${o.category}`, print);
    const loader = context.loader ?? createDatasetLoader({ ...sampleShape, cacheDir: o.cache });
    const shape = {
      imageSize: spec.imageSize,
      geometricGrid: spec.reconstructor.geometricGrid,
      geometricChannels: spec.reconstructor.geometricChannels,
      channelsFrom: join(checkpoint.dir, 'model.json'),
    };
    const progress = o.progress === 'none' ? { tick() {}, stop() {} } : startProgress({ label: `infer ${o.category}`, total: all.length, plain: o.progress === 'plain' });
    try {
      for (let start = 0; start < all.length; start += o.batchSize) {
        const records = await loadSampleRecords(all.slice(start, start + o.batchSize), loader, model.extractor, shape);
        const set = toFeatureSet(records, spec, model.extractor);
        const indices = records.map((_, i) => i);
        const distances = tf.tidy(() => {
          const batch = sliceBatch(set, indices);
          return computeDistanceMap(model.predict(batch.inputs), batch.targets).dataSync() as Float32Array;
        });
        const cells = set.grid * set.grid;
        for (const [i, r] of records.entries()) {
          const map = buildAnomalyMap({ distance: distances.subarray(i * cells, (i + 1) * cells), grid: set.grid, cellMask: r.cellMask, foreground: r.foreground, size: r.size, originalWidth: r.originalWidth, originalHeight: r.originalHeight }, o.sigma);
          const file = join(o.out, r.ref.category, r.ref.split, r.ref.defect, `${r.ref.id}.tiff`);
          await writeFileAtomic(file, encodeTiffFloat32({ width: r.originalWidth, height: r.originalHeight, channels: 1, data: map }));
          progress.tick();
        }
      }
    } finally {
      progress.stop();
    }
    return { out: o.out, category: o.category, backend, maps: all.length, checkpoint: checkpoint.dir, durationMs: Date.now() - started };
  } finally {
    model.dispose();
  }
}
