// Config validation (errors name the field and allowed values), grid expansion, stable ids and dependencies.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkMvtecCategories } from '../../../orchestrator/matrix/check-categories.js';
import { checkDatasetRoots } from '../../../orchestrator/matrix/check-roots.js';
import { expandMatrix } from '../../../orchestrator/matrix/expand.js';
import { expandGrid, hashParameters } from '../../../orchestrator/matrix/grid.js';
import { applyDatasetRoots, listPresets, loadMatrixConfig, parseMatrixConfig } from '../../../orchestrator/matrix/load-config.js';
import { UsageError } from '../../../orchestrator/util/errors.js';

const base = {
  name: 't',
  datasets: [{ kind: 'synthetic', name: 'syn', synth: { train: 2, test: 14 } }],
  categories: ['bagel', 'cookie'],
  variants: ['full', 'no-gcn'],
  seeds: [0, 1],
  train: { epochs: 2, batchSize: 2, backend: 'cpu' },
};
const context = { run: '/runs/r', configDir: '/cfg', stageWorkers: 1 };

test('expands datasets × categories × variants × seeds into chained jobs', () => {
  const plan = expandMatrix(parseMatrixConfig(base, 'test'), context);
  assert.equal(plan.cells.length, 8);
  const count = (stage: string) => plan.jobs.filter((j) => j.stage === stage).length;
  assert.deepEqual([count('synth'), count('prepare'), count('train'), count('infer'), count('eval'), count('collect'), count('report')], [1, 2, 8, 8, 8, 8, 1]);
  const byId = new Map(plan.jobs.map((j) => [j.id, j]));
  for (const job of plan.jobs) for (const dep of job.deps) assert.ok(byId.has(dep), `${job.id} depends on a planned job`);
  const train = plan.jobs.find((j) => j.stage === 'train')!;
  assert.equal(byId.get(train.deps[0])?.stage, 'prepare');
  assert.equal(byId.get(byId.get(train.deps[0])!.deps[0])?.stage, 'synth');
  const infer = plan.jobs.find((j) => j.stage === 'infer' && j.deps[0] === train.id)!;
  const evalJob = plan.jobs.find((j) => j.stage === 'eval' && j.deps[0] === infer.id)!;
  assert.ok(plan.jobs.some((j) => j.stage === 'collect' && j.deps[0] === evalJob.id));
  const report = plan.jobs.find((j) => j.stage === 'report')!;
  assert.equal(report.waitFor, 'settled');
  assert.equal(report.deps.length, 8);
  assert.deepEqual(train.args.slice(0, 11), ['train', '--data', '/runs/r/data/syn', '--category', 'bagel', '--variant', 'full', '--seed', '0', '--out', `/runs/r/cells/${train.cellId}/model`]);
  assert.ok(train.args.includes('--epochs') && train.args.includes('--backend'));
  assert.equal(train.gpu, false, 'the cpu backend needs no GPU');
});

test('ids are stable hashes of the parameters: the same config gives the same ids, a changed value new ones', () => {
  const a = expandMatrix(parseMatrixConfig(base, 'a'), context).jobs.map((j) => j.id);
  const b = expandMatrix(parseMatrixConfig(structuredClone(base), 'b'), { ...context, run: '/elsewhere' }).jobs.map((j) => j.id);
  assert.deepEqual(a, b, 'independent of the run directory');
  const c = expandMatrix(parseMatrixConfig({ ...base, train: { ...base.train, epochs: 3 } }, 'c'), context).jobs;
  const trainIds = (ids: readonly string[]) => ids.filter((id) => id.startsWith('train-'));
  assert.equal(trainIds(c.map((j) => j.id)).filter((id) => a.includes(id)).length, 0, 'new epochs, new training jobs');
  assert.ok(c.some((j) => j.stage === 'synth' && a.includes(j.id)), 'the synthetic set is unchanged');
  assert.match(a.find((id) => id.startsWith('train-'))!, /^train-syn-bagel-full-s0-[0-9a-f]{8}$/);
});

test('the grid form expands any training option into extra cells, named in the cell overrides', () => {
  const plan = expandMatrix(parseMatrixConfig({ ...base, seeds: { grid: [0] }, train: { ...base.train, lr: { grid: [0.01, 0.001] } } }, 'g'), context);
  assert.equal(plan.cells.length, 8);
  assert.deepEqual([...new Set(plan.cells.map((c) => c.overrides?.['train.lr']))].sort(), [0.001, 0.01]);
  // Labels name the grid values: cells that differ only in them must not read alike (plan, Ctrl-C message, ledger).
  const labels = plan.jobs.filter((j) => j.stage === 'train').map((j) => j.label);
  assert.equal(new Set(labels).size, labels.length);
  assert.ok(labels.includes('train syn/bagel full · lr=0.01 seed 0') && labels.includes('train syn/bagel full · lr=0.001 seed 0'), labels.join('; '));
  assert.equal(expandMatrix(parseMatrixConfig(base, 'p'), context).jobs.find((j) => j.stage === 'train')!.label, 'train syn/bagel full seed 0', 'without a grid as before');
  assert.deepEqual(expandGrid({ b: { grid: [1, 2] }, a: 'x', c: undefined }), [
    { values: { a: 'x', b: 1 }, chosen: { b: 1 } },
    { values: { a: 'x', b: 2 }, chosen: { b: 2 } },
  ]);
  assert.equal(hashParameters({ x: 1, y: [2] }), hashParameters({ y: [2], x: 1 }));
});

test('validation errors name the field and the allowed values', () => {
  const bad = (value: unknown) => assert.throws(() => parseMatrixConfig(value, 'm.yaml'), UsageError);
  assert.throws(() => parseMatrixConfig({ ...base, variants: ['full', 'no-xyz'] }, 'm.yaml'), /m\.yaml: `variants\.1`: .*"no-mfe"/);
  assert.throws(() => parseMatrixConfig({ ...base, datasets: [{ kind: 'kitti', name: 'k' }] }, 'm.yaml'), /`datasets\.0\.kind`: .*synthetic.*mvtec/);
  assert.throws(() => parseMatrixConfig({ ...base, train: { epochs: 0 } }, 'm.yaml'), /`train\.epochs`/);
  assert.throws(() => parseMatrixConfig({ ...base, train: { epochs: { grid: [] } } }, 'm.yaml'), /`train\.epochs\.grid`: a grid needs at least one value/);
  assert.throws(() => parseMatrixConfig({ ...base, train: { epocs: 2 } }, 'm.yaml'), /epocs/);
  assert.throws(() => parseMatrixConfig({ ...base, seeds: [-1] }, 'm.yaml'), /`seeds\.0`/);
  assert.throws(() => parseMatrixConfig({ ...base, categories: undefined }, 'm.yaml'), /`datasets\.0\.categories`: give the categories/);
  bad({ ...base, datasets: [] });
  bad({ ...base, datasets: [base.datasets[0], base.datasets[0]] });
});

test('a value listed twice is an error naming the file and the field, not a duplicate job', () => {
  const dir = mkdtempSync(join(tmpdir(), 'geoad-dup-'));
  try {
    const file = join(dir, 'dup-seeds.yaml');
    writeFileSync(file, 'datasets: [{kind: synthetic, name: s}]\ncategories: [bagel]\nseeds: [0, 1, 0]\n');
    assert.throws(() => loadMatrixConfig({ config: file }), (e: Error) => e instanceof UsageError && e.message === `Invalid matrix config in ${file}: \`seeds.2\`: duplicate seed \`0\`: list each value once`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => parseMatrixConfig({ ...base, categories: ['bagel', 'bagel'] }, 'm'), /`categories\.1`: duplicate category `bagel`/);
  assert.throws(() => parseMatrixConfig({ ...base, variants: ['full', 'full'] }, 'm'), /`variants\.1`: duplicate variant `full`/);
  assert.throws(() => parseMatrixConfig({ ...base, train: { ...base.train, lr: { grid: [0.1, 0.1] } } }, 'm'), /`train\.lr\.grid\.1`: duplicate grid value `0\.1`/);
});

test('mvtec roots come from the config or --dataset-root; a missing one is a usage error', () => {
  const config = parseMatrixConfig({ ...base, datasets: [{ kind: 'mvtec', name: 'mvtec' }] }, 'm');
  assert.throws(() => expandMatrix(config, context), /`mvtec` \(mvtec\) has no `root`.*--dataset-root mvtec=PATH/);
  const plan = expandMatrix(applyDatasetRoots(config, ['mvtec=/data/mvtec3d']), context);
  assert.equal(plan.datasets[0].root, '/data/mvtec3d');
  assert.ok(!plan.jobs.some((j) => j.stage === 'synth'));
  assert.throws(() => applyDatasetRoots(config, ['other=/x']), /name an mvtec dataset.*`mvtec`/);
  assert.throws(() => applyDatasetRoots(config, ['mvtec']), /NAME=PATH/);
});

test('an mvtec root that does not exist is a usage error naming datasets.N.root and the path', () => {
  const config = (root: string) => parseMatrixConfig({ ...base, datasets: [base.datasets[0], { kind: 'mvtec', name: 'mv', root }] }, 'm');
  assert.throws(() => checkDatasetRoots(config('/nonexistent/mvtec3d'), '/cfg', 'm.yaml'), (e: Error) => e instanceof UsageError && e.message.startsWith('Invalid matrix config in m.yaml: `datasets.1.root`: /nonexistent/mvtec3d does not exist'));
  // After --dataset-root the checked path is the given one; a relative root resolves against the config's folder.
  assert.throws(() => checkDatasetRoots(applyDatasetRoots(config('/data'), ['mv=/nonexistent/other']), '/cfg', 'm'), /`datasets\.1\.root`: \/nonexistent\/other does not exist .*--dataset-root mv=PATH/);
  assert.throws(() => checkDatasetRoots(config('mvtec3d'), '/nonexistent-cfg', 'm'), /\/nonexistent-cfg\/mvtec3d does not exist/);
  checkDatasetRoots(config(tmpdir()), '/cfg', 'm');
});

test('the presets load and validate; unknown presets list the known ones', () => {
  assert.deepEqual(listPresets(), ['paper', 'quick']);
  const quick = loadMatrixConfig({ preset: 'quick' });
  assert.deepEqual(quick.config.variants, ['full', 'no-mfe', 'no-gcn', 'no-nla']);
  assert.equal(quick.config.seeds.length, 1);
  const paper = loadMatrixConfig({ preset: 'paper' });
  assert.equal(paper.config.seeds.length, 3);
  assert.ok(paper.config.datasets.some((d) => d.kind === 'mvtec'));
  assert.throws(() => loadMatrixConfig({ preset: 'huge' }), /`--preset` to be one of `paper`, `quick`, got `huge`/);
  assert.throws(() => loadMatrixConfig({}), /either a CONFIG file or `--preset NAME`/);
  assert.throws(() => loadMatrixConfig({ config: '/nonexistent/m.yaml' }), /Cannot read config file \/nonexistent\/m\.yaml/);
});

test('prepare options reach every downstream id and the training command, so a change never reuses stale outputs', () => {
  const ids = (prepare: object) => expandMatrix(parseMatrixConfig({ ...base, prepare }, 'p'), context).jobs.map((j) => j.id);
  const plain = ids({});
  assert.deepEqual(ids({ workers: 3 }).filter((id) => !id.startsWith('prepare-')), plain.filter((id) => !id.startsWith('prepare-')), 'the thread count changes no result');
  const changed = ids({ distanceThreshold: 0.01 });
  for (const stage of ['prepare', 'train', 'infer', 'eval', 'collect']) {
    const before = plain.filter((id) => id.startsWith(`${stage}-`));
    assert.equal(changed.filter((id) => before.includes(id)).length, 0, `new ${stage} jobs for a new distance threshold`);
  }
  assert.ok(changed.some((id) => id.startsWith('synth-') && plain.includes(id)), 'the synthetic set is unchanged');
  assert.notDeepEqual(ids({ distanceThreshold: 0.01, seed: 1 }), changed, 'the RANSAC seed counts too');

  const plan = expandMatrix(parseMatrixConfig({ ...base, prepare: { distanceThreshold: 0.01, largestComponent: true, seed: 7, fpfhRadius: 'auto', workers: 2 } }, 'p'), context);
  const train = plan.jobs.find((j) => j.stage === 'train')!;
  const prepare = plan.jobs.find((j) => j.stage === 'prepare')!;
  const after = (args: readonly string[], flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  // `geoad train` reads the cache with the same options `geoad data prepare` wrote it with (the RANSAC seed is --prepare-seed there).
  assert.deepEqual(['--distance-threshold', '--largest-component', '--prepare-seed', '--fpfh-radius'].map((f) => after(train.args, f)), ['0.01', 'true', '7', 'auto']);
  assert.deepEqual(['--distance-threshold', '--largest-component', '--seed', '--fpfh-radius'].map((f) => after(prepare.args, f)), ['0.01', 'true', '7', 'auto']);
  assert.equal(after(train.args, '--seed'), '0', 'train --seed stays the training seed');
  // Train and infer fill cache misses with the stage's share of the threads, not every CPU of the machine.
  assert.equal(after(train.args, '--workers'), String(context.stageWorkers));
  assert.equal(after(plan.jobs.find((j) => j.stage === 'infer')!.args, '--workers'), String(context.stageWorkers));
  const bare = expandMatrix(parseMatrixConfig(base, 'p'), context).jobs.find((j) => j.stage === 'train')!;
  assert.ok(!bare.args.some((a) => ['--distance-threshold', '--largest-component', '--prepare-seed', '--fpfh-radius'].includes(a)), 'only options the config sets are passed');
});

test('options of shared upstream jobs reject the grid form, saying why and where grids are allowed', () => {
  const gridError = /cannot take the grid form: it decides the .*shared by every cell; the grid form is allowed on `categories`, `variants`, `seeds` and the `train` \(except `imageSize` and `geometricGrid`\), `infer` and `eval` options/;
  for (const [config, field] of [
    [{ ...base, prepare: { distanceThreshold: { grid: [0.005, 0.01] } } }, 'prepare.distanceThreshold'],
    [{ ...base, train: { ...base.train, imageSize: { grid: [112, 224] } } }, 'train.imageSize'],
    [{ ...base, train: { ...base.train, geometricGrid: { grid: [28, 56] } } }, 'train.geometricGrid'],
    [{ ...base, datasets: [{ kind: 'synthetic', name: 'syn', synth: { train: { grid: [2, 4] } } }] }, 'datasets.0.synth.train'],
  ] as const) {
    assert.throws(() => parseMatrixConfig(config, 'm.yaml'), (e: Error) => e.message.includes(`\`${field}\`: `) && gridError.test(e.message), field);
  }
  assert.equal(parseMatrixConfig({ ...base, train: { ...base.train, imageSize: 112 } }, 'm').train.imageSize, 112, 'a single value is fine');
});

test("categories are checked: the generator's for synthetic sets, the allowed values listed", () => {
  const names = /expected one of `bagel`, `cookie`, .*`cable_gland`/;
  assert.throws(() => parseMatrixConfig({ ...base, categories: ['bagel', 'bagle'] }, 'm.yaml'), (e: Error) => /m\.yaml: `categories\.1`: unknown category `bagle` for synthetic dataset `syn`/.test(e.message) && names.test(e.message));
  assert.throws(() => parseMatrixConfig({ ...base, datasets: [{ ...base.datasets[0], categories: ['toaster'] }] }, 'm.yaml'), /`datasets\.0\.categories\.0`: unknown category `toaster`/);
});

test("mvtec categories are checked against the root's folders, or the ten MVTec 3D-AD categories before it exists", () => {
  const mvtec = (categories: string[], root?: string) => parseMatrixConfig({ ...base, categories, datasets: [{ kind: 'mvtec', name: 'mv', ...(root ? { root } : {}) }] }, 'm');
  checkMvtecCategories(mvtec(['bagel', 'cable_gland']), '/cfg', 'm.yaml');
  assert.throws(() => checkMvtecCategories(mvtec(['bagel', 'bagle']), '/cfg', 'm.yaml'), /m\.yaml: `categories\.1`: unknown category `bagle` for mvtec dataset `mv` \(the MVTec 3D-AD categories\): expected one of `bagel`, .*`tire`/);
  const root = mkdtempSync(join(tmpdir(), 'geoad-mvtec-root-'));
  try {
    for (const c of ['widget', 'gadget', '.geoad-cache']) mkdirSync(join(root, c));
    checkMvtecCategories(mvtec(['widget'], root), '/cfg', 'm');
    assert.throws(() => checkMvtecCategories(mvtec(['bagel'], root), '/cfg', 'm'), new RegExp(`unknown category \`bagel\` for mvtec dataset \`mv\` \\(the category folders of ${root}\\): expected one of \`gadget\`, \`widget\`$`));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('eval.proThresholds names both allowed forms', () => {
  assert.throws(() => parseMatrixConfig({ ...base, eval: { proThresholds: 'many' } }, 'm.yaml'), /`eval\.proThresholds`: expected "exact" .* or an integer ≥ 2/);
  assert.throws(() => parseMatrixConfig({ ...base, eval: { proThresholds: 1 } }, 'm.yaml'), /`eval\.proThresholds`: expected "exact"/);
  assert.equal(parseMatrixConfig({ ...base, eval: { proThresholds: 99 } }, 'm').eval.proThresholds, 99);
  assert.deepEqual(parseMatrixConfig({ ...base, eval: { proThresholds: { grid: ['exact', 99] } } }, 'm').eval.proThresholds, { grid: ['exact', 99] });
});
