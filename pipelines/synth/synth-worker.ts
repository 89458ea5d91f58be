// Worker thread of the built-in renderer: renders the scenes it is sent and writes their files atomically.
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../orchestrator/util/errors.js';
import { renderSampleToDisk } from './encode-sample.js';
import type { WorkerReply, WorkerTask } from './run-builtin.js';

const { root, resolution } = workerData as { root: string; resolution: number };
const port = parentPort;
if (!port) throw new Error('synth-worker must run as a worker thread');
port.on('message', (task: WorkerTask) => {
  let reply: WorkerReply;
  try {
    reply = { ok: true, result: renderSampleToDisk(root, task.params, task.files, resolution) };
  } catch (error) {
    reply = { ok: false, key: task.params.key, message: errorMessage(error) };
  }
  port.postMessage(reply);
});
