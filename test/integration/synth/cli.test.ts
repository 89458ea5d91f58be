// `geoad synth` through the CLI's main(): help with examples, exit code 2 for bad input (nothing written or
// touched: bad flags, bad config files, foreign and read-only output folders), 0 and a summary for a good run,
// config file merged under the flags.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../../orchestrator/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'geoad-synth-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs main() capturing what it writes (strings). Binary chunks pass through: they are the test runner's own
 * reports of earlier tests (`node --test` serialises them to stdout), which would otherwise be lost.
 */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  const capture = (append: (text: string) => void, original: typeof process.stdout.write) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => (typeof chunk === 'string' ? (append(chunk), true) : (original as (...a: unknown[]) => boolean)(chunk, ...rest))) as typeof process.stdout.write;
  process.stdout.write = capture((text) => (out += text), write.out);
  process.stderr.write = capture((text) => (err += text), write.err);
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

/** Every entry below `root` with its type, size, mtime and content hash: what "touched nothing" compares. */
function snapshot(root: string): string[] {
  const out: string[] = [`. ${statSync(root).mtimeMs}`];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const stat = statSync(path);
      if (stat.isDirectory()) {
        out.push(`${relative(root, path)}/ ${stat.mtimeMs}`);
        walk(path);
      } else out.push(`${relative(root, path)} ${stat.size} ${stat.mtimeMs} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`);
    }
  };
  walk(root);
  return out;
}

describe('geoad synth (CLI)', () => {
  it('has --help with examples', async () => {
    const { code, out } = await run('synth', '--help');
    assert.equal(code, 0);
    for (const text of ['--resolution', '--categories', '--renderer', '--blender-jobs', '--blender-timeout', 'Examples:', 'geoad synth --preset small']) assert.ok(out.includes(text), text);
  });

  it('exits 2 naming the option for bad input, writing nothing', async () => {
    const out = join(dir, 'bad');
    const cases: [string[], RegExp][] = [
      [['--resolution', '10'], /`--resolution`/],
      [['--categories', 'bagel,unicorn'], /Unknown category `unicorn`/],
      [['--defects', 'smudge'], /Unknown defect type `smudge`/],
      [['--train', '-1'], /`--train`/],
      [['--test', '1.5'], /`--test`/],
      // 3 categories × (good + 6 defects) need 21 test samples; 3 would hold only good ones.
      [['--train', '3', '--validation', '3', '--test', '3', '--categories', 'bagel,tire,cookie'], /Expected `--test` to be at least 21 .*or pass fewer --defects\/--categories/],
      [['--test', '12', '--categories', 'bagel,tire'], /`--test` to be at least 14/],
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

  it('names the config file and its field for an out-of-range value or a YAML syntax error, in one line (exit 2)', async () => {
    const out = join(dir, 'bad-config');
    const check = async (name: string, text: string, pattern: RegExp, ...flags: string[]) => {
      const config = join(dir, name);
      writeFileSync(config, text);
      const result = await run('synth', '--out', out, '--config', config, ...flags);
      assert.equal(result.code, 2, result.err);
      assert.equal(result.err.trim().split('\n').length, 1, `one line: ${result.err}`);
      assert.ok(result.err.startsWith(`geoad: ${config}: `) || result.err.includes(`${config} `), result.err);
      assert.match(result.err, pattern);
    };
    await check('neg.yaml', 'train: -5\ncategories: bagel\n', /neg\.yaml: Expected `train` to be an integer from 1 to 10000000, got `-5`$/m);
    await check('jobs.yaml', 'blender-jobs: 0\n', /jobs\.yaml: Expected `blender-jobs` to be an integer/);
    await check('timeout.json', '{"blender-timeout": -1}', /timeout\.json: Expected `blender-timeout` to be a number/);
    await check('syntax.yaml', 'train: 5\ncategories: [bagel, tire\n', /syntax\.yaml is not valid YAML: .* at line \d+, column \d+$/m);
    // A flag overrides the file's value, and its own error names the flag.
    const overridden = join(dir, 'override.yaml');
    writeFileSync(overridden, 'train: -5\n');
    const flagged = await run('synth', '--out', out, '--config', overridden, '--train', '0');
    assert.equal(flagged.code, 2);
    assert.match(flagged.err, /^geoad: Expected `--train` to be an integer/);
    assert.equal(existsSync(out), false);
  });

  it('refuses a non-empty foreign output folder with exit 2 and touches nothing in it', async () => {
    const foreign = join(dir, 'foreign');
    mkdirSync(join(foreign, 'bagel', 'train'), { recursive: true });
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    writeFileSync(join(foreign, 'bagel', 'train', 'keep.png'), 'not ours');
    const before = snapshot(foreign);
    const result = await run('synth', '--out', foreign, '--categories', 'bagel', '--train', '1', '--validation', '1', '--test', '7', '--resolution', '32', '--force');
    assert.equal(result.code, 2, result.err);
    assert.match(result.err, /^geoad: `--out` folder .*foreign is not empty and holds no geoad manifest\.json/);
    assert.equal(result.err.trim().split('\n').length, 1);
    assert.deepEqual(snapshot(foreign), before);
  });

  const asRoot = process.getuid?.() === 0;
  it('refuses a read-only output folder with exit 2, creating nothing', { skip: asRoot ? 'running as root, which can write into a read-only folder' : false }, async () => {
    const locked = join(dir, 'read-only');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    try {
      for (const out of [locked, join(locked, 'new')]) {
        const result = await run('synth', '--out', out, '--categories', 'bagel', '--train', '1', '--validation', '1', '--test', '7', '--resolution', '32');
        assert.equal(result.code, 2, result.err);
        assert.match(result.err, /^geoad: Cannot write to `--out` folder .*read-only/);
      }
      assert.deepEqual(readdirSync(locked), []);
    } finally {
      chmodSync(locked, 0o755);
    }
  });

  it('renders in the main thread with --workers 0 (the same files as a worker) and takes --progress none', async () => {
    const flags = ['--categories', 'bagel', '--defects', 'dent', '--train', '1', '--validation', '1', '--test', '2', '--resolution', '32'];
    const main = join(dir, 'workers-0');
    const worker = join(dir, 'workers-1');
    const inMain = await run('synth', '--out', main, ...flags, '--workers', '0', '--progress', 'none');
    assert.equal(inMain.code, 0, inMain.err);
    assert.equal(inMain.err, '', 'progress none prints nothing');
    assert.match(inMain.out, /Done: 4\/4 samples/);
    const inWorker = await run('synth', '--out', worker, ...flags, '--workers', '1', '--progress', 'off');
    assert.equal(inWorker.code, 0, inWorker.err);
    const files = (root: string) => snapshot(root).filter((line) => /\.(png|tiff) /.test(line)).map((line) => line.replace(/ \S+ (\S+)$/, ' $1'));
    assert.deepEqual(files(main), files(worker));
    assert.equal(files(main).length, 10);
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
