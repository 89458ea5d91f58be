// The CLI shell: every command answers --help, and usage mistakes exit 2 before any work starts.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../../orchestrator/cli/main.js';

// main() prints through process.stdout/stderr; keep the test output readable and look at what was said.
async function run(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  process.stdout.write = ((chunk: string | Uint8Array) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await main(argv);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
}

const COMMANDS = [['synth'], ['data', 'inspect'], ['data', 'prepare'], ['train'], ['infer'], ['eval'], ['matrix', 'plan'], ['matrix', 'run'], ['matrix', 'status'], ['matrix', 'retry'], ['report'], ['doctor']];

test('geoad --help lists every command and each command has its own --help', async () => {
  const top = await run(['--help']);
  assert.equal(top.code, 0);
  for (const name of ['synth', 'data', 'train', 'infer', 'eval', 'matrix', 'report', 'doctor']) assert.match(top.out, new RegExp(`geoad ${name}\\b`));
  for (const command of COMMANDS) {
    const help = await run([...command, '--help']);
    assert.equal(help.code, 0, `${command.join(' ')} --help`);
    assert.match(help.out, new RegExp(`geoad ${command.join(' ')}`), `${command.join(' ')} --help shows its usage`);
  }
});

test('usage mistakes exit 2 with a one-line reason and start no work', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'geoad-cli-'));
  try {
    const out = join(dir, 'synth');
    const cases: [string[], RegExp][] = [
      [[], /Name a command/],
      [['nosuch'], /Unknown argument: nosuch/],
      [['synth', '--out', out, '--bogus'], /Unknown argument: bogus/],
      // yargs would treat a number flag without its value as absent and render a default-sized dataset.
      [['synth', '--out', out, '--workers'], /Expected a value after `--workers`/],
      [['synth', '--out', out, '--train=', '--test', '7'], /`--train`/],
      [['synth', '--out'], /Expected a value after `--out`/],
      [['eval', '--maps', dir, '--data'], /Expected a value after `--data`/],
    ];
    for (const [argv, message] of cases) {
      const result = await run(argv);
      assert.equal(result.code, 2, `${argv.join(' ')}: exit code`);
      assert.match(result.err, message, argv.join(' '));
    }
    assert.equal(existsSync(out), false, 'nothing was rendered');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
