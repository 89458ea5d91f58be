// The papers' sampled PRO curve (MVTec 3D-AD evaluation code, as used by CFM and GeoAD): N thresholds taken at
// evenly spaced ranks of the sorted anomaly-free scores; at each, FPR = 1 − (rank + 1) / #anomaly-free pixels and
// PRO = mean over regions of the fraction of the region scoring strictly above the threshold. Reproduced float
// for float (summation order included) so that `--pro-thresholds 99` gives the published numbers' definition.
// Checked by reading against CFM's utils/metrics_utils.py (compute_pro, GroundTruthComponent.compute_overlap,
// calculate_au_pro with num_thresholds=99) and the official pro_curve_util.py as vendored in IHPCMember/IGAF:
// ranks, FPR formula, `score <= threshold` counted as missed, per-region sum then division, (1, 1) last.
import { okKeyAtRank, type PixelScores } from './pixel-scores.js';

/** A PRO curve in ascending FPR order. */
export interface ProCurve {
  readonly fpr: Float64Array;
  readonly pro: Float64Array;
}

/** The ranks numpy.linspace(0, n − 1, count, dtype=int) yields. */
export function linspaceRanks(n: number, count: number): Int32Array {
  const out = new Int32Array(count);
  if (count === 1) return out;
  const step = (n - 1) / (count - 1);
  for (let i = 0; i < count; i++) out[i] = step === 0 ? 0 : Math.trunc(i * step);
  out[count - 1] = n - 1;
  return out;
}

/** The sampled PRO curve with `thresholds` thresholds, plus the end point (1, 1), ascending in FPR. */
export function computeSampledProCurve(pixels: PixelScores, thresholds: number): ProCurve {
  const { okCount: n, regionKeys, regionIds, regionSizes } = pixels;
  const regions = regionSizes.length;
  if (n === 0 || regions === 0) throw new RangeError('computeSampledProCurve: needs anomaly-free pixels and at least one region');
  if (!Number.isInteger(thresholds) || thresholds < 1) throw new RangeError(`computeSampledProCurve: thresholds must be a positive integer, got ${thresholds}`);
  const ranks = linspaceRanks(n, thresholds);
  const atOrBelow = new Uint32Array(regions);
  const fpr = new Float64Array(thresholds + 1);
  const pro = new Float64Array(thresholds + 1);
  let p = 0;
  // Thresholds ascend with rank; the curve is stored reversed (ascending FPR), (1, 1) last.
  for (let t = 0; t < thresholds; t++) {
    const rank = ranks[t];
    const key = okKeyAtRank(pixels, rank);
    while (p < regionKeys.length && regionKeys[p] <= key) atOrBelow[regionIds[p++]]++;
    let sum = 0;
    for (let r = 0; r < regions; r++) sum += 1 - atOrBelow[r] / regionSizes[r];
    fpr[thresholds - 1 - t] = 1 - (rank + 1) / n;
    pro[thresholds - 1 - t] = sum / regions;
  }
  fpr[thresholds] = 1;
  pro[thresholds] = 1;
  return { fpr, pro };
}
