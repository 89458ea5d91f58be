import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { writeMvtecTree, writeSynthManifest } from '../../unit/data/mvtec-fixture.js';

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
const CLI = fileURLToPath(new URL('../../fixtures/geoad.ts', import.meta.url));

// Runs the real `geoad data …` (main() on the sources) in a child process; returns exit code and output.
function geoadData(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'data', ...args], { encoding: 'utf8', env: { ...process.env, GEOAD_PROGRESS: 'plain' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('geoad data inspect prints a table of categories, splits, defects and counts', () => {
  const root = writeMvtecTree(['bagel', 'cookie']);
  roots.push(root);
  const { code, stdout } = geoadData(['inspect', root, '--category', 'cookie']);
  assert.equal(code, 0);
  assert.match(stdout, /cookie\s+test\s+crack\s+2\s+2\s+2\s+0\s+48×40/);
  assert.match(stdout, /cookie\s+train\s+good\s+3\s+3\s+0/);
  assert.doesNotMatch(stdout, /bagel/);
  assert.match(stdout, /4 folders, 7 samples, 0 with problems/);
  const unknown = geoadData(['inspect', root, '--category', 'tire']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Expected `--category` to name categories of .*, got `tire`; found `bagel`, `cookie`/);
  const flag = geoadData(['inspect', root, '--no-such-flag']);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /Unknown argument/);
});

test('geoad data inspect lists every bad file and exits 1; a wrong root exits 2', () => {
  const root = writeMvtecTree(['bagel']);
  roots.push(root);
  const bad = join(root, 'bagel', 'train', 'good', 'rgb', '001.png');
  writeFileSync(bad, 'broken');
  const { code, stdout, stderr } = geoadData(['inspect', root]);
  assert.equal(code, 1);
  assert.ok(stdout.includes(`problem: ${bad}: not a PNG`), stdout);
  assert.ok(stderr.includes(bad), stderr);
  const missing = geoadData(['inspect', join(root, 'nope')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /does not exist/);
});

test('geoad data prepare fills the cache, then hits it; bad values exit 2', () => {
  const root = writeMvtecTree(['bagel']);
  roots.push(root);
  const args = ['prepare', root, '--workers', '2', '--size', '32', '--grid', '8', '--no-progress'];
  const first = geoadData(args);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /Prepared 7 samples .*\(7 computed, 0 from cache\)/);
  assert.ok(existsSync(join(root, '.geoad-cache', 'features', 'bagel', 'test', 'crack')));
  assert.match(geoadData(args).stdout, /\(0 computed, 7 from cache\)/);
  const size = geoadData(['prepare', root, '--size', '0']);
  assert.equal(size.code, 2);
  assert.match(size.stderr, /Expected `--size` to be an integer from 8 to 2048, got `0`/);
  assert.equal(geoadData(['prepare', root, '--fpfh-radius', 'big']).code, 2);
  assert.match(geoadData(['prepare', '--help']).stdout, /Examples:/);
});

test('geoad data inspect lists a missing file like a corrupt one and still prints the table', () => {
  const root = writeMvtecTree(['bagel']);
  roots.push(root);
  const xyz = join(root, 'bagel', 'train', 'good', 'xyz', '001.tiff');
  unlinkSync(xyz);
  const { code, stdout } = geoadData(['inspect', root]);
  assert.equal(code, 1);
  assert.match(stdout, /bagel\s+train\s+good\s+3\s+2\s/, 'the sample counts in its row, not as ok');
  assert.match(stdout, /4 folders, 7 samples, 1 with problems/);
  assert.ok(stdout.includes(`problem: ${xyz}: missing xyz point cloud`), stdout);
});

test('an interrupted synthetic set: inspect lists it (exit 1), prepare refuses it naming the manifest', () => {
  const root = writeMvtecTree(['bagel']);
  roots.push(root);
  const manifest = writeSynthManifest(root, { bagel: { done: 7, pending: 3 } });
  const inspect = geoadData(['inspect', root]);
  assert.equal(inspect.code, 1);
  assert.match(inspect.stdout, /4 folders, 7 samples, 1 with problems/);
  assert.ok(inspect.stdout.includes(`problem: ${manifest}: synthetic set incomplete: 7 of 10 samples done; re-run geoad synth with the same options to finish`), inspect.stdout);
  const prepare = geoadData(['prepare', root, '--size', '32', '--grid', '8', '--workers', '0']);
  assert.equal(prepare.code, 1);
  assert.match(prepare.stderr, new RegExp(`^geoad: ${manifest}: synthetic set incomplete`, 'm'));
  assert.doesNotMatch(prepare.stderr, /prepare: \d/, 'no work started');
});

test('usage errors name what was typed: a category folder as root, --categories, --grid; before any progress', () => {
  const root = writeMvtecTree(['bagel']);
  roots.push(root);
  const folder = geoadData(['inspect', join(root, 'bagel')]);
  assert.equal(folder.code, 2);
  assert.match(folder.stderr, /looks like a category folder .*; pass its parent /);
  const plural = geoadData(['prepare', root, '--categories', 'tyre']);
  assert.equal(plural.code, 2);
  assert.match(plural.stderr, /Expected `--categories` to name categories of .*, got `tyre`/);
  assert.match(geoadData(['inspect', root, '--category', 'tyre']).stderr, /Expected `--category` /);
  const grid = geoadData(['prepare', root, '--size', '32', '--grid', '200']);
  assert.equal(grid.code, 2);
  assert.match(grid.stderr, /Expected `--grid` to be at most `--size` \(32\), got `200`/);
  assert.doesNotMatch(grid.stderr, /prepare: /, 'validated before the progress display');
  assert.equal(existsSync(join(root, '.geoad-cache')), false, 'nothing was written');
});

test('--progress auto|plain|off on inspect and prepare; --no-progress still means off', () => {
  const root = writeMvtecTree(['bagel']);
  roots.push(root);
  const progressLines = (args: string[]) => geoadData(args).stderr.split('\n').filter((l) => /^(inspect|prepare): \d/.test(l));
  assert.ok(progressLines(['inspect', root, '--progress', 'plain']).length > 0);
  assert.deepEqual(progressLines(['inspect', root, '--progress', 'off']), []);
  const args = ['prepare', root, '--size', '32', '--grid', '8', '--workers', '0'];
  assert.ok(progressLines([...args, '--progress', 'plain']).some((l) => l.startsWith('prepare: 7/7')));
  assert.deepEqual(progressLines([...args, '--progress', 'off']), []);
  assert.deepEqual(progressLines([...args, '--no-progress']), []);
  const bad = geoadData(['inspect', root, '--progress', 'loud']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Choices: "auto", "plain", "off"/);
  assert.ok(readdirSync(join(root, '.geoad-cache')).length > 0);
});
