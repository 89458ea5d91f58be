// The report in headless Debian Chromium: pages load from file:// with no console errors and no network request,
// every chart canvas is drawn, the main table has a row per category plus the mean, user text stays text.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildReport } from '../../reports/index.js';
import { peerOrSkip } from '../helpers/peers.js';
import type { ReportSummary } from '../../reports/types.js';
import { makeFakeRun } from '../unit/report/make-run.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const EVIL = `<script>window.__xss = 1</script> & "q"`;
const CATEGORIES = ['bagel', 'cable_gland', EVIL];

// Skips without Chromium, or fails when GEOAD_REQUIRE_PEERS=1 (CI).
describe('report in Chromium', { skip: peerOrSkip('Chromium', existsSync(CHROMIUM), `${CHROMIUM} is not installed`) }, () => {
  const temp: string[] = [];
  let context: BrowserContext;
  let summary: ReportSummary;

  before(async () => {
    const run = makeFakeRun({ kind: 'mvtec', dataset: 'mvtec3d', categories: CATEGORIES, variants: ['full', 'no-gcn'], seeds: [0, 1], skip: [3], images: true });
    const out = mkdtempSync(join(tmpdir(), 'geoad-site-'));
    const profile = mkdtempSync(join(tmpdir(), 'geoad-chromium-'));
    temp.push(run.dir, out, profile);
    summary = await buildReport({ run: run.dir, out, figures: false, progress: false });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await context?.close();
    temp.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  /** Opens a page of the site and returns what it did: console errors, non-file requests, dialogs. */
  async function open(file: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => (errors.push(`dialog: ${d.message()}`), void d.dismiss()));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(join(summary.out, file)).href, { waitUntil: 'load' });
    return { page, errors, requests };
  }

  async function checkCanvases(page: Page): Promise<void> {
    const canvases = await page.evaluate(() =>
      [...document.querySelectorAll('canvas')].map((c) => {
        const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
        return { id: c.id, painted, width: c.width };
      }),
    );
    const specs = await page.evaluate(() => (JSON.parse(document.getElementById('chart-data')!.textContent!) as unknown[]).length);
    assert.ok(canvases.length > 0 && canvases.length === specs, `one canvas per chart (${canvases.length} vs ${specs})`);
    for (const c of canvases) assert.ok(c.painted > 500 && c.width > 0, `canvas ${c.id} is drawn (${c.painted} painted pixels)`);
  }

  const onlyLocal = (requests: string[]) => requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'));

  it('index.html: no errors, no network, charts drawn, one row per category plus the mean', async () => {
    const { page, errors, requests } = await open('index.html');
    assert.deepEqual(errors, []);
    assert.deepEqual(onlyLocal(requests), []);
    await checkCanvases(page);
    const rows = await page.$$eval('#main-table-mvtec3d tbody tr', (trs) => trs.map((tr) => tr.querySelector('th')!.textContent!.trim()));
    assert.deepEqual(rows, [...[...CATEGORIES].sort((a, b) => a.localeCompare(b, 'en')), 'Mean']);
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
    assert.ok((await page.textContent('body'))!.includes(EVIL), 'the category name shows as text');
    assert.ok(await page.isVisible('text=Published results on MVTec 3D-AD'));
    // Published numbers and this run's are in different panels: cited rows only in the one, the measured table in the other.
    assert.equal(await page.locator('.published .published-table').count(), 3);
    assert.equal(await page.locator('.published .measured-table').count(), 0);
    assert.equal(await page.locator('.measured .measured-table').count(), 1);
    const publishedRows = await page.$$eval('.published-table tbody th', (ths) => ths.map((th) => th.textContent!.trim()));
    assert.ok(publishedRows.length > 0 && publishedRows.every((name) => /\[\d+\]$/.test(name) && !/this run/i.test(name)), publishedRows.join('; '));
    assert.match((await page.textContent('.measured-table caption'))!, /PRO curve behind AUPRO: 99 thresholds \(sampled\); evaluation resolution: 224 × 224 px\./);
    // The skipped cell leaves one value on fewer seeds than planned: it says so.
    const cells = await page.$$eval('#main-table-mvtec3d tbody td', (tds) => tds.map((td) => td.textContent!.replace(/\s+/g, ' ').trim()));
    assert.ok(cells.some((t) => /^0\.\d{3} \(n=1 of 2\)$/.test(t)), cells.join(' | '));
    await page.screenshot({ path: join(ARTIFACTS, 'report-index.png'), fullPage: true });
    await page.close();
  });

  it('a run with grid values: one column per variant and grid value, legends naming them, no errors', async () => {
    const run = makeFakeRun({ categories: ['bagel', 'cookie'], variants: ['full', 'no-gcn'], seeds: [0, 1], grid: [{ 'train.lr': 0.001 }, { 'train.lr': 0.003 }] });
    const out = mkdtempSync(join(tmpdir(), 'geoad-site-'));
    temp.push(run.dir, out);
    const site = await buildReport({ run: run.dir, out, figures: false, qualitative: false, progress: false });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(pathToFileURL(site.indexPath).href, { waitUntil: 'load' });
    assert.deepEqual(errors, []);
    await checkCanvases(page);
    const columns = await page.$$eval('#main-table-synthetic-small thead tr.sub th', (ths) => ths.map((th) => th.textContent!.trim()));
    assert.deepEqual(columns.slice(0, 4), ['full · lr=0.001', 'full · lr=0.003', 'no-gcn · lr=0.001', 'no-gcn · lr=0.003']);
    const legends = await page.evaluate(() => (JSON.parse(document.getElementById('chart-data')!.textContent!) as { config: { data: { datasets: { label: string }[] } } }[])[0].config.data.datasets.map((d) => d.label));
    assert.deepEqual(legends, columns.slice(0, 4));
    await page.screenshot({ path: join(ARTIFACTS, 'report-grid.png'), fullPage: true });
    await page.close();
  });

  it('a category page: no errors, no network, charts and qualitative images drawn', async () => {
    const file = summary.pages.find((p) => p.includes('bagel'))!;
    const { page, errors, requests } = await open(file);
    assert.deepEqual(errors, []);
    assert.deepEqual(onlyLocal(requests), []);
    await checkCanvases(page);
    const images = await page.$$eval('figure.sample img', (imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth));
    assert.ok(images.length >= 9 && images.every((w) => w > 0), 'qualitative thumbnails decode');
    await page.screenshot({ path: join(ARTIFACTS, 'report-category.png'), fullPage: true });
    await page.close();
  });
});
