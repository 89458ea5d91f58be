// `geoad doctor` checks for the renderers: is Blender there, which version, does its Python have numpy, is
// BlenderProc on PATH — each answered in plain words.
import { execa } from 'execa';
import type { RendererDiagnosis } from './types.js';

/** Where to look; defaults are the names on PATH. */
export interface DiagnoseRenderersOptions {
  readonly blenderPath?: string;
  readonly blenderprocPath?: string;
  /** @default 60000 (Blender's first start can be slow) */
  readonly timeoutMs?: number;
}

const PROBE = "import sys\ntry:\n import numpy\n print('GEOAD_NUMPY ' + numpy.__version__)\nexcept Exception as e:\n print('GEOAD_NO_NUMPY ' + repr(e))\nprint('GEOAD_PYTHON ' + sys.version.split()[0])";

/** What a Blender probe printed, reduced to facts. */
export interface BlenderProbe {
  readonly version?: string;
  readonly numpy?: string;
  readonly numpyProblem?: string;
  readonly python?: string;
}

// Reads the probe's output: "Blender 3.4.1", "GEOAD_NUMPY 1.24.2", "GEOAD_NO_NUMPY …", "GEOAD_PYTHON 3.11.2".
export function parseBlenderProbe(output: string): BlenderProbe {
  const find = (re: RegExp) => re.exec(output)?.[1]?.trim();
  return {
    version: find(/^Blender (\d+\.\d+(?:\.\d+)?)/m),
    numpy: find(/^GEOAD_NUMPY (\S+)/m),
    numpyProblem: find(/^GEOAD_NO_NUMPY (.*)$/m),
    python: find(/^GEOAD_PYTHON (\S+)/m),
  };
}

// Turns a probe (or the way it failed) into the doctor's line about Blender.
export function describeBlender(path: string, probe: BlenderProbe | undefined, failure?: string): RendererDiagnosis {
  if (probe === undefined || probe.version === undefined) {
    const why = failure ?? 'it printed no version';
    return { name: 'blender', usable: false, detail: `Blender could not be run as \`${path}\` (${why}). Install it (e.g. \`apt-get install blender python3-numpy\`) or pass \`--blender PATH\`.` };
  }
  if (probe.numpy === undefined) {
    return {
      name: 'blender', usable: false, version: probe.version,
      detail: `Blender ${probe.version} runs, but its Python ${probe.python ?? ''} cannot import numpy (${probe.numpyProblem ?? 'no answer'}); install numpy for that Python (Debian: python3-numpy).`,
    };
  }
  const major = Number(probe.version.split('.')[0]);
  if (major < 3) {
    return { name: 'blender', usable: false, version: probe.version, detail: `Blender ${probe.version} is too old; the scripts need Blender 3.0 or newer (colour attributes).` };
  }
  return { name: 'blender', usable: true, version: probe.version, detail: `Blender ${probe.version} at \`${path}\`, Python ${probe.python ?? '?'} with numpy ${probe.numpy}.` };
}

async function diagnoseBlender(path: string, timeoutMs: number): Promise<RendererDiagnosis> {
  const result = await execa(path, ['-b', '--factory-startup', '--python-exit-code', '1', '--python-expr', PROBE], {
    reject: false, timeout: timeoutMs, stdin: 'ignore', all: true, forceKillAfterDelay: 2000,
  });
  const output = result.all ?? '';
  const failure =
    result.code === 'ENOENT' ? (path.includes('/') ? 'no such file' : 'not found on PATH')
    : result.timedOut ? `no answer within ${timeoutMs / 1000} s`
    : result.failed ? `exit code ${result.exitCode ?? result.signal}: ${output.trim().split('\n').slice(-2).join(' ')}`
    : undefined;
  return describeBlender(path, parseBlenderProbe(output), failure);
}

async function diagnoseBlenderproc(path: string, blender: RendererDiagnosis, timeoutMs: number): Promise<RendererDiagnosis> {
  const result = await execa(path, ['--version'], { reject: false, timeout: timeoutMs, stdin: 'ignore', all: true, forceKillAfterDelay: 2000 });
  if (result.code === 'ENOENT') {
    const where = path.includes('/') ? `\`${path}\` does not exist` : `\`${path}\` is not on PATH`;
    return { name: 'blenderproc', usable: false, detail: `${where}; install it with \`pip install blenderproc\` to use \`--renderer blenderproc\`.` };
  }
  const version = /(\d+\.\d+\.\d+)/.exec(result.all ?? '')?.[1];
  if (result.failed || version === undefined) {
    return { name: 'blenderproc', usable: false, detail: `\`${path} --version\` failed (${result.timedOut ? 'timed out' : `exit code ${result.exitCode}`}): ${(result.all ?? '').trim().split('\n').slice(-1)[0] ?? ''}` };
  }
  const blenderNote = blender.usable ? `; it can use ${blender.detail.split(' at ')[0]} via \`--blender\`` : '; it downloads its own Blender on first use unless `--blender` names one';
  return { name: 'blenderproc', usable: true, version, detail: `BlenderProc ${version} at \`${path}\`${blenderNote}.` };
}

// Says which renderers are usable here (builtin always is) and, for the others, why or why not.
export async function diagnoseRenderers(options: DiagnoseRenderersOptions = {}): Promise<RendererDiagnosis[]> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const builtin: RendererDiagnosis = { name: 'builtin', usable: true, detail: 'Built-in TypeScript rasterizer; needs nothing else.' };
  const blender = await diagnoseBlender(options.blenderPath ?? 'blender', timeoutMs);
  const blenderproc = await diagnoseBlenderproc(options.blenderprocPath ?? 'blenderproc', blender, timeoutMs);
  return [builtin, blender, blenderproc];
}
