import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { encode } from 'fast-png';
import { DataError } from '../../../orchestrator/util/errors.js';
import { discoverDataset, listSamples } from '../../../pipelines/data/discover.js';
import { iterateSamples, readSample } from '../../../pipelines/data/read-sample.js';
import type { SampleRef } from '../../../pipelines/data/types.js';
import { encodePng } from '../../../pipelines/io/png.js';
import { encodeTiffFloat32 } from '../../../pipelines/io/tiff.js';
import { renderScene, writeMvtecTree } from './mvtec-fixture.js';

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
function crackSample(): SampleRef {
  const root = writeMvtecTree(['bagel']);
  roots.push(root);
  return discoverDataset(root).categories[0].groups[3].samples[0];
}
const failsOn = (file: string, pattern: RegExp) => (e: unknown) =>
  e instanceof DataError && e.file === file && e.exitCode === 1 && pattern.test(e.message);

test('reads a sample: RGB, xyz as written, gt binarised', async () => {
  const ref = crackSample();
  const sample = await readSample(ref);
  const scene = renderScene({ shift: 0.004 * 2 - 0.006 });
  assert.equal(sample.width, 48);
  assert.equal(sample.height, 40);
  assert.deepEqual(sample.xyz, scene.xyz);
  assert.deepEqual(sample.rgb, scene.rgb);
  assert.ok(sample.gt && sample.gt.every((v) => v === 0 || v === 1) && sample.gt.some((v) => v === 1));
  assert.equal(sample.nonFinitePoints, 0);
});

test('RGBA drops alpha; NaN and Inf points are zeroed and counted, not an error', async () => {
  const ref = crackSample();
  const scene = renderScene();
  const rgba = new Uint8Array(48 * 40 * 4);
  for (let p = 0; p < 48 * 40; p++) { rgba.set(scene.rgb.subarray(p * 3, p * 3 + 3), p * 4); rgba[p * 4 + 3] = 17; }
  writeFileSync(ref.rgbPath, encodePng({ width: 48, height: 40, channels: 4, data: rgba }));
  const xyz = scene.xyz.slice();
  xyz[0] = Number.NaN; xyz[10] = Number.POSITIVE_INFINITY; xyz[11] = Number.NaN; xyz[302] = Number.NEGATIVE_INFINITY;
  writeFileSync(ref.xyzPath, encodeTiffFloat32({ width: 48, height: 40, channels: 3, data: xyz }));
  const sample = await readSample(ref);
  assert.deepEqual(sample.rgb, scene.rgb);
  assert.equal(sample.nonFinitePoints, 3);
  assert.deepEqual([...sample.xyz.subarray(0, 3)], [0, 0, 0]);
  assert.deepEqual([...sample.xyz.subarray(9, 12)], [0, 0, 0]);
  assert.deepEqual([...sample.xyz.subarray(300, 303)], [0, 0, 0]);
});

test('corrupt and truncated PNGs are errors naming the file', async () => {
  const ref = crackSample();
  const bytes = readFileSync(ref.rgbPath);
  writeFileSync(ref.rgbPath, bytes.subarray(0, bytes.length - 40));
  await assert.rejects(readSample(ref), failsOn(ref.rgbPath, /truncated PNG: the IDAT chunk at byte \d+ needs \d+ bytes/));
  writeFileSync(ref.rgbPath, 'not a png at all');
  await assert.rejects(readSample(ref), failsOn(ref.rgbPath, /not a PNG/));
  // Only the gt is broken (a fresh sample whose rgb and xyz are intact): the error must name the gt file.
  const fresh = crackSample();
  const gt = readFileSync(fresh.gtPath!);
  gt[gt.length - 20] ^= 0xff; // flips a byte of the last IDAT chunk (before the 12-byte IEND): CRC mismatch
  writeFileSync(fresh.gtPath!, gt);
  await assert.rejects(readSample(fresh), failsOn(fresh.gtPath!, /corrupt PNG: CRC mismatch for chunk IDAT/));
});

test('16-bit rgb and gt PNGs are errors naming the file and the bit depth', async () => {
  let ref = crackSample();
  const rgb16 = Uint16Array.from({ length: 48 * 40 * 3 }, (_, i) => (i * 131) & 0xffff);
  writeFileSync(ref.rgbPath, encode({ width: 48, height: 40, channels: 3, depth: 16, data: rgb16 }));
  await assert.rejects(readSample(ref), failsOn(ref.rgbPath, /16-bit PNG; expected 8-bit/));
  ref = crackSample();
  writeFileSync(ref.gtPath!, encode({ width: 48, height: 40, channels: 1, depth: 16, data: new Uint16Array(48 * 40).fill(65535) }));
  await assert.rejects(readSample(ref), failsOn(ref.gtPath!, /16-bit PNG; expected 8-bit/));
});

test('corrupt and truncated TIFFs are errors naming the file', async () => {
  const ref = crackSample();
  const bytes = readFileSync(ref.xyzPath);
  writeFileSync(ref.xyzPath, bytes.subarray(0, 4000));
  await assert.rejects(readSample(ref), failsOn(ref.xyzPath, /TIFF/));
  writeFileSync(ref.xyzPath, Buffer.from('II*\0garbage'));
  await assert.rejects(readSample(ref), failsOn(ref.xyzPath, /TIFF/));
  writeFileSync(ref.xyzPath, 'plain text');
  await assert.rejects(readSample(ref), failsOn(ref.xyzPath, /not a TIFF/));
});

test('wrong channel counts are errors naming the file', async () => {
  let ref = crackSample();
  writeFileSync(ref.xyzPath, encodeTiffFloat32({ width: 48, height: 40, channels: 1, data: new Float32Array(48 * 40) }));
  await assert.rejects(readSample(ref), failsOn(ref.xyzPath, /expected 3 samples per pixel/));
  ref = crackSample();
  writeFileSync(ref.rgbPath, encodePng({ width: 48, height: 40, channels: 1, data: new Uint8Array(48 * 40) }));
  await assert.rejects(readSample(ref), failsOn(ref.rgbPath, /RGB or RGBA/));
  ref = crackSample();
  writeFileSync(ref.gtPath!, encodePng({ width: 48, height: 40, channels: 3, data: new Uint8Array(48 * 40 * 3) }));
  await assert.rejects(readSample(ref), failsOn(ref.gtPath!, /single-channel/));
});

test('rgb, xyz and gt of different sizes are errors naming the odd file', async () => {
  let ref = crackSample();
  writeFileSync(ref.xyzPath, encodeTiffFloat32({ width: 47, height: 40, channels: 3, data: new Float32Array(47 * 40 * 3) }));
  await assert.rejects(readSample(ref), failsOn(ref.xyzPath, /47×40 differs from rgb/));
  ref = crackSample();
  writeFileSync(ref.gtPath!, encodePng({ width: 48, height: 41, channels: 1, data: new Uint8Array(48 * 41) }));
  await assert.rejects(readSample(ref), failsOn(ref.gtPath!, /48×41 differs/));
});

test('iterateSamples streams samples in order', async () => {
  const root = writeMvtecTree(['bagel']);
  roots.push(root);
  const ids: string[] = [];
  for await (const s of iterateSamples(listSamples(discoverDataset(root), { splits: ['train'] }))) ids.push(s.ref.id);
  assert.deepEqual(ids, ['000', '001', '002']);
});
