// Completion of a `geoad synth` set, from ROOT/manifest.json alone (read once, no image read). An interrupted synth
// leaves only complete samples on disk (atomic writes), so the folders look like a whole, smaller dataset: the
// manifest is the only place that says samples are still pending.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../../orchestrator/util/errors.js';
import { MANIFEST_FORMAT, MANIFEST_NAME } from '../synth/manifest.js';

interface ManifestEntry {
  readonly complete?: unknown;
  readonly scene?: { readonly category?: unknown };
}

/**
 * The problem of an unfinished synthetic set (a DataError naming the manifest), or undefined: no manifest, a file
 * that is not a geoad synth manifest (MVTec roots have none), or every sample of `categories` (all when empty) done.
 */
export function checkSynthCompletion(root: string, categories: readonly string[] = []): DataError | undefined {
  const path = join(root, MANIFEST_NAME);
  let manifest: { readonly format?: unknown; readonly samples?: unknown };
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) ?? {};
  } catch {
    return undefined; // absent, unreadable or not JSON: not a manifest geoad synth wrote (it writes atomically)
  }
  if (manifest.format !== MANIFEST_FORMAT) return undefined;
  if (!Array.isArray(manifest.samples)) return new DataError(path, 'geoad synth manifest without a `samples` list');
  const wanted = new Set(categories);
  const samples = (manifest.samples as ManifestEntry[]).filter((s) => wanted.size === 0 || wanted.has(s?.scene?.category as string));
  const done = samples.filter((s) => s?.complete === true).length;
  if (done === samples.length) return undefined;
  const of = wanted.size > 0 ? ` of ${[...wanted].join(', ')}` : '';
  return new DataError(path, `synthetic set incomplete: ${done} of ${samples.length} samples${of} done; re-run geoad synth with the same options to finish`);
}
