// `renderDataset` with the Blender backend end to end on a tiny set (real Blender, 32×32, 2 Cycles samples):
// the same file set as the built-in renderer with agreeing XYZ, byte-identical XYZ/masks/RGB after a resume,
// and a crashing Blender that leaves only complete samples behind, after which a re-run completes the set.
// Skipped with GEOAD_SKIP_BLENDER=1.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { readTiff } from '../../../pipelines/io/tiff.js';
import { renderDataset, type SynthOptions } from '../../../pipelines/synth/index.js';

const skip = process.env.GEOAD_SKIP_BLENDER === '1' ? 'GEOAD_SKIP_BLENDER=1' : false;
const dir = mkdtempSync(join(tmpdir(), 'geoad-synth-blender-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const base: SynthOptions = {
  train: 1, validation: 1, test: 2, resolution: 32, categories: ['bagel'], defects: ['crack'], seed: 3,
  samples: 2, shardSize: 2, blenderJobs: 1, workers: 1, progress: 'off',
};

function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        if (name !== '.work') walk(p);
      } else out.push(relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}
const samplesOf = (root: string) => listFiles(root).filter((f) => /\.(png|tiff)$/.test(f));

test('blender and builtin datasets have the same files and agreeing XYZ; a resume re-renders identically', { skip }, async () => {
  const blenderOut = join(dir, 'blender');
  const builtinOut = join(dir, 'builtin');
  const first = await renderDataset({ ...base, out: blenderOut, renderer: 'blender' });
  assert.equal(first.rendered, 4);
  await renderDataset({ ...base, out: builtinOut, renderer: 'builtin' });
  assert.deepEqual(samplesOf(blenderOut), samplesOf(builtinOut));
  assert.equal(samplesOf(blenderOut).length, 10);
  for (const file of samplesOf(blenderOut).filter((f) => f.endsWith('.tiff'))) {
    const a = await readTiff(join(blenderOut, file));
    const b = await readTiff(join(builtinOut, file));
    let fg = 0, close = 0;
    for (let i = 0; i < a.width * a.height; i++) {
      if (a.data[i * 3 + 2] === 0 && b.data[i * 3 + 2] === 0) continue;
      fg++;
      if (Math.hypot(a.data[i * 3] - b.data[i * 3], a.data[i * 3 + 1] - b.data[i * 3 + 1], a.data[i * 3 + 2] - b.data[i * 3 + 2]) <= 0.001) close++;
    }
    assert.ok(close / fg >= 0.99, `${file}: ${close}/${fg} pixels within 1 mm`);
  }
  // Resume: remove one test sample, re-run; only it is rendered, and its files come back byte-identical.
  const victim = samplesOf(blenderOut).filter((f) => f.startsWith('bagel/test/crack/'));
  const before = new Map(victim.map((f) => [f, readFileSync(join(blenderOut, f))]));
  rmSync(join(blenderOut, victim.find((f) => f.endsWith('.tiff'))!));
  const resumed = await renderDataset({ ...base, out: blenderOut, renderer: 'blender' });
  assert.equal(resumed.rendered, 1);
  for (const [f, bytes] of before) assert.ok(readFileSync(join(blenderOut, f)).equals(bytes), `${f} differs after the resume`);
  const again = await renderDataset({ ...base, out: blenderOut, renderer: 'blender' });
  assert.equal(again.rendered, 0);
});

test('a Blender that crashes on some samples fails the run, keeps only complete samples, and a re-run completes the set', { skip }, async () => {
  const out = join(dir, 'faulty');
  const wrapper = join(dir, 'crashing-blender');
  const fixture = fileURLToPath(new URL('../../fixtures/fake-blender.mjs', import.meta.url));
  writeFileSync(wrapper, `#!/bin/sh\nFAKE_BLENDER_MODE=fail-keys FAKE_BLENDER_FAIL_KEYS=/test/ exec "${process.execPath}" "${fixture}" "$@"\n`);
  chmodSync(wrapper, 0o755);
  await assert.rejects(renderDataset({ ...base, out, renderer: 'blender', blender: wrapper }), (error: Error & { exitCode?: number }) => {
    assert.equal(error.exitCode, 1);
    assert.match(error.message, /2 sample\(s\) in 1 Blender shard\(s\) failed/);
    assert.match(error.message, /exited with code 1/);
    assert.match(error.message, /fake failure on purpose/);
    return true;
  });
  const partial = samplesOf(out);
  assert.equal(partial.filter((f) => f.endsWith('.tiff')).length, 2, partial.join(', '));
  assert.deepEqual(listFiles(out).filter((f) => f.includes('.tmp-')), []);
  const rerun = await renderDataset({ ...base, out, renderer: 'blender' });
  assert.equal(rerun.rendered, 2);
  assert.equal(rerun.skipped, 2);
  assert.equal(samplesOf(out).length, 10);
});
