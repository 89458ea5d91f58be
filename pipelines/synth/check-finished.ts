// Resume's cheap check of a sample whose files exist: each must be non-empty and the xyz TIFF exactly as long as
// the writer makes it, so a file truncated or emptied outside geoad is rendered again. PNGs are not decoded: that
// would cost about as much as rendering them.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { encodeTiffFloat32 } from '../io/tiff.js';
import type { SampleFiles } from './plan.js';

/** Bytes of the xyz TIFF the writer produces for a size × size image (float32 × 3, one uncompressed strip). */
export function expectedXyzBytes(size: number): number {
  // Header and IFD do not depend on the size: measured on a 1×1 image, so this follows the writer if it changes.
  const overhead = encodeTiffFloat32({ width: 1, height: 1, channels: 3, data: new Float32Array(3) }).byteLength - 12;
  return overhead + size * size * 12;
}

/** `missing`: some file is not there (never finished); `damaged`: all there, but one is empty or cut short. */
export type FinishedState = 'finished' | 'missing' | 'damaged';

/** Checks a sample's files by their sizes only. `xyzBytes` comes from expectedXyzBytes(). */
export function checkFinishedSample(root: string, files: SampleFiles, xyzBytes: number): FinishedState {
  let damaged = false;
  for (const path of [files.rgb, files.xyz, files.gt]) {
    if (path === undefined) continue;
    let size: number;
    try {
      size = statSync(join(root, path)).size;
    } catch {
      return 'missing';
    }
    if (size === 0 || (path === files.xyz && size !== xyzBytes)) damaged = true;
  }
  return damaged ? 'damaged' : 'finished';
}
