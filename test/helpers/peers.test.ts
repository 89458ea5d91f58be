// The peer check: skip with a message naming what is missing, or fail when GEOAD_REQUIRE_PEERS=1.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PYTHON, missingPythonModules, peerOrSkip } from './peers.js';

test('peerOrSkip: false when available, the skip message otherwise, an error with GEOAD_REQUIRE_PEERS=1', () => {
  const saved = process.env.GEOAD_REQUIRE_PEERS;
  try {
    delete process.env.GEOAD_REQUIRE_PEERS;
    assert.equal(peerOrSkip('blender', true), false);
    assert.equal(peerOrSkip('blender', false, 'not on PATH'), 'missing blender: not on PATH');
    process.env.GEOAD_REQUIRE_PEERS = '1';
    assert.equal(peerOrSkip('blender', true), false);
    assert.throws(() => peerOrSkip('blender', false, 'not on PATH'), /missing blender: not on PATH \(GEOAD_REQUIRE_PEERS=1 requires it\)/);
  } finally {
    if (saved === undefined) delete process.env.GEOAD_REQUIRE_PEERS;
    else process.env.GEOAD_REQUIRE_PEERS = saved;
  }
});

test('missingPythonModules names the modules that do not import', { skip: existsSync(PYTHON) ? false : `no ${PYTHON}` }, () => {
  assert.deepEqual(missingPythonModules(['json', 'geoad_no_such_module', 'os']), ['geoad_no_such_module']);
});

test('a test file using it skips by default and fails under GEOAD_REQUIRE_PEERS=1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'geoad-peers-'));
  try {
    const file = join(dir, 'needs-peer.test.ts');
    const helper = join(import.meta.dirname, 'peers.ts');
    writeFileSync(file, `import { test } from 'node:test';\nimport { pythonOrSkip } from ${JSON.stringify(helper)};\ntest('needs a module', { skip: pythonOrSkip(['geoad_no_such_module']) }, () => {});\n`);
    // NODE_TEST_CONTEXT removed: with it the child test runner reports to this one instead of printing TAP.
    const { NODE_TEST_CONTEXT: _, ...base } = process.env;
    const run = (env: Record<string, string>) => spawnSync(process.execPath, ['--import', 'tsx', '--test', file], { encoding: 'utf8', env: { ...base, ...env } });
    const skipped = run({ GEOAD_REQUIRE_PEERS: '' });
    assert.equal(skipped.status, 0, skipped.stdout);
    assert.match(skipped.stdout, /# SKIP missing \/usr\/bin\/python3 modules geoad_no_such_module: cannot import/);
    const required = run({ GEOAD_REQUIRE_PEERS: '1' });
    assert.equal(required.status, 1, required.stdout);
    assert.match(required.stdout + required.stderr, /GEOAD_REQUIRE_PEERS=1 requires it/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
