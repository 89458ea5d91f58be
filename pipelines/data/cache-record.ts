// The cache file format: magic, a JSON header, then raw little-endian arrays, each 8-byte aligned.
//   bytes 0..7   "GEOADC01"
//   bytes 8..11  header length H (uint32 LE)
//   12..12+H     header JSON: { meta, arrays: [{ name, dtype, length, offset }] }
//   then         array payloads at their offsets
import { DataError } from '../../orchestrator/util/errors.js';

const MAGIC = 'GEOADC01';
type Dtype = 'uint8' | 'float32';
export type CacheArray = Uint8Array | Float32Array;

interface ArrayEntry {
  readonly name: string;
  readonly dtype: Dtype;
  readonly length: number;
  readonly offset: number;
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/** Encodes a JSON-able `meta` object and named typed arrays into one buffer (deterministic for equal input). */
export function encodeCacheRecord(meta: Record<string, unknown>, arrays: Record<string, CacheArray>): Uint8Array {
  const names = Object.keys(arrays);
  // Offsets depend on the header length, which depends on the offsets: size the header with placeholder offsets
  // padded to a fixed width, then fill in.
  const entries = (base: number): ArrayEntry[] => {
    let offset = base;
    return names.map((name) => {
      const a = arrays[name];
      const entry = { name, dtype: (a instanceof Float32Array ? 'float32' : 'uint8') as Dtype, length: a.length, offset };
      offset = align8(offset + a.byteLength);
      return entry;
    });
  };
  let base = align8(12 + new TextEncoder().encode(JSON.stringify({ meta, arrays: entries(0) })).length + 16 * names.length);
  let header = new TextEncoder().encode(JSON.stringify({ meta, arrays: entries(base) }));
  if (12 + header.length > base) {
    base = align8(12 + header.length + 64);
    header = new TextEncoder().encode(JSON.stringify({ meta, arrays: entries(base) }));
  }
  const list = entries(base);
  const total = list.length > 0 ? align8(list[list.length - 1].offset + arrays[names[names.length - 1]].byteLength) : base;
  const out = new Uint8Array(total);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, header.length, true);
  out.set(header, 12);
  list.forEach((entry, i) => {
    const a = arrays[names[i]];
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), entry.offset);
  });
  return out;
}

/** Decodes a cache record; throws a DataError naming `file` when it is truncated or malformed. */
export function decodeCacheRecord(bytes: Uint8Array, file: string): { meta: Record<string, unknown>; arrays: Record<string, CacheArray> } {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw new DataError(file, 'not a geoad cache record');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + headerLength > bytes.length) throw new DataError(file, 'truncated cache record header');
  let header: { meta: Record<string, unknown>; arrays: ArrayEntry[] };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
  } catch (error) {
    throw new DataError(file, 'corrupt cache record header', { cause: error });
  }
  const arrays: Record<string, CacheArray> = {};
  for (const entry of header.arrays ?? []) {
    const itemBytes = entry.dtype === 'float32' ? 4 : 1;
    const end = entry.offset + entry.length * itemBytes;
    if (!Number.isInteger(entry.offset) || entry.offset % 8 !== 0 || end > bytes.length) throw new DataError(file, `truncated cache array \`${entry.name}\``);
    const copy = new Uint8Array(end - entry.offset); // own, aligned, plain (not a Buffer view)
    copy.set(bytes.subarray(entry.offset, end));
    arrays[entry.name] = entry.dtype === 'float32' ? new Float32Array(copy.buffer, 0, entry.length) : copy;
  }
  return { meta: header.meta ?? {}, arrays };
}
