// Resume's size check of finished samples: the expected xyz TIFF length matches the writer, and empty, truncated
// or missing files are told apart from finished ones without decoding anything.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { encodeTiffFloat32 } from '../../../pipelines/io/tiff.js';
import { checkFinishedSample, expectedXyzBytes } from '../../../pipelines/synth/check-finished.js';
import { locateSampleFiles } from '../../../pipelines/synth/plan.js';

const root = mkdtempSync(join(tmpdir(), 'geoad-check-finished-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('expectedXyzBytes', () => {
  it('is the length of the TIFF the writer encodes, for even and odd sizes', () => {
    for (const size of [32, 33, 48, 129]) {
      const written = encodeTiffFloat32({ width: size, height: size, channels: 3, data: new Float32Array(size * size * 3) });
      assert.equal(expectedXyzBytes(size), written.byteLength, `${size} px`);
    }
  });
});

describe('checkFinishedSample', () => {
  const files = locateSampleFiles({ category: 'bagel', split: 'test', defect: 'dent', index: 0 });
  const xyzBytes = expectedXyzBytes(32);
  const write = (path: string, bytes: number) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), new Uint8Array(bytes));
  };
  it('tells finished, missing and damaged samples apart by file sizes', () => {
    write(files.xyz, xyzBytes);
    write(files.gt!, 80);
    assert.equal(checkFinishedSample(root, files, xyzBytes), 'missing');
    write(files.rgb, 120);
    assert.equal(checkFinishedSample(root, files, xyzBytes), 'finished');
    write(files.xyz, xyzBytes - 1);
    assert.equal(checkFinishedSample(root, files, xyzBytes), 'damaged');
    write(files.xyz, xyzBytes);
    write(files.gt!, 0);
    assert.equal(checkFinishedSample(root, files, xyzBytes), 'damaged');
  });
});
