// `geoad eval` command module: argv → options → evaluate(); table on stdout, results.json written, usage errors.
// (Runs the CommandModule in-process through yargs, as orchestrator/cli/main.ts does.)
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import yargs from 'yargs';
import { evalCommand } from '../../../orchestrator/cli/eval.js';
import { UsageError } from '../../../orchestrator/util/errors.js';
import { makeEvalFixture } from './make-eval-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'geoad-eval-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

async function run(args: string[]): Promise<string> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
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
  assert.match(text, /^widget\s+\d+\.\d/m);
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

test('--help lists the options with examples', async () => {
  const help = await yargs(['eval', '--help']).command(evalCommand).exitProcess(false).getHelp();
  assert.match(help, /--pro-thresholds/);
  assert.match(help, /--min-defect-area/);
});
