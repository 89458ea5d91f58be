// Tests that compare against a peer outside Node (Debian's python3 with numpy/scipy/tifffile, Blender, …): they skip
// with a message naming what is missing, or fail when GEOAD_REQUIRE_PEERS=1 (CI), so a reference check cannot
// silently stop running.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The Python the reference checks use (tests and benchmarks only, never at run time). */
export const PYTHON = '/usr/bin/python3';

/**
 * The `skip` option for a test that needs `name`: false when it is available; otherwise the skip message
 * ("missing <name>: <detail>"), or, with GEOAD_REQUIRE_PEERS=1, an Error thrown so that the test file fails.
 */
export function peerOrSkip(name: string, available: boolean, detail = 'not found'): false | string {
  if (available) return false;
  const message = `missing ${name}: ${detail}`;
  if (process.env.GEOAD_REQUIRE_PEERS === '1') throw new Error(`${message} (GEOAD_REQUIRE_PEERS=1 requires it)`);
  return message;
}

/** The modules of `modules` that `PYTHON` cannot import, or `[PYTHON]` when there is no such interpreter. */
export function missingPythonModules(modules: readonly string[]): string[] {
  if (!existsSync(PYTHON)) return [PYTHON];
  const script = 'import importlib.util, sys\nprint(" ".join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))';
  const run = spawnSync(PYTHON, ['-c', script, ...modules], { encoding: 'utf8' });
  if (run.status !== 0) return [`${PYTHON} (exit ${run.status}: ${run.stderr.trim()})`];
  return run.stdout.split(/\s+/).filter(Boolean);
}

/** `peerOrSkip` for Python modules: skips (or fails) naming the modules that are missing. */
export function pythonOrSkip(modules: readonly string[]): false | string {
  const missing = missingPythonModules(modules);
  return peerOrSkip(`${PYTHON} modules ${modules.join(', ')}`, missing.length === 0, `cannot import ${missing.join(', ')}`);
}
