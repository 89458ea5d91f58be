// `geoad train`: loads a category, builds the chosen variant, trains it with AdamW and checkpoints every epoch
// (resumable), logging JSONL and showing progress; stops between steps when its signal is aborted (Ctrl-C).
// Entry point: train(options).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../orchestrator/util/atomic-write.js';
import { DataError, UsageError } from '../../orchestrator/util/errors.js';
import { InterruptedError } from '../../orchestrator/util/interrupt.js';
import { silentProgress, startProgressIn, type Progress } from '../../orchestrator/util/progress.js';
import { selectBackend } from '../model/backend.js';
import { countParameters } from '../model/params.js';
import { createVisualExtractor } from '../visual/index.js';
import { assertResumable, disposeCheckpoint, loadCheckpoint, restoreWeights, saveCheckpoint, type LoadedCheckpoint } from './checkpoint.js';
import { buildModel, MODEL_SPEC_VERSION, type ModelSpec, type RunSpec } from './geoad-model.js';
import { computeFeatureStats, loadSampleRecords, toFeatureSet, type SampleRecord } from './load-features.js';
import { DivergenceError, TrainingInterruptedError, computeMeanBaselineLoss, countStepsPerEpoch, fitModel, type EpochRecord } from './loop.js';
import { createAdamW } from './optimizer.js';
import { normalizeTrainOptions, pickHyperparameters, type NormalizedTrainOptions, type TrainOptions } from './options.js';
import { createDatasetLoader, fillCache, listCategorySamples, type SampleLoader } from './samples.js';
import { openTrainLog } from './train-log.js';

/** What training produced (also written to OUT/summary.json). */
export interface TrainResult {
  readonly out: string;
  readonly backend: string;
  readonly variant: string;
  readonly epochs: number;
  readonly finalLoss: number;
  readonly validationLoss: number | null;
  readonly baselineValidationLoss: number | null;
  readonly lossCurve: readonly number[];
  readonly validationCurve: readonly (number | null)[];
  readonly parameterCount: number;
  readonly checkpoint: string;
  readonly durationMs: number;
}

/** Hooks for callers and tests: a custom sample loader, a line printer and a stop signal. */
export interface TrainContext {
  readonly loader?: SampleLoader;
  readonly print?: (line: string) => void;
  /** When aborted, training stops before its next step (or sample while loading) with an InterruptedError. */
  readonly signal?: AbortSignal;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

// How to go on after an interruption, from the last checkpoint's epoch (null: none written yet).
function describeResume(out: string, lastEpoch: number | null): string {
  return lastEpoch === null ? 'no checkpoint yet; re-run to start again' : `last checkpoint: epoch ${lastEpoch} in ${out}; re-run with --resume to continue`;
}

// Loads the training and validation samples (filling the cache on worker threads first), checks a resumed
// checkpoint against this run before any data is read, and returns the full model spec with its statistics.
async function loadTrainingData(o: NormalizedTrainOptions, checkpoint: LoadedCheckpoint | null, context: TrainContext, print: (line: string) => void) {
  const refs = listCategorySamples(o.data, o.category);
  const trainRefs = o.limit > 0 ? refs.train.slice(0, o.limit) : refs.train;
  if (trainRefs.length === 0) throw new DataError(join(o.data, o.category, 'train'), 'no training samples');
  const extractor = await createVisualExtractor(o.visual, { size: o.imageSize, grid: o.visualGrid, seed: o.seed });
  try {
    const run: RunSpec = {
      schema: 'geoad-model',
      version: MODEL_SPEC_VERSION,
      reconstructor: { variant: o.variant, visualChannels: extractor.channels, visualGrid: o.visualGrid, geometricGrid: o.geometricGrid, hidden: o.hidden, attentionDim: o.attentionDim },
      visual: o.visual,
      imageSize: o.imageSize,
      preprocessing: o.preprocessing,
      seed: o.seed,
      category: o.category,
    };
    if (checkpoint) assertResumable(checkpoint, run, pickHyperparameters(o));
    const sampleShape = { size: o.imageSize, grid: o.geometricGrid, preprocessing: o.preprocessing };
    const needed = [...trainRefs, ...refs.validation];
    const cache = context.loader ? null : await fillCache(needed, sampleShape, o, `prepare ${o.category}`, print);
    const loader = context.loader ?? createDatasetLoader({ ...sampleShape, cacheDir: o.cache });
    const shape = {
      imageSize: o.imageSize,
      geometricGrid: o.geometricGrid,
      ...(checkpoint ? { geometricChannels: checkpoint.meta.spec.reconstructor.geometricChannels, channelsFrom: join(checkpoint.dir, 'model.json') } : {}),
    };
    // Loading can take minutes: Ctrl-C stops after the sample in hand (the cache fill above runs to its end).
    const stopIfInterrupted = () => {
      if (context.signal?.aborted) throw new InterruptedError(`Interrupted while loading samples; ${describeResume(o.out, checkpoint?.meta.epoch ?? null)}`);
    };
    stopIfInterrupted();
    const loading = startProgressIn(o.progress, { label: `features ${o.category}`, total: needed.length }) ?? silentProgress;
    const onSample = () => {
      loading.tick();
      stopIfInterrupted();
    };
    let trainRecords: SampleRecord[], validationRecords: SampleRecord[], geometricChannels: number;
    try {
      trainRecords = await loadSampleRecords(trainRefs, loader, extractor, shape, onSample);
      geometricChannels = trainRecords[0].target.length / (o.geometricGrid * o.geometricGrid);
      validationRecords = await loadSampleRecords(refs.validation, loader, extractor, { ...shape, geometricChannels }, onSample);
    } finally {
      loading.stop();
    }
    const stats = checkpoint ? checkpoint.meta.spec : computeFeatureStats(trainRecords, extractor, geometricChannels);
    const spec: ModelSpec = { ...run, reconstructor: { ...run.reconstructor, geometricChannels }, visualStats: stats.visualStats, geometricStats: stats.geometricStats };
    return { spec, trainRecords, validationRecords, cache };
  } finally {
    extractor.dispose();
  }
}

/** Trains one (category, variant, seed) and returns the summary. */
export async function train(options: TrainOptions, context: TrainContext = {}): Promise<TrainResult> {
  const started = Date.now();
  const o = normalizeTrainOptions(options);
  const print = context.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  const pointer = join(o.out, 'checkpoint.json');
  if (!o.resume && existsSync(pointer)) {
    throw new UsageError(`${o.out} already holds a training run (checkpoint.json); pass \`--resume\` to continue it or choose another \`--out\``);
  }
  if (o.resume && !existsSync(pointer)) throw new UsageError(`\`--resume\` given but ${o.out} has no checkpoint.json to resume from`);
  const backend = await selectBackend(o.backend);
  const checkpoint: LoadedCheckpoint | null = o.resume ? await loadCheckpoint(o.out) : null;
  let data: Awaited<ReturnType<typeof loadTrainingData>>;
  try {
    data = await loadTrainingData(o, checkpoint, context, print);
  } catch (error) {
    if (checkpoint) disposeCheckpoint(checkpoint);
    throw error;
  }
  const { spec, trainRecords, validationRecords, cache } = data;
  const model = await buildModel(spec);
  const optimizer = createAdamW(model.variables, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: o.weightDecay, clipNorm: o.clipNorm });
  const log = openTrainLog(join(o.out, 'train-log.jsonl'));
  const history: EpochRecord[] = [...(checkpoint?.meta.history ?? [])];
  let lastCheckpoint = checkpoint?.dir ?? null;
  try {
    if (checkpoint) {
      restoreWeights(checkpoint, model, optimizer);
      disposeCheckpoint(checkpoint);
    }
    const startEpoch = (checkpoint?.meta.epoch ?? 0) + 1;
    print(
      `${o.variant}: ${model.parameterCount} parameters (visual extractor ${countParameters(model.extractor.variables)}, reconstructor ${model.reconstructor.parameterCount}); backend ${backend}; ${trainRecords.length} train / ${validationRecords.length} validation samples`,
    );
    const trainSet = toFeatureSet(trainRecords, spec, model.extractor);
    const validationSet = validationRecords.length > 0 ? toFeatureSet(validationRecords, spec, model.extractor) : null;
    const baselineValidationLoss = validationSet ? computeMeanBaselineLoss(validationSet) : null;
    const stepsPerEpoch = countStepsPerEpoch(trainSet.count, o.batchSize);
    const totalSteps = stepsPerEpoch * o.epochs;
    const warmupSteps = o.warmupSteps ?? Math.min(100, Math.ceil(totalSteps * 0.05));
    log.write(checkpoint ? 'resume' : 'start', { fromEpoch: startEpoch, backend, variant: o.variant, seed: o.seed, parameterCount: model.parameterCount, trainSamples: trainSet.count, validationSamples: validationSet?.count ?? 0, baselineValidationLoss, cache, options: { ...o } });
    const nothingToDo = startEpoch > o.epochs;
    if (nothingToDo) print(`already trained for ${plural(startEpoch - 1, 'epoch')} (asked for ${o.epochs}): nothing to do`);
    const progress = (nothingToDo ? undefined : startProgressIn(o.progress, { label: `train ${o.category} ${o.variant}`, total: totalSteps, initial: (startEpoch - 1) * stepsPerEpoch })) ?? silentProgress;
    try {
      await fitModel(model, optimizer, trainSet, validationSet, { epochs: o.epochs, batchSize: o.batchSize, learningRate: o.lr, schedule: o.schedule, warmupSteps, seed: o.seed, startEpoch, signal: context.signal }, {
        onStep(record) {
          log.write('step', { ...record });
          progress.tick();
        },
        async onEpoch(record) {
          history.push(record);
          lastCheckpoint = await saveCheckpoint(o.out, model, optimizer, {
            spec,
            epoch: record.epoch,
            step: record.step,
            optimizerStep: optimizer.step,
            history,
            baselineValidationLoss,
            parameterCount: model.parameterCount,
            backend,
            savedAt: new Date().toISOString(),
            hyperparameters: pickHyperparameters(o),
          });
          log.write('epoch', { ...record, baselineValidationLoss, checkpoint: lastCheckpoint });
        },
      });
    } catch (error) {
      if (error instanceof DivergenceError) {
        log.write('diverged', { epoch: error.epoch, step: error.step, message: error.message, lastCheckpoint });
        // `--resume` refuses another `--lr`: a lower one means a new run.
        const keep = lastCheckpoint ? `the last good checkpoint is ${lastCheckpoint} (lower \`--lr\` and train again with another \`--out\`)` : 'no checkpoint was written yet';
        throw new DivergenceError(error.epoch, error.step, error.loss, error.gradNorm, keep);
      }
      if (error instanceof TrainingInterruptedError) {
        const lastEpoch = history.length > 0 ? history[history.length - 1].epoch : null;
        log.write('interrupted', { epoch: error.epoch, step: error.step, lastCheckpoint });
        throw new TrainingInterruptedError(error.epoch, error.step, describeResume(o.out, lastEpoch));
      }
      throw error;
    } finally {
      progress.stop();
    }
    const last = history[history.length - 1];
    const result: TrainResult = {
      out: o.out,
      backend,
      variant: o.variant,
      epochs: last?.epoch ?? 0,
      finalLoss: last?.trainLoss ?? Number.NaN,
      validationLoss: last?.validationLoss ?? null,
      baselineValidationLoss,
      lossCurve: history.map((h) => h.trainLoss),
      validationCurve: history.map((h) => h.validationLoss),
      parameterCount: model.parameterCount,
      checkpoint: lastCheckpoint ?? '',
      durationMs: Date.now() - started,
    };
    log.write('end', { epochs: result.epochs, finalLoss: result.finalLoss, validationLoss: result.validationLoss, baselineValidationLoss });
    await writeJsonAtomic(join(o.out, 'summary.json'), result);
    return result;
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}
