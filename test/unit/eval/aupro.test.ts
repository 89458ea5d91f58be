// AUPRO: hand-worked exact and sampled curves, normalisation by the limit, and the properties of the issue.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAupro, computeAupro, computeAuproFromPixels } from '../../../pipelines/eval/aupro.js';
import { collectPixelScores } from '../../../pipelines/eval/pixel-scores.js';
import { computeExactPixelMetrics } from '../../../pipelines/eval/pixel-metrics.js';
import { computeSampledProCurve, linspaceRanks } from '../../../pipelines/eval/pro-sampled.js';

// One 5×1 image: region = pixels 0–1 (scores 0.9, 0.4); anomaly-free scores 0.8, 0.1, 0.2.
const map = Float32Array.from([0.9, 0.4, 0.8, 0.1, 0.2]);
const gt = Uint8Array.from([1, 1, 0, 0, 0]);
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} ≈ ${b}`);

test('exact curve, hand-worked: points (0,0) (0,.5) (1/3,.5) (1/3,1) (2/3,1) (1,1)', () => {
  const pixels = collectPixelScores([map], [gt], 5, 1);
  const m = computeExactPixelMetrics(pixels, [0.3, 1]);
  close(m.aupro[0], 0.5); // flat at 0.5 up to FPR 1/3 > 0.3
  close(m.aupro[1], 5 / 6); // 1/3·0.5 + 2/3·1
  close(m.pAuroc, 5 / 6);
  assert.equal(computeAupro([map], [gt], { width: 5, height: 1, fprLimit: 0.3 }), m.aupro[0]);
});

test('sampled curve, hand-worked with 3 thresholds (ranks 0, 1, 2 of the anomaly-free scores)', () => {
  const pixels = collectPixelScores([map], [gt], 5, 1);
  const curve = computeSampledProCurve(pixels, 3);
  assert.deepEqual([...curve.fpr], [0, 1 - 2 / 3, 1 - 1 / 3, 1]);
  assert.deepEqual([...curve.pro], [0.5, 1, 1, 1]);
  // x = 0.3 lies between 0 and 1/3: y there = 0.5 + 0.5·0.3/(1/3) = 0.95; area = 0.5·(0.95+0.5)·0.3.
  const { aupro } = computeAuproFromPixels(pixels, [0.3], 3);
  close(aupro[0], (0.5 * (0.95 + 0.5) * 0.3) / 0.3);
});

// Two regions of unequal size and a tie between a region pixel and an anomaly-free pixel, one 10×1 image:
//   pixel  0    1    2    3    4    5    6    7    8    9
//   gt     A    A    A    .    B    .    .    .    .    .      A: 3 px, B: 1 px (pixel 3 keeps them apart)
//   score .9   .5   .2   .5   .7   .8   .6   .1   .4   .3     pixel 1 (A) ties pixel 3 (anomaly-free) at 0.5
// Six anomaly-free pixels: 0.8 0.6 0.5 0.4 0.3 0.1. A region pixel weighs 1/|region| / 2 in the PRO (A: 1/6, B: 1/2).
const twoMap = Float32Array.from([0.9, 0.5, 0.2, 0.5, 0.7, 0.8, 0.6, 0.1, 0.4, 0.3]);
const twoGt = Uint8Array.from([1, 1, 1, 0, 1, 0, 0, 0, 0, 0]);

test('exact curve, two unequal regions and a region/background tie, hand-worked', () => {
  // Thresholds s = every distinct score, "score ≥ s" anomalous; FPR = anomaly-free ≥ s / 6; PRO = (A frac + B frac) / 2.
  //   s    FPR   A    B   PRO        s    FPR   A    B   PRO
  //   .9   0    1/3  0   1/6        .4   2/3  2/3  1   5/6
  //   .8   1/6  1/3  0   1/6        .3   5/6  2/3  1   5/6
  //   .7   1/6  1/3  1   2/3        .2   5/6  1    1   1
  //   .6   1/3  1/3  1   2/3        .1   1    1    1   1
  //   .5   1/2  2/3  1   5/6   ← the tie: FPR and PRO move together, a sloped segment (1/3, 2/3) → (1/2, 5/6)
  // From (0, 0): [0, 1/6] at 1/6 = 1/36; [1/6, 1/3] at 2/3 = 1/9; tie segment (1/6)·(2/3 + 5/6)/2 = 1/8;
  // [1/2, 5/6] at 5/6 = 5/18; [5/6, 1] at 1 = 1/6.
  //   @0.3: (1/36 + (0.3 − 1/6)·2/3) / 0.3 = (1/36 + 4/45) / 0.3 = 7/18
  //   @0.5: (1/36 + 1/9 + 1/8) / 0.5 = 19/36   (ties counted region-first would give 20/36, background-first 18/36)
  //   @1:    1/36 + 1/9 + 1/8 + 5/18 + 1/6 = 17/24
  // P-AUROC over the 4 × 6 pairs: 0.9 beats 6, 0.7 beats 5, 0.5 beats 3 and ties 1 (½), 0.2 beats 1 → 15.5/24 = 31/48.
  const pixels = collectPixelScores([twoMap], [twoGt], 10, 1);
  assert.deepEqual([...pixels.regionSizes], [3, 1]);
  const m = computeExactPixelMetrics(pixels, [0.3, 0.5, 1]);
  close(m.aupro[0], 7 / 18);
  close(m.aupro[1], 19 / 36);
  close(m.aupro[2], 17 / 24);
  close(m.pAuroc, 31 / 48);
  close(computeAupro([twoMap], [twoGt], { width: 10, height: 1, fprLimit: 0.5 }), 19 / 36);
});

test('99-threshold curve (the papers\' code), two unequal regions and a tie, hand-worked', () => {
  // Sorted anomaly-free scores (n = 6): .1 .3 .4 .5 .6 .8. Ranks linspace(0, 5, 99, dtype=int): 0 ×20, 1 ×20, 2 ×19,
  // 3 ×20, 4 ×19, 5 ×1 — repeats add zero-width trapezoids. At rank r: t = sorted[r], FPR = 1 − (r+1)/6,
  // PRO = mean fraction of the region strictly above t (the tied 0.5 of A is NOT above t = 0.5):
  //   r  t    FPR   A    B   PRO
  //   5  .8   0    1/3  0   1/6     ← the curve starts at (0, 1/6), not (0, 0)
  //   4  .6   1/6  1/3  1   2/3
  //   3  .5   1/3  1/3  1   2/3     ← tie: A's 0.5 is not counted
  //   2  .4   1/2  2/3  1   5/6
  //   1  .3   2/3  2/3  1   5/6
  //   0  .1   5/6  1    1   1       then (1, 1)
  // Trapezoids: (0,1/6)→(1/6,2/3): (1/6)·(5/6)/2 = 5/72; (1/6,2/3)→(1/3,2/3): 1/9; (1/3,2/3)→(1/2,5/6): 1/8;
  // (1/2,5/6)→(2/3,5/6): 5/36; (2/3,5/6)→(5/6,1): 11/72; (5/6,1)→(1,1): 1/6.
  //   @0.3: 0.3 is no curve x: bisect → last x ≤ 0.3 is 1/6; y there 2/3, next 2/3: correction (0.3 − 1/6)·2/3 = 4/45;
  //         (5/72 + 4/45) / 0.3 = 19/36
  //   @0.5: 0.5 = 1 − 3/6 is a curve x: (5/72 + 1/9 + 1/8) / 0.5 = 11/18
  //   @1:   5/72 + 1/9 + 1/8 + 5/36 + 11/72 + 1/6 = 55/72
  const pixels = collectPixelScores([twoMap], [twoGt], 10, 1);
  const curve = computeSampledProCurve(pixels, 99);
  assert.equal(curve.fpr.length, 100);
  assert.equal(curve.fpr[0], 0);
  close(curve.pro[0], 1 / 6);
  close(curve.pro[1], 2 / 3); // rank 4
  close(curve.pro[20], 2 / 3); // rank 3 (t = 0.5): the tied region pixel is not above t
  close(curve.pro[40], 5 / 6); // rank 2
  const { aupro } = computeAuproFromPixels(pixels, [0.3, 0.5, 1], 99);
  close(aupro[0], 19 / 36);
  close(aupro[1], 11 / 18);
  close(aupro[2], 55 / 72);
});

test('linspaceRanks matches numpy.linspace(0, n-1, k, dtype=int)', () => {
  assert.deepEqual([...linspaceRanks(10, 4)], [0, 3, 6, 9]); // 0, 3, 6, 9
  assert.deepEqual([...linspaceRanks(5, 3)], [0, 2, 4]);
  assert.deepEqual([...linspaceRanks(3, 5)], [0, 0, 1, 1, 2]);
  assert.deepEqual([...linspaceRanks(1, 3)], [0, 0, 0]);
  assert.deepEqual([...linspaceRanks(7, 1)], [0]);
});

// A small random set: 3 images 12×10 with blob regions, scores correlated with gt.
function randomSet(seed: number) {
  let s = seed;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const maps: Float32Array[] = [];
  const masks: Uint8Array[] = [];
  for (let k = 0; k < 3; k++) {
    const m = new Float32Array(120);
    const g = new Uint8Array(120);
    for (let i = 0; i < 120; i++) {
      const x = i % 12;
      const y = Math.floor(i / 12);
      g[i] = (k === 0 && x < 4 && y < 3) || (k === 1 && x > 6 && y > 5) || (k === 1 && x === 2 && y === 2) ? 1 : 0;
      m[i] = Math.round((rand() + g[i] * 0.6) * 1000) / 1000; // rounded: ties happen
    }
    maps.push(m);
    masks.push(g);
  }
  return { maps, masks };
}

test('perfect maps give 1; AUPRO stays in [0, 1]; inverted maps give 0', () => {
  const { masks } = randomSet(1);
  const perfect = masks.map((g) => Float32Array.from(g, (v, i) => v + (i % 7) * 1e-3));
  for (const fprLimit of [0.3, 0.1, 0.05, 0.01]) {
    assert.equal(computeAupro(perfect, masks, { width: 12, height: 10, fprLimit }), 1);
    assert.equal(computeAupro(perfect.map((m) => m.map((v) => -v)), masks, { width: 12, height: 10, fprLimit }), 0);
  }
  const pixels = collectPixelScores(perfect, masks, 12, 10);
  assert.equal(computeExactPixelMetrics(pixels, [0.3]).pAuroc, 1);
  assert.equal(computeExactPixelMetrics(collectPixelScores(perfect.map((m) => m.map((v) => -v)), masks, 12, 10), [0.3]).pAuroc, 0);
  for (let seed = 2; seed < 8; seed++) {
    const { maps } = randomSet(seed);
    for (const limit of [0.3, 0.01]) {
      const v = computeAupro(maps, masks, { width: 12, height: 10, fprLimit: limit });
      assert.ok(v >= 0 && v <= 1, `AUPRO ${v}`);
    }
  }
});

test('a strictly increasing transform of all scores changes no AUROC/AUPRO (exact and sampled)', () => {
  const { maps, masks } = randomSet(9);
  const transformed = maps.map((m) => m.map((v) => Math.exp(4 * v) - 2));
  const a = collectPixelScores(maps, masks, 12, 10);
  const b = collectPixelScores(transformed, masks, 12, 10);
  assert.deepEqual(computeExactPixelMetrics(b, [0.3, 0.1, 0.05, 0.01]).aupro, computeExactPixelMetrics(a, [0.3, 0.1, 0.05, 0.01]).aupro);
  assert.equal(computeExactPixelMetrics(b, [0.3]).pAuroc, computeExactPixelMetrics(a, [0.3]).pAuroc);
  assert.deepEqual(computeAuproFromPixels(b, [0.3, 0.05], 99).aupro, computeAuproFromPixels(a, [0.3, 0.05], 99).aupro);
});

test('the sampled curve converges to the exact one as the number of thresholds grows', () => {
  const { maps, masks } = randomSet(11);
  const pixels = collectPixelScores(
    maps.map((m, k) => m.map((v, i) => v + ((k * 120 + i) % 97) * 1e-6)), // no ties
    masks,
    12,
    10,
  );
  const exact = computeExactPixelMetrics(pixels, [0.3]).aupro[0];
  const n = pixels.okCount;
  const errors = [5, 20, 80, n].map((k) => Math.abs(computeAuproFromPixels(pixels, [0.3], k).aupro[0] - exact));
  for (let i = 1; i < errors.length; i++) assert.ok(errors[i] <= errors[i - 1] + 1e-12, `errors ${errors}`);
  // With every anomaly-free score a threshold the two differ only by the trapezoid over each PRO jump: ≤ 1/(2·n·L).
  assert.ok(errors[errors.length - 1] <= 1 / (2 * n * 0.3) + 1e-12, `errors ${errors}`);
});

test('checkAupro rejects values outside [0, 1] and clamps rounding slack', () => {
  assert.throws(() => checkAupro(1.21, 0.3), /AUPRO@0.3 = 1.21 lies outside \[0, 1\]/);
  assert.throws(() => checkAupro(Number.NaN, 0.3), /outside/);
  assert.equal(checkAupro(1 + 1e-13, 0.3), 1);
});

test('P-AUROC counts ties half and equals I-AUROC-style AUROC over the pooled pixels', async () => {
  const { computeAuroc } = await import('../../../pipelines/eval/auroc.js');
  // region pixel 0.5 vs anomaly-free 0.5 (tie: ½) and 0.2 (win: 1) → 0.75.
  const tie = collectPixelScores([Float32Array.from([0.5, 0.5, 0.2])], [Uint8Array.from([1, 0, 0])], 3, 1);
  assert.equal(computeExactPixelMetrics(tie, [0.3]).pAuroc, 0.75);
  const { maps, masks } = randomSet(21);
  const pooled = computeAuroc(maps.flatMap((m) => [...m]), masks.flatMap((g) => [...g])).auroc;
  close(computeExactPixelMetrics(collectPixelScores(maps, masks, 12, 10), [0.3]).pAuroc, pooled);
});
