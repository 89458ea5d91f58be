// `geoad matrix` through the compiled CLI (npm test builds dist/ first): plan output, a config error's exit code 2
// naming the field, run + status exit codes when a job fails, and --help with examples.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO, STAGE_COMMAND, geoadFromSource, makeTempDir, removeDir, writeTinyConfig } from './helpers.js';

let dir: string;
before(() => {
  dir = makeTempDir('cli');
  assert.ok(existsSync(join(REPO, 'dist', 'orchestrator', 'cli', 'matrix.js')), 'dist/ is built (npm test runs the build first)');
});
after(() => removeDir(dir));

function geoad(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [join(REPO, 'bin', 'geoad.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, GEOAD_PROGRESS: 'plain', ...env } });
}

test('plan prints the jobs; an invalid config exits 2 naming the file, the field and the allowed values', () => {
  const config = writeTinyConfig(dir);
  const plan = geoad(['matrix', 'plan', config, '--out', join(dir, 'r')]);
  assert.equal(plan.status, 0, plan.stderr);
  assert.match(plan.stdout, /^20 jobs, 4 cells/);
  assert.match(plan.stdout, /train-syn-bagel-full-s0-[0-9a-f]{8}\s+\[train\]/);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'datasets: [{kind: synthetic, name: s}]\ncategories: [bagel]\nvariants: [full, fancy]\n');
  const result = geoad(['matrix', 'plan', bad]);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /bad\.yaml: `variants\.1`: .*full.*no-mfe.*no-gcn.*no-nla/);
  assert.equal(geoad(['matrix', 'run', '--preset', 'nope', '--out', join(dir, 'x')]).status, 2);
  const help = geoad(['matrix', 'run', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Examples:[\s\S]*matrix run --preset quick --out runs\/quick/);
});

test('run exits 1 when a job fails and status names it (exit 1)', () => {
  const config = writeTinyConfig(dir);
  const run = join(dir, 'failing');
  const env = { GEOAD_MATRIX_STAGE_COMMAND: JSON.stringify(STAGE_COMMAND), FAKE_STAGE_FAIL: 'eval:--category cookie' };
  const result = geoad(['matrix', 'run', config, '--out', run, '--workers', '2', '--retries', '0'], env);
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stdout, /16\/20 jobs done, 2 failed, 2 blocked/);
  assert.match(result.stdout, /Report: .*report\/index\.html/);
  assert.match(result.stderr, /2 job\(s\) failed .*eval syn\/cookie/);
  const status = geoad(['matrix', 'status', run]);
  assert.equal(status.status, 1);
  assert.match(status.stdout, /^eval\s+2\s+0\s+2\s+0\s+0\s/m);
  assert.match(status.stdout, /failed jobs \(2\)/);
  const retried = geoad(['matrix', 'retry', run], { GEOAD_MATRIX_STAGE_COMMAND: JSON.stringify(STAGE_COMMAND) });
  assert.equal(retried.status, 0, retried.stderr);
  assert.equal(geoad(['matrix', 'status', run]).status, 0);
});

test('plan: prepare options reach the prepare and the train commands; an unknown category exits 2 listing the allowed ones', () => {
  const config = writeTinyConfig(dir, 'prepare: { distanceThreshold: 0.01, largestComponent: true, seed: 3 }\n');
  const plan = geoadFromSource(['matrix', 'plan', config, '--out', join(dir, 'p')]);
  assert.equal(plan.status, 0, plan.stderr);
  const commands = plan.stdout.split('\n').filter((l) => l.startsWith('  $ '));
  const prepares = commands.filter((l) => l.includes(' data prepare '));
  const trains = commands.filter((l) => / train --data /.test(l));
  assert.equal(prepares.length, 2);
  assert.equal(trains.length, 4);
  for (const line of prepares) assert.match(line, / --distance-threshold 0\.01 .*--largest-component true .*--seed 3\b/);
  for (const line of trains) assert.match(line, / --distance-threshold 0\.01 --largest-component true --prepare-seed 3$/);
  const bad = join(dir, 'bad-category.yaml');
  writeFileSync(bad, 'datasets: [{kind: synthetic, name: s}]\ncategories: [bagle]\n');
  const result = geoadFromSource(['matrix', 'plan', bad]);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /bad-category\.yaml: `categories\.0`: unknown category `bagle` for synthetic dataset `s`: expected one of `bagel`, /);
});
