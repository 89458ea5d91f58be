// Progress for long work: a bar with count, rate and ETA on a TTY, plain periodic log lines otherwise.
import cliProgress from 'cli-progress';
import { expectOneOf } from './validate.js';

export interface Progress {
  /** Advances by `n` finished items. */
  tick(n?: number): void;
  /** Stops the bar (or prints the final plain line). */
  stop(): void;
}

export interface ProgressOptions {
  readonly label: string;
  readonly total: number;
  /** Items already done before this run (resume): counted in the bar, not in the rate. */
  readonly initial?: number;
  /** Stream to write to. @default process.stderr */
  readonly stream?: NodeJS.WriteStream;
  /** Seconds between plain lines when the stream is not a TTY. @default 10 */
  readonly logEverySeconds?: number;
  /** Forces plain lines (also when GEOAD_PROGRESS=plain). */
  readonly plain?: boolean;
}

/** Formats seconds as `1h02m`, `3m05s` or `12s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Starts a progress display for `total` items. */
export function startProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const initial = options.initial ?? 0;
  const plain = options.plain || process.env.GEOAD_PROGRESS === 'plain' || !stream.isTTY;
  const started = Date.now();
  let done = initial;
  const rateAndEta = () => {
    const elapsed = (Date.now() - started) / 1000;
    const rate = elapsed > 0 ? (done - initial) / elapsed : 0;
    const eta = rate > 0 ? (options.total - done) / rate : Number.NaN;
    return { rate, eta, elapsed };
  };
  if (plain) {
    const every = (options.logEverySeconds ?? 10) * 1000;
    let lastLog = 0;
    const log = (final: boolean) => {
      const { rate, eta, elapsed } = rateAndEta();
      const tail = final ? `in ${formatDuration(elapsed)}` : `ETA ${formatDuration(eta)}`;
      stream.write(`${options.label}: ${done}/${options.total} (${rate.toFixed(1)}/s, ${tail})\n`);
    };
    return {
      tick(n = 1) {
        done += n;
        const now = Date.now();
        if (now - lastLog >= every) {
          lastLog = now;
          log(false);
        }
      },
      stop() {
        log(true);
      },
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${options.label} [{bar}] {value}/{total} | {rate}/s | ETA {etaText}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(options.total, initial, { rate: '0.0', etaText: '?' });
  return {
    tick(n = 1) {
      done += n;
      const { rate, eta } = rateAndEta();
      bar.update(done, { rate: rate.toFixed(1), etaText: formatDuration(eta) });
    },
    stop() {
      bar.stop();
    },
  };
}

/** `--progress` values, the convention of every command. */
export const PROGRESS_MODES = ['auto', 'plain', 'off'] as const;

/** `auto`: a bar on a TTY, plain lines otherwise; `plain`: lines only; `off`: nothing. */
export type ProgressMode = (typeof PROGRESS_MODES)[number];

/**
 * The mode of an option value. Also accepted, so that older scripts and configs keep working: booleans
 * (`--no-progress`, `progress: false` in code) and `none`, train/infer's earlier name for `off`.
 */
export function normalizeProgressMode(value: ProgressMode | 'none' | boolean | undefined, option = '--progress'): ProgressMode {
  if (value === undefined || value === true) return 'auto';
  if (value === false || value === 'none') return 'off';
  return expectOneOf(option, value, PROGRESS_MODES);
}

/** Starts a progress display in `mode` (undefined when off). */
export function startProgressIn(mode: ProgressMode, options: Omit<ProgressOptions, 'plain'>): Progress | undefined {
  return mode === 'off' ? undefined : startProgress({ ...options, plain: mode === 'plain' });
}

/** A display that shows nothing, for code that always ticks. */
export const silentProgress: Progress = { tick() {}, stop() {} };

/** The yargs declaration of `--progress` every command uses (`--no-progress` and `none` mean off). */
export const progressOption = {
  type: 'string',
  choices: PROGRESS_MODES,
  default: 'auto',
  // Only the aliases are mapped here; yargs' `choices` check then names the allowed values.
  coerce: (value: string | boolean): ProgressMode => (value === false || value === 'none' ? 'off' : value === true ? 'auto' : value) as ProgressMode,
  describe: 'Progress on stderr: auto (a bar on a terminal, lines otherwise), plain (lines) or off',
} as const;
