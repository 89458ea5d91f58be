// `--visual-backbone` with a TensorFlow.js graph model: a hand-written GraphDef fixture (test/fixtures/graph-backbone:
// Placeholder [1, 32, 32, 3] → AvgPool 4×4 → Conv2D 2×2 stride 2 with a 96-byte kernel → Identity, so [1, 4, 4, 2])
// is loaded, run, and checked against the contract; the input side must equal --image-size when loaded.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { DataError, UsageError } from '../../../orchestrator/util/errors.js';
import { selectBackend } from '../../../pipelines/model/backend.js';
import { train } from '../../../pipelines/train/index.js';
import { loadVisualBackbone } from '../../../pipelines/visual/backbone.js';
import { makeDatasetTree, removeTree, syntheticLoader, tinyOptions } from '../train/fixture.js';

const GRAPH = fileURLToPath(new URL('../../fixtures/graph-backbone', import.meta.url));
const root = makeDatasetTree({ train: 4, validation: 1, good: 1, defect: 1 });
const work = mkdtempSync(join(tmpdir(), 'geoad-backbone-'));
before(async () => {
  await selectBackend('cpu');
});
after(() => {
  removeTree(root);
  rmSync(work, { recursive: true, force: true });
});

// ImageNet normalisation of a channel value in 0..255, as the contract states.
const normalise = (value: number, channel: number) => (value / 255 - [0.485, 0.456, 0.406][channel]) / [0.229, 0.224, 0.225][channel];

test('a graph model loads (format graph-model) and its forward pass gives [g, g, C] features', async () => {
  const before = tf.memory().numTensors;
  const backbone = await loadVisualBackbone(GRAPH, { grid: 4, imageSize: 32 });
  assert.equal(backbone.inputSize, 32);
  assert.equal(backbone.channels, 2);
  // Red on the left half (x < 16), black elsewhere. The kernel makes channel 0 the mean of the three normalised
  // colours over a cell's 8×8 pixels and channel 1 the mean of normalised red.
  const rgb = new Uint8Array(32 * 32 * 3);
  for (let y = 0; y < 32; y++) for (let x = 0; x < 16; x++) rgb[(y * 32 + x) * 3] = 255;
  const features = backbone.extract(rgb);
  assert.equal(features.length, 4 * 4 * 2);
  for (let gy = 0; gy < 4; gy++) {
    for (let gx = 0; gx < 4; gx++) {
      const red = gx < 2 ? 255 : 0;
      const expected = [(normalise(red, 0) + normalise(0, 1) + normalise(0, 2)) / 3, normalise(red, 0)];
      for (let c = 0; c < 2; c++) {
        const got = features[(gy * 4 + gx) * 2 + c];
        assert.ok(Math.abs(got - expected[c]) < 1e-5, `cell ${gy},${gx} channel ${c}: ${got} vs ${expected[c]}`);
      }
    }
  }
  backbone.dispose();
  assert.equal(tf.memory().numTensors, before, 'the graph model leaked tensors');
});

test('a graph model with another output grid is a DataError naming model.json and the shapes', async () => {
  await assert.rejects(
    loadVisualBackbone(GRAPH, { grid: 8, imageSize: 32 }),
    (e: unknown) => e instanceof DataError && e.file === `${GRAPH}/model.json` && /outputs shape \[1, 4, 4, 2\]; expected \[1, 8, 8, C\], \[1, 64, C\] or \[1, 65, C\]/.test(e.message),
  );
});

test('a backbone whose input side differs from --image-size is a UsageError naming the folder and both sizes', async () => {
  await assert.rejects(
    loadVisualBackbone(GRAPH, { grid: 4, imageSize: 64 }),
    (e: unknown) => e instanceof UsageError && e.message.includes(GRAPH) && /`--image-size` to be 32, .*got `64`/.test(e.message),
  );
});

test('train uses a graph-model backbone, and refuses a size mismatch before reading any sample', async () => {
  const base = { data: root, category: 'widget', backend: 'cpu' as const, ...tinyOptions, epochs: 1 };
  const result = await train({ ...base, out: join(work, 'ok'), visualBackbone: GRAPH }, { loader: syntheticLoader(), print: () => {} });
  assert.equal(result.epochs, 1);
  let loaded = 0;
  const counting = syntheticLoader();
  await assert.rejects(
    train({ ...base, out: join(work, 'mismatch'), imageSize: 64, visualBackbone: GRAPH }, { loader: (ref) => ((loaded += 1), counting(ref)), print: () => {} }),
    (e: unknown) => e instanceof UsageError && e.message.includes(GRAPH) && /to be 32, .*got `64`/.test(e.message),
  );
  assert.equal(loaded, 0, 'samples were read before the backbone was checked');
});
