// Ctrl-C for long commands: SIGINT/SIGTERM abort a signal that the work checks at its safe points (between steps,
// after a file is written), so finally blocks run — progress bars stop, the cursor comes back — and the command
// reports what is done and exits 130. A second signal gets Node's default: the process ends at once.
import { ExitCode, GeoadError } from './errors.js';

/** Work stopped at a safe point on SIGINT/SIGTERM (exit 130); the message says what is done and how to continue. */
export class InterruptedError extends GeoadError {
  constructor(message: string) {
    super(message, { exitCode: ExitCode.interrupted });
  }
}

/** Runs `work` with a signal that the first SIGINT or SIGTERM aborts; the handlers are removed when it settles. */
export async function withInterruptSignal<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** Lets pending events (a signal's handler among them) run: synchronous loops call this between steps. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
