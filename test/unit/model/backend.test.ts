// Backend selection and the plain-words diagnosis for `geoad doctor`.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { UsageError } from '../../../orchestrator/util/errors.js';
import { diagnoseBackends, selectBackend } from '../../../pipelines/model/backend.js';

const nativeInstalled = (() => {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node-gpu');
    return true;
  } catch {
    return false;
  }
})();

test('cpu and wasm can be selected and become the active backend', async () => {
  assert.equal(await selectBackend('wasm'), 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.equal(await selectBackend('cpu'), 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
});

test('an unknown backend is a usage error naming the option', async () => {
  await assert.rejects(selectBackend('gpu' as never), (e: unknown) => e instanceof UsageError && /Expected `--backend` to be one of `auto`, `tensorflow`, `wasm`, `cpu`, got `gpu`/.test(e.message));
});

test('diagnoseBackends names every backend, says why one is unusable, and what auto picks', async () => {
  const lines = await diagnoseBackends();
  assert.deepEqual(lines.map((l) => l.name), ['tensorflow', 'wasm', 'cpu', 'auto']);
  const native = lines[0];
  assert.equal(native.usable, nativeInstalled);
  if (!nativeInstalled) {
    assert.match(native.detail, /tfjs-node-gpu is not installed/);
    await assert.rejects(selectBackend('tensorflow'), /No usable TensorFlow.js backend for `--backend tensorflow`: tensorflow: @tensorflow\/tfjs-node-gpu is not installed/);
    assert.equal(lines[3].detail, 'picks wasm (the first usable of tensorflow, wasm, cpu)');
    assert.equal(await selectBackend('auto'), 'wasm');
  }
  await selectBackend('cpu');
});
