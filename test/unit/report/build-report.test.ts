import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import yargs from 'yargs';
import { reportCommand, toReportOptions } from '../../../orchestrator/cli/report.js';
import { DataError, UsageError } from '../../../orchestrator/util/errors.js';
import { buildReport } from '../../../reports/index.js';
import { pickSamples } from '../../../reports/qualitative.js';
import { makeFakeRun } from './make-run.js';

const dirs: string[] = [];
const track = <T extends { dir: string }>(x: T) => (dirs.push(x.dir), x);
const siteDir = () => track({ dir: mkdtempSync(join(tmpdir(), 'geoad-site-')) }).dir;
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('buildReport', () => {
  it('renders a partial run: what exists, and which cells are missing', async () => {
    const { dir, cells } = track(makeFakeRun({ skip: [1, 6] }));
    const out = siteDir();
    const summary = await buildReport({ run: dir, out, figures: false, qualitative: false, progress: false });
    assert.deepEqual(summary.cells, { planned: 8, finished: 6, missing: 2 });
    assert.deepEqual(summary.pages, ['cat-synthetic-small-bagel.html', 'cat-synthetic-small-cookie.html']);
    const html = readFileSync(summary.indexPath, 'utf8');
    assert.match(html, /running — 6 of 8 cells finished/);
    assert.ok(html.includes(cells[1].id) && html.includes(cells[6].id), 'missing cell ids are listed');
    assert.match(html, /leave out categories without results|2 planned cells have no result yet/);
  });

  it('lists an invalid result file as a problem naming the file and field, and renders the rest', async () => {
    const { dir } = track(makeFakeRun());
    const bad = join(dir, 'results', 'c002.json');
    const value = JSON.parse(readFileSync(bad, 'utf8'));
    value.metrics.iAuroc = 1.7;
    writeFileSync(bad, JSON.stringify(value));
    writeFileSync(join(dir, 'results', 'c003.json'), '{ not json');
    const summary = await buildReport({ run: dir, out: siteDir(), figures: false, qualitative: false, progress: false });
    assert.equal(summary.problems.length, 2);
    assert.ok(summary.problems.some((p) => p.includes('c002.json') && p.includes('metrics.iAuroc')));
    assert.ok(summary.problems.some((p) => p.includes('c003.json') && p.includes('not valid JSON')));
    assert.equal(summary.cells.missing, 2);
    assert.match(readFileSync(summary.indexPath, 'utf8'), /metrics\.iAuroc/);
  });

  it('rejects a missing run directory (usage) and a corrupt run.json (data)', async () => {
    await assert.rejects(buildReport({ run: join(tmpdir(), 'no-such-run-dir-xyz'), progress: false }), (e) => e instanceof UsageError && /RUN/.test(e.message));
    const { dir } = track(makeFakeRun());
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ schema: 'geoad-run', version: 1 }));
    await assert.rejects(buildReport({ run: dir, out: siteDir(), progress: false }), (e) => e instanceof DataError && e.message.includes('run.json'));
    await assert.rejects(buildReport({ run: dir, figureWidth: 0, progress: false }), /Expected `--figure-width` to be an integer from 200 to 4000, got `0`/);
  });

  it('is deterministic: the same run renders byte-identical pages and figures', async () => {
    const { dir } = track(makeFakeRun({ images: true, categories: ['bagel'], variants: ['full'], seeds: [0] }));
    const a = siteDir();
    const b = siteDir();
    await buildReport({ run: dir, out: a, progress: false, figureWidth: 400, figureHeight: 300 });
    await buildReport({ run: dir, out: b, progress: false, figureWidth: 400, figureHeight: 300 });
    const files = (d: string) => [...readdirSync(d), ...readdirSync(join(d, 'figures')).map((f) => `figures/${f}`)].filter((f) => f !== 'figures').sort();
    assert.deepEqual(files(a), files(b));
    for (const f of files(a)) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs between renders`);
  });

  it('shows published baselines only next to MVTec 3D-AD runs', async () => {
    const synthetic = track(makeFakeRun({ kind: 'synthetic' }));
    const mvtec = track(makeFakeRun({ kind: 'mvtec', dataset: 'mvtec3d' }));
    const s = await buildReport({ run: synthetic.dir, out: siteDir(), figures: false, qualitative: false, progress: false });
    const m = await buildReport({ run: mvtec.dir, out: siteDir(), figures: false, qualitative: false, progress: false });
    assert.doesNotMatch(readFileSync(s.indexPath, 'utf8'), /Published results on/);
    const html = readFileSync(m.indexPath, 'utf8');
    assert.match(html, /Published results on MVTec 3D-AD/);
    assert.match(html, /BTF \(RGB \+ FPFH\)/);
    assert.match(html, /0\.878/); // BTF's published mean I-AUROC
  });

  it('keeps published numbers and this run apart: cited tables first, then a labelled table of the measured run', async () => {
    const mvtec = track(makeFakeRun({ kind: 'mvtec', dataset: 'mvtec3d', categories: ['bagel', 'carrot'], seeds: [0, 1, 2] }));
    const m = await buildReport({ run: mvtec.dir, out: siteDir(), figures: false, qualitative: false, progress: false });
    const html = readFileSync(m.indexPath, 'utf8');
    const published = html.slice(html.indexOf('<div class="published">'), html.indexOf('<div class="measured">'));
    const publishedTables = published.match(/<table class="metrics published-table">[\s\S]*?<\/table>/g) ?? [];
    assert.equal(publishedTables.length, 3, 'one per published metric: I-AUROC, P-AUROC, AUPRO@0.3');
    for (const table of publishedTables) {
      assert.doesNotMatch(table, /this run|measured/i);
      const rows = table.match(/<tr><th scope="row">/g) ?? [];
      assert.equal((table.match(/<sup><a href="#ref-\d+"/g) ?? []).length, rows.length, 'every published row cites its source');
    }
    assert.equal((published.match(/<div\b/g) ?? []).length, (published.match(/<\/div>/g) ?? []).length, 'the published panel is closed before the measured table');
    const measured = /<div class="measured">[\s\S]*?<table class="metrics measured-table" id="measured-table-mvtec3d">\s*<caption>([^<]*)<\/caption>[\s\S]*?<\/table>/.exec(html);
    assert.ok(measured, 'a separate table of the measured run');
    assert.match(measured[0], /measured here/);
    assert.equal(measured[1], 'This run, variant full, mean over 3 seeds. PRO curve behind AUPRO: 99 thresholds (sampled); evaluation resolution: 224 × 224 px.');
    // Columns in the published order (bagel, cable_gland, carrot, …): this run's two categories measured, the others empty.
    assert.match(measured[0], /<th scope="row">I-AUROC<\/th><td>[0-9.]+<\/td><td>—<\/td><td>[0-9.]+<\/td>(<td>—<\/td>){7}<td class="mean-col">[0-9.]+<\/td>/);
  });

  it('says how AUPRO was computed and at which resolution, in the metadata and the table captions', async () => {
    const run = track(makeFakeRun({ evaluation: { proCurveMode: 'exact', resolution: null } }));
    const html = readFileSync((await buildReport({ run: run.dir, out: siteDir(), figures: false, qualitative: false, progress: false })).indexPath, 'utf8');
    assert.match(html, /<th scope="row">AUPRO curve<\/th><td>exact \(every distinct score a threshold\)<\/td>/);
    assert.match(html, /<th scope="row">Evaluation resolution<\/th><td>each image&#x27;s ground-truth resolution<\/td>/);
    const summary = 'PRO curve behind AUPRO: exact (every distinct score a threshold); evaluation resolution: each image&#x27;s ground-truth resolution.';
    const captions = [...html.matchAll(/<caption>([^<]*)<\/caption>/g)].map((c) => c[1]);
    assert.ok(captions.some((c) => c.startsWith('Mean ± std over seeds per category and variant. Bold: the best variant for that category and metric') && c.endsWith(summary)), 'main table caption');
    assert.ok(captions.some((c) => c.startsWith('Means over categories;') && c.endsWith(summary)), 'ablation table caption');
    // Results written before the cell result recorded it are read, and say so.
    const old = track(makeFakeRun({ evaluation: null }));
    const oldHtml = readFileSync((await buildReport({ run: old.dir, out: siteDir(), figures: false, qualitative: false, progress: false })).indexPath, 'utf8');
    assert.match(oldHtml, /<th scope="row">AUPRO curve<\/th><td>not recorded<\/td>/);
  });

  it('shows the dataset sizes per split', async () => {
    const run = track(makeFakeRun());
    const html = readFileSync((await buildReport({ run: run.dir, out: siteDir(), figures: false, qualitative: false, progress: false })).indexPath, 'utf8');
    assert.match(html, /<th>Train<\/th><th>Validation<\/th><th>Test<\/th>/);
    assert.match(html, /<th scope="row">synthetic-small<\/th><td class="text">synthetic<\/td><td class="text"><code>[^<]*<\/code><\/td><td>10<\/td><td>4<\/td><td>9<\/td>/);
  });

  it('marks regressions against a compared run', async () => {
    const ours = track(makeFakeRun({ name: 'ours' }));
    const theirs = track(makeFakeRun({ name: 'theirs', offset: 0.05 }));
    const summary = await buildReport({ run: ours.dir, compare: [theirs.dir], out: siteDir(), figures: false, qualitative: false, progress: false });
    const html = readFileSync(summary.indexPath, 'utf8');
    assert.match(html, /Against <code>theirs<\/code>/);
    assert.match(html, /<td class="regression">/);
    assert.doesNotMatch(html, /<td class="improvement">/);
    await assert.rejects(buildReport({ run: ours.dir, compare: [ours.dir], progress: false }), /other than RUN/);
  });

  it('renders the qualitative grid from maps and images, and names a corrupt map', async () => {
    const { dir } = track(makeFakeRun({ images: true, categories: ['bagel'], variants: ['full'], seeds: [0] }));
    writeFileSync(join(dir, 'maps', 'full', '0', 'bagel', 'test', 'crack', '001.tiff'), 'garbage');
    const summary = await buildReport({ run: dir, out: siteDir(), figures: false, progress: false });
    assert.equal(summary.problems.length, 1);
    assert.match(summary.problems[0], /crack[/\\]001\.tiff: not a TIFF file/);
    const page = readFileSync(join(summary.out, summary.pages[0]), 'utf8');
    assert.equal((page.match(/<figure class="sample">/g) ?? []).length, 2 + 3 + 3); // crack lost one image
    assert.match(page, /src="data:image\/png;base64,/);
  });
});

describe('pickSamples', () => {
  const images = [{ id: '000', score: 0.5 }, { id: '001', score: 0.9 }, { id: '002', score: 0.1 }, { id: '003', score: 0.5 }];
  it('picks best, median and worst deterministically (ties by id)', () => {
    assert.deepEqual(pickSamples(images, 'crack').map((p) => [p.rank, p.image.id]), [['best', '001'], ['median', '000'], ['worst', '002']]);
    assert.deepEqual(pickSamples(images, 'good').map((p) => [p.rank, p.image.id]), [['best', '002'], ['median', '000'], ['worst', '001']]);
    assert.deepEqual(pickSamples([{ id: '000', score: 1 }], 'x').map((p) => p.rank), ['best']);
  });
});

describe('geoad report (command module)', () => {
  it('maps argv to ReportOptions', async () => {
    let parsed: Record<string, unknown> | undefined;
    await yargs(['report', 'runs/a', '--compare', 'runs/b', 'runs/c', '--out', 'site', '--no-figures', '--regression-tolerance', '0.01'])
      .command({ ...reportCommand, handler: (argv) => { parsed = argv as unknown as Record<string, unknown>; } })
      .strict()
      .parseAsync();
    const options = toReportOptions(parsed as never);
    assert.deepEqual(
      { run: options.run, compare: options.compare, out: options.out, figures: options.figures, qualitative: options.qualitative, tol: options.regressionTolerance },
      { run: 'runs/a', compare: ['runs/b', 'runs/c'], out: 'site', figures: false, qualitative: true, tol: 0.01 },
    );
  });
});
