// Every test pixel's score gathered for the sweeps. Ground-truth-region pixels are kept as sorted keys with their
// region (regions numbered in image order, then raster order, as the papers' code). Anomaly-free pixels — nearly all
// of them — are counted per bucket of the top 16 key bits, and only the buckets where an exact rank matters (those
// holding a region score, a requested threshold or a requested rank) are sorted: the sweeps need nothing else.
import { labelComponents8 } from './components.js';
import { keyOf, radixSortKeys, writeKeys } from './sort-keys.js';

const BUCKETS = 65536;

/** The pooled pixel scores of one category's test set. Query the anomaly-free side with the functions below. */
export interface PixelScores {
  /** Number of pixels outside every gt region. */
  readonly okCount: number;
  /** okStart[b]: anomaly-free pixels in buckets below b (length 65537); bucket = key >>> 16. */
  readonly okStart: Uint32Array;
  /** 1 where the bucket's keys are sorted in `okSorted`. */
  readonly okResolved: Uint8Array;
  /** Sorted keys of the resolved buckets, bucket after bucket; sortedStart[b] is where bucket b begins. */
  readonly okSorted: Uint32Array;
  readonly sortedStart: Uint32Array;
  /** Keys of all gt-region pixels, ascending. */
  readonly regionKeys: Uint32Array;
  /** Region index (0-based) of each entry of `regionKeys`. */
  readonly regionIds: Uint32Array;
  /** Pixel count of each region. */
  readonly regionSizes: Uint32Array;
}

/** What must be exact after `finish`: every bucket (small in-memory sets) or the given keys and ranks. */
export interface ResolveRequest {
  readonly all?: boolean;
  /** Thresholds (as float values) whose anomaly-free counts will be asked for. */
  readonly values?: readonly number[];
  /** Ranks (0-based, ascending order) of anomaly-free keys that will be asked for. */
  readonly ranks?: ArrayLike<number>;
}

function grow(array: Uint32Array, needed: number): Uint32Array {
  if (needed <= array.length) return array;
  const next = new Uint32Array(Math.max(needed, Math.ceil(array.length * 1.5)));
  next.set(array);
  return next;
}

// The bucket holding rank `rank` of the anomaly-free keys.
function bucketOfRank(okStart: Uint32Array, rank: number): number {
  let lo = 0;
  let hi = BUCKETS - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (okStart[mid] <= rank) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// Sorts keys that share their top 16 bits: counting sort on the low 16 bits, native sort for short slices.
function sortBucket(slice: Uint32Array, counts: Uint32Array, scratch: Uint32Array): void {
  if (slice.length < 4096) {
    slice.sort();
    return;
  }
  counts.fill(0);
  for (let i = 0; i < slice.length; i++) counts[slice[i] & 0xffff]++;
  let sum = 0;
  for (let v = 0; v < 65536; v++) {
    const c = counts[v];
    counts[v] = sum;
    sum += c;
  }
  for (let i = 0; i < slice.length; i++) scratch[counts[slice[i] & 0xffff]++] = slice[i];
  slice.set(scratch.subarray(0, slice.length));
}

/** One image's pixels split into anomaly-free keys and gt-region keys with their (1-based, per-image) region label. */
export interface PreparedImage {
  readonly okKeys: Uint32Array;
  readonly regionKeys: Uint32Array;
  readonly regionLabels: Uint32Array;
  readonly regionSizes: Uint32Array;
}

/** Splits one image (`map` NaN-free, `gt` non-zero = anomalous) into keys; pure, so it can run in a worker. */
export function prepareImage(map: Float32Array, gt: Uint8Array, width: number, height: number): PreparedImage {
  const n = width * height;
  if (map.length !== n || gt.length !== n) throw new RangeError(`prepareImage: map ${map.length}, gt ${gt.length}, expected ${n} pixels`);
  const bits = new Uint32Array(map.buffer, map.byteOffset, n);
  let anomalous = 0;
  for (let i = 0; i < n; i++) if (gt[i]) anomalous++;
  const okKeys = new Uint32Array(n - anomalous);
  if (anomalous === 0) {
    writeKeys(map, okKeys, 0);
    return { okKeys, regionKeys: new Uint32Array(0), regionLabels: new Uint32Array(0), regionSizes: new Uint32Array(0) };
  }
  const { labels, sizes } = labelComponents8(gt, width, height);
  const regionKeys = new Uint32Array(anomalous);
  const regionLabels = new Uint32Array(anomalous);
  let o = 0;
  let r = 0;
  for (let i = 0; i < n; i++) {
    const b = bits[i];
    const key = b === 0x80000000 ? 0x80000000 : b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
    const label = labels[i];
    if (label === 0) okKeys[o++] = key;
    else {
      regionKeys[r] = key;
      regionLabels[r++] = label;
    }
  }
  return { okKeys, regionKeys, regionLabels, regionSizes: sizes };
}

// Accumulates test images one at a time (so a map can be dropped once added), then resolves once.
export class PixelScoreCollector {
  private ok: Uint32Array;
  private okCount = 0;
  private readonly histogram = new Uint32Array(BUCKETS);
  private region: Uint32Array = new Uint32Array(1024);
  private ids: Uint32Array = new Uint32Array(1024);
  private regionCount = 0;
  private readonly sizes: number[] = [];

  /** `expectedPixels` pre-sizes the buffers (e.g. images × pixels per image) to avoid regrowth. */
  constructor(expectedPixels = 1 << 16) {
    this.ok = new Uint32Array(Math.max(1, expectedPixels));
  }

  /** Anomaly-free pixels added so far. */
  get anomalyFreePixels(): number {
    return this.okCount;
  }

  /** Sizes of the gt regions added so far. */
  get regionSizes(): readonly number[] {
    return this.sizes;
  }

  /** Adds one image: `map` scores (NaN-free) and its binary `gt` (non-zero = anomalous), both `width`×`height`. */
  add(map: Float32Array, gt: Uint8Array, width: number, height: number): void {
    this.addPrepared(prepareImage(map, gt, width, height));
  }

  /** Adds one image already split by {@link prepareImage} (e.g. in a worker thread). */
  addPrepared(image: PreparedImage): void {
    const { okKeys, regionKeys, regionLabels, regionSizes } = image;
    this.ok = grow(this.ok, this.okCount + okKeys.length);
    this.ok.set(okKeys, this.okCount);
    this.okCount += okKeys.length;
    const histogram = this.histogram;
    for (let i = 0; i < okKeys.length; i++) histogram[okKeys[i] >>> 16]++;
    const base = this.sizes.length;
    for (const size of regionSizes) this.sizes.push(size);
    this.region = grow(this.region, this.regionCount + regionKeys.length);
    this.ids = grow(this.ids, this.regionCount + regionKeys.length);
    this.region.set(regionKeys, this.regionCount);
    for (let i = 0; i < regionKeys.length; i++) this.ids[this.regionCount + i] = base + regionLabels[i] - 1;
    this.regionCount += regionKeys.length;
  }

  /** Sorts the region pixels and the requested anomaly-free buckets; the collector must not be used afterwards. */
  finish(request: ResolveRequest = { all: true }): PixelScores {
    const regionKeys = this.region.slice(0, this.regionCount);
    const regionIds = this.ids.slice(0, this.regionCount);
    radixSortKeys(regionKeys, regionIds);
    const okStart = new Uint32Array(BUCKETS + 1);
    for (let b = 0; b < BUCKETS; b++) okStart[b + 1] = okStart[b] + this.histogram[b];
    const resolved = new Uint8Array(BUCKETS);
    if (request.all) resolved.fill(1);
    for (let k = 0; k < regionKeys.length; k++) resolved[regionKeys[k] >>> 16] = 1;
    for (const v of request.values ?? []) resolved[keyOf(v) >>> 16] = 1;
    for (let k = 0; k < (request.ranks?.length ?? 0); k++) {
      const rank = request.ranks![k];
      if (rank >= 0 && rank < this.okCount) resolved[bucketOfRank(okStart, rank)] = 1;
    }
    const sortedStart = new Uint32Array(BUCKETS + 1);
    for (let b = 0; b < BUCKETS; b++) sortedStart[b + 1] = sortedStart[b] + (resolved[b] ? this.histogram[b] : 0);
    const okSorted = new Uint32Array(sortedStart[BUCKETS]);
    const cursor = sortedStart.slice(0, BUCKETS);
    const ok = this.ok;
    for (let i = 0; i < this.okCount; i++) {
      const key = ok[i];
      const b = key >>> 16;
      if (resolved[b]) okSorted[cursor[b]++] = key;
    }
    this.ok = new Uint32Array(1); // release the unsorted keys
    const counts = new Uint32Array(65536);
    let largest = 0;
    for (let b = 0; b < BUCKETS; b++) if (resolved[b]) largest = Math.max(largest, this.histogram[b]);
    const scratch = new Uint32Array(largest);
    for (let b = 0; b < BUCKETS; b++) {
      if (resolved[b] && this.histogram[b] > 1) sortBucket(okSorted.subarray(sortedStart[b], sortedStart[b + 1]), counts, scratch);
    }
    return { okCount: this.okCount, okStart, okResolved: resolved, okSorted, sortedStart, regionKeys, regionIds, regionSizes: Uint32Array.from(this.sizes) };
  }
}

// The sorted keys of the bucket of `key`; throws if that bucket was not requested at finish().
function resolvedBucket(p: PixelScores, bucket: number): Uint32Array {
  if (!p.okResolved[bucket]) throw new RangeError(`PixelScores: bucket ${bucket} was not resolved (request it in finish())`);
  return p.okSorted.subarray(p.sortedStart[bucket], p.sortedStart[bucket + 1]);
}

/** Number of anomaly-free pixels scoring above `key` (strictly, or at-or-above with `inclusive`). */
export function countOkAbove(p: PixelScores, key: number, inclusive = false): number {
  const bucket = key >>> 16;
  const above = p.okCount - p.okStart[bucket + 1];
  const slice = resolvedBucket(p, bucket);
  let lo = 0;
  let hi = slice.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (inclusive ? slice[mid] < key : slice[mid] <= key) lo = mid + 1;
    else hi = mid;
  }
  return above + slice.length - lo;
}

/** The key of rank `rank` (0-based, ascending) among the anomaly-free pixels. */
export function okKeyAtRank(p: PixelScores, rank: number): number {
  if (!(rank >= 0 && rank < p.okCount)) throw new RangeError(`okKeyAtRank: rank ${rank} outside 0..${p.okCount - 1}`);
  const bucket = bucketOfRank(p.okStart, rank);
  return resolvedBucket(p, bucket)[rank - p.okStart[bucket]];
}

/** Gathers the pixel scores of whole in-memory maps and masks, every bucket resolved (pure; tests, small sets). */
export function collectPixelScores(maps: readonly Float32Array[], masks: readonly Uint8Array[], width: number, height: number): PixelScores {
  if (maps.length !== masks.length) throw new RangeError(`collectPixelScores: ${maps.length} maps but ${masks.length} masks`);
  const collector = new PixelScoreCollector(maps.length * width * height);
  maps.forEach((map, i) => collector.add(map, masks[i], width, height));
  return collector.finish({ all: true });
}
