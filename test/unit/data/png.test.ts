// PNG decoding: 8-bit grey/RGB/RGBA/palette/grey+alpha are read; any other sample depth is a DataError naming the file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
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
