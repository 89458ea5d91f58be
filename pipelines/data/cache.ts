// The preprocessing and feature cache. Keys are SHA-256 over the input files' content, the sample's identity
// (it seeds RANSAC) and every normalised parameter, plus a format version; a hit returns the stored arrays.
// Content, not size+mtime: the key survives moving or copying the dataset and cannot be fooled by a regenerated
// file with the same size and timestamp; hashing ~8 MB of inputs costs ~20 ms, far below decoding + preprocessing.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../orchestrator/util/atomic-write.js';
import { computeGeometricFeatures, normalizeFeatureOptions, type FeatureOptions } from '../features/geometric-features.js';
import { decodeCacheRecord, encodeCacheRecord } from './cache-record.js';
import { normalizePrepareOptions, prepareSample, type PrepareOptions } from './prepare-sample.js';
import { decodeSample, readSampleFiles, type SampleFiles } from './read-sample.js';
import type { GeometricFeatures, PreparedSample, SampleRef } from './types.js';

/** Bumped whenever preprocessing or features change their output for the same inputs and parameters. */
export const PREPARE_VERSION = 1;
export const FEATURES_VERSION = 1;

export interface SampleDataOptions {
  readonly prepare?: PrepareOptions;
  readonly features?: FeatureOptions;
}

/** A sample's prepared data and features, with whether each came from the cache. */
export interface SampleData {
  readonly prepared: PreparedSample;
  readonly features: GeometricFeatures;
  readonly preparedHit: boolean;
  readonly featuresHit: boolean;
}

function hashFiles(files: SampleFiles): string {
  const hash = createHash('sha256');
  for (const part of [files.rgb, files.xyz, files.gt ?? new Uint8Array(0)]) {
    hash.update(String(part.length)).update(':').update(part);
  }
  return hash.digest('hex');
}

/** Cache key of the prepared sample: input content, identity, normalised options, version. */
export function prepareCacheKey(ref: SampleRef, files: SampleFiles, options: PrepareOptions = {}): string {
  const identity = [ref.category, ref.split, ref.defect, ref.id, files.gt !== undefined ? 'gt' : 'no-gt'];
  const payload = JSON.stringify({ v: PREPARE_VERSION, input: hashFiles(files), identity, options: normalizePrepareOptions(options) });
  return createHash('sha256').update(payload).digest('hex');
}

/** Cache key of the features: the prepared key plus the normalised feature options and version. */
export function featuresCacheKey(prepareKey: string, options: FeatureOptions = {}): string {
  const payload = JSON.stringify({ v: FEATURES_VERSION, prepared: prepareKey, options: normalizeFeatureOptions(options) });
  return createHash('sha256').update(payload).digest('hex');
}

/** Where the record of `kind` for `ref` and `key` lives below `cacheDir`. */
export function cachePath(cacheDir: string, kind: 'prepared' | 'features', ref: SampleRef, key: string): string {
  return join(cacheDir, kind, ref.category, ref.split, ref.defect, `${ref.id}.${key.slice(0, 16)}.bin`);
}

// Reads a record; a missing, truncated or foreign file (or a key mismatch) is a miss, never an error.
async function readRecord(path: string, key: string) {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    return undefined;
  }
  try {
    const record = decodeCacheRecord(bytes, path);
    return record.meta.key === key ? record : undefined;
  } catch {
    return undefined;
  }
}

function preparedFromRecord(ref: SampleRef, record: NonNullable<Awaited<ReturnType<typeof readRecord>>>): PreparedSample | undefined {
  const m = record.meta as { size: number; originalWidth: number; originalHeight: number; plane?: PreparedSample['plane']; nonFinitePoints: number };
  const { rgb, xyz, gt, foreground } = record.arrays;
  const n = m.size * m.size;
  if (!(rgb instanceof Uint8Array) || !(xyz instanceof Float32Array) || !(gt instanceof Uint8Array) || !(foreground instanceof Uint8Array)) return undefined;
  if (rgb.length !== n * 3 || xyz.length !== n * 3 || gt.length !== n || foreground.length !== n) return undefined;
  return {
    ref, size: m.size, originalWidth: m.originalWidth, originalHeight: m.originalHeight, rgb, xyz, gt, foreground,
    ...(m.plane ? { plane: m.plane } : {}), nonFinitePoints: m.nonFinitePoints,
  };
}

function featuresFromRecord(record: NonNullable<Awaited<ReturnType<typeof readRecord>>>): GeometricFeatures | undefined {
  const m = record.meta as { grid: number; channels: number; channelNames?: string[] };
  const { data, foreground } = record.arrays;
  if (!(data instanceof Float32Array) || !(foreground instanceof Uint8Array)) return undefined;
  if (data.length !== m.grid * m.grid * m.channels || foreground.length !== m.grid * m.grid) return undefined;
  return { grid: m.grid, channels: m.channels, data, foreground, ...(m.channelNames ? { channelNames: m.channelNames } : {}) };
}

async function loadOrPrepareFrom(ref: SampleRef, files: SampleFiles, key: string, options: PrepareOptions, cacheDir: string) {
  const path = cachePath(cacheDir, 'prepared', ref, key);
  const record = await readRecord(path, key);
  const cached = record && preparedFromRecord(ref, record);
  if (cached) return { prepared: cached, hit: true };
  const prepared = prepareSample(await decodeSample(ref, files), options);
  const meta = {
    key, version: PREPARE_VERSION, size: prepared.size, originalWidth: prepared.originalWidth, originalHeight: prepared.originalHeight,
    ...(prepared.plane ? { plane: prepared.plane } : {}), nonFinitePoints: prepared.nonFinitePoints ?? 0,
  };
  await writeFileAtomic(path, encodeCacheRecord(meta, { rgb: prepared.rgb, xyz: prepared.xyz, gt: prepared.gt, foreground: prepared.foreground }));
  return { prepared, hit: false };
}

/** Prepared sample and features of `ref`, from the cache when both keys match, else computed and stored atomically. */
export async function loadSampleData(ref: SampleRef, options: SampleDataOptions, cacheDir: string): Promise<SampleData> {
  const prepareOptions = options.prepare ?? {};
  const featureOptions = options.features ?? {};
  const files = await readSampleFiles(ref);
  const prepareKey = prepareCacheKey(ref, files, prepareOptions);
  const featureKey = featuresCacheKey(prepareKey, featureOptions);
  const { prepared, hit: preparedHit } = await loadOrPrepareFrom(ref, files, prepareKey, prepareOptions, cacheDir);
  const featurePath = cachePath(cacheDir, 'features', ref, featureKey);
  const record = await readRecord(featurePath, featureKey);
  const cached = record && featuresFromRecord(record);
  if (cached) return { prepared, features: cached, preparedHit, featuresHit: true };
  const features = computeGeometricFeatures(prepared, featureOptions);
  const meta = { key: featureKey, version: FEATURES_VERSION, grid: features.grid, channels: features.channels, channelNames: features.channelNames };
  await writeFileAtomic(featurePath, encodeCacheRecord(meta, { data: features.data, foreground: features.foreground }));
  return { prepared, features, preparedHit, featuresHit: false };
}

/** The prepared sample of `ref`, from the cache or computed and stored. */
export async function loadOrPrepare(ref: SampleRef, options: PrepareOptions, cacheDir: string): Promise<PreparedSample> {
  const files = await readSampleFiles(ref);
  const key = prepareCacheKey(ref, files, options);
  return (await loadOrPrepareFrom(ref, files, key, options, cacheDir)).prepared;
}

/** The geometric features of `ref` (and its preprocessing), from the cache or computed and stored. */
export async function loadOrComputeFeatures(ref: SampleRef, options: SampleDataOptions, cacheDir: string): Promise<GeometricFeatures> {
  return (await loadSampleData(ref, options, cacheDir)).features;
}
