// `geoad doctor`: which renderers and tensor backends are usable on this machine, and why not.
import type { CommandModule } from 'yargs';
import { ExitCode, UsageError } from '../util/errors.js';
import { diagnoseRenderers } from '../../pipelines/synth/blender/doctor.js';
import { diagnoseBackends } from '../../pipelines/model/backend.js';

interface DoctorArgs {
  readonly json: boolean;
  readonly blender?: string;
  readonly blenderproc?: string;
}

export const doctorCommand: CommandModule<object, DoctorArgs> = {
  command: 'doctor',
  describe: 'Say which renderers (builtin, Blender, BlenderProc) and tensor backends (tensorflow, wasm, cpu) work here',
  builder: (yargs) =>
    yargs
      .strict()
      .option('json', { type: 'boolean', default: false, describe: 'Print the findings as JSON' })
      .option('blender', { type: 'string', describe: 'Blender executable to check (as `geoad synth --blender` would run it) [default: blender on PATH]' })
      .option('blenderproc', { type: 'string', describe: 'BlenderProc executable to check [default: blenderproc on PATH]' })
      .example('$0 doctor', 'List renderers and backends with the reason each one is or is not usable')
      .example('$0 doctor --blender /opt/blender-3.6/blender', 'Check a Blender that is not on PATH'),
  handler: async (argv) => {
    for (const option of ['blender', 'blenderproc'] as const) {
      if (argv[option] === '') throw new UsageError(`Expected \`--${option}\` to be a path, got an empty value`);
    }
    const [renderers, backends] = await Promise.all([
      diagnoseRenderers({ ...(argv.blender ? { blenderPath: argv.blender } : {}), ...(argv.blenderproc ? { blenderprocPath: argv.blenderproc } : {}) }),
      diagnoseBackends(),
    ]);
    if (argv.json) process.stdout.write(`${JSON.stringify({ renderers, backends }, null, 2)}\n`);
    else process.stdout.write(`Renderers\n${formatDiagnoses(renderers)}\nTensor backends\n${formatDiagnoses(backends)}`);
    // A plain `geoad doctor` only reports; a renderer the user named explicitly must work, so scripts can check it.
    const named = renderers.filter((r) => (r.name === 'blender' && argv.blender) || (r.name === 'blenderproc' && argv.blenderproc));
    if (named.some((r) => !r.usable)) process.exitCode = ExitCode.failure;
  },
};

function formatDiagnoses(items: readonly { name: string; usable: boolean; detail: string }[]): string {
  const width = Math.max(...items.map((i) => i.name.length));
  return items.map((i) => `  ${i.usable ? 'ok ' : 'no '} ${i.name.padEnd(width)}  ${i.detail}\n`).join('');
}
