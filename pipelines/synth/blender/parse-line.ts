// Pure parser of one line of Blender / BlenderProc output: the script's GEOAD events, Cycles progress and errors.

/** What a line of Blender output means to the orchestrator. */
export type BlenderLine =
  | { readonly kind: 'begin'; readonly index: number; readonly key: string; readonly total: number }
  | { readonly kind: 'done'; readonly index: number; readonly key: string; readonly rgbSeconds?: number; readonly xyzSeconds?: number }
  | { readonly kind: 'progress'; readonly sample: number; readonly of: number }
  | { readonly kind: 'error'; readonly message: string };

const SAMPLE = /\|\s*(?:Rendered|Sample)\s+(\d+)\s*\/\s*(\d+)/;
const ERROR = /^(?:Error: |Traceback \(most recent call last\)|[A-Za-z]*Error: )/;

function parseEvent(json: string): BlenderLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { event, index, key, total, rgbSeconds, xyzSeconds } = value as Record<string, unknown>;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || typeof key !== 'string') return undefined;
  if (event === 'done') {
    const timings = typeof rgbSeconds === 'number' && typeof xyzSeconds === 'number' ? { rgbSeconds, xyzSeconds } : {};
    return { kind: 'done', index, key, ...timings };
  }
  if (event === 'begin' && typeof total === 'number') return { kind: 'begin', index, key, total };
  return undefined;
}

// Returns what `line` reports, or undefined for lines that carry nothing the orchestrator uses.
export function parseBlenderLine(line: string): BlenderLine | undefined {
  const text = line.trimEnd();
  if (text.startsWith('GEOAD ')) return parseEvent(text.slice(6));
  const sample = SAMPLE.exec(text);
  if (sample && text.startsWith('Fra:')) {
    const of = Number(sample[2]);
    return of > 0 ? { kind: 'progress', sample: Number(sample[1]), of } : undefined;
  }
  if (ERROR.test(text)) return { kind: 'error', message: text };
  return undefined;
}
