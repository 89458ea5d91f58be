// Fast path for the float32 TIFFs MVTec 3D-AD and tifffile write: stripped (not tiled), uncompressed or deflate
// without predictor, contiguous or planar. geotiff decodes such a scan ~20× slower than tifffile (bench/data.mjs
// measures both), so these layouts are read by copying strips (deflate via node:zlib); every other layout, and every
// file this parser does not fully understand, goes to geotiff (tiff.ts), which also words the errors.
import { inflateSync } from 'node:zlib';
import type { RasterF32 } from './raster.js';

interface Ifd {
  readonly little: boolean;
  readonly values: Map<number, number[]>;
}

const TYPE_SIZES: Record<number, number> = { 3: 2, 4: 4 }; // SHORT, LONG: the only types the fields below use

// Parses the first IFD of a classic TIFF; undefined when anything is outside the fast path's scope.
function parseFirstIfd(bytes: Uint8Array): Ifd | undefined {
  if (bytes.length < 8) return undefined;
  const little = bytes[0] === 0x49 && bytes[1] === 0x49;
  if (!little && !(bytes[0] === 0x4d && bytes[1] === 0x4d)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(2, little) !== 42) return undefined; // BigTIFF and others: geotiff
  const at = view.getUint32(4, little);
  if (at + 2 > bytes.length) return undefined;
  const count = view.getUint16(at, little);
  if (at + 2 + count * 12 > bytes.length) return undefined;
  const values = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const entry = at + 2 + i * 12;
    const tag = view.getUint16(entry, little);
    const type = view.getUint16(entry + 2, little);
    const n = view.getUint32(entry + 4, little);
    const size = TYPE_SIZES[type];
    if (size === undefined) continue; // tags we do not read may have any type
    const inline = n * size <= 4;
    const base = inline ? entry + 8 : view.getUint32(entry + 8, little);
    if (base + n * size > bytes.length) return undefined;
    const list: number[] = new Array(n);
    for (let k = 0; k < n; k++) list[k] = size === 2 ? view.getUint16(base + k * 2, little) : view.getUint32(base + k * 4, little);
    values.set(tag, list);
  }
  return { little, values };
}

/** The fast path alone: a raster, or undefined when the file is outside its scope (then use geotiff). */
export function tryDecodeStrippedFloat32(bytes: Uint8Array): RasterF32 | undefined {
  const ifd = parseFirstIfd(bytes);
  if (!ifd) return undefined;
  const get = (tag: number) => ifd.values.get(tag);
  const one = (tag: number, fallback?: number) => get(tag)?.[0] ?? fallback;
  const width = one(256), height = one(257);
  const channels = one(277, 1)!;
  const compression = one(259, 1)!;
  const planar = one(284, 1)!;
  const offsets = get(273), counts = get(279);
  if (!width || !height || !offsets || !counts || offsets.length !== counts.length) return undefined;
  if (get(322) || get(323) || (one(317, 1) ?? 1) !== 1) return undefined; // tiles or a predictor
  if (compression !== 1 && compression !== 8 && compression !== 32946) return undefined;
  if (planar !== 1 && planar !== 2) return undefined;
  const bits = get(258) ?? [1], formats = get(339) ?? [1];
  for (let c = 0; c < channels; c++) if ((bits[c] ?? bits[0]) !== 32 || (formats[c] ?? formats[0]) !== 3) return undefined;
  const rowsPerStrip = Math.min(one(278, height)!, height);
  const stripsPerPlane = Math.ceil(height / rowsPerStrip);
  const planes = planar === 1 ? 1 : channels;
  if (offsets.length !== stripsPerPlane * planes) return undefined;
  const samplesPerRow = width * (planar === 1 ? channels : 1);
  const planeBytes = height * samplesPerRow * 4;
  const hostLittle = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  // Uncompressed, contiguous, native byte order, strips back to back at an aligned offset: a view, no copy.
  const start = bytes.byteOffset + offsets[0];
  if (compression === 1 && planar === 1 && ifd.little === hostLittle && start % 4 === 0 && offsets[0] + planeBytes <= bytes.length) {
    let consecutive = counts.reduce((sum, c) => sum + c, 0) >= planeBytes;
    for (let s = 1; s < offsets.length && consecutive; s++) consecutive = offsets[s] === offsets[s - 1] + counts[s - 1];
    if (consecutive) return { width, height, channels, data: new Float32Array(bytes.buffer, start, width * height * channels) };
  }
  const raw = new Uint8Array(planeBytes * planes);
  for (let s = 0; s < offsets.length; s++) {
    if (offsets[s] + counts[s] > bytes.length) return undefined;
    const rows = Math.min(rowsPerStrip, height - (s % stripsPerPlane) * rowsPerStrip);
    const expected = rows * samplesPerRow * 4;
    let strip = bytes.subarray(offsets[s], offsets[s] + counts[s]);
    if (compression !== 1) {
      try {
        strip = inflateSync(strip);
      } catch {
        return undefined;
      }
    }
    if (strip.length < expected) return undefined;
    raw.set(strip.subarray(0, expected), Math.floor(s / stripsPerPlane) * planeBytes + (s % stripsPerPlane) * rowsPerStrip * samplesPerRow * 4);
  }
  const pixels = width * height;
  const data = new Float32Array(pixels * channels);
  if (planar === 1 && ifd.little === hostLittle) {
    new Uint8Array(data.buffer).set(raw);
  } else {
    const view = new DataView(raw.buffer);
    for (let p = 0; p < pixels; p++) {
      for (let c = 0; c < channels; c++) {
        const at = planar === 1 ? (p * channels + c) * 4 : c * planeBytes + p * 4;
        data[p * channels + c] = view.getFloat32(at, ifd.little);
      }
    }
  }
  return { width, height, channels, data };
}

const COMPRESSIONS: Record<number, string> = { 1: 'uncompressed', 5: 'LZW', 7: 'JPEG', 8: 'deflate', 32773: 'PackBits', 32946: 'deflate', 34925: 'LZMA', 50000: 'Zstandard' };

/**
 * For error messages: the compression of the first image (undefined when its directory is cut off) and, when the
 * directory or a strip or tile lies past the end of the file, which. Undefined when the header cannot be parsed
 * (BigTIFF, a broken directory).
 */
export function describeTiffData(bytes: Uint8Array): { compression: string | undefined; truncated: string | undefined } | undefined {
  const ifd = parseFirstIfd(bytes);
  if (!ifd) {
    // Writers that put the directory after the pixels (ours, MVTec's) lose it first when a file is cut off.
    const little = bytes[0] === 0x49;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const at = bytes.length >= 8 && view.getUint16(2, little) === 42 ? view.getUint32(4, little) : 0;
    return at + 2 > bytes.length ? { compression: undefined, truncated: `the image directory at byte ${at} lies past the end of the file (${bytes.length} bytes)` } : undefined;
  }
  const code = ifd.values.get(259)?.[0] ?? 1;
  const tiled = ifd.values.has(324);
  const offsets = ifd.values.get(tiled ? 324 : 273) ?? [];
  const counts = ifd.values.get(tiled ? 325 : 279) ?? [];
  let truncated: string | undefined;
  for (let k = 0; k < offsets.length && truncated === undefined; k++) {
    const end = offsets[k] + (counts[k] ?? 0);
    if (end > bytes.length) truncated = `${tiled ? 'tile' : 'strip'} ${k} ends at byte ${end}, the file has ${bytes.length}`;
  }
  return { compression: COMPRESSIONS[code] ?? `compression ${code}`, truncated };
}
