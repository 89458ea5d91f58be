// Shared by the matrix integration tests: a tiny matrix config, the fake stage command, and result comparison.
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
    synth: { train: 2, validation: 1, test: 2, resolution: 64, seed: 1 }
categories: [bagel, cookie]
variants: [full, no-mfe]
seeds: [0]
train: { epochs: 2, batchSize: 2, backend: cpu }
limits: { retries: 1, retryDelaySeconds: 0.05 }
${extra}`,
  );
  return path;
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

/** True when a process with this pid exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Pids from a fake-stage trace file that started, and the jobs that reached their end line. */
export function readTrace(path: string): { pids: number[]; ended: string[] } {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { pids: [], ended: [] };
  }
  const lines = text.split('\n').filter(Boolean).map((l) => l.split(' '));
  return { pids: lines.filter((l) => l[0] === 'start').map((l) => Number(l[1])), ended: lines.filter((l) => l[0] === 'end').map((l) => l[2]) };
}
