// Where `geoad infer` writes maps, and which a re-run may keep. Maps are written atomically, so a map file is always
// whole; a re-run after Ctrl-C keeps them — but only when OUT/<category>/.geoad-infer.json says the same checkpoint,
// σ and dataset wrote them. Otherwise they are deleted first, so a stale map never survives next to new ones.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../orchestrator/util/atomic-write.js';
import type { SampleRef } from '../data/types.js';

/** Its name starts with a dot: `geoad eval` skips it. */
export const MAPS_STAMP_FILE = '.geoad-infer.json';

/** What the maps of a category folder were computed from. */
export interface MapsStamp {
  /** Absolute checkpoint folder. */
  readonly checkpoint: string;
  /** The checkpoint's `savedAt`: another training run into the same folder is another model. */
  readonly savedAt: string;
  readonly sigma: number;
  /** Absolute dataset root. */
  readonly data: string;
}

/** MAPS/<category>/<split>/<defect>/<id>.tiff. */
export function mapPath(out: string, ref: SampleRef): string {
  return join(out, ref.category, ref.split, ref.defect, `${ref.id}.tiff`);
}

function readStamp(path: string): Partial<MapsStamp> | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Partial<MapsStamp>;
  } catch {
    return null; // absent or unreadable: treated as another model's
  }
}

const sameStamp = (a: Partial<MapsStamp> | null, b: MapsStamp): boolean =>
  a !== null && a.checkpoint === b.checkpoint && a.savedAt === b.savedAt && a.sigma === b.sigma && a.data === b.data;

/**
 * The refs whose maps are still to be written under `out` for a run described by `stamp`: the missing ones when the
 * folder's stamp matches, else all (their old maps deleted, then the new stamp written).
 */
export async function selectMissingMaps(out: string, category: string, refs: readonly SampleRef[], stamp: MapsStamp): Promise<SampleRef[]> {
  const stampPath = join(out, category, MAPS_STAMP_FILE);
  if (sameStamp(readStamp(stampPath), stamp)) return refs.filter((ref) => !existsSync(mapPath(out, ref)));
  for (const ref of refs) rmSync(mapPath(out, ref), { force: true });
  await writeJsonAtomic(stampPath, stamp);
  return [...refs];
}
