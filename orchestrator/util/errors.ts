// Typed errors whose first line says what failed, where and why; the CLI maps them to exit codes.

/** Exit codes that scripts can rely on. */
export const ExitCode = {
  ok: 0,
  /** Something failed while running (bad data, a crashed subprocess, a failed job). */
  failure: 1,
  /** The command line, a config file or an option value is invalid; nothing was done. */
  usage: 2,
  /** Interrupted by SIGINT/SIGTERM; work in progress is left to be resumed. */
  interrupted: 130,
} as const;

/** Base class: carries the exit code the CLI should use. */
export class GeoadError extends Error {
  readonly exitCode: number;
  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? ExitCode.failure;
  }
}

/** An invalid option, flag combination or config value (exit 2). The message names the option or field. */
export class UsageError extends GeoadError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, exitCode: ExitCode.usage });
  }
}

/** A file that cannot be read or does not hold what it should (exit 1). The message names the file. */
export class DataError extends GeoadError {
  readonly file: string;
  constructor(file: string, problem: string, options: { cause?: unknown } = {}) {
    super(`${file}: ${problem}`, { ...options, exitCode: ExitCode.failure });
    this.file = file;
  }
}

/** The message of any thrown value, for logs. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
