// `geoad synth` through the CLI's main(): help with examples, exit code 2 for bad input (nothing written),
// 0 and a summary for a good run, config file merged under the flags.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../../orchestrator/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'geoad-synth-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs main() capturing stdout and stderr. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  process.stdout.write = ((chunk: string | Uint8Array) => ((out += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((err += String(chunk)), true)) as typeof process.stderr.write;
  const log = console.log;
  console.log = (...args: unknown[]) => void (out += `${args.join(' ')}\n`);
  try {
    const code = await main(argv);
    process.exitCode = undefined;
    return { code, out, err };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
    console.log = log;
  }
}

describe('geoad synth (CLI)', () => {
  it('has --help with examples', async () => {
    const { code, out } = await run('synth', '--help');
    assert.equal(code, 0);
    for (const text of ['--resolution', '--categories', '--renderer', '--blender-jobs', 'Examples:', 'geoad synth --preset small']) assert.ok(out.includes(text), text);
  });

  it('exits 2 naming the option for bad input, writing nothing', async () => {
    const out = join(dir, 'bad');
    const cases: [string[], RegExp][] = [
      [['--resolution', '10'], /`--resolution`/],
      [['--categories', 'bagel,unicorn'], /Unknown category `unicorn`/],
      [['--defects', 'smudge'], /Unknown defect type `smudge`/],
      [['--train', '-1'], /`--train`/],
      [['--test', '1.5'], /`--test`/],
      [['--renderer', 'povray'], /renderer/i],
      [['--bogus', '1'], /bogus/],
    ];
    for (const [args, pattern] of cases) {
      const result = await run('synth', '--out', out, ...args);
      assert.equal(result.code, 2, `${args.join(' ')} → ${result.err}`);
      assert.match(result.err, pattern);
    }
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'resolutoin: 64\n');
    const result = await run('synth', '--out', out, '--config', config);
    assert.equal(result.code, 2);
    assert.ok(result.err.includes(config) && result.err.includes('resolutoin'));
    assert.equal(existsSync(out), false);
  });

  it('renders a tiny set from a config file with flags overriding it', async () => {
    const out = join(dir, 'good');
    const config = join(dir, 'synth.json');
    writeFileSync(config, JSON.stringify({ out, categories: 'rope', train: 1, validation: 1, test: 7, resolution: 64, workers: 1 }));
    const { code, out: stdout } = await run('synth', '--config', config, '--resolution', '32', '--progress', 'off');
    assert.equal(code, 0);
    assert.match(stdout, /Done: 9\/9 samples/);
    assert.ok(existsSync(join(out, 'rope/test/scratch/gt/000.png')));
    const again = await run('synth', '--config', config, '--progress', 'off');
    assert.equal(again.code, 2, 'resolution 64 differs from the rendered 32');
    assert.match(again.err, /`resolution` differ/);
  });
});
