// The minimum defect area of threshold calibration: by default 0.1 % of a validation map at the evaluation
// resolution, so the threshold depends on the validation maps only — not on the test labels (a 1-pixel gt region
// added to the test set changes nothing); `--min-defect-area N` and `category=N` override it.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { UsageError } from '../../../orchestrator/util/errors.js';
import { calibrateThreshold, evaluate, type ThresholdResult } from '../../../pipelines/eval/index.js';
import { readMap } from '../../../pipelines/eval/load-maps.js';
import { encodePng, readPng } from '../../../pipelines/io/png.js';
import { encodeTiffFloat32 } from '../../../pipelines/io/tiff.js';
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

test('an area larger than a validation map is a usage error naming the option, the category and the map area', async () => {
  const { data, maps } = makeEvalFixture({ root: join(root, 'too-large') }); // 16×16 maps
  await assert.rejects(evaluate({ mapsDir: maps, dataRoot: data, progress: 'off', workers: 0, minDefectArea: 99999 }), (e: unknown) =>
    e instanceof UsageError && e.message === 'Expected `--min-defect-area` to be at most the area of a validation map of widget, 256 px (16×16 at the evaluation resolution), got `99999`');
  await assert.rejects(evaluate({ mapsDir: maps, dataRoot: data, progress: 'off', workers: 0, minDefectArea: { widget: 257 } }), /^UsageError: Expected `--min-defect-area widget` to be at most .* 256 px/);
});

test('a calibration that ends at the lowest validation score carries a warning', async () => {
  const { data, maps } = makeEvalFixture({ root: join(root, 'floor'), validation: 1 });
  // The whole map (256 px) is the only region that reaches the area: no threshold above the minimum qualifies.
  const atFloor = calibrated((await evaluate({ mapsDir: maps, dataRoot: data, progress: 'off', workers: 0, minDefectArea: 256 })).categories[0].threshold);
  assert.match(atFloor.warning ?? '', /^threshold is the lowest validation score: no region above a higher score reached 256 px/);
  const normal = calibrated((await evaluate({ mapsDir: maps, dataRoot: data, progress: 'off', workers: 0, minDefectArea: 4 })).categories[0].threshold);
  assert.equal(normal.warning, undefined);
  // Constant validation maps cannot set a threshold either, whatever the area.
  const validationDir = join(maps, 'widget', 'validation', 'good');
  for (const name of readdirSync(validationDir)) writeFileSync(join(validationDir, name), encodeTiffFloat32({ width: 16, height: 16, channels: 1, data: new Float32Array(256).fill(0.5) }));
  const flat = calibrated((await evaluate({ mapsDir: maps, dataRoot: data, progress: 'off', workers: 0 })).categories[0].threshold);
  assert.equal(flat.threshold, 0.5);
  assert.ok(flat.warning, 'warned');
});
