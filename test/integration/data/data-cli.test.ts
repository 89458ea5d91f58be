import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { writeMvtecTree } from '../../unit/data/mvtec-fixture.js';

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
  assert.match(size.stderr, /Expected `size` to be an integer from 8 to 2048, got `0`/);
  assert.equal(geoadData(['prepare', root, '--fpfh-radius', 'big']).code, 2);
  assert.match(geoadData(['prepare', '--help']).stdout, /Examples:/);
});
