// `renderDataset` with the Blender backend end to end on a tiny set (real Blender, 32×32, 2 Cycles samples):
// the same file set as the built-in renderer with agreeing XYZ and masks on object pixels, byte-identical files with
// 2 jobs and after a resume, and a crashing Blender that leaves only complete samples behind, after which a re-run
// completes the set.
// Skipped with GEOAD_SKIP_BLENDER=1.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { decodePng } from '../../../pipelines/io/png.js';
import { readTiff } from '../../../pipelines/io/tiff.js';
import { buildRenderScene } from '../../../pipelines/synth/build-mesh.js';
import { renderDataset, type SynthOptions } from '../../../pipelines/synth/index.js';
import type { SceneParams } from '../../../pipelines/synth/params.js';
import { rasterizeScene } from '../../../pipelines/synth/rasterize.js';
import { compareOutputs, formatAgreement, selectObjectPixels } from '../../unit/blender/analytic-scene.js';

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

test('blender and builtin datasets have the same files and agreeing XYZ; 2 jobs and a resume give identical files', { skip }, async (t) => {
  const blenderOut = join(dir, 'blender');
  const builtinOut = join(dir, 'builtin');
  const first = await renderDataset({ ...base, out: blenderOut, renderer: 'blender' });
  assert.equal(first.rendered, 4);
  await renderDataset({ ...base, out: builtinOut, renderer: 'builtin' });
  assert.deepEqual(samplesOf(blenderOut), samplesOf(builtinOut));
  assert.equal(samplesOf(blenderOut).length, 10);
  // XYZ agreement on the object's pixels (the built-in render of the manifest's scene says which those are: the
  // support plane would dilute errors on the object), with the all-foreground figure alongside.
  const manifest = JSON.parse(readFileSync(join(blenderOut, 'manifest.json'), 'utf8')) as { samples: { files: { xyz: string; gt?: string }; scene: SceneParams }[] };
  for (const { files, scene: params } of manifest.samples) {
    const read = async (root: string) => ({
      xyz: (await readTiff(join(root, files.xyz))).data,
      mask: files.gt ? decodePng(readFileSync(join(root, files.gt)), files.gt).data : new Uint8Array(32 * 32),
    });
    const scene = buildRenderScene(params, { resolution: 32 });
    const objectPixels = selectObjectPixels(scene, rasterizeScene(scene).faceIds);
    const agreement = compareOutputs(await read(blenderOut), await read(builtinOut), 0.001, objectPixels);
    const report = `${files.xyz}: ${formatAgreement(agreement)}`;
    t.diagnostic(report);
    assert.ok(agreement.object.pixels > 50, `only ${agreement.object.pixels} object pixels; ${report}`);
    assert.ok(agreement.object.share >= 0.99 && agreement.all.share >= 0.99 && agreement.maskIou >= 0.98, report);
  }
  // Two Blender processes at once, one sample per shard: the same file set, byte-identical XYZ, masks and (Cycles on
  // the CPU, fixed seed and samples, whatever the thread count) RGB.
  const twoJobs = join(dir, 'blender-2-jobs');
  await renderDataset({ ...base, out: twoJobs, renderer: 'blender', blenderJobs: 2, shardSize: 1 });
  assert.deepEqual(samplesOf(twoJobs), samplesOf(blenderOut));
  for (const file of samplesOf(blenderOut)) assert.ok(readFileSync(join(twoJobs, file)).equals(readFileSync(join(blenderOut, file))), `${file} differs with 2 jobs`);
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
