// `geoad doctor --blender PATH --blenderproc PATH` as a process: it checks the executables it is given (fakes here,
// not on PATH) and says plainly when a given path does not exist.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'geoad-doctor-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const geoad = join(fixtures, 'geoad.ts');

/** An executable at `name` (not on PATH) that runs a fixture. */
function wrap(name: string, fixture: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\nexec "${process.execPath}" "${join(fixtures, fixture)}" "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

interface Finding {
  readonly name: string;
  readonly usable: boolean;
  readonly detail: string;
  readonly version?: string;
}

function doctor(...args: string[]): { code: number | null; renderers: Finding[]; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', geoad, 'doctor', ...args], { encoding: 'utf8' });
  const renderers = run.status === 0 && args.includes('--json') ? (JSON.parse(run.stdout) as { renderers: Finding[] }).renderers : [];
  return { code: run.status, renderers, stdout: run.stdout, stderr: run.stderr };
}

test('geoad doctor checks the Blender and BlenderProc it is given', () => {
  const blender = wrap('my-blender', 'fake-blender.mjs');
  const blenderproc = wrap('my-blenderproc', 'fake-blenderproc.mjs');
  const { code, renderers, stderr } = doctor('--json', '--blender', blender, '--blenderproc', blenderproc);
  assert.equal(code, 0, stderr);
  const [builtin, found, proc] = renderers;
  assert.deepEqual([builtin.name, builtin.usable], ['builtin', true]);
  assert.deepEqual([found.name, found.usable, found.version], ['blender', true, '3.4.1']);
  assert.ok(found.detail.includes(`at \`${blender}\``) && /numpy 1\.24\.2/.test(found.detail), found.detail);
  assert.deepEqual([proc.name, proc.usable, proc.version], ['blenderproc', true, '2.8.0']);
  assert.ok(proc.detail.includes(`at \`${blenderproc}\``), proc.detail);
});

test('geoad doctor says a given path does not exist, in plain words', () => {
  const missing = join(dir, 'no-such-blender');
  const { code, stdout, stderr } = doctor('--blender', missing, '--blenderproc', join(dir, 'no-such-blenderproc'));
  assert.equal(code, 0, stderr);
  assert.match(stdout, /no\s+blender\s+Blender could not be run as `.*no-such-blender` \(no such file\)/);
  assert.match(stdout, /no\s+blenderproc\s+`.*no-such-blenderproc` does not exist/);
});

test('geoad doctor --help lists --blender and --blenderproc; a missing value is a usage error', () => {
  const help = spawnSync(process.execPath, ['--import', 'tsx', geoad, 'doctor', '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--blender\b/);
  assert.match(help.stdout, /--blenderproc\b/);
  const bad = spawnSync(process.execPath, ['--import', 'tsx', geoad, 'doctor', '--blender'], { encoding: 'utf8' });
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /blender/);
});
