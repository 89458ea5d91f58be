// Option validation: every bad value is refused with a message naming the option (exit code 2 via UsageError).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../../../orchestrator/util/errors.js';
import { loadSynthConfig } from '../../../pipelines/synth/config-file.js';
import { synthPresets } from '../../../datasets/synth-presets.js';
import { normalizeSynthOptions, type SynthOptions } from '../../../pipelines/synth/options.js';

const fromFile = (options: SynthOptions, ...keys: (keyof SynthOptions)[]): SynthOptions => ({ ...options, configFile: { path: 'neg.yaml', keys } });
const refuses = (options: SynthOptions, pattern: RegExp) =>
  assert.throws(() => normalizeSynthOptions(options), (error: unknown) => error instanceof UsageError && pattern.test(error.message));

describe('normalizeSynthOptions', () => {
  it('fills the documented defaults', () => {
    const o = normalizeSynthOptions({});
    assert.equal(o.train, 10000);
    assert.equal(o.validation, 1000);
    assert.equal(o.test, 1000);
    assert.equal(o.resolution, 400);
    assert.equal(o.categories.length, 10);
    assert.equal(o.defects.length, 6);
    assert.equal(o.renderer, 'builtin');
    assert.ok(o.out.endsWith(join('data', 'synth')));
  });
  it('takes counts from a preset unless given', () => {
    const o = normalizeSynthOptions({ preset: 'tiny', test: 90 });
    assert.equal(o.resolution, 128);
    assert.equal(o.test, 90);
  });
  it('refuses bad values, naming the option', () => {
    refuses({ categories: ['bagel', 'donut'] }, /Unknown category `donut` in `--categories`/);
    refuses({ defects: ['dent', 'smudge'] }, /Unknown defect type `smudge` in `--defects`/);
    refuses({ train: 0 }, /`--train` to be an integer/);
    refuses({ test: -3 }, /`--test`/);
    refuses({ validation: 2.5 }, /`--validation`/);
    refuses({ train: Number.NaN }, /`--train`/);
    refuses({ resolution: 16 }, /Expected `--resolution` to be an integer from 32 to 2048, got `16`/);
    refuses({ resolution: 4096 }, /`--resolution`/);
    refuses({ workers: -1 }, /`--workers`/);
    refuses({ seed: -1 }, /`--seed`/);
    refuses({ renderer: 'povray' as never }, /`--renderer`/);
    refuses({ device: 'tpu' as never }, /`--device`/);
    refuses({ preset: 'huge' }, /`--preset`/);
    refuses({ categories: [] }, /`--categories`/);
    refuses({ train: 3, categories: ['bagel', 'tire', 'rope', 'foam'] }, /`--train` to be an integer from 4/);
  });
  it('refuses a --test too small for one good and one of each defect type per category, naming the minimum and the remedy', () => {
    // 3 categories × (good + 6 defects) = 21: with 9, every test split would hold only good, dent and bump.
    refuses(
      { test: 9, train: 3, validation: 3, categories: ['bagel', 'tire', 'cookie'] },
      /^Expected `--test` to be at least 21 \(3 categories × \(1 good \+ 6 defect types\)\), got `9`; raise `--test` or pass fewer --defects\/--categories$/,
    );
    // 2 × 7 = 14: 12 would silently drop `contamination`.
    refuses({ test: 12, categories: ['bagel', 'tire'] }, /`--test` to be at least 14/);
    refuses({ test: 1, categories: ['bagel'], defects: ['dent'] }, /at least 2 \(1 category × \(1 good \+ 1 defect type\)\)/);
    assert.equal(normalizeSynthOptions({ test: 14, categories: ['bagel', 'tire'] }).test, 14);
    assert.equal(normalizeSynthOptions({ test: 2, categories: ['bagel'], defects: ['dent'] }).test, 2);
    refuses(fromFile({ test: 3, categories: ['bagel'] }, 'test'), /^neg\.yaml: Expected `test` to be at least 7 .*raise `test` or pass fewer --defects\/--categories$/);
  });
  it('every preset holds a valid test split with all categories and defect types', () => {
    for (const preset of Object.keys(synthPresets)) assert.doesNotThrow(() => normalizeSynthOptions({ preset }), preset);
  });
  it('accepts --workers 0 (render in the main thread)', () => {
    assert.equal(normalizeSynthOptions({ workers: 0 }).workers, 0);
  });
  it('takes `none` as an alias of --progress off', () => {
    assert.equal(normalizeSynthOptions({ progress: 'none' }).progress, 'off');
    assert.equal(normalizeSynthOptions({ progress: 'plain' }).progress, 'plain');
    refuses({ progress: 'loud' as never }, /`--progress`/);
  });
});

describe('normalizeSynthOptions with a config file', () => {
  it('names the file and its field for values read from it, the flag otherwise', () => {
    refuses(fromFile({ train: -5 }, 'train'), /^neg\.yaml: Expected `train` to be an integer from 10 to 10000000, got `-5`$/);
    refuses(fromFile({ train: -5 }), /^Expected `--train`/);
    refuses(fromFile({ blenderJobs: 0, train: 20 }, 'blenderJobs', 'train'), /^neg\.yaml: Expected `blender-jobs`/);
    refuses(fromFile({ shardSize: 1.5 }, 'shardSize'), /^neg\.yaml: Expected `shard-size`/);
    refuses(fromFile({ categories: ['donut'] }, 'categories'), /^neg\.yaml: Unknown category `donut` in `categories`/);
    refuses(fromFile({ preset: 'huge' }, 'preset'), /^neg\.yaml: Expected `preset`/);
    // A cross-field minimum: train from the file, categories from a flag.
    refuses(fromFile({ train: 1, categories: ['bagel', 'tire'] }, 'train'), /^neg\.yaml: Expected `train` to be an integer from 2/);
  });
  it('defaults --blender-timeout to max(120, 60 × shard size) seconds and checks it', () => {
    assert.equal(normalizeSynthOptions({}).blenderTimeout, 1200);
    assert.equal(normalizeSynthOptions({ shardSize: 1 }).blenderTimeout, 120);
    assert.equal(normalizeSynthOptions({ blenderTimeout: 2.5 }).blenderTimeout, 2.5);
    refuses({ blenderTimeout: 0 }, /`--blender-timeout`/);
  });
});

describe('loadSynthConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'geoad-synth-config-'));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  it('reads YAML and JSON with the flags’ names', () => {
    const yaml = loadSynthConfig(write('a.yaml', 'train: 20\ncategories: bagel,tire\nblender-jobs: 3\nblender-timeout: 90\n'));
    assert.deepEqual(yaml, { train: 20, categories: ['bagel', 'tire'], blenderJobs: 3, blenderTimeout: 90 });
    assert.deepEqual(loadSynthConfig(write('b.json', '{"resolution": 64, "defects": ["dent"]}')), { resolution: 64, defects: ['dent'] });
  });
  it('names the file and the field when it does not validate', () => {
    const check = (path: string, pattern: RegExp) =>
      assert.throws(() => loadSynthConfig(path), (e: unknown) => e instanceof UsageError && e.message.includes(path) && pattern.test(e.message));
    check(write('c.yaml', 'trian: 20\n'), /trian/);
    check(write('d.yaml', 'train: "many"\n'), /`train`/);
    check(write('e.json', '{ "train": 2,'), /not valid JSON/);
    const syntax = write('f.yaml', 'train: 2\ncategories: [bagel, tire\n');
    check(syntax, /not valid YAML: .*at line 3, column 1$/);
    assert.throws(() => loadSynthConfig(syntax), (e: unknown) => e instanceof Error && !e.message.includes('\n'), 'one line, no code frame');
    check(join(dir, 'missing.yaml'), /Cannot read config file/);
  });
  it('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});
