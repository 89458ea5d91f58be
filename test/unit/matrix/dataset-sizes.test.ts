// Dataset sizes for run.json: counted from a synthetic manifest (only once complete) or from the MVTec 3D-AD
// layout's file names (the files here are empty: nothing is read), over the planned categories only.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { countSamples, measureDatasets } from '../../../orchestrator/matrix/dataset-sizes.js';
import type { MatrixPlan } from '../../../orchestrator/matrix/expand.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'geoad-sizes-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function touch(path: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '');
}

// ROOT/<category>/<split>/<defect>/{rgb,xyz,gt}/NNN.* with `n` samples per (split, defect).
function writeLayout(root: string, category: string, groups: readonly [string, string, number][]): void {
  for (const [split, defect, n] of groups) {
    for (let i = 0; i < n; i++) {
      const base = join(root, category, split, defect);
      const id = String(i).padStart(3, '0');
      touch(join(base, 'rgb', `${id}.png`));
      touch(join(base, 'xyz', `${id}.tiff`));
      if (split === 'test') touch(join(base, 'gt', `${id}.png`));
    }
  }
}

function writeSynthManifest(root: string, samples: readonly { category: string; split: string; complete: boolean }[]): void {
  mkdirSync(root, { recursive: true });
  const entries = samples.map((s, index) => ({ key: `${s.category}/${s.split}/good/${index}`, files: {}, complete: s.complete, anomalyPixels: null, scene: { category: s.category, split: s.split, defect: 'good', index } }));
  writeFileSync(join(root, 'manifest.json'), JSON.stringify({ format: 'geoad-synth', generatorVersion: 'test', layout: 'mvtec3d-ad', config: {}, seed: 0, camera: {}, samples: entries }));
}

test('an MVTec 3D-AD root is counted per split from its file names, planned categories only', () => {
  const root = join(dir, 'mvtec');
  writeLayout(root, 'bagel', [['train', 'good', 3], ['validation', 'good', 2], ['test', 'good', 1], ['test', 'crack', 2]]);
  writeLayout(root, 'cookie', [['train', 'good', 4], ['test', 'hole', 1]]);
  writeLayout(root, 'foam', [['train', 'good', 9]]);
  assert.deepEqual(countSamples('mvtec', root, ['bagel', 'cookie']), { train: 7, validation: 2, test: 4 });
  assert.equal(countSamples('mvtec', join(dir, 'nowhere'), ['bagel']), undefined, 'no data yet: unknown, not zero');
  assert.equal(countSamples('mvtec', root, ['tire']), undefined, 'a category that is not there: unknown');
});

test('a synthetic root is counted from its manifest once every planned sample is complete', () => {
  const root = join(dir, 'synth');
  const samples = [
    { category: 'bagel', split: 'train', complete: true },
    { category: 'bagel', split: 'train', complete: true },
    { category: 'bagel', split: 'validation', complete: true },
    { category: 'bagel', split: 'test', complete: true },
    { category: 'cookie', split: 'test', complete: false },
  ];
  writeSynthManifest(root, samples);
  assert.deepEqual(countSamples('synthetic', root, ['bagel']), { train: 2, validation: 1, test: 1 });
  assert.equal(countSamples('synthetic', root, ['bagel', 'cookie']), undefined, 'still being written');
  writeSynthManifest(root, samples.map((s) => ({ ...s, complete: true })));
  assert.deepEqual(countSamples('synthetic', root, ['bagel', 'cookie']), { train: 2, validation: 1, test: 2 });
});

test('measureDatasets fills samples where the data exists and leaves the others as planned', () => {
  const mvtec = join(dir, 'mvtec'); // written by the first test
  const plan = {
    jobs: [],
    cells: [
      { id: 'a', dataset: 'mv', datasetKind: 'mvtec', category: 'bagel', variant: 'full', seed: 0 },
      { id: 'b', dataset: 'syn', datasetKind: 'synthetic', category: 'bagel', variant: 'full', seed: 0 },
    ],
    datasets: [
      { name: 'mv', kind: 'mvtec', root: mvtec },
      { name: 'syn', kind: 'synthetic', root: join(dir, 'not-yet') },
    ],
  } as unknown as MatrixPlan;
  assert.deepEqual(measureDatasets(plan), [
    { name: 'mv', kind: 'mvtec', root: mvtec, samples: { train: 3, validation: 2, test: 3 } },
    { name: 'syn', kind: 'synthetic', root: join(dir, 'not-yet') },
  ]);
});
