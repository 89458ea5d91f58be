// Float32 scores as unsigned 32-bit keys whose integer order is the numeric order, and an LSD radix sort of such
// keys (with an optional payload carried along). One global sort of all pixel scores is the core of every sweep;
// radix sorting keeps it linear in the pixel count and its memory independent of the number of thresholds.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The sortable key of one float32 value (−0 and +0 share a key; NaN must be rejected before). */
export function keyOf(value: number): number {
  f32[0] = value === 0 ? 0 : value;
  const bits = u32[0];
  return bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
}

/** The float32 value of a key made by {@link keyOf}. */
export function valueOfKey(key: number): number {
  u32[0] = key & 0x80000000 ? (key & 0x7fffffff) >>> 0 : ~key >>> 0;
  return f32[0];
}

/** Writes the keys of `scores` into `out` at `offset` (scores must be NaN-free). */
export function writeKeys(scores: Float32Array, out: Uint32Array, offset: number): void {
  const bits = new Uint32Array(scores.buffer, scores.byteOffset, scores.length);
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i];
    out[offset + i] = b === 0x80000000 ? 0x80000000 : b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
  }
}

const DIGITS = [
  [0, 11],
  [11, 11],
  [22, 10],
] as const;

/**
 * Sorts `keys` ascending in place (stable LSD radix, 3 passes of ≤ 11 bits; passes where every key shares the digit
 * are skipped). `payload`, if given, is permuted alongside. Uses one temporary buffer of the same size.
 */
export function radixSortKeys(keys: Uint32Array, payload?: Uint32Array): void {
  const n = keys.length;
  if (payload && payload.length !== n) throw new RangeError(`radixSortKeys: payload has ${payload.length} values for ${n} keys`);
  if (n < 2) return;
  const counts = DIGITS.map(([, bits]) => new Uint32Array(1 << bits));
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    counts[0][k & 0x7ff]++;
    counts[1][(k >>> 11) & 0x7ff]++;
    counts[2][k >>> 22]++;
  }
  let src: Uint32Array = keys;
  let dst: Uint32Array = new Uint32Array(n);
  let srcPay: Uint32Array | undefined = payload;
  let dstPay: Uint32Array | undefined = payload ? new Uint32Array(n) : undefined;
  DIGITS.forEach(([shift, bits], d) => {
    const count = counts[d];
    if (count.some((c) => c === n)) return; // every key has the same digit: order unchanged
    const mask = (1 << bits) - 1;
    let sum = 0;
    for (let j = 0; j < count.length; j++) {
      const c = count[j];
      count[j] = sum;
      sum += c;
    }
    if (srcPay && dstPay) {
      for (let i = 0; i < n; i++) {
        const k = src[i];
        const at = count[(k >>> shift) & mask]++;
        dst[at] = k;
        dstPay[at] = srcPay[i];
      }
      [srcPay, dstPay] = [dstPay, srcPay];
    } else {
      for (let i = 0; i < n; i++) {
        const k = src[i];
        dst[count[(k >>> shift) & mask]++] = k;
      }
    }
    [src, dst] = [dst, src];
  });
  if (src !== keys) keys.set(src);
  if (payload && srcPay && srcPay !== payload) payload.set(srcPay);
}
