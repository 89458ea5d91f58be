// Resizing anomaly maps to the evaluation grid: bilinear with half-pixel centres, the convention of
// torch.nn.functional.interpolate(mode='bilinear', align_corners=False) — what CFM (the code GeoAD builds on,
// models/features.py) uses to upsample its 28×28 patch grid to 224×224 — and of cv2.resize INTER_LINEAR.
// Output pixel o samples the source at (o + 0.5)·in/out − 0.5, clamped to the first/last pixel; down-sampling is
// not anti-aliased (torch's default), unlike PIL's BILINEAR. Weights in float64, one rounding to float32 at the end
// (torch rounds each step in float32: values may differ in the last bit). Gt is resized nearest by the data layer.

/** Bilinearly resizes a single-channel row-major float32 map from `width`×`height` to `outWidth`×`outHeight`. */
export function resizeMapBilinear(map: Float32Array, width: number, height: number, outWidth: number, outHeight: number): Float32Array {
  if (map.length !== width * height) throw new RangeError(`resizeMapBilinear: expected ${width * height} values, got ${map.length}`);
  if (width === outWidth && height === outHeight) return map;
  const axis = (inSize: number, outSize: number) => {
    const lo = new Int32Array(outSize);
    const hi = new Int32Array(outSize);
    const t = new Float64Array(outSize);
    const scale = inSize / outSize;
    for (let o = 0; o < outSize; o++) {
      const src = Math.max(0, (o + 0.5) * scale - 0.5);
      const i0 = Math.min(Math.floor(src), inSize - 1);
      lo[o] = i0;
      hi[o] = Math.min(i0 + 1, inSize - 1);
      t[o] = src - i0;
    }
    return { lo, hi, t };
  };
  const xs = axis(width, outWidth);
  const ys = axis(height, outHeight);
  const out = new Float32Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    const r0 = ys.lo[y] * width;
    const r1 = ys.hi[y] * width;
    const ty = ys.t[y];
    for (let x = 0; x < outWidth; x++) {
      const x0 = xs.lo[x];
      const x1 = xs.hi[x];
      const tx = xs.t[x];
      const top = map[r0 + x0] + (map[r0 + x1] - map[r0 + x0]) * tx;
      const bottom = map[r1 + x0] + (map[r1 + x1] - map[r1 + x0]) * tx;
      out[y * outWidth + x] = top + (bottom - top) * ty;
    }
  }
  return out;
}

/** A width × height pair. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/** `224×224`. */
export function formatSize(size: Size): string {
  return `${size.width}×${size.height}`;
}

/**
 * Whether `a` and `b` have the same aspect ratio up to rounding: some scale s makes round(s·a) = b or round(s·b) = a
 * per axis (224×168 ↔ 800×600 do, 96×48 ↔ 96×96 do not). Only such maps are resized; others would be stretched.
 */
export function haveSameAspectRatio(a: Size, b: Size): boolean {
  const scales = (from: Size, to: Size) =>
    Math.max((to.width - 0.5) / from.width, (to.height - 0.5) / from.height) <= Math.min((to.width + 0.5) / from.width, (to.height + 0.5) / from.height);
  return scales(a, b) || scales(b, a);
}
