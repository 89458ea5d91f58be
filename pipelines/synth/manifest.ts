// ROOT/manifest.json: generator version, data config, the last run's options, seed, camera intrinsics, and per
// sample its scene and anomaly parameters, files and completion. Written atomically; one line per sample keeps it diffable.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../orchestrator/util/atomic-write.js';
import { DataError, errorMessage } from '../../orchestrator/util/errors.js';
import type { DataConfig, RunOptions } from './options.js';
import type { SceneParams } from './params.js';
import type { SampleFiles } from './plan.js';
import type { CameraIntrinsics } from './types.js';

/** Bumped whenever the same config would render different files. */
export const GENERATOR_VERSION = '1.1.0';
export const MANIFEST_FORMAT = 'geoad-synth';
export const MANIFEST_NAME = 'manifest.json';

/** One sample's entry. */
export interface ManifestSample {
  readonly key: string;
  readonly files: SampleFiles;
  /** All files written. */
  complete: boolean;
  /** Pixels of the ground-truth mask once complete (null before). */
  anomalyPixels: number | null;
  readonly scene: SceneParams;
}

export interface SynthManifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly generatorVersion: string;
  readonly layout: 'mvtec3d-ad';
  /** The options that decide the files' content (compared on resume). */
  readonly config: DataConfig;
  /** Every option of the run that last wrote this manifest (provenance only; a resume may change them). */
  readonly run: RunOptions;
  readonly seed: number;
  /** Intrinsics shared by every sample (pixels; OpenCV convention, camera frame in metres). */
  readonly camera: CameraIntrinsics;
  readonly samples: ManifestSample[];
}

/** Serialises with one sample per line. */
export function serializeManifest(manifest: SynthManifest): string {
  const { samples, ...head } = manifest;
  const top = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  const lines = samples.map((s) => `    ${JSON.stringify(s)}`);
  return `${top},\n  "samples": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

/** Writes ROOT/manifest.json atomically. */
export function writeManifest(root: string, manifest: SynthManifest): Promise<void> {
  return writeFileAtomic(join(root, MANIFEST_NAME), serializeManifest(manifest));
}

/** Reads ROOT/manifest.json: undefined when absent; DataError when it is not a geoad synth manifest. */
export function readManifest(root: string): SynthManifest | undefined {
  const path = join(root, MANIFEST_NAME);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DataError(path, `cannot read: ${errorMessage(error)}`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DataError(path, `not valid JSON: ${errorMessage(error)}`, { cause: error });
  }
  const m = value as Partial<SynthManifest> | null;
  if (!m || m.format !== MANIFEST_FORMAT || typeof m.config !== 'object' || !Array.isArray(m.samples)) {
    throw new DataError(path, `not a geoad synth manifest (expected "format": "${MANIFEST_FORMAT}")`);
  }
  return m as SynthManifest;
}

/** Names the config keys whose values differ (JSON comparison), for the "use --force" message. */
export function diffConfig(previous: unknown, next: unknown): string[] {
  const a = (previous ?? {}) as Record<string, unknown>;
  const b = (next ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}
