// The NumPy/SciPy twin of `geoad eval` (bench/eval_numpy.py) as a test reference: run it on the files of a fixture.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PYTHON, pythonOrSkip } from '../../helpers/peers.js';

const TWIN = join(import.meta.dirname, '../../../bench/eval_numpy.py');

/** The `skip` option of a test that runs the twin: skips naming the missing modules; fails with GEOAD_REQUIRE_PEERS=1. */
export const needTwin = pythonOrSkip(['numpy', 'scipy', 'tifffile', 'PIL']);

/** What the twin prints (the fields the tests compare). */
export interface TwinResult {
  readonly iAuroc: number;
  readonly pAuroc: number;
  readonly aupro: Record<string, number>;
  readonly threshold: { threshold: number; minDefectArea: number; image: Record<string, number>; pixel: Record<string, number> };
}

/** Runs the twin on category `widget` of a fixture. */
export function runTwin(maps: string, data: string, proThresholds: string): TwinResult {
  const out = execFileSync(PYTHON, [TWIN, '--maps', maps, '--data', data, '--category', 'widget', '--pro-thresholds', proThresholds]);
  return JSON.parse(out.toString()) as TwinResult;
}
