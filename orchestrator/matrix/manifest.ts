// RUN/run.json (RunManifest): the resolved config, the cells and the environment, written when a run starts
// (keeping the first start time on resume), again when dataset sizes become known and with `finishedAt` when
// nothing is left to run (run-matrix.ts does the rewriting).
import { existsSync, readFileSync } from 'node:fs';
import { cpus, hostname, totalmem } from 'node:os';
import { join } from 'node:path';
import { writeJsonAtomic } from '../util/atomic-write.js';
import type { MatrixConfig } from './config-schema.js';
import type { MatrixPlan } from './expand.js';
import { RUN_MANIFEST_VERSION, runPaths, type RunManifest } from './run-layout.js';

// The checked-out commit, read from .git without running git (null outside a clone).
function readGitCommit(repo: string): string | null {
  try {
    const head = readFileSync(join(repo, '.git', 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return /^[0-9a-f]{40}$/.test(head) ? head : null;
    const ref = head.slice(5);
    const loose = join(repo, '.git', ref);
    if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
    const packed = readFileSync(join(repo, '.git', 'packed-refs'), 'utf8');
    return packed.split('\n').find((l) => l.endsWith(` ${ref}`))?.split(' ')[0] ?? null;
  } catch {
    return null;
  }
}

function readVersion(repo: string): string {
  try {
    return String((JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

/** Builds the manifest of `plan` (pure apart from reading the environment). */
export function buildManifest(config: MatrixConfig, plan: MatrixPlan, executor: 'local' | 'slurm', repo: string, startedAt: string): RunManifest {
  const cpuList = cpus();
  return {
    schema: 'geoad-run',
    version: RUN_MANIFEST_VERSION,
    name: config.name,
    config,
    cells: plan.cells,
    datasets: plan.datasets,
    environment: {
      gitCommit: readGitCommit(repo),
      geoadVersion: readVersion(repo),
      node: process.version,
      hostname: hostname(),
      cpus: cpuList[0]?.model ?? 'unknown',
      cpuCount: cpuList.length,
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      executor,
    },
    startedAt,
    finishedAt: null,
  };
}

/** The start time of an earlier run in `run`, if any (resume keeps it). */
export function readStartedAt(run: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(runPaths(run).manifest, 'utf8')) as Partial<RunManifest>;
    return typeof manifest.startedAt === 'string' ? manifest.startedAt : undefined;
  } catch {
    return undefined;
  }
}

/** The cell ids of the plan in RUN/run.json, if there is one (to tell which cells a changed config superseded). */
export function readPlannedCellIds(run: string): string[] | undefined {
  try {
    const manifest = JSON.parse(readFileSync(runPaths(run).manifest, 'utf8')) as Partial<RunManifest>;
    return Array.isArray(manifest.cells) ? manifest.cells.map((c) => c.id) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes RUN/run.json atomically. */
export function writeManifest(run: string, manifest: RunManifest): Promise<void> {
  return writeJsonAtomic(runPaths(run).manifest, manifest);
}
