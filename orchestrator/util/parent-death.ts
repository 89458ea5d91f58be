// Children that must not outlive their parent: on Linux, `setpriv --pdeathsig` makes the kernel signal the child
// when the process that started it dies, even by SIGKILL (where no cleanup handler of ours can run). setpriv then
// execs the command, so its pid, exit code and signals are the command's own.
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const SETPRIV = '/usr/bin/setpriv';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// A command that cannot be found is left unwrapped, so that spawning it fails with ENOENT (which callers turn into
// "cannot start X: not found") rather than with setpriv's exit code 127.
function canExecute(file: string): boolean {
  if (file.includes('/')) return isExecutable(file);
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && isExecutable(join(dir, file)));
}

/** `command` (file first) prefixed so that it gets `signal` when its parent dies; unchanged where setpriv is missing. */
export function withParentDeathSignal(command: readonly string[], signal: NodeJS.Signals = 'SIGTERM'): string[] {
  return existsSync(SETPRIV) && command.length > 0 && canExecute(command[0]) ? [SETPRIV, '--pdeathsig', signal, '--', ...command] : [...command];
}
