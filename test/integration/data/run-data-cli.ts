// Test helper: `geoad data …` as a subprocess (run with `node --import tsx`), with main()'s exit-code mapping,
// so the data CLI can be tested before the lead registers it in orchestrator/cli/commands.ts.
import yargs from 'yargs';
import { dataCommand } from '../../../orchestrator/cli/data.js';
import { ExitCode, GeoadError, errorMessage } from '../../../orchestrator/util/errors.js';

let usage: string | undefined;
try {
  await yargs(process.argv.slice(2))
    .scriptName('geoad')
    .command(dataCommand)
    .strict()
    .help()
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      usage = message;
    })
    .parseAsync();
  if (usage !== undefined) {
    process.stderr.write(`geoad: ${usage}\n`);
    process.exitCode = ExitCode.usage;
  }
} catch (error) {
  process.stderr.write(`geoad: ${errorMessage(error)}\n`);
  process.exitCode = error instanceof GeoadError ? error.exitCode : ExitCode.failure;
}
