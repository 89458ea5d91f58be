// The minimum defect area of threshold calibration: by default 0.1 % of a validation map at the evaluation
// resolution, so the threshold depends on the validation maps only — not on the test labels (a 1-pixel gt region
// added to the test set changes nothing); `--min-defect-area N` and `category=N` override it.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { calibrateThreshold, evaluate, type ThresholdResult } from '../../../pipelines/eval/index.js';
import { readMap } from '../../../pipelines/eval/load-maps.js';
import { encodePng, readPng } from '../../../pipelines/io/png.js';
import { makeEvalFixture } from './make-eval-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'geoad-eval-area-'));
after(() => rmSync(root, { recursive: true, force: true }));

function calibrated(t: ThresholdResult) {
  assert.ok(t.calibrated, 'calibrated');
  return t;
}

test('default area = ceil(0.1 % of 64×64) = 5 px, independent of the test gt; options override it', async () => {
  const { data, maps } = makeEvalFixture({ root, size: 64 });
  const validationDir = join(maps, 'widget', 'validation', 'good');
  const validation = await Promise.all(readdirSync(validationDir).sort().map((n) => readMap(join(validationDir, n))));
  const run = async (minDefectArea?: number | Record<string, number>) =>
    calibrated((await evaluate({ mapsDir: maps, dataRoot: data, progress: false, workers: 0, ...(minDefectArea ? { minDefectArea } : {}) })).categories[0].threshold);

  const before = await run();
  assert.equal(before.minDefectArea, 5);
  assert.equal(before.minDefectAreaSource, 'image-fraction');
  assert.equal(before.threshold, calibrateThreshold(validation, 5));

  // A 1-pixel defect in a test mask: the old default (smallest test region) would have dropped the area to 1.
  const gtFile = join(data, 'widget', 'test', 'crack', 'gt', '000.png');
  const gt = await readPng(gtFile);
  gt.data[63 * 64 + 63] = 255; // a corner pixel, apart from the fixture's blob
  writeFileSync(gtFile, encodePng(gt));
  const after1px = await run();
  assert.equal(after1px.minDefectArea, 5);
  assert.equal(after1px.threshold, before.threshold);
  assert.notEqual(calibrateThreshold(validation, 1), before.threshold, 'an area of 1 would move the threshold');

  const option = await run(9);
  assert.deepEqual([option.minDefectArea, option.minDefectAreaSource, option.threshold], [9, 'option', calibrateThreshold(validation, 9)]);
  const perCategory = await run({ widget: 9 });
  assert.deepEqual([perCategory.minDefectArea, perCategory.minDefectAreaSource, perCategory.threshold], [9, 'option', option.threshold]);
});
