// The cell result: built from the eval result and the training summary or log; bad inputs name their file.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildCellResult, collectCell, readTrainingSummary, summarizeTrainLog } from '../../../orchestrator/matrix/collect-cell.js';
import type { CollectSpec } from '../../../orchestrator/matrix/job-spec.js';
import type { CategoryMetrics, EvalResult } from '../../../pipelines/eval/types.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'geoad-collect-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const cell = { id: 'syn-bagel-full-s0-12345678', dataset: 'syn', datasetKind: 'synthetic' as const, category: 'bagel', variant: 'full' as const, seed: 0 };
const metrics = { category: 'bagel', iAuroc: 0.9, pAuroc: 0.95, aupro: { '0.3': 0.8 } } as unknown as CategoryMetrics;
const evalResult = { schema: 'geoad-eval', version: 1, proCurveMode: 'sampled-99', resolution: 224, categories: [metrics] } as unknown as EvalResult;

test('the training log gives the loss curve; an epoch re-run after a resume replaces the earlier one', () => {
  const log = [
    { event: 'start', backend: 'wasm', parameterCount: 1234 },
    { event: 'step', step: 1, loss: 3 },
    { event: 'epoch', epoch: 1, trainLoss: 2, validationLoss: 2.5 },
    { event: 'epoch', epoch: 2, trainLoss: 1.6, validationLoss: null },
    { event: 'resume', backend: 'cpu', parameterCount: 1234 },
    { event: 'epoch', epoch: 2, trainLoss: 1.5, validationLoss: 1.7 },
    { event: 'epoch', epoch: 3, trainLoss: 1, validationLoss: 1.2 },
  ].map((e) => JSON.stringify(e)).join('\n');
  assert.deepEqual(summarizeTrainLog(log, 'log'), { backend: 'cpu', epochs: 3, finalLoss: 1, validationLoss: 1.2, lossCurve: [2, 1.5, 1], parameterCount: 1234 });
  assert.throws(() => summarizeTrainLog('{"event":"start"}\nnot json', '/m/train-log.jsonl'), /\/m\/train-log\.jsonl: line 2 is not JSON/);
  assert.throws(() => summarizeTrainLog('{"event":"start"}', '/m/train-log.jsonl'), /holds no finished epoch/);
});

test('collectCell writes the CellResult with metrics, training and durations', async () => {
  const modelDir = join(dir, 'model');
  mkdirSync(modelDir, { recursive: true });
  writeFileSync(join(modelDir, 'summary.json'), JSON.stringify({ backend: 'wasm', epochs: 2, finalLoss: 0.5, validationLoss: 0.6, lossCurve: [1, 0.5], parameterCount: 99 }));
  const evalPath = join(dir, 'eval.json');
  writeFileSync(evalPath, JSON.stringify(evalResult));
  const spec: CollectSpec = { cell, evalPath, modelDir, mapsDir: join(dir, 'maps'), dataRoot: join(dir, 'data'), stageJobs: { train: 't', infer: 'i', eval: 'e' } };
  const out = join(dir, 'results', `${cell.id}.json`);
  await collectCell(spec, out, { train: 2.5, infer: 1, eval: 0.5 });
  const written = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(written.schema, 'geoad-cell-result');
  assert.deepEqual(written.cell, cell);
  assert.equal(written.metrics.iAuroc, 0.9);
  assert.deepEqual(written.training, { epochs: 2, finalLoss: 0.5, validationLoss: 0.6, lossCurve: [1, 0.5], parameterCount: 99 });
  assert.equal(written.backend, 'wasm');
  assert.deepEqual(written.durations, { train: 2.5, infer: 1, eval: 0.5 });
  // How AUPRO was computed and at which resolution travel with the metrics, for the report to say.
  assert.deepEqual(written.evaluation, { proCurveMode: 'sampled-99', resolution: 224 });
  const exact = buildCellResult(spec, { ...evalResult, proCurveMode: 'exact', resolution: null } as EvalResult, { backend: 'cpu', epochs: 1, finalLoss: 1, validationLoss: null, lossCurve: [1], parameterCount: 1 }, {});
  assert.deepEqual(exact.evaluation, { proCurveMode: 'exact', resolution: null });
});

test('missing or wrong inputs fail with the file named', async () => {
  const spec: CollectSpec = { cell, evalPath: join(dir, 'none.json'), modelDir: join(dir, 'nomodel'), mapsDir: '', dataRoot: '', stageJobs: { train: 't', infer: 'i', eval: 'e' } };
  await assert.rejects(collectCell(spec, join(dir, 'x.json'), {}), /none\.json: cannot read JSON/);
  assert.throws(() => readTrainingSummary(join(dir, 'nomodel')), /nomodel: holds neither summary\.json nor train-log\.jsonl/);
  const noMode = join(dir, 'no-mode.json');
  writeFileSync(noMode, JSON.stringify({ ...evalResult, proCurveMode: undefined }));
  await assert.rejects(collectCell({ ...spec, evalPath: noMode }, join(dir, 'x.json'), {}), /no-mode\.json: has no `proCurveMode`/);
  const other = { ...evalResult, categories: [{ ...metrics, category: 'cookie' }] } as EvalResult;
  assert.throws(() => buildCellResult({ ...spec, evalPath: '/e.json' }, other, { backend: 'cpu', epochs: 1, finalLoss: 1, validationLoss: null, lossCurve: [1], parameterCount: 1 }, {}), /\/e\.json: holds no metrics for category `bagel`/);
});
