// Shard scratch folders: named after their owner, and only those of dead owners on this host are swept.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { createShardDir, selectStaleShardDirs, sweepStaleShardDirs } from '../../../pipelines/synth/blender/scratch-dir.js';

test('selectStaleShardDirs picks our naming pattern on this host whose owner is gone', () => {
  const names = [
    '.shard-bagel-test-crack-000+host-a+111-AbC123', // dead owner on this host: stale
    '.shard-bagel-test-crack-003+host-a+222-xYz789', // live owner: kept
    '.shard-tire-train-good-000+host-b+111-AbC123', // another host: kept
    '.shard-bagel-test-crack-000-AbC123', // old naming without an owner: kept
    'logs',
    'shard-notes+host-a+111-AbC123', // not hidden: not ours
  ];
  assert.deepEqual(selectStaleShardDirs(names, 'host-a', (pid) => pid === 222), ['.shard-bagel-test-crack-000+host-a+111-AbC123']);
});

test('sweepStaleShardDirs keeps this live process’s folders and removes a dead one’s', async () => {
  const work = mkdtempSync(join(tmpdir(), 'geoad-scratch-'));
  try {
    const mine = await createShardDir(work, 'shard-bagel-test-crack-000');
    assert.match(basename(mine), new RegExp(`^\\.shard-bagel-test-crack-000\\+.*\\+${process.pid}-[A-Za-z0-9]{6}$`));
    // A pid above the kernel's limit (2^22) belongs to no process.
    const dead = join(work, basename(mine).replace(`+${process.pid}-`, '+4999999-'));
    mkdirSync(join(dead, 'out'), { recursive: true });
    assert.deepEqual(await sweepStaleShardDirs(work), [basename(dead)]);
    assert.equal(existsSync(dead), false);
    assert.equal(existsSync(mine), true);
    assert.deepEqual(await sweepStaleShardDirs(join(work, 'missing')), []);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
