// One rendered sample → its files' bytes (RGB PNG, XYZ float32 TIFF, gt PNG) and → disk, each file atomically.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeFileAtomicSync } from '../../orchestrator/util/atomic-write.js';
import { encodePng } from '../io/png.js';
import { encodeTiffFloat32 } from '../io/tiff.js';
import { buildRenderScene } from './build-mesh.js';
import type { SceneParams } from './params.js';
import type { SampleFiles } from './plan.js';
import { rasterizeScene } from './rasterize.js';
import type { RenderOutput } from './types.js';

/** What the manifest records about a finished sample. */
export interface SampleResult {
  readonly key: string;
  /** Pixels of the ground-truth mask (0 for good samples). */
  readonly anomalyPixels: number;
  /** Bytes written. */
  readonly bytes: number;
}

/** Encodes a render into the sample's files, xyz and gt first and rgb last. */
export function encodeSample(output: RenderOutput, size: number, files: SampleFiles): [path: string, bytes: Uint8Array][] {
  const expected = size * size;
  if (output.rgb.length !== expected * 3 || output.xyz.length !== expected * 3 || output.mask.length !== expected) {
    throw new RangeError(`render output does not match the ${size}×${size} image size`);
  }
  const list: [string, Uint8Array][] = [[files.xyz, encodeTiffFloat32({ width: size, height: size, channels: 3, data: output.xyz })]];
  if (files.gt) list.push([files.gt, encodePng({ width: size, height: size, channels: 1, data: output.mask })]);
  list.push([files.rgb, encodePng({ width: size, height: size, channels: 3, data: output.rgb })]);
  return list;
}

/** Counts the mask's anomalous pixels. */
export function countMaskPixels(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) n++;
  return n;
}

/** Renders a sample with the built-in renderer and writes its files under `root` (synchronously; worker threads). */
export function renderSampleToDisk(root: string, params: SceneParams, files: SampleFiles, resolution: number): SampleResult {
  const output = rasterizeScene(buildRenderScene(params, { resolution }));
  let bytes = 0;
  for (const [path, data] of encodeSample(output, resolution, files)) {
    writeFileAtomicSync(join(root, path), data);
    bytes += data.byteLength;
  }
  return { key: params.key, anomalyPixels: countMaskPixels(output.mask), bytes };
}

/** Writes an externally rendered sample's files under `root`. */
export async function writeSampleOutput(root: string, key: string, output: RenderOutput, files: SampleFiles, resolution: number): Promise<SampleResult> {
  let bytes = 0;
  for (const [path, data] of encodeSample(output, resolution, files)) {
    await writeFileAtomic(join(root, path), data);
    bytes += data.byteLength;
  }
  return { key, anomalyPixels: countMaskPixels(output.mask), bytes };
}

/** Bytes on disk of a sample's files, or undefined when any is missing (the sample is then not complete). */
export function measureSampleFiles(root: string, files: SampleFiles): number | undefined {
  let bytes = 0;
  for (const path of [files.rgb, files.xyz, files.gt]) {
    if (path === undefined) continue;
    try {
      bytes += statSync(join(root, path)).size;
    } catch {
      return undefined;
    }
  }
  return bytes;
}
