// How a run's numbers were evaluated — the PRO-curve mode behind AUPRO and the evaluation resolution — in words for
// the pages. AUPRO from the exact curve and from the papers' 99 thresholds differ slightly, so every table says which.
import type { CellResult } from '../orchestrator/matrix/run-layout.js';

/** The evaluation settings of a set of results, as text. */
export interface EvaluationText {
  /** e.g. `99 thresholds (sampled)`, `exact (every distinct score a threshold)`. */
  readonly curve: string;
  /** e.g. `224 × 224 px`, `each image's ground-truth resolution`. */
  readonly resolution: string;
  /** One sentence for table captions. */
  readonly summary: string;
}

const NOT_RECORDED = 'not recorded';

function describeCurve(mode: string): string {
  if (mode === 'exact') return 'exact (every distinct score a threshold)';
  const sampled = /^sampled-(\d+)$/.exec(mode);
  return sampled ? `${sampled[1]} thresholds (sampled)` : mode;
}

function describeResolution(resolution: number | null): string {
  return resolution === null ? "each image's ground-truth resolution" : `${resolution} × ${resolution} px`;
}

// The distinct values in first-seen order; more than one means cells were evaluated differently.
function distinct(values: readonly string[]): string {
  const unique = [...new Set(values)];
  return unique.length > 1 ? `${unique.join('; ')} (differs between cells)` : (unique[0] ?? '—');
}

/** Describes how `results` were evaluated; results written before CellResult recorded it count as "not recorded". */
export function describeEvaluation(results: readonly CellResult[]): EvaluationText {
  const curve = distinct(results.map((r) => (r.evaluation ? describeCurve(r.evaluation.proCurveMode) : NOT_RECORDED)));
  const resolution = distinct(results.map((r) => (r.evaluation ? describeResolution(r.evaluation.resolution) : NOT_RECORDED)));
  return { curve, resolution, summary: `PRO curve behind AUPRO: ${curve}; evaluation resolution: ${resolution}.` };
}
