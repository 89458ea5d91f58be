// Seeded randomness and the sample plan: reproducible, order-independent, counts shared out exactly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { locateSampleFiles, planSamples, shareOut } from '../../../pipelines/synth/plan.js';
import { createRng, hashString } from '../../../pipelines/synth/prng.js';
import { deriveSampleSeed } from '../../../pipelines/synth/sample-scene.js';

describe('prng', () => {
  it('repeats a stream for the same seed and differs for another', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, createRng(seed).next);
    const a = createRng(42);
    const first = Array.from({ length: 5 }, () => a.next());
    const b = createRng(42);
    assert.deepEqual(Array.from({ length: 5 }, () => b.next()), first);
    assert.notDeepEqual(draw(43), first);
    for (const x of first) assert.ok(x >= 0 && x < 1);
  });
  it('hashes keys with the seed mixed in', () => {
    assert.equal(hashString('bagel/train/good/000', 1), hashString('bagel/train/good/000', 1));
    assert.notEqual(hashString('bagel/train/good/000', 1), hashString('bagel/train/good/000', 2));
    assert.notEqual(deriveSampleSeed(0, { category: 'bagel', split: 'train', defect: 'good', index: 0 }), deriveSampleSeed(0, { category: 'bagel', split: 'train', defect: 'good', index: 1 }));
  });
});

describe('planSamples', () => {
  it('shares totals out across categories and test kinds', () => {
    assert.deepEqual(shareOut(10, 4), [3, 3, 2, 2]);
    const plan = planSamples({ train: 5, validation: 2, test: 9, categories: ['bagel', 'tire'], defects: ['dent', 'crack'] });
    const count = (f: (s: (typeof plan)[number]) => boolean) => plan.filter(f).length;
    assert.equal(plan.length, 16);
    assert.equal(count((s) => s.category === 'bagel' && s.split === 'train'), 3);
    assert.equal(count((s) => s.category === 'tire' && s.split === 'train'), 2);
    assert.equal(count((s) => s.split === 'validation'), 2);
    assert.equal(count((s) => s.category === 'bagel' && s.split === 'test'), 5);
    assert.deepEqual(
      plan.filter((s) => s.category === 'bagel' && s.split === 'test').map((s) => `${s.defect}${s.index}`),
      ['good0', 'good1', 'dent0', 'dent1', 'crack0'],
    );
    assert.ok(plan.filter((s) => s.split !== 'test').every((s) => s.defect === 'good'));
  });
  it('uses the MVTec 3D-AD layout', () => {
    assert.deepEqual(locateSampleFiles({ category: 'tire', split: 'test', defect: 'hole', index: 7 }), {
      rgb: 'tire/test/hole/rgb/007.png',
      xyz: 'tire/test/hole/xyz/007.tiff',
      gt: 'tire/test/hole/gt/007.png',
    });
    assert.deepEqual(locateSampleFiles({ category: 'tire', split: 'train', defect: 'good', index: 12 }), {
      rgb: 'tire/train/good/rgb/012.png',
      xyz: 'tire/train/good/xyz/012.tiff',
    });
  });
});
