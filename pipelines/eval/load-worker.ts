// Worker thread of the map loader: reads one (map, gt) pair per message, splits it into keys (prepareImage) and
// sends the result back with its buffers transferred. Errors travel as file + problem.
import { parentPort } from 'node:worker_threads';
import { DataError, errorMessage } from '../../orchestrator/util/errors.js';
import { loadItem, type TestItem } from './load-maps.js';
import { prepareImage, type PreparedImage } from './pixel-scores.js';
import type { Size } from './resize-map.js';
import { imageScore } from './smooth.js';

/** A request: load item `index` at `resolution`. */
export interface LoadRequest {
  readonly index: number;
  readonly item: TestItem;
  readonly resolution: number | null;
}

/** One test image ready for the collector. */
export interface PreparedItem {
  readonly width: number;
  readonly height: number;
  readonly image: PreparedImage;
  /** Max of the map (at the evaluation resolution). */
  readonly score: number;
  /** The map's size in its file. */
  readonly mapSize: Size;
  readonly resizedMap: boolean;
  /** Image label from the gt mask (any pixel > 0). */
  readonly anomalous: boolean;
  /** Set when the mask and the folder (`good` or a defect) disagree. */
  readonly labelWarning: string | undefined;
}

/** The answer: the prepared item, or the error (file and problem for DataErrors). */
export type LoadReply =
  | { readonly index: number; readonly ok: true; readonly item: PreparedItem }
  | { readonly index: number; readonly ok: false; readonly file: string | undefined; readonly message: string };

/** Reads one test item and prepares it (the work a worker does; also run in-thread with 0 workers). */
export async function loadPreparedItem(item: TestItem, resolution: number | null): Promise<PreparedItem> {
  const loaded = await loadItem(item, resolution);
  const image = prepareImage(loaded.map, loaded.gt, loaded.width, loaded.height);
  const { width, height, mapSize, resizedMap, anomalous, labelWarning } = loaded;
  return { width, height, image, score: imageScore(loaded.map), mapSize, resizedMap, anomalous, labelWarning };
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (request: LoadRequest) => {
    loadPreparedItem(request.item, request.resolution).then(
      (item) => {
        const reply: LoadReply = { index: request.index, ok: true, item };
        const { okKeys, regionKeys, regionLabels, regionSizes } = item.image;
        port.postMessage(reply, [okKeys.buffer, regionKeys.buffer, regionLabels.buffer, regionSizes.buffer] as ArrayBuffer[]);
      },
      (error: unknown) => {
        const file = error instanceof DataError ? error.file : undefined;
        const message = errorMessage(error);
        const reply: LoadReply = { index: request.index, ok: false, file, message: file && message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message };
        port.postMessage(reply);
      },
    );
  });
}
