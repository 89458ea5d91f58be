// The training loop: seeded shuffling, one AdamW step per batch, validation loss per epoch, a hook per step and
// per epoch (logging, checkpoints). Stops on a non-finite loss before the bad update is applied, and between steps
// when its signal is aborted (Ctrl-C).
import * as tf from '@tensorflow/tfjs';
import { GeoadError } from '../../orchestrator/util/errors.js';
import { InterruptedError, yieldToEventLoop } from '../../orchestrator/util/interrupt.js';
import { computeForegroundL2 } from '../model/loss.js';
import { createRng, deriveSeed, shuffleIndices } from '../model/random.js';
import { sliceBatch, type FeatureSet } from './feature-set.js';
import type { GeoadModel } from './geoad-model.js';
import { computeGlobalNorm, scheduleLearningRate, type AdamW } from './optimizer.js';

/** Settings of the loop (already validated). */
export interface FitSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly schedule: 'cosine' | 'constant';
  readonly warmupSteps: number;
  readonly seed: number;
  /** First epoch to run (1-based; > 1 when resuming). */
  readonly startEpoch: number;
  /** Checked before each step: when aborted, the loop stops with TrainingInterruptedError. */
  readonly signal?: AbortSignal;
}

/** One optimisation step, as logged. */
export interface StepRecord {
  readonly epoch: number;
  readonly step: number;
  readonly loss: number;
  readonly gradNorm: number;
  readonly lr: number;
}

/** One finished epoch, as logged and kept in checkpoints. */
export interface EpochRecord {
  readonly epoch: number;
  readonly step: number;
  readonly trainLoss: number;
  readonly validationLoss: number | null;
  readonly samplesPerSecond: number;
}

/** Callbacks of the loop: per step (log, progress) and per epoch (checkpoint). */
export interface FitHooks {
  onStep?(record: StepRecord): void;
  onEpoch?(record: EpochRecord): Promise<void>;
}

/** A non-finite loss or gradient: training stopped, the last checkpoint is the last good state. */
export class DivergenceError extends GeoadError {
  readonly epoch: number;
  readonly step: number;
  readonly loss: number;
  readonly gradNorm: number;
  constructor(epoch: number, step: number, loss: number, gradNorm: number, detail?: string) {
    super(`Training diverged at epoch ${epoch}, step ${step}: loss ${loss}, gradient norm ${gradNorm}; stopped before the update${detail ? `; ${detail}` : ''}`);
    this.epoch = epoch;
    this.step = step;
    this.loss = loss;
    this.gradNorm = gradNorm;
  }
}

/** Training stopped by its signal before step `step` (1-based, as in the log; not run) of `epoch`. */
export class TrainingInterruptedError extends InterruptedError {
  readonly epoch: number;
  readonly step: number;
  constructor(epoch: number, step: number, detail?: string) {
    super(`Interrupted at epoch ${epoch} (step ${step})${detail ? `; ${detail}` : ''}`);
    this.epoch = epoch;
    this.step = step;
  }
}

/** Steps per epoch for `count` samples (the last, partial batch included). */
export function countStepsPerEpoch(count: number, batchSize: number): number {
  return Math.ceil(count / batchSize);
}

/** One optimisation step on `indices`; throws DivergenceError (weights untouched) when loss or gradients are not finite. */
export function runTrainStep(model: GeoadModel, optimizer: AdamW, set: FeatureSet, indices: readonly number[], lr: number, where: { epoch: number; step: number }): { loss: number; gradNorm: number } {
  const params = model.variables.map((v) => v.variable);
  const { value, grads, norm } = tf.tidy(() => {
    const batch = sliceBatch(set, indices);
    const result = tf.variableGrads(() => computeForegroundL2(model.predict(batch.inputs), batch.targets, batch.masks), params);
    const ordered = params.map((p) => result.grads[p.name]);
    return { value: result.value, grads: ordered, norm: computeGlobalNorm(ordered) };
  });
  try {
    const [loss, gradNorm] = tf.tidy(() => tf.stack([value, norm]).dataSync());
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) throw new DivergenceError(where.epoch, where.step, loss, gradNorm);
    optimizer.apply(grads, lr, norm);
    return { loss, gradNorm };
  } finally {
    tf.dispose([value, norm, ...grads]);
  }
}

/** Mean foreground L2 loss of `model` over a whole split (batched, no gradients). */
export function computeSetLoss(model: GeoadModel, set: FeatureSet, batchSize: number): number {
  let weighted = 0;
  let cells = 0;
  for (let start = 0; start < set.count; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, set.count - start) }, (_, i) => start + i);
    const [loss, count] = tf.tidy(() => {
      const batch = sliceBatch(set, indices);
      const l = computeForegroundL2(model.predict(batch.inputs), batch.targets, batch.masks);
      return tf.stack([l, tf.sum(batch.masks)]).dataSync();
    });
    weighted += loss * count;
    cells += count;
  }
  return cells > 0 ? weighted / cells : 0;
}

/** Loss of the mean-feature baseline on `set`: predicting the training mean (0 after standardisation) everywhere. */
export function computeMeanBaselineLoss(set: FeatureSet): number {
  let sum = 0;
  let cells = 0;
  const cellCount = set.grid * set.grid;
  for (let s = 0; s < set.count; s++) {
    for (let cell = 0; cell < cellCount; cell++) {
      if (set.masks[s * cellCount + cell] === 0) continue;
      cells++;
      const base = (s * cellCount + cell) * set.channels;
      for (let c = 0; c < set.channels; c++) sum += set.targets[base + c] ** 2;
    }
  }
  return cells > 0 ? sum / cells : 0;
}

/** Runs epochs startEpoch..epochs; shuffling of epoch e depends only on (seed, e), so resumed runs match. */
export async function fitModel(model: GeoadModel, optimizer: AdamW, train: FeatureSet, validation: FeatureSet | null, settings: FitSettings, hooks: FitHooks = {}): Promise<EpochRecord[]> {
  const stepsPerEpoch = countStepsPerEpoch(train.count, settings.batchSize);
  const totalSteps = stepsPerEpoch * settings.epochs;
  const records: EpochRecord[] = [];
  for (let epoch = settings.startEpoch; epoch <= settings.epochs; epoch++) {
    const order = shuffleIndices(train.count, createRng(deriveSeed(settings.seed, 1000 + epoch)));
    const started = performance.now();
    let lossSum = 0;
    for (let s = 0; s < stepsPerEpoch; s++) {
      const step = (epoch - 1) * stepsPerEpoch + s;
      // Steps are synchronous: yield so that a SIGINT handler can run and abort the signal.
      await yieldToEventLoop();
      if (settings.signal?.aborted) throw new TrainingInterruptedError(epoch, step + 1);
      const lr = scheduleLearningRate(settings.learningRate, step, totalSteps, settings.warmupSteps, settings.schedule);
      const indices = order.slice(s * settings.batchSize, (s + 1) * settings.batchSize);
      const { loss, gradNorm } = runTrainStep(model, optimizer, train, indices, lr, { epoch, step: step + 1 });
      lossSum += loss * indices.length;
      hooks.onStep?.({ epoch, step: step + 1, loss, gradNorm, lr });
    }
    const seconds = (performance.now() - started) / 1000;
    const record: EpochRecord = {
      epoch,
      step: epoch * stepsPerEpoch,
      trainLoss: lossSum / train.count,
      validationLoss: validation && validation.count > 0 ? computeSetLoss(model, validation, settings.batchSize) : null,
      samplesPerSecond: seconds > 0 ? train.count / seconds : 0,
    };
    records.push(record);
    await hooks.onEpoch?.(record);
  }
  return records;
}
