// Pure pixel operations for the qualitative grid: resizing, a perceptual colour map, gt overlays, a colour bar.
import type { RasterF32, RasterU8 } from '../pipelines/io/raster.js';

/** The size that fits `width` × `height` into a square of side `maxSide`, keeping the aspect ratio. */
export function fitSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = maxSide / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Converts grey, RGB or RGBA to RGB (alpha dropped). */
export function toRgb(image: RasterU8): RasterU8 {
  if (image.channels === 3) return image;
  const n = image.width * image.height;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) out[i * 3 + c] = image.data[i * image.channels + (image.channels === 1 ? 0 : c)];
  }
  return { width: image.width, height: image.height, channels: 3, data: out };
}

function bilinear(src: ArrayLike<number>, sw: number, sh: number, ch: number, dw: number, dh: number, out: { [i: number]: number }): void {
  for (let y = 0; y < dh; y++) {
    const fy = Math.min(sh - 1, Math.max(0, ((y + 0.5) * sh) / dh - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(sh - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < dw; x++) {
      const fx = Math.min(sw - 1, Math.max(0, ((x + 0.5) * sw) / dw - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(sw - 1, x0 + 1);
      const wx = fx - x0;
      for (let c = 0; c < ch; c++) {
        const a = src[(y0 * sw + x0) * ch + c] * (1 - wx) + src[(y0 * sw + x1) * ch + c] * wx;
        const b = src[(y1 * sw + x0) * ch + c] * (1 - wx) + src[(y1 * sw + x1) * ch + c] * wx;
        out[(y * dw + x) * ch + c] = a * (1 - wy) + b * wy;
      }
    }
  }
}

/** Bilinear resize of an 8-bit image (rounded). */
export function resizeU8(image: RasterU8, width: number, height: number): RasterU8 {
  const out = new Uint8Array(width * height * image.channels);
  const tmp = new Float32Array(out.length);
  bilinear(image.data, image.width, image.height, image.channels, width, height, tmp);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(tmp[i]);
  return { width, height, channels: image.channels, data: out };
}

/** Bilinear resize of a single-channel float map; non-finite values become 0 first. */
export function resizeF32(map: RasterF32, width: number, height: number): RasterF32 {
  const src = Float32Array.from(map.data, (v) => (Number.isFinite(v) ? v : 0));
  const out = new Float32Array(width * height);
  bilinear(src, map.width, map.height, 1, width, height, out);
  return { width, height, channels: 1, data: out };
}

/** Nearest-neighbour resize of a mask (any value > 0 is inside). */
export function resizeMask(mask: RasterU8, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(mask.height - 1, Math.floor(((y + 0.5) * mask.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(mask.width - 1, Math.floor(((x + 0.5) * mask.width) / width));
      out[y * width + x] = mask.data[(sy * mask.width + sx) * mask.channels] > 0 ? 1 : 0;
    }
  }
  return out;
}

// Anchors of the "turbo" colour map (Google, 2019), sampled at 9 evenly spaced points.
const TURBO: readonly (readonly [number, number, number])[] = [
  [48, 18, 59], [70, 107, 227], [40, 187, 236], [49, 242, 153], [162, 252, 60], [237, 208, 58], [251, 128, 34], [208, 47, 5], [122, 4, 3],
];

/** The colour of `t` ∈ [0, 1] on the turbo map (clamped). */
export function colourAt(t: number): [number, number, number] {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (TURBO.length - 1);
  const i = Math.min(TURBO.length - 2, Math.floor(u));
  const w = u - i;
  const a = TURBO[i];
  const b = TURBO[i + 1];
  return [Math.round(a[0] + (b[0] - a[0]) * w), Math.round(a[1] + (b[1] - a[1]) * w), Math.round(a[2] + (b[2] - a[2]) * w)];
}

/** Colours a float map linearly between `low` and `high` (values outside are clamped). */
export function colourMap(map: RasterF32, low: number, high: number): RasterU8 {
  const n = map.width * map.height;
  const out = new Uint8Array(n * 3);
  const span = high > low ? high - low : 1;
  for (let i = 0; i < n; i++) out.set(colourAt((map.data[i] - low) / span), i * 3);
  return { width: map.width, height: map.height, channels: 3, data: out };
}

/** Tints the masked pixels of an RGB image red and draws the mask's outline in solid red. */
export function overlayMask(rgb: RasterU8, mask: Uint8Array): RasterU8 {
  const { width, height } = rgb;
  const out = Uint8Array.from(rgb.data);
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && mask[y * width + x] === 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!inside(x, y)) continue;
      const i = (y * width + x) * 3;
      const edge = !inside(x - 1, y) || !inside(x + 1, y) || !inside(x, y - 1) || !inside(x, y + 1);
      const alpha = edge ? 1 : 0.45;
      out[i] = Math.round(out[i] * (1 - alpha) + 255 * alpha);
      out[i + 1] = Math.round(out[i + 1] * (1 - alpha));
      out[i + 2] = Math.round(out[i + 2] * (1 - alpha));
    }
  }
  return { width, height, channels: 3, data: out };
}

/** A vertical colour bar (high values at the top). */
export function drawColourBar(width: number, height: number): RasterU8 {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const colour = colourAt(1 - y / Math.max(1, height - 1));
    for (let x = 0; x < width; x++) out.set(colour, (y * width + x) * 3);
  }
  return { width, height, channels: 3, data: out };
}
