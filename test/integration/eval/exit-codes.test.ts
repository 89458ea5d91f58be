// `geoad eval` as a process through bin/geoad.mjs (the compiled CLI; `npm test` builds dist/ first, or run
// `npm run build`): exit 0 on a good tiny set, 1 on bad data with the file named on stderr, 2 on bad options.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { encodePng } from '../../../pipelines/io/png.js';
import { encodeTiffFloat32 } from '../../../pipelines/io/tiff.js';
import { makeEvalFixture } from './make-eval-fixture.js';

const REPO = join(import.meta.dirname, '../../..');
const root = mkdtempSync(join(tmpdir(), 'geoad-eval-exit-'));
before(() => assert.ok(existsSync(join(REPO, 'dist', 'pipelines', 'eval', 'index.js')), 'dist/ is built (npm test runs the build first)'));
after(() => rmSync(root, { recursive: true, force: true }));

function geoadEval(args: string[]) {
  const run = spawnSync(process.execPath, [join(REPO, 'bin', 'geoad.mjs'), 'eval', ...args], { encoding: 'utf8', env: { ...process.env, GEOAD_PROGRESS: 'plain' } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const mapPath = (maps: string, defect: string, id: string) => join(maps, 'widget', 'test', defect, `${id}.tiff`);
// The lines geoad itself writes to stderr (progress lines aside).
const messages = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('geoad:'));

test('exit 0 on a good tiny set: the table on stdout; a gt/folder disagreement is a warning on stderr', () => {
  const { data, maps } = makeEvalFixture({ root: join(root, 'ok') });
  const ok = geoadEval(['--maps', maps, '--data', data, '--workers', '0']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^widget\s+\d+\.\d/m);
  assert.deepEqual(messages(ok.stderr), []);
  const gt = join(data, 'widget', 'test', 'crack', 'gt', '002.png');
  writeFileSync(gt, encodePng({ width: 16, height: 16, channels: 1, data: new Uint8Array(256) }));
  const warned = geoadEval(['--maps', maps, '--data', data, '--workers', '0']);
  assert.equal(warned.code, 0, warned.stderr);
  assert.deepEqual(messages(warned.stderr), [`geoad: warning: ${gt}: gt mask of a \`crack\` test image is empty: labelled anomaly-free (labels come from the mask)`]);
  assert.match(warned.stdout, /widget: 1 test image\(s\) whose gt mask and folder disagree/);
});

test('exit 1 on bad data, naming the file: a missing map, a NaN in a map', () => {
  const missing = makeEvalFixture({ root: join(root, 'missing') });
  rmSync(mapPath(missing.maps, 'hole', '001'));
  const a = geoadEval(['--maps', missing.maps, '--data', missing.data]);
  assert.equal(a.code, 1, a.stderr);
  assert.match(messages(a.stderr)[0], /missing anomaly map/);
  assert.ok(messages(a.stderr)[0].startsWith(`geoad: ${mapPath(missing.maps, 'hole', '001')}: `), a.stderr);

  const nan = makeEvalFixture({ root: join(root, 'nan') });
  const data = new Float32Array(256);
  data[40] = Number.NaN;
  writeFileSync(mapPath(nan.maps, 'good', '001'), encodeTiffFloat32({ width: 16, height: 16, channels: 1, data }));
  const b = geoadEval(['--maps', nan.maps, '--data', nan.data, '--workers', '2']);
  assert.equal(b.code, 1, b.stderr);
  assert.deepEqual(messages(b.stderr), [`geoad: ${mapPath(nan.maps, 'good', '001')}: non-finite score NaN at pixel (x=8, y=2)`]);
});

test('exit 2 on bad options: unknown category, bad --pro-thresholds; nothing is written', () => {
  const { data, maps } = makeEvalFixture({ root: join(root, 'usage') });
  const out = join(root, 'usage', 'results.json');
  const category = geoadEval(['--maps', maps, '--data', data, '--category', 'gadget', '--out', out]);
  assert.equal(category.code, 2, category.stderr);
  assert.match(messages(category.stderr)[0], /^geoad: Expected `--category` to name a category folder of .* \(widget\), got `gadget`$/);
  for (const value of ['many', '1', '-3']) {
    const pro = geoadEval(['--maps', maps, '--data', data, '--pro-thresholds', value, '--out', out]);
    assert.equal(pro.code, 2, `--pro-thresholds ${value}: ${pro.stderr}`);
    assert.match(messages(pro.stderr)[0], /^geoad: Expected `--pro-thresholds` to be /);
  }
  assert.equal(existsSync(out), false);
});
