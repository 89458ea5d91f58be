// From per-cell prediction errors to an anomaly map at the original image resolution (DESIGN.md §4): mask
// background cells, upsample bilinearly to the prepared image, zero background pixels, Gaussian-smooth (σ=4 by
// default), zero background again, upsample to the original size. Pure functions, no tensors.
import { smoothAnomalyMap } from '../eval/smooth.js';

/** Bilinear resize of a single-channel map with aligned corners (corner pixels map onto corner pixels). */
export function resizeBilinearAligned(src: Float32Array, width: number, height: number, outWidth: number, outHeight: number): Float32Array {
  if (src.length !== width * height) throw new RangeError(`expected ${width}×${height} values, got ${src.length}`);
  if (width === outWidth && height === outHeight) return Float32Array.from(src);
  const out = new Float32Array(outWidth * outHeight);
  const sy = outHeight > 1 ? (height - 1) / (outHeight - 1) : 0;
  const sx = outWidth > 1 ? (width - 1) / (outWidth - 1) : 0;
  for (let y = 0; y < outHeight; y++) {
    const fy = y * sy;
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, height - 1);
    const wy = fy - y0;
    for (let x = 0; x < outWidth; x++) {
      const fx = x * sx;
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, width - 1);
      const wx = fx - x0;
      const top = src[y0 * width + x0] * (1 - wx) + src[y0 * width + x1] * wx;
      const bottom = src[y1 * width + x0] * (1 - wx) + src[y1 * width + x1] * wx;
      out[y * outWidth + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}

/** Inputs of one map: the error grid and the masks and sizes of its sample. */
export interface AnomalyMapInput {
  /** Per-cell L2 distance between predicted and real geometric features, grid × grid. */
  readonly distance: Float32Array;
  readonly grid: number;
  /** Foreground cells of the grid. */
  readonly cellMask: Uint8Array;
  /** Foreground pixels of the prepared image, size × size. */
  readonly foreground: Uint8Array;
  readonly size: number;
  readonly originalWidth: number;
  readonly originalHeight: number;
}

/** The anomaly map at originalWidth × originalHeight; background pixels score 0 (the minimum). σ = 0 skips smoothing. */
export function buildAnomalyMap(input: AnomalyMapInput, sigma: number): Float32Array {
  const { grid, size } = input;
  const cells = Float32Array.from(input.distance, (d, i) => (input.cellMask[i] ? d : 0));
  let map = resizeBilinearAligned(cells, grid, grid, size, size);
  for (let i = 0; i < map.length; i++) if (!input.foreground[i]) map[i] = 0;
  if (sigma > 0) {
    map = smoothAnomalyMap(map, size, size, sigma);
    for (let i = 0; i < map.length; i++) if (!input.foreground[i]) map[i] = 0;
  }
  return resizeBilinearAligned(map, size, size, input.originalWidth, input.originalHeight);
}
