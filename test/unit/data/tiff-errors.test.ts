// Corrupt and truncated TIFFs: the error names the file, the compression, and the zlib reason or where the file ends
// (geotiff's own words were "buffer error" or "Offset is outside the bounds of the DataView").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { DataError } from '../../../orchestrator/util/errors.js';
import { decodeTiff, encodeTiffFloat32 } from '../../../pipelines/io/tiff.js';

const FILE = '/data/bagel/test/crack/xyz/000.tiff';
const rejects = (pattern: RegExp) => (e: unknown) => e instanceof DataError && e.file === FILE && pattern.test(e.message);

// A little-endian single-channel float32 TIFF: one deflate strip at byte 8, the directory after it.
function deflateTiff(width: number, height: number, values: Float32Array): Uint8Array {
  const strip = deflateSync(new Uint8Array(values.buffer));
  const entries: [number, number, number][] = [
    [256, 4, width], [257, 4, height], [258, 3, 32], [259, 3, 8], [262, 3, 1], [273, 4, 8],
    [277, 3, 1], [278, 4, height], [279, 4, strip.length], [339, 3, 3],
  ];
  const ifd = 8 + strip.length + (strip.length % 2);
  const out = new Uint8Array(ifd + 2 + entries.length * 12 + 4);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  view.setUint32(4, ifd, true);
  out.set(strip, 8);
  view.setUint16(ifd, entries.length, true);
  entries.forEach(([tag, type, value], i) => {
    const at = ifd + 2 + i * 12;
    view.setUint16(at, tag, true);
    view.setUint16(at + 2, type, true);
    view.setUint32(at + 4, 1, true);
    if (type === 3) view.setUint16(at + 8, value, true);
    else view.setUint32(at + 8, value, true);
  });
  return out;
}

test('a deflate TIFF reads; scrambled, it names the compression and the zlib reason', async () => {
  const values = Float32Array.from({ length: 16 * 16 }, (_, i) => Math.sin(i));
  const good = deflateTiff(16, 16, values);
  assert.deepEqual((await decodeTiff(good, FILE)).data, values);
  const corrupt = good.slice();
  for (let i = 12; i < 40; i++) corrupt[i] ^= 0x5a;
  await assert.rejects(decodeTiff(corrupt, FILE), rejects(/^\/data\S+: corrupt TIFF \(deflate\): zlib: \w[^:]*$/));
});

test('a truncated TIFF says which strip runs past the end, or that the directory is cut off', async () => {
  const good = deflateTiff(16, 16, new Float32Array(256).fill(0.5));
  // The directory first (as tifffile writes it), then only 10 bytes of the strip.
  const ifdAt = new DataView(good.buffer).getUint32(4, true);
  const ifd = good.slice(ifdAt);
  const cut = new Uint8Array(8 + ifd.length + 10);
  cut.set(good.subarray(0, 8));
  new DataView(cut.buffer).setUint32(4, 8, true);
  cut.set(ifd, 8);
  new DataView(cut.buffer).setUint32(8 + 2 + 5 * 12 + 8, 8 + ifd.length, true); // StripOffsets → after the directory
  cut.set(good.subarray(8, 18), 8 + ifd.length);
  await assert.rejects(decodeTiff(cut, FILE), rejects(/: truncated TIFF \(deflate\): strip 0 ends at byte \d+, the file has \d+$/));
  // Our writer (and MVTec's files) put the directory after the pixels: a cut-off file loses it first.
  const own = encodeTiffFloat32({ width: 8, height: 8, channels: 1, data: new Float32Array(64) });
  await assert.rejects(decodeTiff(own.subarray(0, 200), FILE), rejects(/: truncated TIFF: the image directory at byte \d+ lies past the end of the file \(200 bytes\)$/));
});
