// Resizing to the feature resolution: nearest neighbour for xyz, gt and masks (no invented points or labels),
// area averaging for rgb (each output pixel is the overlap-weighted mean of the source pixels it covers).

type NumericArray = Uint8Array | Float32Array;

/** Nearest-neighbour resize of an interleaved `channels`-per-pixel image; samples the source at pixel centres. */
export function resizeNearest<T extends NumericArray>(source: T, width: number, height: number, channels: number, outWidth: number, outHeight: number): T {
  const length = outWidth * outHeight * channels;
  const out = (source instanceof Float32Array ? new Float32Array(length) : new Uint8Array(length)) as T;
  const columns = new Int32Array(outWidth);
  for (let x = 0; x < outWidth; x++) columns[x] = Math.min(width - 1, Math.floor(((x + 0.5) * width) / outWidth));
  for (let y = 0; y < outHeight; y++) {
    const sy = Math.min(height - 1, Math.floor(((y + 0.5) * height) / outHeight));
    for (let x = 0; x < outWidth; x++) {
      const from = (sy * width + columns[x]) * channels;
      const to = (y * outWidth + x) * channels;
      for (let c = 0; c < channels; c++) out[to + c] = source[from + c];
    }
  }
  return out;
}

interface AxisWeights {
  readonly start: Int32Array;
  readonly count: Int32Array;
  readonly weights: Float64Array[];
}

// For each output cell [o·n/m, (o+1)·n/m) the overlapped source cells and their overlap fractions (summing to 1).
function axisWeights(inSize: number, outSize: number): AxisWeights {
  const scale = inSize / outSize;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights: Float64Array[] = [];
  for (let o = 0; o < outSize; o++) {
    const lo = o * scale;
    const hi = (o + 1) * scale;
    const first = Math.floor(lo);
    const last = Math.min(inSize - 1, Math.ceil(hi) - 1);
    const w = new Float64Array(last - first + 1);
    for (let i = first; i <= last; i++) w[i - first] = (Math.min(hi, i + 1) - Math.max(lo, i)) / scale;
    start[o] = first;
    count[o] = w.length;
    weights.push(w);
  }
  return { start, count, weights };
}

/** Area-averaging resize of an 8-bit interleaved image (like OpenCV INTER_AREA for down-sampling). */
export function resizeArea(source: Uint8Array, width: number, height: number, channels: number, outWidth: number, outHeight: number): Uint8Array {
  const wx = axisWeights(width, outWidth);
  const wy = axisWeights(height, outHeight);
  // Horizontal pass into float rows, then vertical pass.
  const rows = new Float64Array(height * outWidth * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < outWidth; x++) {
      const w = wx.weights[x];
      const base = (y * width + wx.start[x]) * channels;
      const to = (y * outWidth + x) * channels;
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let k = 0; k < wx.count[x]; k++) sum += source[base + k * channels + c] * w[k];
        rows[to + c] = sum;
      }
    }
  }
  const out = new Uint8Array(outWidth * outHeight * channels);
  const rowStride = outWidth * channels;
  for (let y = 0; y < outHeight; y++) {
    const w = wy.weights[y];
    for (let i = 0; i < rowStride; i++) {
      let sum = 0;
      for (let k = 0; k < wy.count[y]; k++) sum += rows[(wy.start[y] + k) * rowStride + i] * w[k];
      out[y * rowStride + i] = Math.min(255, Math.max(0, Math.round(sum)));
    }
  }
  return out;
}
