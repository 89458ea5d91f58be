// L2 reconstruction loss on foreground positions only (background cells carry no points).
import * as tf from '@tensorflow/tfjs';

/**
 * Mean over foreground cells of the squared L2 distance between predicted and real geometric features.
 * pred/target [B, g, g, C], mask [B, g, g, 1] of 0/1. A batch without foreground gives 0.
 */
export function computeForegroundL2(pred: tf.Tensor4D, target: tf.Tensor4D, mask: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const squared = tf.sum(tf.square(tf.sub(pred, target)), -1, true);
    const count = tf.maximum(tf.sum(mask), 1);
    return tf.div(tf.sum(tf.mul(squared, mask)), count) as tf.Scalar;
  });
}

/** Per-cell L2 distance ‖pred − target‖ [B, g, g] — the anomaly score before upsampling and smoothing. */
export function computeDistanceMap(pred: tf.Tensor4D, target: tf.Tensor4D): tf.Tensor3D {
  return tf.tidy(() => tf.sqrt(tf.sum(tf.square(tf.sub(pred, target)), -1)) as tf.Tensor3D);
}
