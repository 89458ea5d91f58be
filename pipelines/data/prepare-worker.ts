// Worker thread of prepareDataset: fills the cache for one sample per message and reports back.
import { parentPort } from 'node:worker_threads';
import { runPrepareTask, type PrepareTask } from './prepare-task.js';

if (!parentPort) throw new Error('prepare-worker must run as a worker thread');
const port = parentPort;
port.on('message', (task: PrepareTask) => {
  void runPrepareTask(task).then((result) => port.postMessage(result));
});
