// The data layer's contract: what every later stage receives, for MVTec 3D-AD and synthetic sets alike.

export type Split = 'train' | 'validation' | 'test';

/** One sample on disk, in the MVTec 3D-AD layout ROOT/<category>/<split>/<defect>/{rgb,xyz,gt}/<id>.{png,tiff}. */
export interface SampleRef {
  readonly root: string;
  readonly category: string;
  readonly split: Split;
  /** `good` or the defect type (a test folder name). */
  readonly defect: string;
  /** The zero-padded id, e.g. `007`. */
  readonly id: string;
  readonly rgbPath: string;
  readonly xyzPath: string;
  /** Present for test samples (all-zero for good ones). */
  readonly gtPath?: string;
}

/** A sample as read from disk (row-major, interleaved channels). */
export interface RawSample {
  readonly ref: SampleRef;
  readonly width: number;
  readonly height: number;
  /** 8-bit RGB, 3 bytes per pixel (alpha dropped). */
  readonly rgb: Uint8Array;
  /** x, y, z per pixel in metres; NaN/Inf replaced by 0 (missing). */
  readonly xyz: Float32Array;
  /** 1 where gt > 0, else 0; null where the split has no gt. */
  readonly gt: Uint8Array | null;
  /** Points that were NaN or Inf in the file (now 0). */
  readonly nonFinitePoints: number;
}

/** A sample after background removal and resizing to the feature resolution (size × size). */
export interface PreparedSample {
  readonly ref: SampleRef;
  readonly size: number;
  readonly originalWidth: number;
  readonly originalHeight: number;
  readonly rgb: Uint8Array;
  readonly xyz: Float32Array;
  /** 1 where gt > 0 (nearest-resized), else 0; all-zero where the sample has no gt. */
  readonly gt: Uint8Array;
  /** 1 where a point survives preprocessing (object), else 0. */
  readonly foreground: Uint8Array;
}

/** Geometric descriptors on a grid × grid feature grid (row-major, `channels` floats per cell). */
export interface GeometricFeatures {
  readonly grid: number;
  readonly channels: number;
  readonly data: Float32Array;
  /** 1 where the cell holds object points, else 0. */
  readonly foreground: Uint8Array;
}
