// In-memory images: row-major, channels interleaved.

/** An 8-bit image (PNG). */
export interface RasterU8 {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3 | 4;
  readonly data: Uint8Array;
}

/** A float32 image (TIFF): XYZ point clouds (3 channels) and anomaly maps (1 channel). */
export interface RasterF32 {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: Float32Array;
}

/** Throws unless `data` holds width × height × channels values; `what` names the image in the message. */
export function assertRasterSize(what: string, raster: { width: number; height: number; channels: number; data: { length: number } }): void {
  const expected = raster.width * raster.height * raster.channels;
  if (!Number.isInteger(raster.width) || !Number.isInteger(raster.height) || raster.width < 1 || raster.height < 1) {
    throw new RangeError(`${what}: invalid size ${raster.width}×${raster.height}`);
  }
  if (raster.data.length !== expected) {
    throw new RangeError(`${what}: expected ${expected} values for ${raster.width}×${raster.height}×${raster.channels}, got ${raster.data.length}`);
  }
}
