// XYZ TIFFs interoperate with Python's tifffile (what MVTec 3D-AD tooling uses), both ways: ours read back in
// tifffile.imread as H×W×3 float32 with the same values, and tifffile.imwrite output (with and without
// compression) reads back in ours. Needs Debian's /usr/bin/python3 with python3-tifffile.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeTiff, encodeTiffFloat32 } from '../../../pipelines/io/tiff.js';
import { buildRenderScene } from '../../../pipelines/synth/build-mesh.js';
import { rasterizeScene } from '../../../pipelines/synth/rasterize.js';
import { sampleScene } from '../../../pipelines/synth/sample-scene.js';

const PYTHON = '/usr/bin/python3';
const dir = mkdtempSync(join(tmpdir(), 'geoad-synth-tiff-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function python(script: string, ...args: string[]): string {
  return execFileSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8' });
}

describe('XYZ TIFF and tifffile', () => {
  const size = 40;
  const xyz = rasterizeScene(buildRenderScene(sampleScene(9, { category: 'potato', split: 'test', defect: 'bump', index: 0 }, size), { resolution: size })).xyz;

  it('our XYZ TIFF reads in tifffile.imread as H×W×3 float32 with the same values', () => {
    const ours = join(dir, 'ours.tiff');
    writeFileSync(ours, encodeTiffFloat32({ width: size, height: size, channels: 3, data: xyz }));
    const reference = join(dir, 'ours.f32');
    writeFileSync(reference, new Uint8Array(xyz.buffer, xyz.byteOffset, xyz.byteLength));
    const out = python(
      'import sys, numpy, tifffile\n' +
        'a = tifffile.imread(sys.argv[1])\n' +
        'b = numpy.fromfile(sys.argv[2], dtype="<f4").reshape(a.shape)\n' +
        'print(a.shape, a.dtype, bool(numpy.array_equal(a, b)), int((a[..., 2] > 0).sum()))',
      ours,
      reference,
    ).trim();
    assert.equal(out, `(${size}, ${size}, 3) float32 True ${xyz.filter((_, i) => i % 3 === 2 && xyz[i] > 0).length}`);
  });

  // zlib is the compression tifffile offers without the optional imagecodecs package.
  for (const compression of ['none', 'zlib']) {
    it(`reads tifffile.imwrite output (${compression})`, async () => {
      const raw = join(dir, `in-${compression}.f32`);
      writeFileSync(raw, new Uint8Array(xyz.buffer, xyz.byteOffset, xyz.byteLength));
      const path = join(dir, `theirs-${compression}.tiff`);
      python(
        'import sys, numpy, tifffile\n' +
          `a = numpy.fromfile(sys.argv[1], dtype="<f4").reshape(${size}, ${size}, 3)\n` +
          `kw = {} if sys.argv[3] == "none" else {"compression": sys.argv[3]}\n` +
          'tifffile.imwrite(sys.argv[2], a, **kw)',
        raw,
        path,
        compression,
      );
      const image = await decodeTiff(readFileSync(path), path);
      assert.deepEqual([image.width, image.height, image.channels], [size, size, 3]);
      assert.deepEqual(new Float32Array(image.data), xyz);
    });
  }
});
