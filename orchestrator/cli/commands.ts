// Every top-level command, in the order `geoad --help` lists them.
import type { CommandModule } from 'yargs';
import { dataCommand } from './data.js';
import { doctorCommand } from './doctor.js';
import { evalCommand } from './eval.js';
import { inferCommand } from './infer.js';
import { matrixCommand } from './matrix.js';
import { reportCommand } from './report.js';
import { synthCommand } from './synth.js';
import { trainCommand } from './train.js';

// Each module keeps its own argv type; the list only needs them as command modules.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: readonly CommandModule<any, any>[] = [
  synthCommand,
  dataCommand,
  trainCommand,
  inferCommand,
  evalCommand,
  matrixCommand,
  reportCommand,
  doctorCommand,
];
