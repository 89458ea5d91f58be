import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FPFH_BINS, computeFpfh, findWindowNeighbours } from '../../../pipelines/features/fpfh.js';
import { computeLocalGeometry } from '../../../pipelines/features/local-geometry.js';
import { medianPointSpacing } from '../../../pipelines/features/geometric-features.js';
import { nearestHit, planeHit, renderCloud, sphereHit } from './analytic-cloud.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./open3d-fpfh.py', import.meta.url));

function open3dAvailable(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  try {
    execFileSync(PYTHON, ['-c', 'import open3d'], { stdio: 'pipe' });
    return undefined;
  } catch {
    return 'python3-open3d is not installed (apt-get install python3-open3d)';
  }
}

// A sphere resting in front of a tilted plane: curved, flat and crease regions.
const scene = () => renderCloud(64, 64, 150, nearestHit(sphereHit([0, 0, 0.4], 0.06), planeHit([0.1, 0.05, -1], 0.45)));

test('every sub-histogram of a point with neighbours sums to 200', () => {
  const cloud = scene();
  const { normals } = computeLocalGeometry(cloud, 2, [2]);
  const radius = 2.5 * medianPointSpacing(cloud);
  const neighbours = findWindowNeighbours(cloud, 3, radius);
  const fpfh = computeFpfh(cloud, normals, neighbours);
  for (let p = 0; p < 64 * 64; p += 37) {
    if (neighbours.offsets[p + 1] === neighbours.offsets[p]) continue;
    for (let h = 0; h < 3; h++) {
      let sum = 0;
      for (let j = 0; j < 11; j++) sum += fpfh[p * FPFH_BINS + h * 11 + j];
      assert.ok(Math.abs(sum - 200) < 1e-3, `pixel ${p} histogram ${h}: ${sum}`);
    }
  }
});

test('FPFH agrees with Open3D compute_fpfh_feature (mean cosine ≥ 0.99 where neighbourhoods are not truncated)', (t) => {
  const missing = open3dAvailable();
  if (missing) {
    t.skip(`skipped: ${missing}`);
    return;
  }
  const cloud = scene();
  const { normals } = computeLocalGeometry(cloud, 2, [2]);
  const radius = 2.5 * medianPointSpacing(cloud);
  const neighbours = findWindowNeighbours(cloud, 4, radius);
  const fpfh = computeFpfh(cloud, normals, neighbours);
  const pixels: number[] = [];
  for (let p = 0; p < cloud.valid.length; p++) if (cloud.valid[p] && normals[p * 3 + 2] !== 0) pixels.push(p);
  const input = new Float64Array(pixels.length * 6);
  pixels.forEach((p, i) => {
    for (let c = 0; c < 3; c++) {
      input[i * 6 + c] = cloud.xyz[p * 3 + c];
      input[i * 6 + 3 + c] = normals[p * 3 + c];
    }
  });
  const dir = mkdtempSync(join(tmpdir(), 'geoad-fpfh-'));
  try {
    writeFileSync(join(dir, 'in.bin'), new Uint8Array(input.buffer));
    execFileSync(PYTHON, [SCRIPT, join(dir, 'in.bin'), join(dir, 'out.bin'), String(radius)], { stdio: 'pipe' });
    const bytes = readFileSync(join(dir, 'out.bin'));
    const reference = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
    let total = 0;
    let compared = 0;
    let worstBin = 0;
    pixels.forEach((p, i) => {
      const ours = neighbours.offsets[p + 1] - neighbours.offsets[p];
      const theirs = reference[i * 34 + 33];
      // Truncated (the window cut off part of the radius ball) or no neighbours: not comparable.
      if (ours !== theirs || ours === 0) return;
      let dot = 0, na = 0, nb = 0;
      for (let j = 0; j < FPFH_BINS; j++) {
        const a = fpfh[p * FPFH_BINS + j], b = reference[i * 34 + j];
        dot += a * b; na += a * a; nb += b * b;
        worstBin = Math.max(worstBin, Math.abs(a - b));
      }
      total += dot / Math.sqrt(na * nb);
      compared++;
    });
    assert.ok(compared > pixels.length / 2, `compared ${compared} of ${pixels.length} points`);
    const mean = total / compared;
    if (process.env.GEOAD_DEBUG) console.log(`mean cosine ${mean} over ${compared}/${pixels.length}`);
    assert.ok(mean >= 0.99, `mean cosine ${mean.toFixed(4)} over ${compared} points`);
    // Same algorithm, same inputs: bins agree to float32 precision (a 1/d instead of 1/d² weighting fails here).
    assert.ok(worstBin < 1e-3, `largest bin difference ${worstBin}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
