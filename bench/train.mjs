// Training throughput: samples/s per backend and variant at fixed shapes, next to the PyTorch twin
// (bench/train_torch.py, CPU) as a ratio. The goal compares at the same threads: tfjs-backend-wasm runs on one
// thread under Node (its multithreaded build needs browser workers), so the twin runs with 1 thread; its 2-thread
// rate is printed beside it. Run with `npm run bench:train` (builds first).
// Shapes: batch 8, visual 28×28×25 (colour/gradient features), hidden 64, attention 32, geometric 56×56×39.
// BENCH_STEPS (default 10; cpu uses a third) sets the timed steps; BENCH_BACKENDS (default wasm,cpu) the backends.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '../dist/pipelines/model/backend.js';
import { VARIANTS } from '../dist/pipelines/model/network.js';
import { createRng } from '../dist/pipelines/model/random.js';
import { packFeatureSet } from '../dist/pipelines/train/feature-set.js';
import { buildModel } from '../dist/pipelines/train/geoad-model.js';
import { runTrainStep } from '../dist/pipelines/train/loop.js';
import { createAdamW } from '../dist/pipelines/train/optimizer.js';

const BATCH = 8;
const GV = 28;
const GG = 56;
const CG = 39;
const STEPS = Number(process.env.BENCH_STEPS ?? 10);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'wasm,cpu').split(',');

function randomSet(count, inputShape) {
  const rng = createRng(1);
  const rand = (n) => Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
  const samples = Array.from({ length: count }, () => ({
    input: rand(inputShape[0] * inputShape[1] * inputShape[2]),
    target: rand(GG * GG * CG),
    mask: Uint8Array.from({ length: GG * GG }, () => (rng.next() > 0.3 ? 1 : 0)),
  }));
  return packFeatureSet(samples, inputShape, GG, CG);
}

async function measure(backend, variant, visualKind) {
  await selectBackend(backend);
  const encoder = visualKind === 'conv-encoder';
  const model = await buildModel({
    schema: 'geoad-model',
    version: 1,
    reconstructor: { variant, visualChannels: encoder ? 48 : 25, geometricChannels: CG, visualGrid: GV, geometricGrid: GG, hidden: 64, attentionDim: 32 },
    visual: { kind: visualKind },
    imageSize: 224,
    seed: 0,
    visualStats: null,
    geometricStats: { mean: new Array(CG).fill(0), std: new Array(CG).fill(1) },
  });
  const optimizer = createAdamW(model.variables, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-4, clipNorm: 1 });
  const set = randomSet(BATCH, encoder ? [224, 224, 3] : [GV, GV, 25]);
  const indices = Array.from({ length: BATCH }, (_, i) => i);
  const steps = backend === 'cpu' ? Math.max(1, Math.round(STEPS / 3)) : STEPS;
  for (let s = 0; s < 2; s++) runTrainStep(model, optimizer, set, indices, 1e-3, { epoch: 0, step: s });
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (let s = 0; s < steps; s++) runTrainStep(model, optimizer, set, indices, 1e-3, { epoch: 1, step: s });
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  // CPU time of all the process's threads over wall time: how many cores the backend really used.
  const cores = (cpu.user + cpu.system) / 1e6 / seconds;
  const result = { backend, variant: encoder ? `${variant}+conv-encoder` : variant, samplesPerSecond: (steps * BATCH) / seconds, steps, parameters: model.parameterCount, cores };
  optimizer.dispose();
  model.dispose();
  return result;
}

function runTorch(threads) {
  const script = fileURLToPath(new URL('./train_torch.py', import.meta.url));
  // OpenBLAS and OpenMP keep their own thread pools; pin them too so "1 thread" means one core.
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
  try {
    const out = execFileSync('/usr/bin/python3', [script, '--steps', String(STEPS), '--threads', String(threads)], { encoding: 'utf8', env });
    return new Map(out.trim().split('\n').map((line) => JSON.parse(line)).map((r) => [r.variant, r]));
  } catch (error) {
    console.log(`PyTorch twin (${threads} thread(s)) unavailable: ${error.message.split('\n')[0]}`);
    return new Map();
  }
}

const rows = [];
for (const backend of BACKENDS) {
  for (const variant of VARIANTS) rows.push(await measure(backend, variant, 'colour-gradient'));
  if (backend === 'wasm') rows.push(await measure(backend, 'full', 'conv-encoder'));
}
const torch1 = runTorch(1);
const torch2 = runTorch(2);
console.log(`geoad bench:train — ${new Date().toISOString()} — ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`batch ${BATCH}, visual ${GV}×${GV}×25, hidden 64, attention 32, geometric ${GG}×${GG}×${CG}; ${STEPS} timed steps (cpu ${Math.max(1, Math.round(STEPS / 3))}) after 2 warm-up steps`);
console.log('');
console.log('| backend | variant | parameters | samples/s | cores used | PyTorch 1 thread | ÷ tfjs | PyTorch 2 threads | ÷ tfjs |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const cell = (t, r) => (t ? [t.samplesPerSecond.toFixed(1), (t.samplesPerSecond / r.samplesPerSecond).toFixed(2)] : ['—', '—']);
for (const r of rows) {
  console.log(`| ${r.backend} | ${r.variant} | ${r.parameters} | ${r.samplesPerSecond.toFixed(1)} | ${r.cores.toFixed(2)} | ${cell(torch1.get(r.variant), r).join(' | ')} | ${cell(torch2.get(r.variant), r).join(' | ')} |`);
}
console.log('\nGoal: wasm within 2× of PyTorch CPU at the same threads (1):');
for (const r of rows.filter((row) => row.backend === 'wasm')) {
  const t = torch1.get(r.variant);
  if (!t) continue;
  const ratio = t.samplesPerSecond / r.samplesPerSecond;
  console.log(`  ${r.variant.padEnd(7)} ${ratio.toFixed(2)}× — ${ratio <= 2 ? 'met' : 'NOT met'}`);
}
