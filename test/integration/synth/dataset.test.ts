// renderDataset end to end on a tiny set: the MVTec 3D-AD layout, manifest, byte-identical files for any worker
// count, resume after kill -9, refusal of a different config (unless --force) and of foreign folders.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GeoadError, UsageError } from '../../../orchestrator/util/errors.js';
import { decodePng } from '../../../pipelines/io/png.js';
import { decodeTiff } from '../../../pipelines/io/tiff.js';
import { renderDataset } from '../../../pipelines/synth/index.js';
import { tinyOptions } from './tiny-options.js';

const root = mkdtempSync(join(tmpdir(), 'geoad-synth-it-'));
after(() => rmSync(root, { recursive: true, force: true }));

/**
 * sha256 of every file below `dir` (relative path → hash), temp files included so that leftovers fail. The
 * manifest is hashed without its `run` block: that records the run's own options (workers, out), which may differ.
 */
function hashTree(dir: string, skip: (path: string) => boolean = () => false): Map<string, string> {
  const out = new Map<string, string>();
  const contentOf = (path: string) => {
    if (relative(dir, path) !== 'manifest.json') return readFileSync(path);
    const { run: _run, ...rest } = JSON.parse(readFileSync(path, 'utf8'));
    return JSON.stringify(rest);
  };
  const visit = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (!skip(relative(dir, path))) out.set(relative(dir, path), createHash('sha256').update(contentOf(path)).digest('hex'));
    }
  };
  visit(dir);
  return out;
}

describe('renderDataset', () => {
  const one = join(root, 'one');
  const two = join(root, 'two');

  it('writes the MVTec 3D-AD layout with a manifest', async () => {
    const summary = await renderDataset({ ...tinyOptions(one), workers: 1 });
    assert.equal(summary.total, 20);
    assert.equal(summary.rendered, 20);
    assert.equal(summary.pending, 0);
    assert.equal(summary.counts['bagel/train/good'], 2);
    assert.equal(summary.counts['cable_gland/test/good'], 1);
    assert.equal(summary.counts['bagel/test/crack'], 1);
    const manifest = JSON.parse(readFileSync(join(one, 'manifest.json'), 'utf8'));
    assert.equal(manifest.format, 'geoad-synth');
    assert.deepEqual(manifest.camera, { width: 48, height: 48, fx: 67.2, fy: 67.2, cx: 24, cy: 24 });
    assert.equal(manifest.samples.length, 20);
    assert.ok(manifest.samples.every((s: { complete: boolean }) => s.complete));
    const crack = manifest.samples.find((s: { key: string }) => s.key === 'bagel/test/crack/000');
    assert.equal(crack.scene.anomaly.type, 'crack');
    assert.ok(crack.anomalyPixels > 0);
    // Files decode to the right sizes; gt exists only in the test split and is 0/255.
    const rgb = decodePng(readFileSync(join(one, 'bagel/test/crack/rgb/000.png')), 'rgb');
    assert.deepEqual([rgb.width, rgb.height, rgb.channels], [48, 48, 3]);
    const gt = decodePng(readFileSync(join(one, 'bagel/test/crack/gt/000.png')), 'gt');
    assert.equal(gt.channels, 1);
    assert.ok(gt.data.every((v) => v === 0 || v === 255));
    assert.equal(gt.data.filter((v) => v === 255).length, crack.anomalyPixels);
    const good = decodePng(readFileSync(join(one, 'bagel/test/good/gt/000.png')), 'gt');
    assert.ok(good.data.every((v) => v === 0));
    const xyz = await decodeTiff(readFileSync(join(one, 'bagel/train/good/xyz/000.tiff')), 'xyz');
    assert.deepEqual([xyz.width, xyz.height, xyz.channels], [48, 48, 3]);
    assert.ok(xyz.data.some((v) => v > 0.05) && xyz.data.every((v) => Number.isFinite(v)));
    assert.equal(existsSync(join(one, 'bagel/train/good/gt')), false);
    assert.equal(existsSync(join(one, 'bagel/validation/good/rgb/000.png')), true);
  });

  it('writes byte-identical files with 2 workers', async () => {
    await renderDataset({ ...tinyOptions(two), workers: 2 });
    assert.deepEqual(hashTree(two), hashTree(one));
  });

  it('resumes: a re-run renders nothing and changes nothing', async () => {
    const before = hashTree(one);
    const summary = await renderDataset({ ...tinyOptions(one), workers: 2 });
    assert.equal(summary.rendered, 0);
    assert.equal(summary.skipped, 20);
    assert.deepEqual(hashTree(one), before);
    // The manifest's provenance block records this run's options.
    const run = JSON.parse(readFileSync(join(one, 'manifest.json'), 'utf8')).run;
    assert.deepEqual([run.out, run.workers, run.renderer], [one, 2, 'builtin']);
  });

  it('renders again a finished sample whose files were truncated or emptied outside geoad', async () => {
    // `two` equals `one` (previous test); damage two of its samples the way a full disk or a bad copy would.
    const xyz = join(two, 'bagel/test/crack/xyz/000.tiff');
    truncateSync(xyz, statSync(xyz).size - 100);
    writeFileSync(join(two, 'cable_gland/train/good/rgb/001.png'), '');
    const lines: string[] = [];
    const stream = { isTTY: false, write: (line: string) => lines.push(line) > 0 } as unknown as NodeJS.WriteStream;
    const summary = await renderDataset({ ...tinyOptions(two), workers: 1, progress: 'plain', stream });
    assert.equal(summary.rendered, 2);
    assert.equal(summary.skipped, 18);
    assert.deepEqual(hashTree(two), hashTree(one));
    assert.equal(lines.filter((line) => /2 finished sample\(s\) have an empty or truncated file; rendering them again/.test(line)).length, 1, lines.join(''));
  });

  it('finishes the same files after kill -9 and cleans its temp files', async () => {
    const killed = join(root, 'killed');
    const fixture = fileURLToPath(new URL('./render-fixture.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, killed, '1'], { stdio: 'ignore' });
    const rgbCount = () => (existsSync(killed) ? [...hashTree(killed).keys()].filter((p) => p.endsWith('.png') && p.includes('/rgb/')).length : 0);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    for (let i = 0; i < 600 && rgbCount() < 3; i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGKILL');
    await exited;
    const done = rgbCount();
    assert.ok(done >= 3 && done < 20, `killed after ${done} samples`);
    // A leftover temp file from an interrupted atomic write must not survive the resume.
    writeFileSync(join(killed, 'bagel', '.tmp-000.png.1234.abcd'), 'partial');
    const summary = await renderDataset({ ...tinyOptions(killed), workers: 2 });
    assert.ok(summary.skipped >= done - 1 && summary.rendered + summary.skipped === 20);
    assert.deepEqual(hashTree(killed), hashTree(one));
  });

  it('refuses a different config on an existing dataset unless forced', async () => {
    const before = hashTree(one);
    await assert.rejects(renderDataset({ ...tinyOptions(one), seed: 6 }), (e: unknown) => e instanceof UsageError && /`seed` differ.*--force/.test(e.message));
    await assert.rejects(renderDataset({ ...tinyOptions(one), resolution: 40 }), /`resolution` differ/);
    assert.deepEqual(hashTree(one), before);
    const forced = await renderDataset({ ...tinyOptions(two), categories: ['tire'], train: 1, validation: 1, test: 7, force: true });
    assert.equal(forced.total, 9);
    assert.deepEqual(readdirSync(two).sort(), ['manifest.json', 'tire']);
  });

  it('leaves samples pending and fails with exit code 1 when Blender cannot render them', async () => {
    const out = join(root, 'blender');
    const options = { ...tinyOptions(out), categories: ['tire'], train: 1, validation: 1, test: 7, renderer: 'blender' as const, blender: join(root, 'no-blender') };
    await assert.rejects(renderDataset(options), (e: unknown) => e instanceof GeoadError && !(e instanceof UsageError) && e.exitCode === 1 && /9 sample\(s\) in .*re-run/s.test(e.message));
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    assert.equal(manifest.samples.filter((s: { complete: boolean }) => !s.complete).length, 9);
    assert.equal(existsSync(join(out, 'tire/train/good/rgb/000.png')), false);
  });

  it('refuses foreign or unwritable folders and bad options without writing anything', async () => {
    const foreign = join(root, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    await assert.rejects(renderDataset(tinyOptions(foreign)), (e: unknown) => e instanceof UsageError && /not empty and holds no geoad manifest.json/.test(e.message));
    assert.deepEqual(readdirSync(foreign), ['notes.txt']);
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    await assert.rejects(renderDataset(tinyOptions(join(file, 'sub'))), (e: unknown) => e instanceof UsageError && /`--out`/.test(e.message));
    await assert.rejects(renderDataset(tinyOptions(file)), /is not a folder/);
    const fresh = join(root, 'fresh');
    await assert.rejects(renderDataset({ ...tinyOptions(fresh), categories: ['unicorn'] }), /Unknown category `unicorn`/);
    await assert.rejects(renderDataset({ ...tinyOptions(fresh), train: 0 }), /`--train`/);
    assert.equal(existsSync(fresh), false);
    const badManifest = join(root, 'bad-manifest');
    mkdirSync(badManifest);
    writeFileSync(join(badManifest, 'manifest.json'), '{"format": "something-else", "config": {}, "samples": []}');
    await assert.rejects(renderDataset(tinyOptions(badManifest)), /not a geoad synth manifest/);
    assert.ok(statSync(join(badManifest, 'manifest.json')).size > 0);
  });
});
