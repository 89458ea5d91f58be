// Detection quality of the reconstructor on a small rendered set: for each category × variant × visual extractor,
// train → infer → eval, printing validation loss vs the mean-feature baseline, I-AUROC and AUPRO@0.3 as a table.
// Used to choose the default visual features and for docs/benchmarks.md. Builds nothing: run `npm run build` first.
//   node bench/train-quality.mjs [--out DIR] [--train N] [--validation N] [--test N] [--epochs N]
//                                [--variants full,no-mfe,...] [--visual colour-gradient,conv-encoder] [--seed N]
import { existsSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluate } from '../dist/pipelines/eval/index.js';
import { renderDataset } from '../dist/pipelines/synth/index.js';
import { infer, train } from '../dist/pipelines/train/index.js';

const { values: a } = parseArgs({
  options: {
    out: { type: 'string', default: join(os.tmpdir(), 'geoad-train-quality') },
    categories: { type: 'string', default: 'bagel,cookie' },
    train: { type: 'string', default: '80' },
    validation: { type: 'string', default: '20' },
    test: { type: 'string', default: '60' },
    epochs: { type: 'string', default: '15' },
    variants: { type: 'string', default: 'full,no-mfe,no-gcn,no-nla' },
    visual: { type: 'string', default: 'colour-gradient' },
    seed: { type: 'string', default: '0' },
    'data-seed': { type: 'string', default: '11' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const categories = a.categories.split(',');
const data = join(a.out, 'data');
if (!existsSync(join(data, 'manifest.json'))) {
  console.error(`rendering ${data} …`);
  await renderDataset({ out: data, train: Number(a.train), validation: Number(a.validation), test: Number(a.test), categories, workers: 1, progress: 'off', seed: Number(a['data-seed']) });
}
const rows = [];
for (const visual of a.visual.split(',')) {
  for (const variant of a.variants.split(',')) {
    for (const category of categories) {
      const tag = `${category}-${variant}-${visual}-s${a.seed}`;
      const model = join(a.out, 'models', tag);
      const started = Date.now();
      const t = existsSync(join(model, 'summary.json'))
        ? JSON.parse((await import('node:fs')).readFileSync(join(model, 'summary.json'), 'utf8'))
        : await train({ data, category, variant, visual, out: model, epochs: Number(a.epochs), seed: Number(a.seed), backend: a.backend, progress: 'none' }, { print: (l) => console.error(l) });
      const maps = join(a.out, 'maps', tag);
      await infer({ model, data, category, out: maps, backend: a.backend, progress: 'none' });
      const result = await evaluate({ mapsDir: maps, dataRoot: data, categories: [category], progress: false, workers: 1 });
      const m = result.categories[0];
      rows.push({ category, variant, visual, validationLoss: t.validationLoss, baseline: t.baselineValidationLoss, iAuroc: m.iAuroc, pAuroc: m.pAuroc, aupro: m.aupro['0.3'], seconds: (Date.now() - started) / 1000 });
      console.error(`${tag}: I-AUROC ${m.iAuroc.toFixed(3)}, AUPRO@0.3 ${m.aupro['0.3'].toFixed(3)}`);
    }
  }
}
console.log(`geoad train-quality — ${new Date().toISOString()} — data ${data} (train ${a.train}, validation ${a.validation}, test ${a.test} over ${categories.length} categories, data seed ${a['data-seed']}), epochs ${a.epochs}, seed ${a.seed}, backend ${a.backend}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('');
console.log('| category | variant | visual | val. loss | mean baseline | I-AUROC | P-AUROC | AUPRO@0.3 | s |');
console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
const f = (x) => (x === null || x === undefined ? '—' : x.toFixed(3));
for (const r of rows) console.log(`| ${r.category} | ${r.variant} | ${r.visual} | ${f(r.validationLoss)} | ${f(r.baseline)} | ${f(r.iAuroc)} | ${f(r.pAuroc)} | ${f(r.aupro)} | ${r.seconds.toFixed(0)} |`);
const groups = new Map();
for (const r of rows) {
  const key = `${r.variant} | ${r.visual}`;
  const g = groups.get(key) ?? [];
  g.push(r);
  groups.set(key, g);
}
console.log('\n| variant | visual | mean I-AUROC | mean AUPRO@0.3 |');
console.log('| --- | --- | ---: | ---: |');
for (const [key, g] of groups) console.log(`| ${key} | ${f(g.reduce((s, r) => s + r.iAuroc, 0) / g.length)} | ${f(g.reduce((s, r) => s + r.aupro, 0) / g.length)} |`);
