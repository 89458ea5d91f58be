// The JSONL training log (OUT/train-log.jsonl): one JSON object per line — start, step, epoch, resume, end,
// diverged — appended as it happens so that a killed run keeps everything logged so far.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Appends one event (with a timestamp) per call. */
export interface TrainLog {
  write(event: string, fields: Record<string, unknown>): void;
}

/** Opens (creates or appends to) a JSONL log at `path`. */
export function openTrainLog(path: string): TrainLog {
  mkdirSync(dirname(path), { recursive: true });
  return {
    write(event, fields) {
      appendFileSync(path, `${JSON.stringify({ event, time: new Date().toISOString(), ...fields })}\n`);
    },
  };
}
