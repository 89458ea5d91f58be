// Eigen-decomposition of symmetric 3×3 matrices (covariances): closed-form eigenvalues, smallest eigenvector.

/** Eigenvalues of the symmetric matrix [[a, b, c], [b, d, e], [c, e, f]] in ascending order (written to `out`). */
export function symmetricEigenvalues(a: number, b: number, c: number, d: number, e: number, f: number, out: Float64Array): void {
  const p1 = b * b + c * c + e * e;
  const q = (a + d + f) / 3;
  if (p1 <= 1e-30 * (a * a + d * d + f * f) || p1 === 0) {
    // Diagonal: sort the diagonal.
    let x = a, y = d, z = f, t;
    if (x > y) { t = x; x = y; y = t; }
    if (y > z) { t = y; y = z; z = t; }
    if (x > y) { t = x; x = y; y = t; }
    out[0] = x; out[1] = y; out[2] = z;
    return;
  }
  const a0 = a - q, d0 = d - q, f0 = f - q;
  const p2 = a0 * a0 + d0 * d0 + f0 * f0 + 2 * p1;
  const p = Math.sqrt(p2 / 6);
  // det((A - qI) / p) / 2
  const det = a0 * (d0 * f0 - e * e) - b * (b * f0 - e * c) + c * (b * e - d0 * c);
  let r = det / (2 * p * p * p);
  r = r <= -1 ? -1 : r >= 1 ? 1 : r;
  const phi = Math.acos(r) / 3;
  const largest = q + 2 * p * Math.cos(phi);
  const smallest = q + 2 * p * Math.cos(phi + (2 * Math.PI) / 3);
  out[0] = smallest;
  out[1] = 3 * q - largest - smallest;
  out[2] = largest;
}

/**
 * Unit eigenvector of the symmetric matrix for eigenvalue `lambda` (written to `out[0..2]`): the largest cross product
 * of two rows of (A − λI). Returns false when the matrix is (numerically) isotropic and no direction stands out.
 */
export function symmetricEigenvector(a: number, b: number, c: number, d: number, e: number, f: number, lambda: number, out: Float64Array): boolean {
  const r0x = a - lambda, r0y = b, r0z = c;
  const r1x = b, r1y = d - lambda, r1z = e;
  const r2x = c, r2y = e, r2z = f - lambda;
  const ax = r0y * r1z - r0z * r1y, ay = r0z * r1x - r0x * r1z, az = r0x * r1y - r0y * r1x;
  const bx = r0y * r2z - r0z * r2y, by = r0z * r2x - r0x * r2z, bz = r0x * r2y - r0y * r2x;
  const cx = r1y * r2z - r1z * r2y, cy = r1z * r2x - r1x * r2z, cz = r1x * r2y - r1y * r2x;
  const na = ax * ax + ay * ay + az * az;
  const nb = bx * bx + by * by + bz * bz;
  const nc = cx * cx + cy * cy + cz * cz;
  let x = ax, y = ay, z = az, n = na;
  if (nb > n) { x = bx; y = by; z = bz; n = nb; }
  if (nc > n) { x = cx; y = cy; z = cz; n = nc; }
  if (!(n > 0)) return false;
  const inv = 1 / Math.sqrt(n);
  out[0] = x * inv;
  out[1] = y * inv;
  out[2] = z * inv;
  return true;
}
