// Decoder errors for messages: libraries wrap the useful reason in a cause ("Error while decompressing the data:"
// from fast-png, with fflate's "invalid distance" as its cause), so the chain is joined into one line.
import { errorMessage } from '../../orchestrator/util/errors.js';

/** The messages of an error and its causes, trailing colons dropped: "Error while decompressing the data: invalid distance". */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e !== undefined && e !== null && parts.length < 4; e = e instanceof Error ? e.cause : undefined) {
    const text = errorMessage(e).replace(/[\s:]+$/, '');
    if (text) parts.push(text);
  }
  return parts.join(': ') || 'unknown error';
}
