// `geoad doctor`: which renderers and tensor backends are usable on this machine, and why not.
import type { CommandModule } from 'yargs';
import { diagnoseRenderers } from '../../pipelines/synth/blender/doctor.js';
import { diagnoseBackends } from '../../pipelines/model/backend.js';

interface DoctorArgs {
  readonly json: boolean;
}

export const doctorCommand: CommandModule<object, DoctorArgs> = {
  command: 'doctor',
  describe: 'Say which renderers (builtin, Blender, BlenderProc) and tensor backends (tensorflow, wasm, cpu) work here',
  builder: (yargs) =>
    yargs
      .option('json', { type: 'boolean', default: false, describe: 'Print the findings as JSON' })
      .example('$0 doctor', 'List renderers and backends with the reason each one is or is not usable'),
  handler: async (argv) => {
    const [renderers, backends] = await Promise.all([diagnoseRenderers(), diagnoseBackends()]);
    if (argv.json) {
      process.stdout.write(`${JSON.stringify({ renderers, backends }, null, 2)}\n`);
      return;
    }
    process.stdout.write(`Renderers\n${formatDiagnoses(renderers)}\nTensor backends\n${formatDiagnoses(backends)}`);
  },
};

function formatDiagnoses(items: readonly { name: string; usable: boolean; detail: string }[]): string {
  const width = Math.max(...items.map((i) => i.name.length));
  return items.map((i) => `  ${i.usable ? 'ok ' : 'no '} ${i.name.padEnd(width)}  ${i.detail}\n`).join('');
}
