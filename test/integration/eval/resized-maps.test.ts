// Maps at another resolution than the gt, end to end: 8×8 maps against 16×16 gt masks without --resolution are
// resized bilinearly to 16×16 (test and validation maps), the results say so, and every number equals what the same
// maps give when resized beforehand.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { evaluate } from '../../../pipelines/eval/index.js';
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
    assert.equal(a.resolution, null);
    assert.equal(ca.counts.pixels, 9 * 256, 'evaluated at the gt resolution');
    const strip = ({ durationMs: _, resizedMaps: __, ...rest }: typeof ca) => rest;
    assert.deepEqual(strip(ca), strip(cb));
    assert.ok(ca.threshold.calibrated, 'validation maps were resized to the 16×16 grid and calibrated');
    assert.ok(ca.iAuroc > 0.8 && ca.aupro['0.3'] > 0.5, `metrics of a signal: ${ca.iAuroc}, ${ca.aupro['0.3']}`);
  }
});
