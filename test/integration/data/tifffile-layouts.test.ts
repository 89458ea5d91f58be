import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DataError } from '../../../orchestrator/util/errors.js';
import { discoverDataset, listSamples } from '../../../pipelines/data/discover.js';
import { readSample } from '../../../pipelines/data/read-sample.js';
import { tryDecodeStrippedFloat32 } from '../../../pipelines/io/tiff-strips.js';
import { decodeTiff, decodeTiffWithGeotiff } from '../../../pipelines/io/tiff.js';
import { encodePng } from '../../../pipelines/io/png.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./write-tifffile-tree.py', import.meta.url));
const LAYOUTS = ['contig-none', 'contig-deflate', 'planar-none', 'planar-deflate', 'contig-tiles', 'contig-strips', 'planar-strips-deflate', 'contig-bigendian', 'contig-lzw'];
const WIDTH = 40;
const HEIGHT = 30;

function tifffileMissing(): string | undefined {
  try {
    execFileSync(PYTHON, ['-c', 'import tifffile, numpy'], { stdio: 'pipe' });
    return undefined;
  } catch {
    return `${PYTHON} with tifffile and numpy is not available (apt-get install python3-tifffile)`;
  }
}

// ROOT/widget/train/good/{rgb,xyz}/NNN, one sample per TIFF layout (or per given file), rgb written from TypeScript.
function buildTree(files: string[], from: string): string {
  const root = join(from, 'root');
  const dir = join(root, 'widget', 'train', 'good');
  mkdirSync(join(dir, 'rgb'), { recursive: true });
  mkdirSync(join(dir, 'xyz'), { recursive: true });
  files.forEach((name, i) => {
    const id = String(i).padStart(3, '0');
    copyFileSync(join(from, `${name}.tiff`), join(dir, 'xyz', `${id}.tiff`));
    writeFileSync(join(dir, 'rgb', `${id}.png`), encodePng({ width: WIDTH, height: HEIGHT, channels: 3, data: new Uint8Array(WIDTH * HEIGHT * 3).fill(i) }));
  });
  return root;
}

test('reads a tree whose xyz TIFFs tifffile wrote: contiguous/planar, none/deflate/LZW, strips/tiles', async (t) => {
  const missing = tifffileMissing();
  if (missing) return t.skip(`skipped: ${missing}`);
  const work = mkdtempSync(join(tmpdir(), 'geoad-tifffile-'));
  try {
    execFileSync(PYTHON, [SCRIPT, work, String(WIDTH), String(HEIGHT)], { stdio: 'pipe' });
    const root = buildTree(LAYOUTS, work);
    const index = discoverDataset(root);
    assert.deepEqual(index.categories.map((c) => c.name), ['widget']);
    const refs = listSamples(index);
    assert.equal(refs.length, LAYOUTS.length);
    for (const [i, ref] of refs.entries()) {
      const sample = await readSample(ref);
      const bytes = readFileSync(join(work, `${LAYOUTS[i]}.bin`));
      const expected = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      assert.equal(sample.width, WIDTH, LAYOUTS[i]);
      assert.equal(sample.height, HEIGHT, LAYOUTS[i]);
      assert.equal(sample.nonFinitePoints, 2, `${LAYOUTS[i]}: the NaN and the Inf point are counted`);
      for (let k = 0; k < expected.length; k++) {
        const want = Number.isFinite(expected[Math.floor(k / 3) * 3]) && Number.isFinite(expected[Math.floor(k / 3) * 3 + 1]) && Number.isFinite(expected[Math.floor(k / 3) * 3 + 2]) ? expected[k] : 0;
        if (sample.xyz[k] !== want) assert.fail(`${LAYOUTS[i]}: value ${k} is ${sample.xyz[k]}, tifffile wrote ${expected[k]}`);
      }
      // The strip fast path and geotiff decode every layout to the same values.
      const bytesOnDisk = readFileSync(ref.xyzPath);
      const fast = await decodeTiff(bytesOnDisk, ref.xyzPath);
      const slow = await decodeTiffWithGeotiff(bytesOnDisk, ref.xyzPath);
      assert.deepEqual(new Float32Array(fast.data), new Float32Array(slow.data), LAYOUTS[i]);
      const fastPath = /tiles|lzw/.test(LAYOUTS[i]) ? undefined : 'strips';
      assert.equal(tryDecodeStrippedFloat32(bytesOnDisk) ? 'strips' : undefined, fastPath, `${LAYOUTS[i]} takes the ${fastPath ?? 'geotiff'} path`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('xyz TIFFs of the wrong dtype (float64, uint16) or truncated are errors naming the file', async (t) => {
  const missing = tifffileMissing();
  if (missing) return t.skip(`skipped: ${missing}`);
  const work = mkdtempSync(join(tmpdir(), 'geoad-tifffile-'));
  try {
    execFileSync(PYTHON, [SCRIPT, work, String(WIDTH), String(HEIGHT)], { stdio: 'pipe' });
    const refs = listSamples(discoverDataset(buildTree(['float64', 'uint16'], work)));
    await assert.rejects(readSample(refs[0]), (e: unknown) => e instanceof DataError && e.file === refs[0].xyzPath && /expected float32 samples, got float64/.test(e.message));
    await assert.rejects(readSample(refs[1]), (e: unknown) => e instanceof DataError && e.file === refs[1].xyzPath && /got uint16/.test(e.message));
    // tifffile puts the IFD before the pixels: a truncated file still parses, its strip runs past the end.
    for (const layout of ['contig-none', 'planar-deflate']) {
      const bytes = readFileSync(join(work, `${layout}.tiff`));
      writeFileSync(refs[0].xyzPath, bytes.subarray(0, bytes.length - 100));
      assert.equal(tryDecodeStrippedFloat32(readFileSync(refs[0].xyzPath)), undefined);
      await assert.rejects(readSample(refs[0]), (e: unknown) => e instanceof DataError && e.file === refs[0].xyzPath && /TIFF/.test(e.message), layout);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
