// The synth stage's entry: renderDataset(options) renders (or resumes) a synthetic dataset in the MVTec 3D-AD layout.
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { GeoadError } from '../../orchestrator/util/errors.js';
import { startProgressIn, type Progress } from '../../orchestrator/util/progress.js';
import { decodePng } from '../io/png.js';
import { computeIntrinsics } from './build-mesh.js';
import { checkFinishedSample, expectedXyzBytes } from './check-finished.js';
import { countMaskPixels, type SampleResult } from './encode-sample.js';
import { GENERATOR_VERSION, MANIFEST_FORMAT, writeManifest, type ManifestSample, type SynthManifest } from './manifest.js';
import { normalizeSynthOptions, selectDataConfig, selectRunOptions, type SynthOptions } from './options.js';
import { locateSampleFiles, planSamples } from './plan.js';
import { prepareOutput } from './prepare-output.js';
import { runBuiltin, type WorkerTask } from './run-builtin.js';
import { runExternal } from './run-external.js';
import { formatSampleKey, sampleScene } from './sample-scene.js';
import { summarizeDataset, type SynthSummary } from './summary.js';

export type { SynthOptions } from './options.js';
export type { SynthSummary } from './summary.js';
export { formatSummary } from './summary.js';

/** Seconds between manifest saves while rendering (completion survives a kill up to this much). */
const MANIFEST_EVERY_MS = 5000;

// Renders the dataset described by `options` (resuming a previous run with the same config) and summarises it.
export async function renderDataset(options: SynthOptions): Promise<SynthSummary> {
  const started = performance.now();
  const o = normalizeSynthOptions(options);
  const config = selectDataConfig(o);
  const { previous } = prepareOutput(o.out, config, o.force);
  const log = (line: string) => {
    if (o.progress !== 'off') o.stream.write(`${line}\n`);
  };
  // Scene params are pure; a resumed run takes them from its manifest (same config ⇒ same params).
  const previousByKey = new Map(previous?.samples.map((s) => [s.key, s]));
  const samples: ManifestSample[] = planSamples(o).map((id) => {
    const files = locateSampleFiles(id);
    const old = previousByKey.get(formatSampleKey(id));
    const scene = old?.scene ?? sampleScene(o.seed, id, o.resolution);
    return { key: scene.key, files, complete: false, anomalyPixels: null, scene };
  });
  // The file system is the truth: a sample is done when its files are there and of a plausible size.
  const xyzBytes = expectedXyzBytes(o.resolution);
  let skipped = 0;
  let damaged = 0;
  for (const sample of samples) {
    const state = checkFinishedSample(o.out, sample.files, xyzBytes);
    if (state === 'damaged') damaged++;
    if (state !== 'finished') continue;
    sample.complete = true;
    sample.anomalyPixels = previousByKey.get(sample.key)?.anomalyPixels ?? countGtPixels(o.out, sample);
    skipped++;
  }
  if (damaged > 0) log(`synth: ${damaged} finished sample(s) have an empty or truncated file; rendering them again`);
  const manifest: SynthManifest = {
    format: MANIFEST_FORMAT,
    generatorVersion: GENERATOR_VERSION,
    layout: 'mvtec3d-ad',
    config,
    run: selectRunOptions(o),
    seed: o.seed,
    camera: computeIntrinsics(o.resolution),
    samples,
  };
  await writeManifest(o.out, manifest);
  const pending: WorkerTask[] = samples.filter((s) => !s.complete).map((s) => ({ params: s.scene, files: s.files }));
  const byKey = new Map(samples.map((s) => [s.key, s]));
  const progress: Progress | undefined =
    pending.length === 0 ? undefined : startProgressIn(o.progress, { label: 'synth', total: samples.length, initial: skipped, stream: o.stream });
  let rendered = 0;
  let lastSave = Date.now();
  let saving: Promise<void> = Promise.resolve();
  const onDone = (result: SampleResult) => {
    const sample = byKey.get(result.key);
    if (!sample) return;
    sample.complete = true;
    sample.anomalyPixels = result.anomalyPixels;
    rendered++;
    progress?.tick();
    if (Date.now() - lastSave >= MANIFEST_EVERY_MS) {
      lastSave = Date.now();
      saving = saving.then(() => writeManifest(o.out, manifest));
    }
  };
  let failure: unknown;
  try {
    if (o.renderer === 'builtin') {
      await runBuiltin(pending, { root: o.out, resolution: o.resolution, workers: o.workers, onDone, ...(o.signal ? { signal: o.signal } : {}) });
    } else {
      await runExternal(pending, o, log, onDone);
    }
  } catch (error) {
    failure = error;
  } finally {
    progress?.stop();
    await saving;
    await writeManifest(o.out, manifest);
  }
  if (failure) throw failure instanceof GeoadError ? failure : new GeoadError(`geoad synth failed: ${String(failure)}`, { cause: failure });
  return summarizeDataset(o.out, manifest, { rendered, skipped, interrupted: o.signal?.aborted === true, seconds: (performance.now() - started) / 1000 });
}

/** Anomalous pixels of a finished sample's gt file (0 outside the test split). */
function countGtPixels(root: string, sample: ManifestSample): number {
  if (!sample.files.gt) return 0;
  const path = join(root, sample.files.gt);
  return countMaskPixels(decodePng(readFileSync(path), path).data);
}
