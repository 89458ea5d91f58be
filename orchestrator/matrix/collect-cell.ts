// A cell's final step: RUN/results/<cellId>.json (CellResult) from the eval results and the training summary/log,
// written atomically; the pure part (buildCellResult) is tested without files.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalResult } from '../../pipelines/eval/types.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { DataError, errorMessage } from '../util/errors.js';
import type { CollectSpec } from './job-spec.js';
import { CELL_RESULT_VERSION, type CellResult } from './run-layout.js';

/** What the cell's training produced, as the result file records it. */
export interface TrainingSummary {
  readonly backend: string;
  readonly epochs: number;
  readonly finalLoss: number;
  readonly validationLoss: number | null;
  readonly lossCurve: readonly number[];
  readonly parameterCount: number;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new DataError(path, `cannot read JSON: ${errorMessage(error)}`, { cause: error });
  }
}

/**
 * Reads the training log (OUT/train-log.jsonl): backend and parameter count from the last start/resume event,
 * the loss curve from `epoch` events (a re-run epoch after a resume replaces the earlier one).
 */
export function summarizeTrainLog(text: string, source: string): TrainingSummary {
  let backend = '';
  let parameterCount = 0;
  const epochs = new Map<number, { trainLoss: number; validationLoss: number | null }>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new DataError(source, `line ${i + 1} is not JSON`);
    }
    if (event.event === 'start' || event.event === 'resume') {
      backend = String(event.backend ?? '');
      parameterCount = Number(event.parameterCount ?? 0);
    } else if (event.event === 'epoch') {
      epochs.set(Number(event.epoch), { trainLoss: Number(event.trainLoss), validationLoss: typeof event.validationLoss === 'number' ? event.validationLoss : null });
    }
  });
  const order = [...epochs.keys()].sort((a, b) => a - b);
  if (order.length === 0) throw new DataError(source, 'holds no finished epoch');
  const last = epochs.get(order[order.length - 1]) as { trainLoss: number; validationLoss: number | null };
  return { backend, epochs: order[order.length - 1], finalLoss: last.trainLoss, validationLoss: last.validationLoss, lossCurve: order.map((e) => (epochs.get(e) as { trainLoss: number }).trainLoss), parameterCount };
}

/** Reads the training summary: MODEL/summary.json when training finished, else the JSONL log. */
export function readTrainingSummary(modelDir: string): TrainingSummary {
  const summaryPath = join(modelDir, 'summary.json');
  if (existsSync(summaryPath)) {
    const s = readJson(summaryPath) as Partial<TrainingSummary>;
    if (typeof s.finalLoss !== 'number' || !Array.isArray(s.lossCurve)) throw new DataError(summaryPath, 'is not a training summary (no finalLoss / lossCurve)');
    return { backend: String(s.backend ?? ''), epochs: Number(s.epochs ?? s.lossCurve.length), finalLoss: s.finalLoss, validationLoss: s.validationLoss ?? null, lossCurve: s.lossCurve, parameterCount: Number(s.parameterCount ?? 0) };
  }
  const logPath = join(modelDir, 'train-log.jsonl');
  if (!existsSync(logPath)) throw new DataError(modelDir, 'holds neither summary.json nor train-log.jsonl');
  return summarizeTrainLog(readFileSync(logPath, 'utf8'), logPath);
}

/** Combines a cell's eval result and training summary into its CellResult (pure). */
export function buildCellResult(spec: CollectSpec, evalResult: EvalResult, training: TrainingSummary, durations: Readonly<Record<string, number>>): CellResult {
  const metrics = evalResult.categories?.find((c) => c.category === spec.cell.category);
  if (metrics === undefined) throw new DataError(spec.evalPath, `holds no metrics for category \`${spec.cell.category}\``);
  return {
    schema: 'geoad-cell-result',
    version: CELL_RESULT_VERSION,
    cell: spec.cell,
    backend: training.backend,
    metrics,
    evaluation: { proCurveMode: evalResult.proCurveMode, resolution: evalResult.resolution ?? null },
    training: { epochs: training.epochs, finalLoss: training.finalLoss, validationLoss: training.validationLoss, lossCurve: training.lossCurve, parameterCount: training.parameterCount },
    durations,
    dataRoot: spec.dataRoot,
    mapsDir: spec.mapsDir,
    modelDir: spec.modelDir,
  };
}

/** Writes RUN/results/<cellId>.json for `spec` (atomically); `durations` are seconds per stage. */
export async function collectCell(spec: CollectSpec, resultPath: string, durations: Readonly<Record<string, number>>): Promise<CellResult> {
  const evalResult = readJson(spec.evalPath) as EvalResult;
  if (evalResult?.schema !== 'geoad-eval') throw new DataError(spec.evalPath, `is not a geoad eval result (schema \`${String(evalResult?.schema)}\`)`);
  if (typeof evalResult.proCurveMode !== 'string') throw new DataError(spec.evalPath, 'has no `proCurveMode` (how AUPRO was computed)');
  const result = buildCellResult(spec, evalResult, readTrainingSummary(spec.modelDir), durations);
  await writeJsonAtomic(resultPath, result);
  return result;
}
