// Loads and prepares test items with worker threads working ahead (TIFF/PNG decoding dominates evaluation time);
// items are handed to the caller strictly in list order, so results do not depend on the worker count.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../orchestrator/util/start-worker.js';
import { DataError, GeoadError } from '../../orchestrator/util/errors.js';
import type { TestItem } from './load-maps.js';
import { loadPreparedItem, type LoadReply, type PreparedItem } from './load-worker.js';

const startLoadWorker = () => startWorker(import.meta.url, 'load-worker', { role: 'geoad-eval-load' });

/** Calls `onItem` for every item in order; `workers` threads decode ahead (0: decode in this thread). */
export async function loadItemsInOrder(
  items: readonly TestItem[],
  resolution: number | null,
  workers: number,
  onItem: (prepared: PreparedItem, index: number) => void,
): Promise<void> {
  if (workers === 0 || items.length <= 1) {
    for (const [index, item] of items.entries()) onItem(await loadPreparedItem(item, resolution), index);
    return;
  }
  const pool = Array.from({ length: Math.min(workers, items.length) }, startLoadWorker);
  const ready = new Map<number, LoadReply>();
  const ahead = 2 * pool.length; // decoded items waiting at most
  let sent = 0;
  let delivered = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const feed = (worker: Worker) => {
        if (sent < items.length && sent - delivered < ahead) worker.postMessage({ index: sent, item: items[sent++], resolution });
        else idle.push(worker);
      };
      const idle: Worker[] = [];
      const drain = () => {
        for (let reply = ready.get(delivered); reply; reply = ready.get(delivered)) {
          ready.delete(delivered);
          if (!reply.ok) return reject(reply.file ? new DataError(reply.file, reply.message) : new GeoadError(reply.message));
          onItem(reply.item, delivered++);
          while (idle.length > 0 && sent < items.length && sent - delivered < ahead) feed(idle.pop()!);
        }
        if (delivered === items.length) resolve();
      };
      for (const worker of pool) {
        worker.on('message', (reply: LoadReply) => {
          ready.set(reply.index, reply);
          feed(worker);
          try {
            drain();
          } catch (error) {
            reject(error);
          }
        });
        worker.on('error', reject);
        feed(worker);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
