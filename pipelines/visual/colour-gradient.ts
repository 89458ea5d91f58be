// Frozen multi-scale colour/gradient features (no download, no training): per grid cell the mean and spread of
// colour, an 8-bin orientation histogram of grey-level gradients at two scales, and colour contrast to the
// surrounding 5×5 cells. Pure function over the prepared RGB image.

/** Channels produced per cell. */
export const COLOUR_GRADIENT_CHANNELS = 25;
const BINS = 8;

// Grey level in [0, 1] of an interleaved RGB image.
function toGrey(rgb: Uint8Array, n: number): Float32Array {
  const grey = new Float32Array(n);
  for (let i = 0; i < n; i++) grey[i] = (0.299 * rgb[i * 3] + 0.587 * rgb[i * 3 + 1] + 0.114 * rgb[i * 3 + 2]) / 255;
  return grey;
}

// Adds magnitude-weighted orientation votes (unsigned, BINS bins over [0, π)) of `grey` (w×w) into cell histograms.
function accumulateOrientations(grey: Float32Array, w: number, cellOf: (x: number, y: number) => number, out: Float32Array, offset: number, channels: number, weight: number): void {
  for (let y = 0; y < w; y++) {
    for (let x = 0; x < w; x++) {
      const gx = grey[y * w + Math.min(x + 1, w - 1)] - grey[y * w + Math.max(x - 1, 0)];
      const gy = grey[Math.min(y + 1, w - 1) * w + x] - grey[Math.max(y - 1, 0) * w + x];
      const magnitude = Math.hypot(gx, gy);
      if (magnitude === 0) continue;
      let angle = Math.atan2(gy, gx);
      if (angle < 0) angle += Math.PI;
      const bin = Math.min(BINS - 1, Math.floor((angle / Math.PI) * BINS));
      out[cellOf(x, y) * channels + offset + bin] += magnitude * weight;
    }
  }
}

/** Features [grid, grid, 25] (row-major) of a size×size RGB image; size must be a multiple of 2·grid. */
export function computeColourGradientFeatures(rgb: Uint8Array, size: number, grid: number): Float32Array {
  if (rgb.length !== size * size * 3) throw new Error(`expected ${size}×${size}×3 RGB bytes, got ${rgb.length}`);
  if (size % (2 * grid) !== 0) throw new Error(`image size ${size} must be a multiple of 2 × grid (${2 * grid})`);
  const c = COLOUR_GRADIENT_CHANNELS;
  const cell = size / grid;
  const cells = grid * grid;
  const out = new Float32Array(cells * c);
  const perCell = cell * cell;
  // Colour mean (0..2) and standard deviation (3..5).
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const k = (Math.floor(y / cell) * grid + Math.floor(x / cell)) * c;
      for (let ch = 0; ch < 3; ch++) {
        const v = rgb[(y * size + x) * 3 + ch] / 255;
        out[k + ch] += v / perCell;
        out[k + 3 + ch] += (v * v) / perCell;
      }
    }
  }
  for (let k = 0; k < cells; k++) {
    for (let ch = 0; ch < 3; ch++) out[k * c + 3 + ch] = Math.sqrt(Math.max(0, out[k * c + 3 + ch] - out[k * c + ch] ** 2));
  }
  // Orientation histograms at full resolution (6..13) and at half resolution (14..21).
  const grey = toGrey(rgb, size * size);
  accumulateOrientations(grey, size, (x, y) => Math.floor(y / cell) * grid + Math.floor(x / cell), out, 6, c, 1 / perCell);
  const half = size / 2;
  const small = new Float32Array(half * half);
  for (let y = 0; y < half; y++) {
    for (let x = 0; x < half; x++) {
      const i = 2 * y * size + 2 * x;
      small[y * half + x] = (grey[i] + grey[i + 1] + grey[i + size] + grey[i + size + 1]) / 4;
    }
  }
  const halfCell = cell / 2;
  accumulateOrientations(small, half, (x, y) => Math.floor(y / halfCell) * grid + Math.floor(x / halfCell), out, 14, c, 1 / (halfCell * halfCell));
  // Colour contrast to the 5×5-cell neighbourhood (22..24).
  for (let gy = 0; gy < grid; gy++) {
    for (let gx = 0; gx < grid; gx++) {
      const k = (gy * grid + gx) * c;
      const sum = [0, 0, 0];
      let n = 0;
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) {
          const yy = gy + dy;
          const xx = gx + dx;
          if (yy < 0 || xx < 0 || yy >= grid || xx >= grid) continue;
          for (let ch = 0; ch < 3; ch++) sum[ch] += out[(yy * grid + xx) * c + ch];
          n++;
        }
      }
      for (let ch = 0; ch < 3; ch++) out[k + 22 + ch] = out[k + ch] - sum[ch] / n;
    }
  }
  return out;
}
