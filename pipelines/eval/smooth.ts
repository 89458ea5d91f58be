// Smoothing and image scores of anomaly maps (DESIGN.md §4): Gaussian σ=4 as scipy.ndimage.gaussian_filter does it
// (truncate at 4σ, 'reflect' borders, axis 0 then axis 1, float64 sums rounded to float32 after each pass), and the
// image score as the maximum of the smoothed map. Used by the inference stage; `geoad eval` scores maps as given.
import { sumLikeNumpy } from './numpy-sum.js';

/** scipy's default truncation of the kernel, in standard deviations. */
const TRUNCATE = 4;

/** The normalised 1-D Gaussian kernel scipy uses for `sigma` (length 2·radius+1, radius = round(4σ)). */
export function gaussianKernel1d(sigma: number): Float64Array {
  if (!Number.isFinite(sigma) || sigma <= 0) throw new RangeError(`Expected sigma to be a positive number, got ${sigma}`);
  const radius = Math.floor(TRUNCATE * sigma + 0.5);
  const kernel = new Float64Array(2 * radius + 1);
  const scale = -0.5 / (sigma * sigma);
  for (let x = -radius; x <= radius; x++) kernel[x + radius] = Math.exp(scale * x * x);
  const total = sumLikeNumpy(kernel);
  for (let i = 0; i < kernel.length; i++) kernel[i] /= total;
  return kernel;
}

// Source index of every padded position -radius..n-1+radius under scipy's 'reflect' mode (d c b a | a b c d | d c b a),
// repeated for lines shorter than the radius.
function reflectIndices(n: number, radius: number): Int32Array {
  const out = new Int32Array(n + 2 * radius);
  const period = 2 * n;
  for (let p = 0; p < out.length; p++) {
    let m = (((p - radius) % period) + period) % period;
    if (m >= n) m = period - 1 - m;
    out[p] = m;
  }
  return out;
}

// One separable pass along rows (axis 0, vertical) or columns (axis 1, horizontal); symmetric-kernel sum order as
// scipy's NI_Correlate1D: centre first, then pairs from the outermost inwards.
function correlateAxis(input: Float32Array, width: number, height: number, kernel: Float64Array, axis: 0 | 1): Float32Array {
  const radius = (kernel.length - 1) / 2;
  const centre = kernel[radius];
  const output = new Float32Array(width * height);
  if (axis === 0) {
    const rows = reflectIndices(height, radius);
    const acc = new Float64Array(width);
    for (let y = 0; y < height; y++) {
      const c = y * width;
      for (let x = 0; x < width; x++) acc[x] = input[c + x] * centre;
      for (let j = radius; j >= 1; j--) {
        const w = kernel[radius - j];
        const up = rows[y - j + radius] * width;
        const down = rows[y + j + radius] * width;
        for (let x = 0; x < width; x++) acc[x] += (input[up + x] + input[down + x]) * w;
      }
      output.set(acc, c);
    }
    return output;
  }
  const cols = reflectIndices(width, radius);
  const line = new Float64Array(width + 2 * radius);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let p = 0; p < line.length; p++) line[p] = input[row + cols[p]];
    for (let x = 0; x < width; x++) {
      const mid = x + radius;
      let tmp = line[mid] * centre;
      for (let j = radius; j >= 1; j--) tmp += (line[mid - j] + line[mid + j]) * kernel[radius - j];
      output[row + x] = tmp;
    }
  }
  return output;
}

/** Gaussian-smooths a single-channel row-major map like scipy.ndimage.gaussian_filter(map, sigma) on float32. */
export function smoothAnomalyMap(map: Float32Array, width: number, height: number, sigma = 4): Float32Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || map.length !== width * height) {
    throw new RangeError(`smoothAnomalyMap: expected ${width}×${height} = ${width * height} values, got ${map.length}`);
  }
  const kernel = gaussianKernel1d(sigma);
  return correlateAxis(correlateAxis(map, width, height, kernel, 0), width, height, kernel, 1);
}

/** The image-level anomaly score: the maximum of the (smoothed) map. NaN anywhere gives NaN. */
export function imageScore(map: ArrayLike<number>): number {
  if (map.length === 0) throw new RangeError('imageScore: empty map');
  let max = -Infinity;
  for (let i = 0; i < map.length; i++) {
    const v = map[i];
    if (v > max) max = v;
    else if (v !== v) return Number.NaN;
  }
  return max;
}
