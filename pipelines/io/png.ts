// PNG read/write through fast-png: 8-bit grey, RGB or RGBA (other sample depths are rejected); errors name the file.
import { readFile } from 'node:fs/promises';
import { decode, encode, hasPngSignature } from 'fast-png';
import { DataError, errorMessage } from '../../orchestrator/util/errors.js';
import { describeError } from './describe-error.js';
import { assertRasterSize, type RasterU8 } from './raster.js';

/** Encodes an 8-bit grey, RGB or RGBA raster as PNG. Output depends only on the pixels (deterministic). */
export function encodePng(image: RasterU8): Uint8Array {
  assertRasterSize('PNG', image);
  return encode({ width: image.width, height: image.height, data: image.data, depth: 8, channels: image.channels });
}

// Where a cut-off PNG ends, or undefined: walks the chunks (length, type, data, CRC) up to IEND. fast-png reports a
// missing end only as "Offset is outside the bounds of the DataView".
function findTruncation(bytes: Uint8Array): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 8; ; ) {
    if (at + 8 > bytes.length) return `the file ends at byte ${bytes.length} without an IEND chunk`;
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (at + 12 + length > bytes.length) return `the ${type} chunk at byte ${at} needs ${12 + length} bytes, the file ends after ${bytes.length - at}`;
    if (type === 'IEND') return undefined;
    at += 12 + length;
  }
}

/**
 * Decodes an 8-bit PNG into grey, RGB or RGBA: palettes (whose entries are 8-bit colours) are expanded to RGB(A),
 * grey+alpha drops the alpha. Any other sample depth (1/2/4-bit grey, 16-bit) is a DataError: rgb and gt are 8-bit
 * (DESIGN.md §3), and cutting 16-bit samples to their high byte would silently change the data. `file` names the
 * source in errors.
 */
export function decodePng(bytes: Uint8Array, file: string): RasterU8 {
  if (!hasPngSignature(bytes)) throw new DataError(file, 'not a PNG file (bad signature)');
  const truncated = findTruncation(bytes);
  if (truncated) throw new DataError(file, `truncated PNG: ${truncated}`);
  let png;
  try {
    png = decode(bytes, { checkCrc: true });
  } catch (error) {
    // The image data is zlib-compressed: name that, since fast-png's own message ends in an empty colon.
    const reason = describeError(error).replace(/^Error while decompressing the data/, 'image data (zlib) does not decompress');
    throw new DataError(file, `corrupt PNG: ${reason}`, { cause: error });
  }
  const { width, height } = png;
  const pixels = width * height;
  if (png.palette) {
    const channels = png.palette[0]?.length === 4 ? 4 : 3;
    const out = new Uint8Array(pixels * channels);
    const indices = png.data;
    const bits = png.depth;
    const perByte = 8 / bits;
    const rowBytes = Math.ceil((width * bits) / 8);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let index: number;
        if (bits === 8) index = indices[y * width + x];
        else {
          const byte = indices[y * rowBytes + Math.floor(x / perByte)];
          const shift = 8 - bits * ((x % perByte) + 1);
          index = (byte >> shift) & ((1 << bits) - 1);
        }
        const colour = png.palette[index];
        if (!colour) throw new DataError(file, `palette index ${index} out of range`);
        for (let c = 0; c < channels; c++) out[(y * width + x) * channels + c] = colour[c] ?? 255;
      }
    }
    return { width, height, channels: channels as 3 | 4, data: out };
  }
  const inChannels = png.channels;
  if (png.depth !== 8) throw new DataError(file, `${png.depth}-bit PNG; expected 8-bit`);
  if (![1, 2, 3, 4].includes(inChannels)) throw new DataError(file, `unsupported PNG channel count ${inChannels}`);
  const source = png.data;
  const outChannels: 1 | 3 | 4 = inChannels === 2 ? 1 : (inChannels as 1 | 3 | 4);
  if (inChannels === outChannels && source instanceof Uint8Array) return { width, height, channels: outChannels, data: source };
  const out = new Uint8Array(pixels * outChannels);
  for (let i = 0; i < pixels; i++) {
    for (let c = 0; c < outChannels; c++) out[i * outChannels + c] = source[i * inChannels + c];
  }
  return { width, height, channels: outChannels, data: out };
}

/** Reads and decodes a PNG file; errors name the file. */
export async function readPng(path: string): Promise<RasterU8> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new DataError(path, `cannot read: ${errorMessage(error)}`, { cause: error });
  }
  return decodePng(bytes, path);
}
