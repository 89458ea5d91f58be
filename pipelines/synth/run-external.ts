// Renders pending samples with Blender or BlenderProc through the Blender backend's renderWithExternal(): this
// driver builds the very same RenderScenes the built-in renderer would, in batches (bounded memory), and writes
// each returned sample atomically. Failed shards leave their samples pending for the next run.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { GeoadError } from '../../orchestrator/util/errors.js';
import type { ExternalRenderSummary, ExternalRenderTask } from './blender/types.js';
import { buildRenderScene } from './build-mesh.js';
import { writeSampleOutput, type SampleResult } from './encode-sample.js';
import type { NormalizedSynthOptions } from './options.js';
import type { WorkerTask } from './run-builtin.js';

/** Loads the Blender backend only when it is used (the built-in path never pays for it). */
async function loadBackend() {
  const backend = await import('./blender/index.js');
  return backend.renderWithExternal;
}

/** Renders `tasks` externally; calls `onDone` per written sample; throws after all batches if any shard failed. */
export async function runExternal(tasks: readonly WorkerTask[], options: NormalizedSynthOptions, log: (line: string) => void, onDone: (result: SampleResult) => void): Promise<void> {
  if (tasks.length === 0) return;
  if (options.renderer === 'builtin') throw new RangeError('runExternal() needs an external renderer');
  const renderWithExternal = await loadBackend();
  // Shard scratch folders (removed by the backend) and shard logs (kept, for failures) live in ROOT/.work.
  const workDir = join(options.out, '.work');
  mkdirSync(workDir, { recursive: true });
  const byKey = new Map(tasks.map((t) => [t.params.key, t]));
  const batch = options.blenderJobs * options.shardSize * 2;
  const failed: ExternalRenderSummary['failedShards'][number][] = [];
  for (let start = 0; start < tasks.length && !options.signal?.aborted; start += batch) {
    const slice = tasks.slice(start, start + batch);
    const external: ExternalRenderTask[] = slice.map((t) => ({ key: t.params.key, seed: t.params.seed, scene: buildRenderScene(t.params, { resolution: options.resolution }) }));
    const summary = await renderWithExternal(
      external,
      {
        renderer: options.renderer,
        ...(options.blender === undefined ? {} : { blenderPath: options.blender }),
        jobs: options.blenderJobs,
        samples: options.samples,
        device: options.device,
        shardSize: options.shardSize,
        workDir,
        timeoutMs: Math.round(options.blenderTimeout * 1000),
        retries: 1,
        ...(options.signal ? { signal: options.signal } : {}),
        log,
      },
      async (key, output) => {
        const task = byKey.get(key);
        if (!task) throw new GeoadError(`The Blender backend returned an unknown sample ${key}`);
        onDone(await writeSampleOutput(options.out, key, output, task.files, options.resolution));
      },
    );
    failed.push(...summary.failedShards);
  }
  if (failed.length > 0) {
    const keys = failed.reduce((n, s) => n + s.keys.length, 0);
    throw new GeoadError(
      `${keys} sample(s) in ${failed.length} Blender shard(s) failed (first: ${failed[0].message}); ` +
        're-run the same command to render them',
    );
  }
}
