// Worker threads for the stages' parallel work. From compiled code a worker runs `<name>.js`; from TypeScript sources
// (tests under tsx) a tiny bootstrap registers tsx's loader in the thread first, then imports `<name>.ts`.
import { Worker } from 'node:worker_threads';

/**
 * Starts the worker module `name` (without extension) that sits beside `callerUrl` (pass `import.meta.url`).
 * `workerData` is always an object: geotiff's `web-worker` dependency destructures it in every worker thread.
 */
export function startWorker(callerUrl: string, name: string, workerData: object = {}): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), { workerData });
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  const bootstrap = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, execArgv: [], workerData });
}
