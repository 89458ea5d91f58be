// Arms: a variant together with the grid values of its cells (`MatrixCell.overrides`), e.g. `full · lr=0.003`.
// The tables have a row or column per arm, so the cells averaged under one arm differ only in their seed.
import { describeArm } from '../orchestrator/matrix/cell-label.js';
import { stableStringify } from '../orchestrator/matrix/grid.js';
import type { MatrixCell } from '../orchestrator/matrix/run-layout.js';

export type Variant = MatrixCell['variant'];

/** The variants in the order tables list them. */
export const VARIANT_ORDER = ['full', 'no-mfe', 'no-gcn', 'no-nla'] as const;

/** One arm of the matrix. `label` is the variant alone when there are no grid values, so such runs read as before. */
export interface Arm {
  /** Stable key: the variant and the key-sorted grid values. */
  readonly key: string;
  readonly variant: Variant;
  readonly overrides: Readonly<Record<string, unknown>> | undefined;
  readonly label: string;
}

type ArmCell = Pick<MatrixCell, 'variant' | 'overrides'>;

const emptyToUndefined = (o: ArmCell['overrides']) => (o !== undefined && Object.keys(o).length > 0 ? o : undefined);

/** The key of a cell's arm. */
export function armKeyOf(cell: ArmCell): string {
  return `${cell.variant}\u0000${stableStringify(emptyToUndefined(cell.overrides) ?? {})}`;
}

/** The arm a cell belongs to. */
export function armOf(cell: ArmCell): Arm {
  const overrides = emptyToUndefined(cell.overrides);
  return { key: armKeyOf(cell), variant: cell.variant, overrides, label: describeArm({ variant: cell.variant, overrides }) };
}

/** The key of the `full` arm an arm's ablation deltas refer to: the one with the same grid values. */
export function referenceKeyOf(arm: Arm): string {
  return armKeyOf({ variant: 'full', overrides: arm.overrides });
}

// Grid values in a stable order: by key, numbers numerically, anything else as text; no value first.
function compareOverrides(a: ArmCell['overrides'], b: ArmCell['overrides']): number {
  for (const key of [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].sort()) {
    const x = a?.[key];
    const y = b?.[key];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : stableStringify(x).localeCompare(stableStringify(y), 'en');
    if (order !== 0) return order;
  }
  return 0;
}

/** Orders arms: variant (table order), then grid values. */
export function compareArms(a: ArmCell, b: ArmCell): number {
  return VARIANT_ORDER.indexOf(a.variant) - VARIANT_ORDER.indexOf(b.variant) || compareOverrides(a.overrides, b.overrides);
}

/** The distinct arms of some cells, in table order. */
export function listArms(cells: readonly ArmCell[]): Arm[] {
  const byKey = new Map<string, Arm>();
  for (const cell of cells) if (!byKey.has(armKeyOf(cell))) byKey.set(armKeyOf(cell), armOf(cell));
  return [...byKey.values()].sort(compareArms);
}
