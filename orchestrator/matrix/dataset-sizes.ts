// Dataset sizes for run.json: samples per split over the planned categories, from paths only (no image is read):
// a synthetic root's manifest once every sample in it is complete, else the MVTec 3D-AD layout found on disk.
import { discoverDataset } from '../../pipelines/data/discover.js';
import { readManifest, type SynthManifest } from '../../pipelines/synth/manifest.js';
import type { MatrixPlan } from './expand.js';
import type { RunManifest } from './run-layout.js';

/** Samples per split. */
export interface SampleCounts {
  readonly train: number;
  readonly validation: number;
  readonly test: number;
}

type Split = keyof SampleCounts;

function emptyCounts(): Record<Split, number> {
  return { train: 0, validation: 0, test: 0 };
}

// ROOT/manifest.json of `geoad synth`, or undefined when there is none (or it is not one).
function readSynthManifest(root: string): SynthManifest | undefined {
  try {
    return readManifest(root);
  } catch {
    return undefined;
  }
}

// From a synth manifest: undefined while samples are still missing (the synth job has not finished).
function countFromSynthManifest(manifest: SynthManifest, categories: ReadonlySet<string>): SampleCounts | undefined {
  const samples = manifest.samples.filter((s) => categories.has(s.scene.category));
  if (samples.length === 0 || samples.some((s) => !s.complete)) return undefined;
  const counts = emptyCounts();
  for (const s of samples) counts[s.scene.split] += 1;
  return counts;
}

// From the folders: ROOT/<category>/<split>/<defect>/rgb/NNN.png (discovery lists files, reads none).
function countFromLayout(root: string, categories: readonly string[]): SampleCounts {
  const counts = emptyCounts();
  for (const category of discoverDataset(root, { categories }).categories) {
    for (const group of category.groups) counts[group.split] += group.samples.length;
  }
  return counts;
}

/** Samples per split of `categories` under `root`, or undefined when the data is not (completely) there yet. */
export function countSamples(kind: 'synthetic' | 'mvtec', root: string, categories: readonly string[]): SampleCounts | undefined {
  // A synthetic root without a geoad synth manifest (made some other way) is counted like any other layout.
  const manifest = kind === 'synthetic' ? readSynthManifest(root) : undefined;
  if (manifest !== undefined) return countFromSynthManifest(manifest, new Set(categories));
  try {
    return countFromLayout(root, categories);
  } catch {
    return undefined;
  }
}

/** The plan's datasets with their sizes filled where the data exists. */
export function measureDatasets(plan: MatrixPlan): RunManifest['datasets'] {
  return plan.datasets.map((d) => {
    const categories = [...new Set(plan.cells.filter((c) => c.dataset === d.name).map((c) => c.category))];
    const samples = categories.length > 0 ? countSamples(d.kind, d.root, categories) : undefined;
    return samples === undefined ? d : { ...d, samples: { ...samples } };
  });
}
