// `geoad data`, `geoad train` and `geoad infer` as child processes (the real CLI: main() on the sources) on a tiny
// rendered set: exit 0 for good runs, 2 for bad usage (nothing done), 1 for bad data, messages naming the option or file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { categoryNames } from '../../../pipelines/synth/categories.js';
import { renderDataset } from '../../../pipelines/synth/index.js';

const CLI = fileURLToPath(new URL('../../fixtures/geoad.ts', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'geoad-train-cli-'));
const data = join(work, 'data');
after(() => rmSync(work, { recursive: true, force: true }));

before(async () => {
  await renderDataset({ out: data, train: 4, validation: 1, test: 2, defects: ['dent'], resolution: 48, categories: ['bagel'], workers: 1, progress: 'off', seed: 3 });
});

function geoad(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', env: { ...process.env, GEOAD_PROGRESS: 'plain' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Tiny shapes: 48-pixel images, a 4×4 visual grid, 1 epoch.
const tiny = ['--image-size', '48', '--visual-grid', '4', '--geometric-grid', '12', '--hidden', '8', '--attention-dim', '4', '--batch-size', '2', '--epochs', '1', '--backend', 'wasm', '--progress', 'off'];

test('a good run: data inspect, train and infer exit 0', () => {
  const inspect = geoad('data', 'inspect', data, '--category', 'bagel');
  assert.equal(inspect.code, 0, inspect.stderr);
  assert.match(inspect.stdout, /bagel\s+train\s+good\s+4\s+4/);
  const model = join(work, 'model');
  const trained = geoad('train', '--data', data, '--category', 'bagel', '--out', model, '--workers', '0', ...tiny);
  assert.equal(trained.code, 0, trained.stderr);
  assert.match(trained.stdout, /^Trained full for 1 epoch on wasm: loss \d/);
  assert.match(trained.stderr, /^full: \d+ parameters/m);
  const maps = join(work, 'maps');
  // `none` is the old name of `--progress off`: existing scripts keep working.
  const inferred = geoad('infer', '--model', model, '--data', data, '--category', 'bagel', '--out', maps, '--backend', 'wasm', '--progress', 'none', '--workers', '0');
  assert.equal(inferred.code, 0, inferred.stderr);
  assert.match(inferred.stdout, /^Wrote 3 anomaly maps to /);
  assert.ok(existsSync(join(maps, 'bagel', 'validation', 'good', '000.tiff')));
  const again = geoad('infer', '--model', model, '--data', data, '--category', 'bagel', '--out', maps, '--backend', 'wasm', '--progress', 'off', '--workers', '0');
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /^Wrote 0 anomaly maps to .*; 3 already there\)$/m);
});

test('bad usage exits 2 and names the option; nothing is written', () => {
  const out = join(work, 'usage');
  const variant = geoad('train', '--data', data, '--category', 'bagel', '--out', out, '--variant', 'nope');
  assert.equal(variant.code, 2);
  assert.match(variant.stderr, /Argument: variant, Given: "nope"/);
  const missing = geoad('train', '--category', 'bagel', '--out', out);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /Missing required argument: data/);
  const category = geoad('infer', '--model', join(work, 'model'), '--data', data, '--category', 'tire', '--out', out);
  assert.equal(category.code, 2);
  assert.match(category.stderr, /Expected `--category` to name categories of .*, got `tire`; found `bagel`/);
  const radius = geoad('train', '--data', data, '--category', 'bagel', '--out', out, '--fpfh-radius', '-1');
  assert.equal(radius.code, 2);
  assert.match(radius.stderr, /Expected `--fpfh-radius` to be `auto` or a number from 1e-9 to 10, got `-1`/);
  // What was typed, not what Number() made of it.
  const text = geoad('train', '--data', data, '--category', 'bagel', '--out', out, '--fpfh-radius', 'abc');
  assert.equal(text.code, 2);
  assert.match(text.stderr, /Expected `--fpfh-radius` to be `auto` or a number from 1e-9 to 10, got `abc`/);
  const file = join(work, 'a-file');
  writeFileSync(file, '');
  const outFile = geoad('infer', '--model', join(work, 'model'), '--data', data, '--category', 'bagel', '--out', file, '--workers', '0');
  assert.equal(outFile.code, 2);
  assert.ok(outFile.stderr.includes(`geoad: Expected \`--out\` to be a folder, got \`${file}\`, a file`), outFile.stderr);
  assert.equal(outFile.stderr.trim().split('\n').length, 1, outFile.stderr);
  assert.ok(!existsSync(out), 'a refused command wrote its output folder');
});

test('help examples name categories that geoad synth renders', () => {
  for (const command of ['train', 'infer']) {
    const help = geoad(command, '--help');
    assert.equal(help.code, 0);
    for (const [, category] of help.stdout.matchAll(/--category (\w+)/g)) assert.ok(categoryNames.includes(category), `${command} --help: --category ${category}`);
  }
});

test('bad data exits 1 and names the file (a corrupt xyz TIFF)', () => {
  const xyz = join(data, 'bagel', 'train', 'good', 'xyz', '001.tiff');
  writeFileSync(xyz, readFileSync(xyz).subarray(0, 100));
  const trained = geoad('train', '--data', data, '--category', 'bagel', '--out', join(work, 'bad'), ...tiny);
  assert.equal(trained.code, 1, trained.stderr);
  assert.ok(trained.stderr.includes(`geoad: ${xyz}: `), trained.stderr);
  const inspect = geoad('data', 'inspect', data);
  assert.equal(inspect.code, 1);
  assert.ok(inspect.stdout.includes(`problem: ${xyz}: `), inspect.stdout);
});
