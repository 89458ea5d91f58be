// Float64 summation in NumPy's pairwise order, so that numbers the papers' NumPy code sums (kernel normalisers,
// trapezoid areas) come out bit-identical here.

const BLOCK = 128;

/** Sums `values` exactly as `numpy.sum` does for a contiguous float64 array (pairwise, 8 partial sums per block). */
export function sumLikeNumpy(values: ArrayLike<number>, start = 0, end = values.length): number {
  const n = end - start;
  if (n < 8) {
    let s = -0;
    for (let i = start; i < end; i++) s += values[i];
    return n === 0 ? 0 : s;
  }
  if (n > BLOCK) {
    let half = Math.floor(n / 2);
    half -= half % 8;
    return sumLikeNumpy(values, start, start + half) + sumLikeNumpy(values, start + half, end);
  }
  const r = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => values[start + k]);
  let i = 8;
  for (; i < n - (n % 8); i += 8) for (let k = 0; k < 8; k++) r[k] += values[start + i + k];
  let s = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
  for (; i < n; i++) s += values[start + i];
  return s;
}
