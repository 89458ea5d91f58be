// evaluate() end to end on a tiny dataset: the NumPy/SciPy twin agrees (99-threshold AUPRO bit for bit),
// results.json is written atomically, and bad input fails with an error naming the file.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DataError } from '../../../orchestrator/util/errors.js';
import { evaluate } from '../../../pipelines/eval/index.js';
import { encodeTiffFloat32 } from '../../../pipelines/io/tiff.js';
import { makeEvalFixture } from './make-eval-fixture.js';
import { needTwin, runTwin } from './run-twin.js';

const root = mkdtempSync(join(tmpdir(), 'geoad-eval-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('metrics agree with the NumPy/SciPy twin; 99-threshold AUPRO reproduces it exactly', { skip: needTwin }, async () => {
  // 64×64: the default minimum defect area (0.1 % of a validation map) is 5 px, so calibration is not trivial.
  const { data, maps } = makeEvalFixture({ root: join(root, 'ok'), size: 64 });
  const out = join(root, 'ok', 'results.json');
  const exact = await evaluate({ mapsDir: maps, dataRoot: data, out, progress: false, workers: 0 });
  const sampled = await evaluate({ mapsDir: maps, dataRoot: data, proThresholds: 99, progress: false, workers: 0 });
  const ref = runTwin(maps, data, 'exact');
  const ref99 = runTwin(maps, data, '99');
  const [c] = exact.categories;
  assert.equal(c.counts.testImages, 9);
  assert.equal(c.counts.regions, 6);
  assert.ok(Math.abs(c.iAuroc - ref.iAuroc) < 1e-12);
  assert.ok(Math.abs(c.pAuroc - ref.pAuroc) < 1e-12);
  for (const limit of ['0.3', '0.1', '0.05', '0.01']) {
    assert.ok(Math.abs(c.aupro[limit] - ref.aupro[limit]) < 1e-9, `exact AUPRO@${limit}: ${c.aupro[limit]} vs ${ref.aupro[limit]}`);
    assert.equal(sampled.categories[0].aupro[limit], ref99.aupro[limit], `sampled AUPRO@${limit}`);
  }
  assert.equal(sampled.proCurveMode, 'sampled-99');
  assert.ok(c.threshold.calibrated);
  if (c.threshold.calibrated) {
    assert.equal(c.threshold.threshold, ref.threshold.threshold);
    assert.equal(c.threshold.minDefectArea, 5);
    assert.equal(ref.threshold.minDefectArea, 5);
    assert.equal(c.threshold.minDefectAreaSource, 'image-fraction');
    for (const k of ['precision', 'recall', 'f1', 'fpr']) assert.ok(Math.abs((c.threshold.image as Record<string, number>)[k] - ref.threshold.image[k]) < 1e-12, k);
    for (const k of ['precision', 'recall', 'f1']) assert.ok(Math.abs((c.threshold.pixel as Record<string, number>)[k] - ref.threshold.pixel[k]) < 1e-12, k);
  }
  const written = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(written.schema, 'geoad-eval');
  assert.equal(written.categories[0].aupro['0.3'], c.aupro['0.3']);
  assert.deepEqual(readdirSync(join(root, 'ok')).filter((n) => n.startsWith('.tmp-')), []);
});

test('results do not depend on the worker count', async () => {
  const { data, maps } = makeEvalFixture({ root: join(root, 'workers'), seed: 3 });
  const strip = (r: Awaited<ReturnType<typeof evaluate>>) => r.categories.map(({ durationMs: _, ...rest }) => rest);
  const inline = await evaluate({ mapsDir: maps, dataRoot: data, workers: 0, progress: false });
  const threaded = await evaluate({ mapsDir: maps, dataRoot: data, workers: 3, progress: false });
  assert.deepEqual(strip(threaded), strip(inline));
});

test('--resolution resizes maps (bilinear) and gt (nearest) and says so; no validation maps → calibration skipped', async () => {
  const { data, maps } = makeEvalFixture({ root: join(root, 'res'), validation: 0 });
  const r = await evaluate({ mapsDir: maps, dataRoot: data, resolution: 8, progress: false, workers: 0 });
  const [c] = r.categories;
  assert.equal(c.resizedMaps, true);
  assert.equal(c.counts.pixels, 9 * 64);
  assert.equal(r.resolution, 8);
  assert.deepEqual(c.threshold, { calibrated: false, reason: `no validation maps in ${join(maps, 'widget', 'validation', 'good')}` });
  for (const v of Object.values(c.aupro)) assert.ok(v >= 0 && v <= 1);
});

async function expectDataError(setup: (paths: { data: string; maps: string }) => void, file: (paths: { data: string; maps: string }) => string, message: RegExp, workers = 0) {
  const dir = mkdtempSync(join(root, 'bad-'));
  const paths = makeEvalFixture({ root: dir });
  setup(paths);
  const out = join(dir, 'results.json');
  writeFileSync(out, 'previous results\n');
  await assert.rejects(evaluate({ mapsDir: paths.maps, dataRoot: paths.data, out, progress: false, workers }), (error: unknown) => {
    assert.ok(error instanceof DataError, String(error));
    assert.equal(error.file, file(paths));
    assert.match(error.message, message);
    return true;
  });
  assert.equal(readFileSync(out, 'utf8'), 'previous results\n', 'earlier output kept');
}

test('bad input: missing map, wrong dtype, wrong channels, NaN, no anomalous images, mismatched trees', async () => {
  const map = (p: { maps: string }, defect: string, id: string) => join(p.maps, 'widget', 'test', defect, `${id}.tiff`);
  await expectDataError((p) => rmSync(map(p, 'crack', '001')), (p) => map(p, 'crack', '001'), /missing anomaly map/);
  await expectDataError(
    (p) => {
      const bytes = encodeTiffFloat32({ width: 16, height: 16, channels: 1, data: new Float32Array(256) });
      // SampleFormat (tag 339) 3 → 1: the same bytes read as uint32.
      const view = new DataView(bytes.buffer);
      const ifd = view.getUint32(4, true);
      for (let e = 0; e < view.getUint16(ifd, true); e++) {
        const at = ifd + 2 + e * 12;
        if (view.getUint16(at, true) === 339) view.setUint16(at + 8, 1, true);
      }
      writeFileSync(map(p, 'good', '000'), bytes);
    },
    (p) => map(p, 'good', '000'),
    /expected float32 samples, got uint32/,
  );
  await expectDataError(
    (p) => writeFileSync(map(p, 'hole', '002'), encodeTiffFloat32({ width: 16, height: 16, channels: 3, data: new Float32Array(768) })),
    (p) => map(p, 'hole', '002'),
    /single-channel anomaly map, got 3 channels/,
  );
  await expectDataError(
    (p) => {
      const data = new Float32Array(256);
      data[16 * 3 + 5] = Number.NaN;
      writeFileSync(map(p, 'crack', '000'), encodeTiffFloat32({ width: 16, height: 16, channels: 1, data }));
    },
    (p) => map(p, 'crack', '000'),
    /non-finite score NaN at pixel \(x=5, y=3\)/,
    2, // through the worker threads: the error keeps its file
  );
  await expectDataError(
    (p) => {
      for (const d of ['crack', 'hole']) {
        rmSync(join(p.data, 'widget', 'test', d), { recursive: true });
        rmSync(join(p.maps, 'widget', 'test', d), { recursive: true });
      }
    },
    (p) => join(p.data, 'widget', 'test'),
    /no anomalous test images/,
  );
  await expectDataError(
    (p) => writeFileSync(join(p.maps, 'widget', 'test', 'crack', '007.tiff'), encodeTiffFloat32({ width: 1, height: 1, channels: 1, data: new Float32Array(1) })),
    (p) => join(p.maps, 'widget', 'test', 'crack', '007.tiff'),
    /mismatched folder trees/,
  );
  await expectDataError(
    (p) => rmSync(join(p.data, 'widget', 'test', 'hole'), { recursive: true }),
    (p) => join(p.maps, 'widget', 'test', 'hole'),
    /mismatched folder trees: no test\/hole in the dataset/,
  );
});
