// MVTec threshold calibration: on anomaly-free validation maps, the smallest threshold at which the largest
// 8-connected region of pixels scoring above it is smaller than the minimum defect area; and detection quality
// (precision / recall / F1 / FPR) at that threshold. "Above" is strict: a pixel is anomalous when score > threshold.
// Pixels are added in descending score order into a union-find forest (one sort, one pass), so every distinct
// validation score is a candidate threshold without a labelling pass per candidate.
import { countOkAbove, type PixelScores } from './pixel-scores.js';
import { keyOf, radixSortKeys, valueOfKey, writeKeys } from './sort-keys.js';

/** A single-channel map. */
export interface ScoreMap {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

/** Precision, recall, F1 (0 where undefined) and FPR from confusion counts. */
export interface Detection {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly fpr: number;
}

/**
 * The default minimum defect area: 0.1 % of the pixels of a validation map at the evaluation resolution (their
 * mean when sizes differ), rounded up, at least 1 — 51 px at 224×224, 640 px at 800×800. The MVTec AD protocol
 * (Bergmann et al., CVPR 2019, §4.3) leaves the area to the user per category and the MVTec 3D-AD evaluation code
 * does no calibration, so this is our choice; it reads no test labels, so the threshold depends on validation maps
 * only. `--min-defect-area` overrides it.
 */
export function defaultMinDefectArea(maps: readonly ScoreMap[]): number {
  if (maps.length === 0) throw new RangeError('defaultMinDefectArea: no validation maps');
  const meanPixels = maps.reduce((sum, m) => sum + m.width * m.height, 0) / maps.length;
  return Math.max(1, Math.ceil(meanPixels / 1000));
}

function findRoot(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

/**
 * The calibrated threshold: the smallest validation score t such that every 8-connected region of pixels with
 * score > t has fewer than `minDefectArea` pixels. If even all pixels together form no region that large, the
 * lowest validation score is returned. Pixels enter in descending batches (by the top 16 key bits, each batch about
 * as large as everything before it), so the usual early stop sorts only the highest scores.
 */
export function calibrateThreshold(maps: readonly ScoreMap[], minDefectArea: number): number {
  if (maps.length === 0) throw new RangeError('calibrateThreshold: no validation maps');
  if (!Number.isInteger(minDefectArea) || minDefectArea < 1) throw new RangeError(`calibrateThreshold: minDefectArea must be a positive integer, got ${minDefectArea}`);
  const offsets = [0];
  for (const m of maps) offsets.push(offsets[offsets.length - 1] + m.width * m.height);
  const total = offsets[offsets.length - 1];
  const keys = new Uint32Array(total);
  maps.forEach((m, k) => writeKeys(m.data, keys, offsets[k]));
  const histogram = new Uint32Array(65536);
  for (let g = 0; g < total; g++) histogram[keys[g] >>> 16]++;
  // Pixels grouped by bucket (one counting pass), so that each batch is a contiguous range.
  const bucketStart = new Uint32Array(65537);
  for (let b = 0; b < 65536; b++) bucketStart[b + 1] = bucketStart[b] + histogram[b];
  const byBucket = new Uint32Array(total);
  const cursor = bucketStart.slice(0, 65536);
  for (let g = 0; g < total; g++) byBucket[cursor[keys[g] >>> 16]++] = g;
  const parent = new Int32Array(total).fill(-1); // -1: not yet above the threshold
  const size = new Int32Array(total);
  let largest = 0;
  let image = 0;
  let processed = 0;
  let top = 65536; // buckets [top, 65536) are done
  while (top > 0) {
    // Next batch: buckets [bottom, top) holding at least as many pixels as processed so far (≥ 4096).
    let bottom = top;
    let count = 0;
    while (bottom > 0 && count < Math.max(4096, processed)) count += histogram[--bottom];
    const batchPixels = byBucket.slice(bucketStart[bottom], bucketStart[top]);
    const batchKeys = new Uint32Array(count);
    for (let n = 0; n < count; n++) batchKeys[n] = keys[batchPixels[n]];
    radixSortKeys(batchKeys, batchPixels);
    for (let k = count - 1; k >= 0; ) {
      const key = batchKeys[k];
      for (; k >= 0 && batchKeys[k] === key; k--) {
        const g = batchPixels[k];
        while (g < offsets[image] || g >= offsets[image + 1]) image = g < offsets[image] ? image - 1 : image + 1;
        const grown = addPixel(parent, size, g, offsets[image], maps[image].width, maps[image].height);
        if (grown > largest) largest = grown;
      }
      if (largest >= minDefectArea) return valueOfKey(key);
    }
    processed += count;
    top = bottom;
  }
  let min = 0xffffffff;
  for (let g = 0; g < total; g++) if (keys[g] < min) min = keys[g];
  return valueOfKey(min);
}

// Marks pixel g (at `offset` + y·width + x of its image) above the threshold, joins it with its 8 neighbours that
// already are, and returns the size of its region.
function addPixel(parent: Int32Array, size: Int32Array, g: number, offset: number, width: number, height: number): number {
  const local = g - offset;
  const x = local % width;
  const y = (local - x) / width;
  parent[g] = g;
  size[g] = 1;
  let root = g;
  for (let dy = -1; dy <= 1; dy++) {
    const ny = y + dy;
    if (ny < 0 || ny >= height) continue;
    for (let dx = -1; dx <= 1; dx++) {
      const nx = x + dx;
      if ((dx === 0 && dy === 0) || nx < 0 || nx >= width) continue;
      const n = offset + ny * width + nx;
      if (parent[n] < 0) continue;
      const other = findRoot(parent, n);
      if (other === root) continue;
      if (size[other] > size[root]) {
        parent[root] = other;
        size[other] += size[root];
        root = other;
      } else {
        parent[other] = root;
        size[root] += size[other];
      }
    }
  }
  return size[root];
}

/** Precision, recall, F1 and FPR from true/false positive and negative counts. */
export function computeDetection(tp: number, fp: number, fn: number, tn: number): Detection {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  const fpr = fp + tn > 0 ? fp / (fp + tn) : 0;
  return { precision, recall, f1, fpr };
}

/** Image-level detection at `threshold`: an image is flagged when its score is > threshold. */
export function detectImages(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>, threshold: number): Detection {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < scores.length; i++) {
    const flagged = scores[i] > threshold;
    if (labels[i]) flagged ? tp++ : fn++;
    else flagged ? fp++ : tn++;
  }
  return computeDetection(tp, fp, fn, tn);
}

// How many of the ascending `keys` are greater than `key`.
function countAbove(keys: Uint32Array, key: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] <= key) lo = mid + 1;
    else hi = mid;
  }
  return keys.length - lo;
}

/** Pixel-level detection at `threshold` over the pooled test pixels (gt-region pixels are the positives). */
export function detectPixels(pixels: PixelScores, threshold: number): Detection {
  const key = keyOf(threshold);
  const tp = countAbove(pixels.regionKeys, key);
  const fp = countOkAbove(pixels, key);
  return computeDetection(tp, fp, pixels.regionKeys.length - tp, pixels.okCount - fp);
}
