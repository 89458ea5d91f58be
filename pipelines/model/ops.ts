// Tensor building blocks that train fast and correctly on every backend (see shared notes on tfjs-on-node):
// 2-D matMul with an explicit-transpose gradient (XNNPACK fast path on wasm), GELU via erf, the 8-neighbour
// grid aggregation with shifted slices, and align-corners bilinear resizing.
import * as tf from '@tensorflow/tfjs';

// y = a·b for 2-D a [M,K], b [K,N]; the gradient transposes explicitly so every product stays 2-D and untransposed.
const matMul2dGrad = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = inputs as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved;
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb as tf.Tensor2D)), tf.matMul(tf.transpose(sa as tf.Tensor2D), dy as tf.Tensor2D)];
    },
  };
});

/** Multiplies two 2-D tensors, keeping forward and backward passes on the fast 2-D path. */
export function matMul2d(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return matMul2dGrad(a, b) as tf.Tensor2D;
}

/** A 1×1 convolution on rows: x [M, K] · w [K, N] + bias [N]. */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor2D {
  const y = matMul2d(x, w);
  return bias ? tf.add(y, bias) : y;
}

/** GELU (exact, erf form); tfjs has no tf.gelu. */
export function gelu<T extends tf.Tensor>(x: T): T {
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))) as T;
}

/** D^-1/2 of the 8-neighbour grid graph with self-loops (degree 4 at corners, 6 on edges, 9 inside), [1, g, g, 1]. */
export function computeGridInvSqrtDegree(grid: number): Float32Array {
  const out = new Float32Array(grid * grid);
  for (let y = 0; y < grid; y++) {
    for (let x = 0; x < grid; x++) {
      const rows = (y > 0 ? 1 : 0) + 1 + (y < grid - 1 ? 1 : 0);
      const cols = (x > 0 ? 1 : 0) + 1 + (x < grid - 1 ? 1 : 0);
      out[y * grid + x] = 1 / Math.sqrt(rows * cols);
    }
  }
  return out;
}

/**
 * Â·h with Â = D^-1/2 (A + I) D^-1/2 on the 8-neighbour grid, for h [B, g, g, C]. A + I is the 3×3 all-ones
 * stencil, which is separable: scale, sum 3 vertical then 3 horizontal shifts of the zero-padded map, scale again.
 * Only pad/slice/mul/add: all have gradients on wasm and cpu.
 */
export function aggregateGridNeighbours(h: tf.Tensor4D, invSqrtDegree: tf.Tensor4D): tf.Tensor4D {
  const [b, g, , c] = h.shape;
  const scaled = tf.mul(h, invSqrtDegree) as tf.Tensor4D;
  const rows = tf.pad(scaled, [
    [0, 0],
    [1, 1],
    [0, 0],
    [0, 0],
  ]);
  const vertical = tf.addN([0, 1, 2].map((dy) => tf.slice(rows, [0, dy, 0, 0], [b, g, g, c]))) as tf.Tensor4D;
  const cols = tf.pad(vertical, [
    [0, 0],
    [0, 0],
    [1, 1],
    [0, 0],
  ]);
  const both = tf.addN([0, 1, 2].map((dx) => tf.slice(cols, [0, 0, dx, 0], [b, g, g, c])));
  return tf.mul(both, invSqrtDegree) as tf.Tensor4D;
}

/**
 * Bilinear resize of a square grid to size × size with aligned corners (the halfPixelCenters gradient is wrong in tfjs
 * 4.22). Square inputs only: the cpu backend's gradient of a non-square resizeBilinear has a transposed shape in 4.22.
 */
export function resizeAlignCorners(x: tf.Tensor4D, size: number): tf.Tensor4D {
  if (x.shape[1] !== x.shape[2]) throw new Error(`resizeAlignCorners takes square grids, got [${x.shape.join(', ')}]`);
  if (x.shape[1] === size) return x;
  return tf.image.resizeBilinear(x, [size, size], true) as tf.Tensor4D;
}
