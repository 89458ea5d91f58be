// Shared by the matrix integration tests: a tiny matrix config, the fake stage command, and result comparison.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const FAKE_STAGE = join(REPO, 'test', 'fixtures', 'fake-stage.mjs');
export const STAGE_COMMAND = [process.execPath, FAKE_STAGE];

/** A 2 categories × 2 variants × 1 seed matrix on a synthetic set: 20 jobs. */
export function writeTinyConfig(dir: string, extra = ''): string {
  const path = join(dir, 'tiny.yaml');
  writeFileSync(
    path,
    `name: tiny
datasets:
  - kind: synthetic
    name: syn
    synth: { train: 2, validation: 1, test: 14, resolution: 64, seed: 1 }
categories: [bagel, cookie]
variants: [full, no-mfe]
seeds: [0]
train: { epochs: 2, batchSize: 2, backend: cpu }
limits: { retries: 1, retryDelaySeconds: 0.05 }
${extra}`,
  );
  return path;
}

/** Runs `geoad ARGS` on the TypeScript sources (no build needed), capturing its output. */
export function geoadFromSource(args: readonly string[], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'test', 'fixtures', 'geoad.ts'), ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, GEOAD_PROGRESS: 'plain', ...env } });
}

export function makeTempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `geoad-matrix-${name}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The run's cell results with run-specific parts (the run path, durations) taken out, by file name. */
export function readComparableResults(run: string): Record<string, unknown> {
  const dir = join(run, 'results');
  const out: Record<string, unknown> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const value = JSON.parse(readFileSync(join(dir, file), 'utf8').replaceAll(run, 'RUN')) as Record<string, unknown>;
    delete value.durations;
    out[file] = value;
  }
  return out;
}

export { isAlive } from '../../helpers/process-alive.js';

/** From a fake-stage trace file: pids and job ids of the starts (in order), and the jobs that reached their end line. */
export function readTrace(path: string): { pids: number[]; started: string[]; ended: string[] } {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { pids: [], started: [], ended: [] };
  }
  // A line still being appended may be read in part: only complete `start|end PID JOB` lines count.
  const lines = text.split('\n').map((l) => l.split(' ')).filter((l) => l.length === 3 && l[2] !== '');
  const starts = lines.filter((l) => l[0] === 'start');
  return { pids: starts.map((l) => Number(l[1])), started: starts.map((l) => l[2]), ended: lines.filter((l) => l[0] === 'end').map((l) => l[2]) };
}
