// ROC AUC of scores against binary labels with ties counted half (Mann–Whitney), plus the ROC curve.
// Used for I-AUROC (one score per image); P-AUROC comes from the pixel sweep, same definition.
import type { Curve } from './types.js';

/** AUROC and its ROC curve (one point per distinct score, x = FPR ascending). */
export interface Roc {
  readonly auroc: number;
  readonly curve: Curve;
}

/** ROC AUC of `scores` (NaN-free) against `labels` (truthy = positive); needs both classes. */
export function computeAuroc(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>): Roc {
  const n = scores.length;
  if (labels.length !== n) throw new RangeError(`computeAuroc: ${n} scores but ${labels.length} labels`);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) throw new RangeError(`computeAuroc: score ${i} is NaN`);
    if (labels[i]) positives++;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) {
    throw new RangeError(`computeAuroc: needs positives and negatives, got ${positives} and ${negatives}`);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
  const x = [0];
  const y = [0];
  let tp = 0;
  let fp = 0;
  let area = 0;
  for (let k = 0; k < n; ) {
    const value = scores[order[k]];
    const prevTpr = tp / positives;
    const prevFpr = fp / negatives;
    while (k < n && scores[order[k]] === value) {
      if (labels[order[k]]) tp++;
      else fp++;
      k++;
    }
    const tpr = tp / positives;
    const fpr = fp / negatives;
    area += ((fpr - prevFpr) * (tpr + prevTpr)) / 2;
    x.push(fpr);
    y.push(tpr);
  }
  return { auroc: area, curve: { x, y } };
}
