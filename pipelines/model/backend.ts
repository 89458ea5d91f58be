// Backend selection for TensorFlow.js: `auto | tensorflow | wasm | cpu`, with the native GPU/CPU binding
// (`@tensorflow/tfjs-node-gpu`, an optional dependency) loaded only when it is installed and loads.
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { GeoadError, UsageError, errorMessage } from '../../orchestrator/util/errors.js';

/** The values of `--backend`. */
export const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

/** Why a backend can or cannot be used here, in plain words. */
export interface BackendProbe {
  readonly name: Exclude<BackendChoice, 'auto'>;
  readonly available: boolean;
  readonly detail: string;
}

const require = createRequire(import.meta.url);
let nativeProbe: BackendProbe | undefined;

// Loads @tensorflow/tfjs-node-gpu once; it registers the `tensorflow` backend as a side effect.
function probeNative(): BackendProbe {
  if (nativeProbe) return nativeProbe;
  try {
    require('@tensorflow/tfjs-node-gpu');
    nativeProbe = { name: 'tensorflow', available: true, detail: '@tensorflow/tfjs-node-gpu loaded (libtensorflow with CUDA)' };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why =
      code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND'
        ? '@tensorflow/tfjs-node-gpu is not installed (optional dependency; its libtensorflow download is skipped where it cannot install)'
        : `@tensorflow/tfjs-node-gpu is installed but failed to load: ${errorMessage(error).split('\n')[0]}`;
    nativeProbe = { name: 'tensorflow', available: false, detail: why };
  }
  return nativeProbe;
}

// Quiets tfjs's "install tfjs-node" banner; PROD also skips per-op debug checks.
function quietTfjs(): void {
  tf.env().set('PROD', true);
}

/** One backend's verdict for `geoad doctor`, in plain words. */
export interface BackendDiagnosis {
  /** `tensorflow`, `wasm`, `cpu`, or `auto` (which one auto picks). */
  readonly name: string;
  readonly usable: boolean;
  readonly detail: string;
}

/** Tries each backend and says which `auto` picks and why the others are unavailable. */
export async function diagnoseBackends(): Promise<BackendDiagnosis[]> {
  quietTfjs();
  const previous = tf.getBackend();
  const probes: BackendProbe[] = [probeNative()];
  for (const name of ['wasm', 'cpu'] as const) {
    try {
      const ok = await tf.setBackend(name);
      probes.push({ name, available: ok, detail: ok ? describeBackend(name) : `tf.setBackend('${name}') returned false` });
    } catch (error) {
      probes.push({ name, available: false, detail: errorMessage(error) });
    }
  }
  if (previous) await tf.setBackend(previous);
  const picked = probes.find((p) => p.available);
  const out: BackendDiagnosis[] = probes.map((p) => ({ name: p.name, usable: p.available, detail: p.detail }));
  out.push(
    picked
      ? { name: 'auto', usable: true, detail: `picks ${picked.name} (the first usable of tensorflow, wasm, cpu)` }
      : { name: 'auto', usable: false, detail: 'no backend loads' },
  );
  return out;
}

function describeBackend(name: 'wasm' | 'cpu'): string {
  return name === 'wasm'
    ? 'WebAssembly SIMD via @tensorflow/tfjs-backend-wasm (single-threaded under Node)'
    : 'pure JavaScript reference backend (slowest; always present)';
}

/** Activates the requested backend (auto: tensorflow, then wasm, then cpu) and returns the one in use. */
export async function selectBackend(choice: BackendChoice): Promise<Exclude<BackendChoice, 'auto'>> {
  quietTfjs();
  if (!BACKENDS.includes(choice)) {
    throw new UsageError(`Expected \`--backend\` to be one of ${BACKENDS.map((b) => `\`${b}\``).join(', ')}, got \`${String(choice)}\``);
  }
  const order = choice === 'auto' ? (['tensorflow', 'wasm', 'cpu'] as const) : ([choice] as const);
  const failures: string[] = [];
  for (const name of order) {
    if (name === 'tensorflow') {
      const probe = probeNative();
      if (!probe.available) {
        failures.push(`tensorflow: ${probe.detail}`);
        continue;
      }
    }
    // setBackend resolves false on failure while getBackend() may still name it: trust the return value.
    let ok = false;
    try {
      ok = await tf.setBackend(name);
    } catch (error) {
      failures.push(`${name}: ${errorMessage(error)}`);
      continue;
    }
    if (ok) {
      await tf.ready();
      return name;
    }
    failures.push(`${name}: tf.setBackend returned false`);
  }
  throw new GeoadError(`No usable TensorFlow.js backend for \`--backend ${choice}\`: ${failures.join('; ')}`);
}
