// The `geoad` CLI: yargs over one module per command; maps thrown errors to exit codes.
import yargs, { type CommandModule } from 'yargs';
import { ExitCode, GeoadError, UsageError, errorMessage } from '../util/errors.js';
import { commands } from './commands.js';

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
    .fail((message, error) => {
      throw error ?? new UsageError(`${message}\nRun with --help for usage.`);
    });
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
