// Down-sampling of long curves for the results file: a point is kept when it moved at least `step` in x or y
// since the last kept one, so a curve of millions of thresholds becomes at most ~2/step points, in bounded memory.
import type { Curve } from './types.js';

/** Collects a down-sampled curve point by point (x ascending). */
export class CurveSampler {
  private readonly xs: number[] = [];
  private readonly ys: number[] = [];
  private lastX = Number.NaN;
  private lastY = Number.NaN;
  private pendingX = Number.NaN;
  private pendingY = Number.NaN;
  private offeredX = Number.NaN;
  private offeredY = Number.NaN;

  constructor(private readonly step = 0.002) {}

  /** Offers one point; kept if it moved far enough, otherwise remembered as a possible last point. */
  add(x: number, y: number): void {
    this.offeredX = x;
    this.offeredY = y;
    if (this.xs.length === 0 || Math.abs(x - this.lastX) >= this.step || Math.abs(y - this.lastY) >= this.step) {
      this.xs.push(x);
      this.ys.push(y);
      this.lastX = x;
      this.lastY = y;
      this.pendingX = Number.NaN;
    } else {
      this.pendingX = x;
      this.pendingY = y;
    }
  }

  /** The last point offered (kept or not). */
  lastPoint(): { x: number; y: number } {
    return { x: this.offeredX, y: this.offeredY };
  }

  /** The kept points, ending with the last point offered. */
  finish(): Curve {
    if (!Number.isNaN(this.pendingX)) {
      this.xs.push(this.pendingX);
      this.ys.push(this.pendingY);
      this.pendingX = Number.NaN;
    }
    return { x: this.xs.slice(), y: this.ys.slice() };
  }
}
