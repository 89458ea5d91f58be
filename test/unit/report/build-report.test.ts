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
    assert.deepEqual(summary.cells, { planned: 8, finished: 6, missing: 2, superseded: 0 });
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

  it('gives each variant with its grid values its own rows and columns (loaded from the results), everywhere', async () => {
    const grid = [{ 'train.lr': 0.001 }, { 'train.lr': 0.003 }];
    const ours = track(makeFakeRun({ grid, images: true, categories: ['bagel'], seeds: [0, 1] }));
    const theirs = track(makeFakeRun({ name: 'theirs', grid, categories: ['bagel'], seeds: [0, 1], offset: 0.05 }));
    const summary = await buildReport({ run: ours.dir, compare: [theirs.dir], out: siteDir(), figures: false, progress: false });
    // Handlebars writes `=` as `&#x3D;`.
    const read = (path: string) => readFileSync(path, 'utf8').replaceAll('&#x3D;', '=');
    const html = read(summary.indexPath);
    const arms = ['full · lr=0.001', 'full · lr=0.003', 'no-mfe · lr=0.001', 'no-mfe · lr=0.003'];
    const main = /<table class="metrics stacked" id="main-table-synthetic-small">[\s\S]*?<\/table>/.exec(html)![0];
    assert.deepEqual([...main.matchAll(/<tr class="sub">([\s\S]*?)<\/tr>/g)][0][1].match(/<th>[^<]*<\/th>/g)!.slice(0, 4), arms.map((a) => `<th>${a}</th>`));
    // Each arm averages its own two seeds, not the cells of the other lr.
    const values = readdirSync(join(ours.dir, 'results')).map((f) => JSON.parse(readFileSync(join(ours.dir, 'results', f), 'utf8')));
    const own = values.filter((r) => r.cell.variant === 'full' && r.cell.overrides['train.lr'] === 0.003).map((r) => r.metrics.iAuroc);
    assert.equal(own.length, 2);
    const bagel = /<tr><th scope="row"><a [^>]*>bagel<\/a><\/th>(<td[^>]*>[\s\S]*?<\/td>){2}/.exec(main)![0];
    assert.match(bagel.split('<td').at(-1)!, new RegExp(`>${((own[0] + own[1]) / 2).toFixed(3)} <span class="std">± ${(Math.abs(own[0] - own[1]) / Math.SQRT2).toFixed(3)}</span>`));
    assert.match(html, /<th scope="row">Grid values<\/th><td>train\.lr: 0\.001, 0\.003<\/td>/);
    const ablation = /<table class="metrics" id="ablation-table-synthetic-small">[\s\S]*?<\/table>/.exec(html)![0];
    assert.deepEqual([...ablation.matchAll(/<th scope="row">([^<]*)<\/th>/g)].map((m) => m[1]), arms);
    assert.match(html, /differences to the full arm with the same grid values/);
    assert.match(html, /<tr><th scope="row">bagel<\/th><td class="text">full · lr=0\.003<\/td><td>1<\/td>/, 'threshold rows name the arm');
    assert.match(html, /<th scope="row">full · lr=0\.003 · bagel<\/th>/, 'compare rows name the arm');
    const page = read(join(summary.out, summary.pages[0]));
    assert.match(page, /Maps of variant <code>full · lr=0\.001<\/code>, seed 0/);
    assert.match(page, /"label":"no-mfe · lr=0\.003 \(seed 1\)"/, 'loss legends name the arm');
    assert.match(page, /<th scope="row">full · lr=0\.003, seed 1<\/th>/, 'per-seed rows name the arm');
  });

  it('reports only the cells run.json plans: results of superseded cells are counted and left out', async () => {
    const run = track(makeFakeRun({ categories: ['bagel'], variants: ['full'], seeds: [0, 1] }));
    const before = readFileSync((await buildReport({ run: run.dir, out: siteDir(), figures: false, qualitative: false, progress: false })).indexPath, 'utf8');
    // A result of an earlier config of this run: same category, variant and seed, other cell id, very different values.
    const old = JSON.parse(readFileSync(join(run.dir, 'results', 'c000.json'), 'utf8'));
    old.cell.id = 'old-config-cell';
    old.metrics.iAuroc = 0;
    writeFileSync(join(run.dir, 'results', 'old-config-cell.json'), JSON.stringify(old));
    writeFileSync(join(run.dir, 'results', 'older.json'), '{ even unreadable');
    const summary = await buildReport({ run: run.dir, out: siteDir(), figures: false, qualitative: false, progress: false });
    assert.deepEqual(summary.cells, { planned: 2, finished: 2, missing: 0, superseded: 2 });
    assert.deepEqual(summary.problems, [], 'a superseded file is not read, so not a problem');
    assert.ok(summary.notices.some((n) => n.startsWith(`2 result file(s) in ${join(run.dir, 'results')} are left out`)));
    const html = readFileSync(summary.indexPath, 'utf8');
    assert.match(html, /<th scope="row">Cells<\/th><td>2 planned, 2 finished, 0 missing; 2 superseded result\(s\) left out<\/td>/);
    const table = (h: string) => /<table class="metrics stacked"[\s\S]*?<\/table>/.exec(h)![0];
    assert.equal(table(html), table(before), 'the same numbers as without the superseded results');
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
  it('takes --progress auto|plain|off (default auto); --no-progress still means off', async () => {
    const progressOf = async (args: string[]) => {
      let parsed: Record<string, unknown> | undefined;
      await yargs(['report', 'runs/a', ...args]).command({ ...reportCommand, handler: (argv) => { parsed = argv as unknown as Record<string, unknown>; } }).strict().fail((message) => { throw new Error(message); }).parseAsync();
      return toReportOptions(parsed as never).progress;
    };
    assert.equal(await progressOf([]), 'auto');
    assert.equal(await progressOf(['--progress', 'plain']), 'plain');
    assert.equal(await progressOf(['--progress', 'off']), 'off');
    assert.equal(await progressOf(['--no-progress']), 'off');
    await assert.rejects(progressOf(['--progress', 'sometimes']), /Invalid values:[\s\S]*progress[\s\S]*"auto", "plain", "off"/);
    await assert.rejects(buildReport({ run: tmpdir(), progress: 'loud' as never }), /Expected `--progress` to be one of/);
  });

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
