// Runs one attempt of one shard: writes meshes, job file and script into a temp folder, starts Blender through execa,
// keeps its output in the shard's log, hands each sample to onRendered as soon as the script reports it done, and
// turns any failure (exit code, signal, timeout, missing or short output) into a BlenderShardError.
import { createWriteStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { errorMessage } from '../../../orchestrator/util/errors.js';
import { withParentDeathSignal } from '../../../orchestrator/util/parent-death.js';
import type { RenderOutput } from '../types.js';
import { buildRenderCommand, formatCommand } from './command.js';
import { buildShardJob, samplePathsFor, type SamplePaths } from './job-file.js';
import { packMesh } from './mesh-file.js';
import { parseBlenderLine } from './parse-line.js';
import { readSampleOutput } from './read-output.js';
import { createShardDir } from './scratch-dir.js';
import { BlenderShardError } from './shard-error.js';
import type { ExternalRenderOptions, ExternalRenderTask } from './types.js';

/** Lines of log kept for error messages. */
const LOG_TAIL_LINES = 25;
/** Grace period between SIGTERM and SIGKILL. */
const FORCE_KILL_AFTER_MS = 3000;

/** Thrown when onRendered itself fails: not a renderer fault, so never retried. */
export class RenderCallbackError extends Error {}

/** One attempt at one shard: its samples, the generated script, where to log, and the callback. */
export interface ShardAttempt {
  readonly shard: string;
  readonly attempt: number;
  readonly tasks: readonly ExternalRenderTask[];
  readonly script: string;
  readonly logFile: string;
  readonly options: ExternalRenderOptions;
  readonly onRendered: (key: string, output: RenderOutput) => Promise<void>;
}

async function prepareShardDir(dir: string, attempt: ShardAttempt, rgbFormat: 'png' | 'raw'): Promise<{ jobPath: string; scriptPath: string; paths: SamplePaths[] }> {
  await mkdir(join(dir, 'meshes'), { recursive: true });
  await mkdir(join(dir, 'out'), { recursive: true });
  const paths = attempt.tasks.map((_, i) => samplePathsFor(dir, i, rgbFormat));
  const layouts = [];
  for (let i = 0; i < attempt.tasks.length; i++) {
    const { layout, bytes } = packMesh(attempt.tasks[i].scene.mesh);
    await writeFile(paths[i].mesh, bytes);
    layouts.push(layout);
  }
  const { samples, device, jobs } = attempt.options;
  const threads = Math.max(1, Math.floor(availableParallelism() / jobs));
  const job = buildShardJob(attempt.shard, attempt.tasks, layouts, paths, { samples, device, threads, rgbFormat });
  const jobPath = join(dir, 'job.json');
  const scriptPath = join(dir, 'render.py');
  await writeFile(jobPath, `${JSON.stringify(job, null, 1)}\n`);
  await writeFile(scriptPath, attempt.script);
  return { jobPath, scriptPath, paths };
}

// Runs the attempt; resolves when every sample was rendered, else rejects with BlenderShardError (or RenderCallbackError).
export async function runShardAttempt(attempt: ShardAttempt): Promise<void> {
  const { options, tasks, shard } = attempt;
  const rgbFormat = options.renderer === 'blender' ? 'png' : 'raw';
  await mkdir(options.workDir, { recursive: true });
  const dir = await createShardDir(options.workDir, shard);
  const log = createWriteStream(attempt.logFile, { flags: 'a' });
  const tail: string[] = [];
  const finished: string[] = [];
  const started = Date.now();
  const stop = new AbortController();
  const abort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', abort, { once: true });
  let outputProblem: unknown;
  let commandText = '';
  try {
    const { jobPath, scriptPath, paths } = await prepareShardDir(dir, attempt, rgbFormat);
    const command = buildRenderCommand({ renderer: options.renderer, blenderPath: options.blenderPath, scriptPath, jobPath });
    commandText = formatCommand(command);
    log.write(`# ${new Date().toISOString()} attempt ${attempt.attempt + 1}, ${tasks.length} sample(s): ${commandText}\n`);
    // Blender gets SIGKILL if geoad dies (even by kill -9), so no orphan keeps rendering into a scratch folder.
    const [file, ...args] = withParentDeathSignal([command.file, ...command.args], 'SIGKILL');
    const child = execa(file, args, {
      all: true,
      buffer: false,
      stdin: 'ignore',
      reject: false,
      timeout: options.timeoutMs,
      cancelSignal: stop.signal,
      forceKillAfterDelay: FORCE_KILL_AFTER_MS,
      cleanup: true,
      env: { PYTHONUNBUFFERED: '1' },
    });
    let chain = Promise.resolve();
    const onDone = (index: number, key: string, timing: string) => {
      chain = chain.then(async () => {
        if (outputProblem !== undefined) return;
        const task = tasks[index];
        if (!task || task.key !== key) throw new Error(`the script reported sample ${index} as ${JSON.stringify(key)}, which this shard did not hold there`);
        const output = await readSampleOutput(paths[index], task.scene.camera, rgbFormat);
        try {
          await attempt.onRendered(key, output);
        } catch (error) {
          throw new RenderCallbackError(`Handling the rendered sample ${key} failed: ${errorMessage(error)}`, { cause: error });
        }
        finished.push(key);
        options.log(`[${shard}] rendered ${key} (${finished.length}/${tasks.length}${timing})`);
      }).catch((error: unknown) => {
        outputProblem ??= error;
        stop.abort(error);
      });
    };
    if (child.all) {
      for await (const line of createInterface({ input: child.all, crlfDelay: Infinity })) {
        log.write(`${line}\n`);
        tail.push(line);
        if (tail.length > LOG_TAIL_LINES) tail.shift();
        const parsed = parseBlenderLine(line);
        if (parsed?.kind === 'done') {
          const timing = parsed.rgbSeconds === undefined ? '' : `; RGB ${parsed.rgbSeconds.toFixed(2)} s, XYZ+mask ${parsed.xyzSeconds?.toFixed(2)} s`;
          onDone(parsed.index, parsed.key, timing);
        }
        else if (parsed?.kind === 'begin') options.log(`[${shard}] rendering ${parsed.key} (${parsed.index + 1}/${parsed.total})`);
      }
    }
    const result = await child;
    await chain;
    if (outputProblem instanceof RenderCallbackError) throw outputProblem;
    const missing = tasks.filter((t) => !finished.includes(t.key)).map((t) => t.key);
    if (!result.failed && missing.length === 0 && outputProblem === undefined) return;
    const reason =
      outputProblem !== undefined ? `bad output: ${errorMessage(outputProblem)}`
      : result.timedOut ? `timed out after ${(options.timeoutMs / 1000).toFixed(1)} s`
      : result.code === 'ENOENT' ? `cannot start \`${command.file}\`: not found (install Blender or pass \`--blender PATH\`)`
      : result.isCanceled ? 'cancelled'
      : result.signal ? `killed by ${result.signal}`
      : result.exitCode !== undefined && result.exitCode !== 0 ? `exited with code ${result.exitCode}`
      : result.failed ? errorMessage(result)
      : `exited with code 0 but did not finish ${missing.length} sample(s)`;
    throw new BlenderShardError({
      shard, keys: missing, finishedKeys: [...finished], command: commandText, exitCode: result.exitCode, signal: result.signal,
      timedOut: result.timedOut, durationMs: Date.now() - started, logFile: attempt.logFile, logTail: tail.join('\n'), reason,
      cause: outputProblem ?? (result.failed ? result : undefined),
    });
  } catch (error) {
    if (error instanceof BlenderShardError || error instanceof RenderCallbackError) throw error;
    throw new BlenderShardError({
      shard, keys: tasks.filter((t) => !finished.includes(t.key)).map((t) => t.key), finishedKeys: [...finished],
      command: commandText || '(not started)', timedOut: false, durationMs: Date.now() - started, logFile: attempt.logFile,
      logTail: tail.join('\n'), reason: errorMessage(error), cause: error,
    });
  } finally {
    options.signal?.removeEventListener('abort', abort);
    await new Promise<void>((resolve) => log.end(resolve));
    await rm(dir, { recursive: true, force: true });
  }
}
