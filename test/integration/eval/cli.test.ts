// `geoad eval` command module: argv → options → evaluate(); table on stdout, results.json written, usage errors.
// (Runs the CommandModule in-process through yargs, as orchestrator/cli/main.ts does.)
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import yargs from 'yargs';
import { evalCommand } from '../../../orchestrator/cli/eval.js';
import { DataError, UsageError } from '../../../orchestrator/util/errors.js';
import { writeSynthManifest } from '../../unit/data/mvtec-fixture.js';
import { makeEvalFixture } from './make-eval-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'geoad-eval-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

async function run(args: string[]): Promise<string> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  // Teed, not swallowed: the test runner's own reports travel over the same stdout and would be lost.
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return write(chunk);
  }) as typeof process.stdout.write;
  try {
    await yargs(args).command(evalCommand).strict().exitProcess(false).fail((message, error) => {
      throw error ?? new UsageError(message);
    }).parseAsync();
  } finally {
    process.stdout.write = write;
  }
  // The test runner reports over stdout too: keep only what the command printed (from the table header on).
  const text = chunks.join('');
  const start = text.indexOf('category  ');
  return start >= 0 ? text.slice(start) : text;
}

test('eval prints the table and writes results.json', async () => {
  const { data, maps } = makeEvalFixture({ root });
  const out = join(root, 'results.json');
  const text = await run(['eval', '--maps', maps, '--data', data, '--out', out, '--pro-thresholds', '99', '--min-defect-area', '4', '--workers', '0']);
  assert.match(text, /^category\s+I-AUROC\s+P-AUROC\s+AUPRO@0.3/m);
  assert.match(text, /^widget(\s+[01]\.\d{3}){6}\s/m, 'fractions with three decimals, as in results.json');
  assert.match(text, /PRO curve: sampled-99/);
  const result = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(result.proCurveMode, 'sampled-99');
  assert.equal(result.categories[0].threshold.minDefectArea, 4);
  assert.equal(result.categories[0].threshold.minDefectAreaSource, 'option');
});

test('usage errors name the option', async () => {
  const { data, maps } = makeEvalFixture({ root: join(root, 'u') });
  await assert.rejects(run(['eval', '--maps', maps, '--data', data, '--pro-thresholds', 'many']), /Expected `--pro-thresholds` to be `exact` or an integer/);
  await assert.rejects(run(['eval', '--maps', maps, '--data', data, '--resolution', '3']), /Expected `--resolution` to be an integer from 8 to 4096, got `3`/);
  await assert.rejects(run(['eval', '--maps', maps, '--data', data, '--min-defect-area', 'nope=0']), /Expected `--min-defect-area nope` to be an integer at least 1, got `0`/);
  await assert.rejects(run(['eval', '--maps', maps, '--data', data, '--min-defect-area', 'nope=5']), /to name an evaluated category/);
  await assert.rejects(run(['eval', '--maps', maps]), /Missing required argument: data/);
});

test('the dataset root gets the same usage errors as data inspect and train (exit 2), before any map is read', async () => {
  const { data, maps } = makeEvalFixture({ root: join(root, 'd') });
  const usage = (pattern: RegExp) => (e: unknown) => e instanceof UsageError && e.exitCode === 2 && pattern.test(e.message);
  await assert.rejects(run(['eval', '--maps', maps, '--data', join(root, 'missing')]), usage(/^Dataset root .*missing does not exist$/));
  await assert.rejects(run(['eval', '--maps', maps, '--data', join(data, 'widget')]), usage(/looks like a category folder .*; pass its parent /));
  // An interrupted synthetic set is refused, naming its manifest.
  const manifest = writeSynthManifest(data, { widget: { done: 3, pending: 1 } });
  await assert.rejects(run(['eval', '--maps', maps, '--data', data]), (e: unknown) => e instanceof DataError && e.file === manifest && /synthetic set incomplete: 3 of 4/.test(e.message));
});

test('--progress auto|plain|off', async () => {
  const { data, maps } = makeEvalFixture({ root: join(root, 'p') });
  assert.match(await run(['eval', '--maps', maps, '--data', data, '--progress', 'off', '--workers', '0']), /^widget\s/m);
  await assert.rejects(run(['eval', '--maps', maps, '--data', data, '--progress', 'loud']), /Choices: "auto", "plain", "off"/);
});

test('--help lists the options with examples', async () => {
  const help = await yargs(['eval', '--help']).command(evalCommand).exitProcess(false).getHelp();
  assert.match(help, /--pro-thresholds/);
  assert.match(help, /--min-defect-area/);
});
