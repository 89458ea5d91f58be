// The anomalib-like grid form: `{grid: [a, b]}` anywhere in a stage's options means one matrix cell per value.
import { createHash } from 'node:crypto';

/** True for `{grid: [...]}`. */
export function isGrid(value: unknown): value is { readonly grid: readonly unknown[] } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Array.isArray((value as { grid?: unknown }).grid);
}

/**
 * Expands an options object whose values may be grids into every combination, in a stable order (keys sorted,
 * grid values in the order given). Returns one plain object per combination and, with each, the gridded keys'
 * chosen values (to tell the cells apart).
 */
export function expandGrid(options: Readonly<Record<string, unknown>>): { values: Record<string, unknown>; chosen: Record<string, unknown> }[] {
  let combos: { values: Record<string, unknown>; chosen: Record<string, unknown> }[] = [{ values: {}, chosen: {} }];
  for (const key of Object.keys(options).sort()) {
    const value = options[key];
    if (value === undefined) continue;
    if (!isGrid(value)) {
      for (const c of combos) c.values[key] = value;
      continue;
    }
    combos = combos.flatMap((c) => value.grid.map((v) => ({ values: { ...c.values, [key]: v }, chosen: { ...c.chosen, [key]: v } })));
  }
  return combos;
}

/** JSON with object keys sorted at every level, so equal values always give equal text (and hashes). */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A short, stable hash (hex) of any JSON-like value. */
export function hashParameters(value: unknown, length = 10): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex').slice(0, length);
}
