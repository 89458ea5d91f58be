// Pixel-level metrics from one descending sweep over the sorted pixel scores: P-AUROC (ties count half) and the
// exact PRO curve (every distinct score a threshold, "score ≥ threshold" is anomalous) integrated at each FPR limit.
// Between two consecutive distinct region scores only anomaly-free pixels enter: the curve is flat there (PRO and
// TPR constant), so such a stretch is taken in one step from the anomaly-free counts — the same curve, the same
// areas, at a cost set by the region pixels. Memory is constant in the number of thresholds.
import { CurveSampler } from './curve-sampler.js';
import { countOkAbove, type PixelScores } from './pixel-scores.js';
import { LimitedTrapezoid } from './trapezoid.js';
import type { Curve } from './types.js';

/** What the sweep yields. AUPRO values are normalised by their limit. */
export interface ExactPixelMetrics {
  readonly pAuroc: number;
  /** AUPRO per FPR limit, in the order of the `limits` given. */
  readonly aupro: readonly number[];
  readonly pixelRoc: Curve;
  /** The PRO curve up to the largest limit. */
  readonly pro: Curve;
}

/** Runs the exact sweep: P-AUROC, exact AUPRO at each of `limits` (each in (0, 1]) and down-sampled curves. */
export function computeExactPixelMetrics(pixels: PixelScores, limits: readonly number[]): ExactPixelMetrics {
  const { okCount: negatives, regionKeys, regionIds, regionSizes } = pixels;
  const positives = regionKeys.length;
  const regions = regionSizes.length;
  if (negatives === 0) throw new RangeError('computeExactPixelMetrics: no anomaly-free pixels');
  if (positives === 0 || regions === 0) throw new RangeError('computeExactPixelMetrics: no ground-truth region pixels');
  const inverseSize = Float64Array.from(regionSizes, (s) => 1 / s);
  const maxLimit = Math.max(...limits);
  const integrals = limits.map((limit) => new LimitedTrapezoid(limit));
  const roc = new CurveSampler();
  const pro = new CurveSampler();
  let fpr = 0;
  let tpr = 0;
  let proValue = 0;
  let rocArea = 0;
  // Σ 1/|region| over region pixels above the threshold, Neumaier-compensated.
  let proSum = 0;
  let proComp = 0;
  let proOpen = true; // the PRO curve is still below the largest limit
  const addPoint = (nextFpr: number, nextTpr: number, nextPro: number) => {
    rocArea += ((nextFpr - fpr) * (nextTpr + tpr)) / 2;
    roc.add(nextFpr, nextTpr);
    if (proOpen) {
      for (const t of integrals) t.add(nextFpr, nextPro);
      if (nextFpr <= maxLimit) pro.add(nextFpr, nextPro);
      else {
        pro.add(maxLimit, proValue + ((nextPro - proValue) * (maxLimit - fpr)) / (nextFpr - fpr));
        proOpen = false;
      }
      if (nextFpr === maxLimit) proOpen = false;
    }
    fpr = nextFpr;
    tpr = nextTpr;
    proValue = nextPro;
  };
  for (const t of integrals) t.add(0, 0);
  roc.add(0, 0);
  pro.add(0, 0);
  let okAbove = 0; // anomaly-free pixels at or above the current threshold
  let j = positives - 1;
  while (j >= 0) {
    const key = regionKeys[j];
    // Anomaly-free pixels scoring above every remaining region pixel: a flat stretch.
    const above = countOkAbove(pixels, key);
    if (above > okAbove) {
      okAbove = above;
      addPoint(okAbove / negatives, tpr, proValue);
    }
    okAbove = countOkAbove(pixels, key, true);
    while (j >= 0 && regionKeys[j] === key) {
      const w = inverseSize[regionIds[j]];
      const t = proSum + w;
      proComp += Math.abs(proSum) >= w ? proSum - t + w : w - t + proSum;
      proSum = t;
      j--;
    }
    addPoint(okAbove / negatives, (positives - 1 - j) / positives, Math.min(1, (proSum + proComp) / regions));
  }
  if (okAbove < negatives) addPoint(1, 1, proValue);
  return {
    pAuroc: rocArea,
    aupro: integrals.map((t) => t.value() / t.limit),
    pixelRoc: roc.finish(),
    pro: pro.finish(),
  };
}
