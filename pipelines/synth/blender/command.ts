// The command line of one shard, as an argument array (never a shell string).

/** Program and arguments handed to execa. */
export interface RenderCommand {
  readonly file: string;
  readonly args: readonly string[];
}

// `blender -b --factory-startup --python-exit-code 1 -P script -- --job job.json`, or for BlenderProc
// `blenderproc run [--custom-blender-path BLENDER] script -- --job job.json` (its own options must precede the script).
export function buildRenderCommand(spec: {
  readonly renderer: 'blender' | 'blenderproc';
  readonly blenderPath?: string;
  readonly blenderprocPath?: string;
  readonly scriptPath: string;
  readonly jobPath: string;
}): RenderCommand {
  if (spec.renderer === 'blender') {
    return {
      file: spec.blenderPath ?? 'blender',
      args: ['-b', '--factory-startup', '--python-exit-code', '1', '-P', spec.scriptPath, '--', '--job', spec.jobPath],
    };
  }
  const custom = spec.blenderPath === undefined ? [] : ['--custom-blender-path', spec.blenderPath];
  return { file: spec.blenderprocPath ?? 'blenderproc', args: ['run', ...custom, spec.scriptPath, '--', '--job', spec.jobPath] };
}

// Quotes a command for logs and error messages (readable, not for execution).
export function formatCommand(command: RenderCommand): string {
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return [command.file, ...command.args].map(quote).join(' ');
}
