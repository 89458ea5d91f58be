// Human-readable names of a cell's grid values (`MatrixCell.overrides`), shared by job labels and the report.
import type { MatrixCell } from './run-layout.js';

/** A grid value as labels show it: plain for numbers, strings and booleans, JSON otherwise. */
export const formatGridValue = (value: unknown) => (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value));

/**
 * `{'train.lr': 0.003, 'eval.minDefectArea': 20}` → `lr=0.003, minDefectArea=20` (keys sorted); a key keeps its
 * stage prefix when another key has the same last part (`train.batchSize=4, infer.batchSize=8`). Empty for none.
 */
export function formatOverrides(overrides: Readonly<Record<string, unknown>> | undefined): string {
  const keys = Object.keys(overrides ?? {}).sort();
  const short = (key: string) => key.slice(key.lastIndexOf('.') + 1);
  return keys
    .map((key) => {
      const name = keys.filter((k) => short(k) === short(key)).length > 1 ? key : short(key);
      return `${name}=${formatGridValue(overrides![key])}`;
    })
    .join(', ');
}

/** A cell's arm: its variant, with its grid values when it has any (`full`, `full · lr=0.003`). */
export function describeArm(cell: Pick<MatrixCell, 'variant' | 'overrides'>): string {
  const grid = formatOverrides(cell.overrides);
  return grid === '' ? cell.variant : `${cell.variant} · ${grid}`;
}
