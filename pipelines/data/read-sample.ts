// Reads one sample (rgb PNG, xyz float32 TIFF, gt PNG) and checks sizes, dtypes and channels; errors name the file.
import { open, type FileHandle } from 'node:fs/promises';
import { DataError, errorMessage } from '../../orchestrator/util/errors.js';
import { decodePng } from '../io/png.js';
import type { RasterU8 } from '../io/raster.js';
import type { RawSample, SampleRef } from './types.js';
import { decodeTiff } from '../io/tiff.js';

// RGB or RGBA → packed RGB (alpha dropped).
function toRgb(image: RasterU8, file: string): Uint8Array {
  if (image.channels === 3) return image.data;
  if (image.channels !== 4) throw new DataError(file, `expected an RGB or RGBA image, got ${image.channels} channel(s)`);
  const pixels = image.width * image.height;
  const out = new Uint8Array(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    out[i * 3] = image.data[i * 4];
    out[i * 3 + 1] = image.data[i * 4 + 1];
    out[i * 3 + 2] = image.data[i * 4 + 2];
  }
  return out;
}

/** Replaces points with any NaN/±Inf coordinate by 0,0,0 in place; returns how many there were. */
export function zeroNonFinitePoints(xyz: Float32Array): number {
  let count = 0;
  for (let i = 0; i < xyz.length; i += 3) {
    if (!Number.isFinite(xyz[i]) || !Number.isFinite(xyz[i + 1]) || !Number.isFinite(xyz[i + 2])) {
      xyz[i] = 0;
      xyz[i + 1] = 0;
      xyz[i + 2] = 0;
      count++;
    }
  }
  return count;
}

/** The undecoded bytes of a sample's files (read once: hashed for the cache key, decoded on a miss). */
export interface SampleFiles {
  readonly rgb: Uint8Array;
  readonly xyz: Uint8Array;
  readonly gt?: Uint8Array;
}

/**
 * Reads a whole file with one positional read into an unpooled buffer (errors name the file): fs.readFile reads
 * in 512 KiB chunks, which made an 8 MB scan ~2× slower to load (bench/data.mjs).
 */
export async function readWholeFile(path: string): Promise<Uint8Array> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    // Not zero-filled (every byte is overwritten below); a plain Uint8Array view, not a Buffer.
    const unsafe = Buffer.allocUnsafeSlow(size);
    const buffer = new Uint8Array(unsafe.buffer, unsafe.byteOffset, size);
    let offset = 0;
    while (offset < size) {
      const { bytesRead } = await handle.read(buffer, offset, size - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return offset === size ? buffer : buffer.subarray(0, offset);
  } catch (error) {
    throw new DataError(path, `cannot read: ${errorMessage(error)}`, { cause: error });
  } finally {
    await handle?.close();
  }
}

/** Reads the files of a sample without decoding them. */
export async function readSampleFiles(ref: SampleRef): Promise<SampleFiles> {
  const [rgb, xyz, gt] = await Promise.all([readWholeFile(ref.rgbPath), readWholeFile(ref.xyzPath), ref.gtPath !== undefined ? readWholeFile(ref.gtPath) : undefined]);
  return gt !== undefined ? { rgb, xyz, gt } : { rgb, xyz };
}

/**
 * Decodes and validates a sample's files; NaN/Inf points become 0 (missing) and are counted, not an error.
 * The returned xyz may share memory with `files.xyz` (uncompressed TIFFs are not copied): hash the bytes first.
 */
export async function decodeSample(ref: SampleRef, files: SampleFiles): Promise<RawSample> {
  const rgbImage = decodePng(files.rgb, ref.rgbPath);
  const rgb = toRgb(rgbImage, ref.rgbPath);
  const xyzImage = await decodeTiff(files.xyz, ref.xyzPath);
  const gtImage = files.gt !== undefined && ref.gtPath !== undefined ? decodePng(files.gt, ref.gtPath) : undefined;
  const { width, height } = rgbImage;
  if (xyzImage.channels !== 3) throw new DataError(ref.xyzPath, `expected 3 samples per pixel (x, y, z), got ${xyzImage.channels}`);
  if (xyzImage.width !== width || xyzImage.height !== height) {
    throw new DataError(ref.xyzPath, `size ${xyzImage.width}×${xyzImage.height} differs from rgb ${ref.rgbPath} (${width}×${height})`);
  }
  let gt: Uint8Array | null = null;
  if (gtImage !== undefined && ref.gtPath !== undefined) {
    if (gtImage.channels !== 1) throw new DataError(ref.gtPath, `expected a single-channel gt mask, got ${gtImage.channels} channels`);
    if (gtImage.width !== width || gtImage.height !== height) {
      throw new DataError(ref.gtPath, `size ${gtImage.width}×${gtImage.height} differs from rgb ${ref.rgbPath} (${width}×${height})`);
    }
    gt = new Uint8Array(width * height);
    for (let i = 0; i < gt.length; i++) gt[i] = gtImage.data[i] > 0 ? 1 : 0;
  }
  // A plain view: geotiff's raster arrays carry extra own properties (width, height) that break deep equality.
  const xyz = new Float32Array(xyzImage.data.buffer, xyzImage.data.byteOffset, xyzImage.data.length);
  const nonFinitePoints = zeroNonFinitePoints(xyz);
  return { ref, width, height, rgb, xyz, gt, nonFinitePoints };
}

/** Reads and validates one sample (errors name the file). */
export async function readSample(ref: SampleRef): Promise<RawSample> {
  return decodeSample(ref, await readSampleFiles(ref));
}

/** Reads samples one at a time (streaming: at most one sample in memory per pending step). */
export async function* iterateSamples(refs: Iterable<SampleRef>): AsyncGenerator<RawSample> {
  for (const ref of refs) yield await readSample(ref);
}
