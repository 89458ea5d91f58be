// Area under a curve up to an x limit with the trapezoid rule, the curve linearly interpolated AT the limit.
// Two forms: streaming (exact curves of millions of points, constant memory) and the papers' array form.
import { sumLikeNumpy } from './numpy-sum.js';

/** Streaming ∫₀^limit y dx over points given in ascending x, starting from the first point added. */
export class LimitedTrapezoid {
  private prevX = Number.NaN;
  private prevY = Number.NaN;
  private area = 0;
  private done = false;

  constructor(readonly limit: number) {
    if (!(limit > 0)) throw new RangeError(`LimitedTrapezoid: limit must be positive, got ${limit}`);
  }

  /** Adds the next point (x must not decrease). */
  add(x: number, y: number): void {
    if (this.done) return;
    if (Number.isNaN(this.prevX)) {
      this.prevX = x;
      this.prevY = y;
      return;
    }
    if (x < this.prevX) throw new RangeError(`LimitedTrapezoid: x decreased from ${this.prevX} to ${x}`);
    if (x <= this.limit) {
      this.area += ((x - this.prevX) * (y + this.prevY)) / 2;
      this.prevX = x;
      this.prevY = y;
      if (x === this.limit) this.done = true;
      return;
    }
    const yAtLimit = this.prevY + ((y - this.prevY) * (this.limit - this.prevX)) / (x - this.prevX);
    this.area += ((this.limit - this.prevX) * (yAtLimit + this.prevY)) / 2;
    this.done = true;
  }

  /** The area so far (not normalised). */
  value(): number {
    return this.area;
  }
}

/**
 * The area as the MVTec 3D-AD evaluation code (used by CFM and GeoAD) computes it from arrays, float for float:
 * NumPy-order sum of the trapezoids with x ≤ limit plus a correction from the last such point to the limit.
 */
export function integrateLikeReference(x: ArrayLike<number>, y: ArrayLike<number>, limit: number): number {
  const n = x.length;
  let correction = 0;
  let end = n; // points with x <= limit are a prefix (x ascending)
  let found = false;
  for (let i = 0; i < n; i++) if (x[i] === limit) found = true;
  if (!found) {
    let ins = 0; // bisect_right
    while (ins < n && x[ins] <= limit) ins++;
    if (ins === 0 || ins === n) throw new RangeError(`integrateLikeReference: limit ${limit} outside the curve's x range`);
    const yInterp = y[ins - 1] + ((y[ins] - y[ins - 1]) * (limit - x[ins - 1])) / (x[ins] - x[ins - 1]);
    correction = 0.5 * (yInterp + y[ins - 1]) * (limit - x[ins - 1]);
  }
  end = 0;
  while (end < n && x[end] <= limit) end++;
  const terms = new Float64Array(Math.max(0, end - 1));
  for (let i = 0; i + 1 < end; i++) terms[i] = 0.5 * (y[i + 1] + y[i]) * (x[i + 1] - x[i]);
  return sumLikeNumpy(terms) + correction;
}
