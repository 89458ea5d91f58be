// parseBlenderLine on output captured from Debian's Blender 3.4 running the generated script.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseBlenderLine } from '../../../pipelines/synth/blender/parse-line.js';

const read = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8').split('\n');

test('finds the begin/done events and Cycles progress in a captured successful run', () => {
  const parsed = read('./captured-blender-3.4.log').map(parseBlenderLine).filter((p) => p !== undefined);
  assert.deepEqual(parsed, [
    { kind: 'begin', index: 0, key: 'x/000', total: 1 },
    { kind: 'progress', sample: 0, of: 8 },
    { kind: 'progress', sample: 1, of: 8 },
    { kind: 'progress', sample: 8, of: 8 },
    { kind: 'done', index: 0, key: 'x/000' },
  ]);
});

test('reports Python errors from a captured failing run', () => {
  const errors = read('./captured-blender-3.4-error.log').map(parseBlenderLine).filter((p) => p?.kind === 'error');
  assert.deepEqual(errors.map((e) => e?.kind === 'error' && e.message), [
    'Error: Python: Traceback (most recent call last):',
    "FileNotFoundError: [Errno 2] No such file or directory: '/nonexistent.bin'",
    "Error: script failed, file: '/tmp/bl-b/render.py', exiting.",
  ]);
});

test('ignores malformed events and status lines without a sample count', () => {
  assert.equal(parseBlenderLine('GEOAD {not json'), undefined);
  assert.equal(parseBlenderLine('GEOAD {"event":"done","index":-1,"key":"a"}'), undefined);
  assert.equal(parseBlenderLine('GEOAD {"event":"done","index":0}'), undefined);
  assert.equal(parseBlenderLine('Fra:1 Mem:10.04M (Peak 10.70M) | Time:00:00.01 | Scene, ViewLayer | Updating Shaders'), undefined);
  assert.equal(parseBlenderLine('Blender quit'), undefined);
  assert.deepEqual(parseBlenderLine('GEOAD {"event":"done","index":3,"key":"a/b"}\r'), { kind: 'done', index: 3, key: 'a/b' });
  assert.deepEqual(parseBlenderLine('GEOAD {"event": "done", "index": 0, "key": "a", "rgbSeconds": 1.94, "xyzSeconds": 0.42}'), {
    kind: 'done', index: 0, key: 'a', rgbSeconds: 1.94, xyzSeconds: 0.42,
  });
});
