// `geoad doctor --blender PATH --blenderproc PATH` as a process: it checks the executables it is given (fakes here,
// not on PATH) and says plainly when a given path does not exist.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  return doctorWith(process.env, ...args);
}

function doctorWith(env: NodeJS.ProcessEnv, ...args: string[]): { code: number | null; renderers: Finding[]; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', geoad, 'doctor', ...args], { encoding: 'utf8', env });
  const renderers = run.status !== null && run.status <= 1 && args.includes('--json') ? (JSON.parse(run.stdout) as { renderers: Finding[] }).renderers : [];
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

test('geoad doctor says a given path does not exist, in plain words, and exits 1', () => {
  const missing = join(dir, 'no-such-blender');
  const { code, stdout, stderr } = doctor('--blender', missing, '--blenderproc', join(dir, 'no-such-blenderproc'));
  assert.equal(code, 1, stderr);
  assert.match(stdout, /no\s+blender\s+Blender could not be run as `.*no-such-blender` \(no such file\)/);
  assert.match(stdout, /no\s+blenderproc\s+`.*no-such-blenderproc` does not exist/);
  // One unusable named renderer is enough, in JSON too (the report is still printed).
  const json = doctor('--json', '--blenderproc', wrap('proc-ok', 'fake-blenderproc.mjs'), '--blender', missing);
  assert.equal(json.code, 1, json.stderr);
  assert.deepEqual(json.renderers.map((r) => [r.name, r.usable]), [['builtin', true], ['blender', false], ['blenderproc', true]]);
});

test('a plain geoad doctor is a report: exit 0 with no Blender or BlenderProc installed', () => {
  const empty = join(dir, 'empty-path');
  mkdirSync(empty, { recursive: true });
  const env = { ...process.env, PATH: empty };
  const plain = doctorWith(env);
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /no\s+blender\s+Blender could not be run as `blender` \(not found on PATH\)/);
  // Naming a working Blender while BlenderProc (not named) is missing is fine too.
  const named = doctorWith(env, '--json', '--blender', wrap('blender-ok', 'fake-blender.mjs'));
  assert.equal(named.code, 0, named.stderr);
  assert.deepEqual(named.renderers.map((r) => [r.name, r.usable]), [['builtin', true], ['blender', true], ['blenderproc', false]]);
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
