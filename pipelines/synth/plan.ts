// Which samples a dataset holds: counts shared out across categories and defect types, in a fixed order, and the
// MVTec 3D-AD paths of each sample's files.
import { join } from 'node:path';
import type { NormalizedSynthOptions } from './options.js';
import type { SampleId } from './params.js';

/** Splits `total` into `parts` near-equal integers (the first ones get the remainder). */
export function shareOut(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

/** The smallest test total that gives every category one good sample and one of each defect type. */
export function minimumTestSamples(categories: number, defects: number): number {
  return categories * (1 + defects);
}

/** Every sample of the dataset, ordered by category, split (train, validation, test) and defect (good first). */
export function planSamples(options: Pick<NormalizedSynthOptions, 'train' | 'validation' | 'test' | 'categories' | 'defects'>): SampleId[] {
  const samples: SampleId[] = [];
  const k = options.categories.length;
  const train = shareOut(options.train, k);
  const validation = shareOut(options.validation, k);
  const test = shareOut(options.test, k);
  options.categories.forEach((category, c) => {
    for (let i = 0; i < train[c]; i++) samples.push({ category, split: 'train', defect: 'good', index: i });
    for (let i = 0; i < validation[c]; i++) samples.push({ category, split: 'validation', defect: 'good', index: i });
    const kinds = ['good', ...options.defects] as const;
    shareOut(test[c], kinds.length).forEach((n, d) => {
      for (let i = 0; i < n; i++) samples.push({ category, split: 'test', defect: kinds[d], index: i });
    });
  });
  return samples;
}

/** Paths of a sample's files relative to the dataset root (`gt` only in the test split). */
export interface SampleFiles {
  readonly rgb: string;
  readonly xyz: string;
  readonly gt?: string;
}

/** The files of a sample: `<category>/<split>/<defect>/{rgb,xyz,gt}/NNN.{png,tiff}`. */
export function locateSampleFiles(id: SampleId): SampleFiles {
  const base = join(id.category, id.split, id.defect);
  const name = String(id.index).padStart(3, '0');
  return {
    rgb: join(base, 'rgb', `${name}.png`),
    xyz: join(base, 'xyz', `${name}.tiff`),
    ...(id.split === 'test' ? { gt: join(base, 'gt', `${name}.png`) } : {}),
  };
}
