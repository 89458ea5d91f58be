// The error of a failed shard attempt: what ran, on which samples, how it ended, and the end of its log.
import { GeoadError } from '../../../orchestrator/util/errors.js';

/** Everything known about a failed shard attempt. */
export interface ShardFailure {
  readonly shard: string;
  /** Samples of the attempt that did not finish. */
  readonly keys: readonly string[];
  /** Samples that finished (onRendered was called) before the failure. */
  readonly finishedKeys: readonly string[];
  readonly command: string;
  readonly exitCode?: number;
  readonly signal?: string;
  readonly timedOut: boolean;
  readonly durationMs: number;
  readonly logFile: string;
  readonly logTail: string;
  /** The plain-words reason: "exited with code 1", "timed out after 5 s", "output … is short". */
  readonly reason: string;
  readonly cause?: unknown;
}

/** A shard attempt that failed; the first line says which shard, on which samples, and why. */
export class BlenderShardError extends GeoadError {
  readonly shard: string;
  readonly keys: readonly string[];
  readonly finishedKeys: readonly string[];
  readonly command: string;
  /** The renderer process's exit code (`exitCode` is the CLI's, inherited from GeoadError). */
  readonly processExitCode?: number;
  readonly signal?: string;
  readonly timedOut: boolean;
  readonly durationMs: number;
  readonly logFile: string;
  readonly logTail: string;

  constructor(failure: ShardFailure) {
    const keys = failure.keys.length <= 4 ? failure.keys.join(', ') : `${failure.keys.slice(0, 4).join(', ')} and ${failure.keys.length - 4} more`;
    const tail = failure.logTail.trim().length > 0 ? failure.logTail.trimEnd().replace(/^/gm, '  | ') : '  | (no output)';
    super(
      `Shard ${failure.shard} failed (${failure.reason}) after ${(failure.durationMs / 1000).toFixed(1)} s; unfinished samples: ${keys}\n` +
        `  command: ${failure.command}\n  log: ${failure.logFile}\n  end of log:\n${tail}`,
      { cause: failure.cause },
    );
    this.shard = failure.shard;
    this.keys = failure.keys;
    this.finishedKeys = failure.finishedKeys;
    this.command = failure.command;
    this.processExitCode = failure.exitCode;
    this.signal = failure.signal;
    this.timedOut = failure.timedOut;
    this.durationMs = failure.durationMs;
    this.logFile = failure.logFile;
    this.logTail = failure.logTail;
  }
}
