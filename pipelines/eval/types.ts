// The evaluation results contract: what `geoad eval` writes and the matrix and the report read.

/** Bumped whenever a field changes meaning or disappears. */
export const EVAL_RESULT_VERSION = 1;

/** The FPR limits AUPRO is reported at. */
export const AUPRO_LIMITS = [0.3, 0.1, 0.05, 0.01] as const;

/** How the PRO curve was computed: every distinct score as a threshold, or N thresholds by anomaly-free-pixel rank. */
export type ProCurveMode = 'exact' | `sampled-${number}`;

/** A curve down-sampled for reports (x ascending). */
export interface Curve {
  readonly x: readonly number[];
  readonly y: readonly number[];
}

/** The calibrated threshold and the detection quality at it (MVTec protocol), or why calibration was skipped. */
export type ThresholdResult =
  | {
      readonly calibrated: true;
      readonly threshold: number;
      /** Minimum defect area in pixels at the evaluation resolution. */
      readonly minDefectArea: number;
      /**
       * Where minDefectArea came from (added in v1, optional): `--min-defect-area`, or the default, 0.1 % of a
       * validation map's pixels (`image-fraction`). `smallest-test-region` appears only in files written before
       * that default (it read the test labels).
       */
      readonly minDefectAreaSource?: 'option' | 'image-fraction' | 'smallest-test-region';
      /**
       * Set (added in v1, optional) when the threshold is the lowest validation score: no region above any higher
       * score reached minDefectArea, so the validation maps did not decide it — it may flag far too much.
       */
      readonly warning?: string;
      readonly image: { readonly precision: number; readonly recall: number; readonly f1: number; readonly fpr: number };
      readonly pixel: { readonly precision: number; readonly recall: number; readonly f1: number };
    }
  | { readonly calibrated: false; readonly reason: string };

/** Something about one input file that did not stop the evaluation but changes what a number means. */
export interface EvalWarning {
  readonly file: string;
  readonly message: string;
}

/** How many maps (test and validation) of one size were evaluated at one size; `from` = `to`: not resized. */
export interface MapSizeCount {
  readonly from: { readonly width: number; readonly height: number };
  readonly to: { readonly width: number; readonly height: number };
  readonly maps: number;
}

/** Every metric of one category. AUROC/AUPRO values are in [0, 1]. */
export interface CategoryMetrics {
  readonly category: string;
  readonly counts: {
    readonly testImages: number;
    readonly anomalousImages: number;
    readonly goodImages: number;
    readonly validationImages: number;
    /** 8-connected ground-truth regions over all test images. */
    readonly regions: number;
    readonly pixels: number;
  };
  readonly iAuroc: number;
  readonly pAuroc: number;
  /** Keyed by the FPR limit as written in AUPRO_LIMITS ("0.3", "0.1", "0.05", "0.01"). */
  readonly aupro: Readonly<Record<string, number>>;
  readonly curves: {
    /** Image-level ROC: x = FPR, y = TPR. */
    readonly imageRoc: Curve;
    /** Pixel-level ROC. */
    readonly pixelRoc: Curve;
    /** PRO curve up to FPR 0.3: x = FPR, y = PRO. */
    readonly pro: Curve;
  };
  readonly threshold: ThresholdResult;
  /** Maps were resized to the gt (or evaluation) resolution. */
  readonly resizedMaps: boolean;
  /** Map sizes in the files and the sizes they were evaluated at (added in v1, optional), most maps first. */
  readonly mapSizes?: readonly MapSizeCount[];
  /**
   * Per-file warnings (added in v1, optional; absent in older files): test images whose gt mask and folder
   * disagree — labels come from the mask (any pixel > 0).
   */
  readonly warnings?: readonly EvalWarning[];
  readonly durationMs: number;
}

/** What `geoad eval` writes (results.json). */
export interface EvalResult {
  readonly schema: 'geoad-eval';
  readonly version: typeof EVAL_RESULT_VERSION;
  readonly createdAt: string;
  readonly mapsDir: string;
  readonly dataRoot: string;
  /** Evaluation resolution (square) or null for each image's own gt resolution. */
  readonly resolution: number | null;
  readonly proCurveMode: ProCurveMode;
  readonly categories: readonly CategoryMetrics[];
  /** Means over categories of iAuroc, pAuroc and each aupro limit. */
  readonly mean: { readonly iAuroc: number; readonly pAuroc: number; readonly aupro: Readonly<Record<string, number>> };
  readonly durationMs: number;
}
