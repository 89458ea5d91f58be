// AUPRO: the area under the PRO curve up to an FPR limit, divided by that limit by name (not by the curve's last
// x, anomalib's old bug that gave 1.21). Exact curve by default; the papers' sampled curve on request.
import { collectPixelScores, type PixelScores } from './pixel-scores.js';
import { computeExactPixelMetrics } from './pixel-metrics.js';
import { computeSampledProCurve } from './pro-sampled.js';
import { integrateLikeReference } from './trapezoid.js';
import type { Curve } from './types.js';

/** Rounding slack accepted above 1 (or below 0) before a value counts as out of range. */
const SLACK = 1e-9;

/** `exact` (every distinct score a threshold) or the number of rank-spaced thresholds of the papers' code. */
export type ProThresholds = 'exact' | number;

/** Checks that an AUPRO value lies in [0, 1] (clamping rounding slack) and throws otherwise. */
export function checkAupro(value: number, fprLimit: number): number {
  if (!(value >= -SLACK && value <= 1 + SLACK)) {
    throw new RangeError(`AUPRO@${fprLimit} = ${value} lies outside [0, 1]: the PRO curve or its integration is wrong`);
  }
  return Math.min(1, Math.max(0, value));
}

/** AUPRO at each limit from gathered pixel scores, with the PRO curve up to the largest limit. */
export function computeAuproFromPixels(
  pixels: PixelScores,
  fprLimits: readonly number[],
  proThresholds: ProThresholds = 'exact',
): { readonly aupro: readonly number[]; readonly pro: Curve } {
  for (const limit of fprLimits) {
    if (!(limit > 0 && limit <= 1)) throw new RangeError(`Expected an FPR limit in (0, 1], got ${limit}`);
  }
  if (proThresholds === 'exact') {
    const exact = computeExactPixelMetrics(pixels, fprLimits);
    return { aupro: exact.aupro.map((v, i) => checkAupro(v, fprLimits[i])), pro: exact.pro };
  }
  const curve = computeSampledProCurve(pixels, proThresholds);
  const maxLimit = Math.max(...fprLimits);
  const aupro = fprLimits.map((fprLimit) => checkAupro(integrateLikeReference(curve.fpr, curve.pro, fprLimit) / fprLimit, fprLimit));
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < curve.fpr.length && curve.fpr[i] <= maxLimit; i++) {
    x.push(curve.fpr[i]);
    y.push(curve.pro[i]);
  }
  return { aupro, pro: { x, y } };
}

/** AUPRO up to `fprLimit` of single-channel `width`×`height` maps against binary masks (non-zero = anomalous). */
export function computeAupro(
  maps: readonly Float32Array[],
  masks: readonly Uint8Array[],
  options: { readonly width: number; readonly height: number; readonly fprLimit: number; readonly proThresholds?: ProThresholds },
): number {
  const pixels = collectPixelScores(maps, masks, options.width, options.height);
  return computeAuproFromPixels(pixels, [options.fprLimit], options.proThresholds ?? 'exact').aupro[0];
}
