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
  /** The removed background plane n·p + d = 0 (n toward the camera); absent when none could be fitted. */
  readonly plane?: { readonly normal: readonly [number, number, number]; readonly offset: number };
  /** NaN/Inf points of the source scan (treated as missing). */
  readonly nonFinitePoints?: number;
}

/** Geometric descriptors on a grid × grid feature grid (row-major, `channels` floats per cell). */
export interface GeometricFeatures {
  readonly grid: number;
  readonly channels: number;
  readonly data: Float32Array;
  /** 1 where the cell holds object points, else 0. */
  readonly foreground: Uint8Array;
  /** One name per channel (e.g. `normal.x`, `variation.r4`, `fpfh.12`), in channel order. */
  readonly channelNames?: readonly string[];
}

/** The samples of one (split, defect) folder, e.g. `test/crack`. */
export interface DefectGroup {
  readonly split: Split;
  /** `good` or the defect type. */
  readonly defect: string;
  readonly samples: readonly SampleRef[];
}

/** One category: its folder and every sample group, splits in train/validation/test order, `good` first. */
export interface CategoryIndex {
  readonly name: string;
  readonly path: string;
  readonly groups: readonly DefectGroup[];
  /** Defect types of the test split (without `good`), sorted. */
  readonly defectTypes: readonly string[];
}

/** What `discoverDataset` found: paths only, nothing big was read. */
export interface DatasetIndex {
  readonly root: string;
  readonly categories: readonly CategoryIndex[];
}
