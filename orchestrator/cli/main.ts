// The `geoad` CLI: yargs over one module per command; maps thrown errors to exit codes.
import yargs, { type CommandModule, type MiddlewareFunction } from 'yargs';
import { ExitCode, GeoadError, UsageError, errorMessage } from '../util/errors.js';
import { commands } from './commands.js';

interface DeclaredOptions {
  readonly string: readonly string[];
  readonly number: readonly string[];
  readonly array: readonly string[];
}

/**
 * yargs turns `--workers` given without a value into "not given", so a command would silently run with its default
 * (a whole default-sized dataset for `synth --workers`). A string or number flag named on the command line must
 * carry a value.
 */
function requireFlagValues(argv: readonly string[], args: Record<string, unknown>, options: DeclaredOptions): void {
  for (const key of [...options.string, ...options.number]) {
    if (key.length < 2 || options.array.includes(key)) continue;
    const named = argv.some((token) => token === `--${key}` || token.startsWith(`--${key}=`));
    const value = args[key];
    if (named && (value === undefined || value === '' || (typeof value === 'number' && Number.isNaN(value)))) {
      throw new UsageError(`Expected a value after \`--${key}\`\nRun with --help for usage.`);
    }
  }
}

/** Runs the CLI on `argv` (without node and script) and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const parser = yargs([...argv])
    .scriptName('geoad')
    .usage('$0 <command> [options]\n\nSynthetic data, MVTec 3D-AD, GeoAD training, evaluation, ablation matrix and reports.')
    .strict()
    .demandCommand(1, 'Name a command; `geoad --help` lists them.')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns || 110))
    .exitProcess(false)
    // Throwing (not returning) stops yargs before any handler runs: an unknown flag must not start the work.
    // yargs reports some parse problems (e.g. a flag without its value) as a YError: those are usage errors too.
    .fail((message, error) => {
      if (error === undefined || error === null || error.name === 'YError') throw new UsageError(`${message ?? error?.message}\nRun with --help for usage.`);
      throw error;
    });
  // yargs passes the running command's instance as a second argument, which its typings leave out.
  const checkValues = (args: Record<string, unknown>, y: { getOptions(): DeclaredOptions }) => requireFlagValues(argv, args, y.getOptions());
  parser.middleware(checkValues as unknown as MiddlewareFunction, true);
  for (const command of commands) parser.command(command as CommandModule);
  try {
    await parser.parseAsync();
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (error) {
    if (error instanceof GeoadError) {
      process.stderr.write(`geoad: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`geoad: ${error instanceof Error && process.env.GEOAD_DEBUG ? error.stack : errorMessage(error)}\n`);
    return ExitCode.failure;
  }
}
