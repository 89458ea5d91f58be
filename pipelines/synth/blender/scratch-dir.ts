// Shard scratch folders in the work dir, named after their shard and the process that owns them
// (`.shard-<first key>+<host>+<pid>-XXXXXX`). A `kill -9` gives a run no chance to remove its own, so the next
// run sweeps those whose owner is gone — never a live run's, nor anything that is not named like ours.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { pidExists } from '../../../orchestrator/util/process-state.js';

const NAME = /^\.shard-.+\+([A-Za-z0-9.-]*)\+(\d+)-[A-Za-z0-9]{6}$/;

/** This host's name as it appears in folder names (a shared work dir may be seen by several hosts). */
const thisHost = () => hostname().replace(/[^A-Za-z0-9.-]+/g, '-').slice(0, 40);

/** Creates a fresh scratch folder for `shard`, owned by this process. */
export function createShardDir(workDir: string, shard: string): Promise<string> {
  return mkdtemp(join(workDir, `.${shard}+${thisHost()}+${process.pid}-`));
}

/** Which of `names` are scratch folders of a process on `host` that is no longer running (pure but for `running`). */
export function selectStaleShardDirs(names: readonly string[], host: string, running: (pid: number) => boolean): string[] {
  return names.filter((name) => {
    const match = NAME.exec(name);
    return match !== null && match[1] === host && !running(Number(match[2]));
  });
}

/** Removes the scratch folders in `workDir` left by dead processes on this host; returns their names. */
export async function sweepStaleShardDirs(workDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(workDir);
  } catch {
    return [];
  }
  const stale = selectStaleShardDirs(names, thisHost(), pidExists);
  await Promise.all(stale.map((name) => rm(join(workDir, name), { recursive: true, force: true })));
  return stale;
}
