// Image labels come from the gt mask (any pixel > 0, DESIGN.md §5), not from the folder: a defect-folder image with
// an empty mask counts as good, a good image with a non-empty mask as anomalous, and each such file gets a warning
// in the results. The NumPy twin follows the same rule.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { computeAuroc, evaluate } from '../../../pipelines/eval/index.js';
import { readMap } from '../../../pipelines/eval/load-maps.js';
import { encodePng } from '../../../pipelines/io/png.js';
import { makeEvalFixture } from './make-eval-fixture.js';
import { needTwin, runTwin } from './run-twin.js';

const root = mkdtempSync(join(tmpdir(), 'geoad-eval-labels-'));
after(() => rmSync(root, { recursive: true, force: true }));

const gtPath = (data: string, defect: string, id: string) => join(data, 'widget', 'test', defect, 'gt', `${id}.png`);

// The fixture (3 good, 3 crack, 3 hole; 16×16) with crack/001's mask emptied and a 2×2 defect drawn in good/002's.
function makeMismatchedFixture(dir: string) {
  const paths = makeEvalFixture({ root: join(root, dir) });
  writeFileSync(gtPath(paths.data, 'crack', '001'), encodePng({ width: 16, height: 16, channels: 1, data: new Uint8Array(256) }));
  const gt = new Uint8Array(256);
  for (const i of [5 * 16 + 5, 5 * 16 + 6, 6 * 16 + 5, 6 * 16 + 6]) gt[i] = 255;
  writeFileSync(gtPath(paths.data, 'good', '002'), encodePng({ width: 16, height: 16, channels: 1, data: gt }));
  return paths;
}

test('labels follow the gt mask; each disagreement with the folder is a warning naming the file', async () => {
  const { data, maps } = makeMismatchedFixture('rule');
  const [c] = (await evaluate({ mapsDir: maps, dataRoot: data, progress: false, workers: 2 })).categories;
  assert.deepEqual(c.warnings, [
    { file: gtPath(data, 'good', '002'), message: 'gt mask of a `good` test image has anomalous pixels: labelled anomalous (labels come from the mask)' },
    { file: gtPath(data, 'crack', '001'), message: 'gt mask of a `crack` test image is empty: labelled anomaly-free (labels come from the mask)' },
  ]);
  assert.equal(c.counts.anomalousImages, 6);
  assert.equal(c.counts.goodImages, 3);
  // I-AUROC from the maps' maxima against the mask labels, in the evaluation's item order (good, crack, hole).
  const order = ['good', 'crack', 'hole'].flatMap((d) => ['000', '001', '002'].map((id) => [d, id] as const));
  const scores = await Promise.all(order.map(async ([d, id]) => Math.max(...(await readMap(join(maps, 'widget', 'test', d, `${id}.tiff`))).data)));
  const maskLabels = order.map(([d, id]) => (d === 'good' ? id === '002' : !(d === 'crack' && id === '001')));
  const folderLabels = order.map(([d]) => d !== 'good');
  assert.equal(c.iAuroc, computeAuroc(scores, maskLabels).auroc);
  assert.notEqual(c.iAuroc, computeAuroc(scores, folderLabels).auroc, 'the case tells the two rules apart');
  // Without disagreements there are no warnings.
  const clean = makeEvalFixture({ root: join(root, 'clean') });
  assert.deepEqual((await evaluate({ mapsDir: clean.maps, dataRoot: clean.data, progress: false, workers: 0 })).categories[0].warnings, []);
});

test('the NumPy twin labels by the mask too and agrees', { skip: needTwin }, async () => {
  const { data, maps } = makeMismatchedFixture('twin');
  const [c] = (await evaluate({ mapsDir: maps, dataRoot: data, progress: false, workers: 0 })).categories;
  const ref = runTwin(maps, data, 'exact');
  assert.ok(Math.abs(c.iAuroc - ref.iAuroc) < 1e-12, `I-AUROC ${c.iAuroc} vs twin ${ref.iAuroc}`);
  assert.ok(Math.abs(c.pAuroc - ref.pAuroc) < 1e-12);
  assert.ok(Math.abs(c.aupro['0.3'] - ref.aupro['0.3']) < 1e-9);
  assert.ok(c.threshold.calibrated);
  if (c.threshold.calibrated) {
    for (const k of ['precision', 'recall', 'f1', 'fpr'] as const) assert.ok(Math.abs(c.threshold.image[k] - ref.threshold.image[k]) < 1e-12, k);
  }
});
