// PNG decoding: 8-bit grey/RGB/RGBA/palette/grey+alpha are read; any other sample depth is a DataError naming the file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32 } from 'node:zlib';
import { encode } from 'fast-png';
import { DataError } from '../../../orchestrator/util/errors.js';
import { decodePng, encodePng } from '../../../pipelines/io/png.js';

const FILE = '/data/bagel/test/crack/gt/000.png';
const rejects = (pattern: RegExp) => (e: unknown) => e instanceof DataError && e.file === FILE && e.message.startsWith(`${FILE}: `) && pattern.test(e.message);

test('8-bit grey, RGB and RGBA round-trip unchanged', () => {
  for (const channels of [1, 3, 4] as const) {
    const data = Uint8Array.from({ length: 3 * 2 * channels }, (_, i) => (i * 37) & 255);
    const image = decodePng(encodePng({ width: 3, height: 2, channels, data }), FILE);
    assert.deepEqual(image, { width: 3, height: 2, channels, data });
  }
});

test('grey+alpha drops the alpha; a palette is expanded to its 8-bit colours', () => {
  const greyAlpha = decodePng(encode({ width: 2, height: 1, channels: 2, depth: 8, data: Uint8Array.from([10, 255, 200, 0]) }), FILE);
  assert.deepEqual(greyAlpha, { width: 2, height: 1, channels: 1, data: Uint8Array.from([10, 200]) });
  const palette = [[255, 0, 0], [0, 128, 255]] as [number, number, number][];
  const indexed = decodePng(encode({ width: 3, height: 1, channels: 1, depth: 8, data: Uint8Array.from([1, 0, 1]), palette }), FILE);
  assert.deepEqual(indexed, { width: 3, height: 1, channels: 3, data: Uint8Array.from([0, 128, 255, 255, 0, 0, 0, 128, 255]) });
});

test('16-bit PNGs are rejected, not cut to their high byte', () => {
  const rgb16 = encode({ width: 2, height: 2, channels: 3, depth: 16, data: Uint16Array.from({ length: 12 }, (_, i) => i * 5000) });
  assert.throws(() => decodePng(rgb16, FILE), rejects(/16-bit PNG; expected 8-bit$/));
  const grey16 = encode({ width: 2, height: 2, channels: 1, depth: 16, data: Uint16Array.from([0, 65535, 256, 1]) });
  assert.throws(() => decodePng(grey16, FILE), rejects(/16-bit PNG; expected 8-bit$/));
});

test('1-, 2- and 4-bit grey PNGs are rejected (rgb and gt are 8-bit)', () => {
  for (const depth of [1, 2, 4] as const) {
    const png = encode({ width: 8, height: 1, channels: 1, depth, data: Uint8Array.from({ length: depth }, () => 0b10100101) });
    assert.throws(() => decodePng(png, FILE), rejects(new RegExp(`${depth}-bit PNG; expected 8-bit$`)));
  }
});

// The IDAT chunk of `png`: where its data starts and how long it is.
function findIdat(png: Uint8Array): { data: number; length: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let at = 8; at < png.length; at += 12 + view.getUint32(at)) {
    if (String.fromCharCode(...png.subarray(at + 4, at + 8)) === 'IDAT') return { data: at + 8, length: view.getUint32(at) };
  }
  throw new Error('no IDAT');
}

test('a corrupt or truncated PNG says what failed: the zlib reason, or where the file ends', () => {
  const data = Uint8Array.from({ length: 32 * 32 * 3 }, (_, i) => (i * 7) & 255);
  const png = encodePng({ width: 32, height: 32, channels: 3, data });
  const idat = findIdat(png);
  // Scrambled compressed bytes with a valid CRC: fast-png's own message is "Error while decompressing the data:".
  const corrupt = png.slice();
  for (let i = idat.data + 10; i < idat.data + 30; i++) corrupt[i] ^= 0x5a;
  new DataView(corrupt.buffer).setUint32(idat.data + idat.length, crc32(corrupt.subarray(idat.data - 4, idat.data + idat.length)));
  assert.throws(() => decodePng(corrupt, FILE), rejects(/: corrupt PNG: image data \(zlib\) does not decompress: \w[^:]*$/));
  assert.throws(() => decodePng(png.subarray(0, idat.data + 20), FILE), rejects(/: truncated PNG: the IDAT chunk at byte \d+ needs \d+ bytes, the file ends after \d+$/));
  assert.throws(() => decodePng(png.subarray(0, png.length - 12), FILE), rejects(/: truncated PNG: the file ends at byte \d+ without an IEND chunk$/));
});
