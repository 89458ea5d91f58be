// Float32 TIFF read/write: XYZ point clouds (3 samples per pixel) and anomaly maps (1 sample).
// Reading copies strips directly for the layouts tifffile writes by default (tiff-strips.ts) and hands every other
// layout to the `geotiff` package (tiles, LZW/PackBits, predictors, BigTIFF). geotiff is imported lazily: it pulls in
// the `web-worker` package, which throws when loaded in a worker thread started without `workerData`.
// Writing is a baseline little-endian TIFF, one uncompressed strip: geotiff's writer would add georeferencing tags
// (WGS 84) that mean nothing for camera-frame XYZ, and tifffile writes the same baseline structure.
import { readFile } from 'node:fs/promises';
import { DataError, errorMessage } from '../../orchestrator/util/errors.js';
import { describeError } from './describe-error.js';
import { assertRasterSize, type RasterF32 } from './raster.js';
import { describeTiffData, tryDecodeStrippedFloat32 } from './tiff-strips.js';

const TAG = {
  imageWidth: 256,
  imageLength: 257,
  bitsPerSample: 258,
  compression: 259,
  photometric: 262,
  stripOffsets: 273,
  samplesPerPixel: 277,
  rowsPerStrip: 278,
  stripByteCounts: 279,
  planarConfiguration: 284,
  sampleFormat: 339,
} as const;
const TYPE_SHORT = 3;
const TYPE_LONG = 4;
const HEADER_BYTES = 8;

/** Encodes a float32 raster as an uncompressed, chunky (contiguous), little-endian TIFF. Deterministic. */
export function encodeTiffFloat32(image: RasterF32): Uint8Array {
  assertRasterSize('TIFF', image);
  const { width, height, channels } = image;
  const pixelBytes = image.data.byteLength;
  // Per-sample arrays (BitsPerSample, SampleFormat) of more than 2 SHORTs do not fit in an entry: stored after the IFD.
  const perSampleOutOfLine = channels > 2;
  const entries: [tag: number, type: number, count: number, value: number | 'bits' | 'format'][] = [
    [TAG.imageWidth, TYPE_LONG, 1, width],
    [TAG.imageLength, TYPE_LONG, 1, height],
    [TAG.bitsPerSample, TYPE_SHORT, channels, 'bits'],
    [TAG.compression, TYPE_SHORT, 1, 1],
    [TAG.photometric, TYPE_SHORT, 1, channels === 3 ? 2 : 1],
    [TAG.stripOffsets, TYPE_LONG, 1, HEADER_BYTES],
    [TAG.samplesPerPixel, TYPE_SHORT, 1, channels],
    [TAG.rowsPerStrip, TYPE_LONG, 1, height],
    [TAG.stripByteCounts, TYPE_LONG, 1, pixelBytes],
    [TAG.planarConfiguration, TYPE_SHORT, 1, 1],
    [TAG.sampleFormat, TYPE_SHORT, channels, 'format'],
  ];
  const ifdOffset = HEADER_BYTES + pixelBytes + (pixelBytes % 2); // IFDs start on a word boundary
  const ifdBytes = 2 + entries.length * 12 + 4;
  const extraOffset = ifdOffset + ifdBytes;
  const extraBytes = perSampleOutOfLine ? 2 * channels * 2 : 0;
  const out = new Uint8Array(extraOffset + extraBytes);
  const view = new DataView(out.buffer);
  out[0] = 0x49;
  out[1] = 0x49; // "II": little-endian
  view.setUint16(2, 42, true);
  view.setUint32(4, ifdOffset, true);
  new Uint8Array(out.buffer, HEADER_BYTES, pixelBytes).set(new Uint8Array(image.data.buffer, image.data.byteOffset, pixelBytes));
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    // Big-endian host: rewrite the samples little-endian.
    for (let i = 0; i < image.data.length; i++) view.setFloat32(HEADER_BYTES + i * 4, image.data[i], true);
  }
  view.setUint16(ifdOffset, entries.length, true);
  const bitsOffset = extraOffset;
  const formatOffset = extraOffset + 2 * channels;
  entries.forEach(([tag, type, count, value], i) => {
    const at = ifdOffset + 2 + i * 12;
    view.setUint16(at, tag, true);
    view.setUint16(at + 2, type, true);
    view.setUint32(at + 4, count, true);
    if (value === 'bits' || value === 'format') {
      const sample = value === 'bits' ? 32 : 3; // 32 bits, IEEE float
      if (perSampleOutOfLine) {
        const base = value === 'bits' ? bitsOffset : formatOffset;
        view.setUint32(at + 8, base, true);
        for (let c = 0; c < channels; c++) view.setUint16(base + c * 2, sample, true);
      } else {
        for (let c = 0; c < channels; c++) view.setUint16(at + 8 + c * 2, sample, true);
      }
    } else if (type === TYPE_SHORT) {
      view.setUint16(at + 8, value, true);
    } else {
      view.setUint32(at + 8, value, true);
    }
  });
  view.setUint32(ifdOffset + 2 + entries.length * 12, 0, true); // no next IFD
  return out;
}

/**
 * Decodes the first image of a TIFF holding 32-bit floats (any channel count, contiguous or planar, any compression
 * geotiff supports) into an interleaved Float32Array. `file` names the source in errors. An uncompressed contiguous
 * little-endian file comes back as a view of `bytes` (no copy): writes to it change `bytes`.
 */
export async function decodeTiff(bytes: Uint8Array, file: string): Promise<RasterF32> {
  assertTiffHeader(bytes, file);
  return tryDecodeStrippedFloat32(bytes) ?? decodeTiffWithGeotiff(bytes, file);
}

function assertTiffHeader(bytes: Uint8Array, file: string): void {
  const isTiff =
    bytes.length >= 8 &&
    ((bytes[0] === 0x49 && bytes[1] === 0x49 && (bytes[2] === 42 || bytes[2] === 43)) ||
      (bytes[0] === 0x4d && bytes[1] === 0x4d && (bytes[3] === 42 || bytes[3] === 43)));
  if (!isTiff) throw new DataError(file, 'not a TIFF file (bad header)');
}

/** The general path alone (every layout geotiff reads); tests and benchmarks compare it with the strip fast path. */
export async function decodeTiffWithGeotiff(bytes: Uint8Array, file: string): Promise<RasterF32> {
  assertTiffHeader(bytes, file);
  // Said up front: geotiff words a cut-off file as a decoder error ("buffer error", "Offset is outside the bounds").
  const layout = describeTiffData(bytes);
  if (layout?.truncated) throw new DataError(file, `truncated TIFF${layout.compression ? ` (${layout.compression})` : ''}: ${layout.truncated}`);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  try {
    const { fromArrayBuffer } = await import('geotiff');
    const tiff = await fromArrayBuffer(buffer);
    const image = await tiff.getImage();
    const width = image.getWidth();
    const height = image.getHeight();
    const channels = image.getSamplesPerPixel();
    for (let c = 0; c < channels; c++) {
      const format = image.getSampleFormat(c);
      const bits = image.getBitsPerSample(c);
      if (format !== 3 || bits !== 32) {
        const kind = format === 3 ? 'float' : format === 2 ? 'int' : 'uint';
        throw new DataError(file, `expected float32 samples, got ${kind}${bits}`);
      }
    }
    const raster = await image.readRasters({ interleave: true });
    // A plain Float32Array: geotiff's carries extra width/height properties.
    const data = raster instanceof Float32Array ? new Float32Array(raster.buffer, raster.byteOffset, raster.length) : Float32Array.from(raster as ArrayLike<number>);
    if (data.length !== width * height * channels) {
      const decoded = layout?.compression ? ` (${layout.compression} data decoded short)` : '';
      throw new DataError(file, `truncated TIFF${decoded}: expected ${width * height * channels} samples, got ${data.length}`);
    }
    return { width, height, channels, data };
  } catch (error) {
    if (error instanceof DataError) throw error;
    const codec = layout?.compression === 'deflate' ? 'zlib: ' : layout?.compression === 'LZW' ? 'LZW: ' : '';
    const what = layout?.compression ? `corrupt TIFF (${layout.compression})` : 'corrupt or truncated TIFF';
    throw new DataError(file, `${what}: ${codec}${describeError(error)}`, { cause: error });
  }
}

/** Reads and decodes a float32 TIFF file; errors name the file. */
export async function readTiff(path: string): Promise<RasterF32> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new DataError(path, `cannot read: ${errorMessage(error)}`, { cause: error });
  }
  return decodeTiff(bytes, path);
}
