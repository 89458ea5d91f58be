import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decodePng } from '../../../pipelines/io/png.js';
import { buildReport } from '../../../reports/index.js';
import { makeFakeRun } from './make-run.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Dark pixels in rows [y0, y1) of the middle half of the columns (titles are centred; axes are not there). */
function countInk(png: ReturnType<typeof decodePng>, y0: number, y1: number): number {
  let ink = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = Math.floor(png.width / 4); x < Math.floor((png.width * 3) / 4); x++) {
      const i = (y * png.width + x) * png.channels;
      if (png.data[i] < 200 || png.data[i + 1] < 200 || png.data[i + 2] < 200) ink++;
    }
  }
  return ink;
}

describe('PNG figures', () => {
  it('are valid PNGs of the stated size with visible title text on a white background', async () => {
    const { dir } = makeFakeRun({ categories: ['bagel'], variants: ['full', 'no-gcn'], seeds: [0, 1] });
    dirs.push(dir);
    const out = mkdtempSync(join(tmpdir(), 'geoad-site-'));
    dirs.push(out);
    const summary = await buildReport({ run: dir, out, qualitative: false, progress: false, figureWidth: 640, figureHeight: 360 });
    // Index: 4 metric bars + mean loss; the category page: metrics bars, PRO, pixel ROC, image ROC, loss.
    assert.equal(summary.figures.length, 10);
    for (const file of summary.figures) {
      const png = decodePng(readFileSync(join(out, file)), file);
      assert.equal(png.width, 640, file);
      assert.equal(png.height, 360, file);
      const corner = png.data.subarray(0, 3);
      assert.deepEqual([...corner], [255, 255, 255], `${file}: white background`);
      assert.ok(countInk(png, 0, 36) > 150, `${file}: title text is drawn in the top band`);
      assert.ok(countInk(png, 36, 360) > 500, `${file}: the chart itself is drawn`);
    }
    const html = readFileSync(summary.indexPath, 'utf8');
    for (const file of summary.figures.filter((f) => f.startsWith('figures/synthetic-small-bars'))) assert.ok(html.includes(`href="${file}"`), `${file} is linked`);
  });
});
