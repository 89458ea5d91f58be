// Maps at another resolution than the gt, end to end: 8×8 maps against 16×16 gt masks without --resolution are
// resized bilinearly to 16×16 (test and validation maps), the results say so, and every number equals what the same
// maps give when resized beforehand.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DataError } from '../../../orchestrator/util/errors.js';
import { evaluate, formatEvalTable } from '../../../pipelines/eval/index.js';
import { resizeMapBilinear } from '../../../pipelines/eval/resize-map.js';
import { readPng } from '../../../pipelines/io/png.js';
import { encodeTiffFloat32 } from '../../../pipelines/io/tiff.js';
import { makeEvalFixture } from './make-eval-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'geoad-eval-resize-'));
after(() => rmSync(root, { recursive: true, force: true }));

// Replaces every map of MAPS/widget with an 8×8 one (seeded, raised where the 2×2 gt block below it has a defect
// pixel), written either as is or pre-resized to 16×16.
async function writeSmallMaps(paths: { data: string; maps: string }, preResized: boolean): Promise<void> {
  let s = 11;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  for (const folder of ['test/good', 'test/crack', 'test/hole', 'validation/good']) {
    for (const name of readdirSync(join(paths.maps, 'widget', folder)).sort()) {
      const gtPath = join(paths.data, 'widget', folder, 'gt', name.replace('.tiff', '.png'));
      const gt = folder.startsWith('test') ? (await readPng(gtPath)).data : new Uint8Array(256);
      const small = Float32Array.from({ length: 64 }, (_, i) => {
        const [x, y] = [2 * (i % 8), 2 * Math.floor(i / 8)];
        const defect = gt[y * 16 + x] || gt[y * 16 + x + 1] || gt[(y + 1) * 16 + x] || gt[(y + 1) * 16 + x + 1];
        return Math.round((rand() + (defect ? 0.6 : 0)) * 256) / 256;
      });
      const map = preResized ? { width: 16, height: 16, data: resizeMapBilinear(small, 8, 8, 16, 16) } : { width: 8, height: 8, data: small };
      writeFileSync(join(paths.maps, 'widget', folder, name), encodeTiffFloat32({ ...map, channels: 1 }));
    }
  }
}

test('8×8 maps vs 16×16 gt: resized bilinearly, reported, and scored as maps resized beforehand', async () => {
  const small = makeEvalFixture({ root: join(root, 'small') });
  const big = makeEvalFixture({ root: join(root, 'big') }); // same seed: the same gt masks
  await writeSmallMaps(small, false);
  await writeSmallMaps(big, true);
  for (const proThresholds of ['exact', 99] as const) {
    const a = await evaluate({ mapsDir: small.maps, dataRoot: small.data, proThresholds, progress: false, workers: 0 });
    const b = await evaluate({ mapsDir: big.maps, dataRoot: big.data, proThresholds, progress: false, workers: 0 });
    const [ca] = a.categories;
    const [cb] = b.categories;
    assert.equal(ca.resizedMaps, true, 'the results say the maps were resized');
    assert.equal(cb.resizedMaps, false);
    // Which size went to which: 9 test + 2 validation maps.
    assert.deepEqual(ca.mapSizes, [{ from: { width: 8, height: 8 }, to: { width: 16, height: 16 }, maps: 11 }]);
    assert.deepEqual(cb.mapSizes, [{ from: { width: 16, height: 16 }, to: { width: 16, height: 16 }, maps: 11 }]);
    assert.equal(a.resolution, null);
    assert.equal(ca.counts.pixels, 9 * 256, 'evaluated at the gt resolution');
    const strip = ({ durationMs: _, resizedMaps: __, mapSizes: ___, ...rest }: typeof ca) => rest;
    assert.deepEqual(strip(ca), strip(cb));
    assert.ok(ca.threshold.calibrated, 'validation maps were resized to the 16×16 grid and calibrated');
    assert.ok(ca.iAuroc > 0.8 && ca.aupro['0.3'] > 0.5, `metrics of a signal: ${ca.iAuroc}, ${ca.aupro['0.3']}`);
  }
});

test('maps of one category in several sizes: each size is listed with what it was resized to', async () => {
  const paths = makeEvalFixture({ root: join(root, 'mixed') });
  // One test map cropped to 8×8 (same aspect ratio as its 16×16 gt): resized, and the note says so.
  writeFileSync(join(paths.maps, 'widget', 'test', 'hole', '001.tiff'), encodeTiffFloat32({ width: 8, height: 8, channels: 1, data: new Float32Array(64).fill(0.25) }));
  const result = await evaluate({ mapsDir: paths.maps, dataRoot: paths.data, progress: 'off', workers: 0 });
  const [c] = result.categories;
  assert.deepEqual(c.mapSizes, [
    { from: { width: 16, height: 16 }, to: { width: 16, height: 16 }, maps: 10 },
    { from: { width: 8, height: 8 }, to: { width: 16, height: 16 }, maps: 1 },
  ]);
  assert.match(formatEvalTable(result), /^widget: maps resized \(bilinear\): 10 maps 16×16 \(not resized\); 1 map 8×8 → 16×16\.$/m);
});

test('a map of another aspect ratio than its gt is an error naming the file and both sizes, not stretched', async () => {
  const paths = makeEvalFixture({ root: join(root, 'aspect') });
  const map = join(paths.maps, 'widget', 'test', 'crack', '002.tiff');
  const gt = join(paths.data, 'widget', 'test', 'crack', 'gt', '002.png');
  writeFileSync(map, encodeTiffFloat32({ width: 16, height: 8, channels: 1, data: new Float32Array(128) }));
  for (const workers of [0, 2]) {
    await assert.rejects(evaluate({ mapsDir: paths.maps, dataRoot: paths.data, progress: 'off', workers }), (e: unknown) =>
      e instanceof DataError && e.file === map && e.message.includes(`map is 16×8 but its gt ${gt} is 16×16: the aspect ratios differ`));
  }
  // A validation map is checked against the evaluation grid (the test gt size).
  const other = makeEvalFixture({ root: join(root, 'aspect-validation') });
  const validation = join(other.maps, 'widget', 'validation', 'good', '001.tiff');
  writeFileSync(validation, encodeTiffFloat32({ width: 8, height: 16, channels: 1, data: new Float32Array(128) }));
  await assert.rejects(evaluate({ mapsDir: other.maps, dataRoot: other.data, progress: 'off', workers: 0 }), (e: unknown) =>
    e instanceof DataError && e.file === validation && /map is 8×16 but the evaluation grid \(the test gt\) is 16×16/.test(e.message));
});
