// `--visual-backbone DIR`: a user-supplied TensorFlow.js graph or layers model (e.g. a DINO ViT exported with
// tensorflowjs_converter) used as a frozen visual feature extractor.
//
// Contract: DIR/model.json (+ weight shards). Input: one float32 tensor [1, S, S, 3] (S = `--image-size`; a model
// with another fixed S is refused when loaded), RGB scaled to [0, 1] then normalised with the ImageNet mean
// (0.485, 0.456, 0.406) and standard deviation (0.229, 0.224, 0.225). Output: the first output, shaped [1, g, g, C] (a feature map),
// [1, g·g, C] (patch tokens) or [1, g·g + 1, C] (a leading class token, dropped), with g the visual grid (28).
import * as tf from '@tensorflow/tfjs';
import { DataError, UsageError, errorMessage } from '../../orchestrator/util/errors.js';
import { createFileLoader, readModelArtifacts } from '../model/file-io.js';

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/** A loaded backbone: its input side, output channels, and a feature function. */
export interface VisualBackbone {
  readonly dir: string;
  readonly inputSize: number;
  readonly channels: number;
  /** rgb bytes (inputSize² × 3) → features [grid, grid, C] row-major. */
  extract(rgb: Uint8Array): Float32Array;
  dispose(): void;
}

type Runner = (x: tf.Tensor4D) => tf.Tensor;

// Normalises a grid×grid feature map from any of the three accepted output shapes, or explains the mismatch.
function toGrid(output: tf.Tensor, grid: number, dir: string): tf.Tensor3D {
  const s = output.shape;
  const contract = `expected [1, ${grid}, ${grid}, C], [1, ${grid * grid}, C] or [1, ${grid * grid + 1}, C] (see the --visual-backbone contract)`;
  if (s.length === 4 && s[0] === 1 && s[1] === grid && s[2] === grid) return tf.reshape(output, [grid, grid, s[3]]);
  if (s.length === 3 && s[0] === 1 && s[1] === grid * grid) return tf.reshape(output, [grid, grid, s[2]]);
  if (s.length === 3 && s[0] === 1 && s[1] === grid * grid + 1) return tf.reshape(tf.slice(output, [0, 1, 0], [1, grid * grid, s[2]]), [grid, grid, s[2]]);
  throw new DataError(`${dir}/model.json`, `visual backbone outputs shape [${s.join(', ')}]; ${contract}`);
}

/**
 * Loads DIR as a graph model (converter format) or a layers model and checks it against the contract: its input side
 * must be `imageSize` (the prepared image side, `--image-size`; a dynamic side takes it) and its output the grid.
 */
export async function loadVisualBackbone(dir: string, options: { readonly grid: number; readonly imageSize: number }): Promise<VisualBackbone> {
  const { grid, imageSize } = options;
  const artifacts = await readModelArtifacts(dir);
  const topology = artifacts.modelTopology as { node?: unknown } | undefined;
  const isGraph = artifacts.format === 'graph-model' || (topology !== undefined && 'node' in topology);
  let run: Runner;
  let inputShape: (number | null)[] | undefined;
  let disposeModel: () => void;
  try {
    if (isGraph) {
      const model = await tf.loadGraphModel(createFileLoader(dir));
      inputShape = model.inputs[0]?.shape?.map((d) => (d === -1 ? null : d));
      run = (x) => {
        const out = model.predict(x);
        return Array.isArray(out) ? out[0] : out instanceof tf.Tensor ? out : Object.values(out)[0];
      };
      disposeModel = () => model.dispose();
    } else {
      const model = await tf.loadLayersModel(createFileLoader(dir));
      inputShape = model.inputs[0]?.shape;
      run = (x) => {
        const out = model.predict(x);
        return Array.isArray(out) ? out[0] : out;
      };
      disposeModel = () => model.dispose();
    }
  } catch (error) {
    throw new DataError(`${dir}/model.json`, `cannot load as a TensorFlow.js ${isGraph ? 'graph' : 'layers'} model: ${errorMessage(error)}`, { cause: error });
  }
  if (inputShape && (inputShape.length !== 4 || (inputShape[3] !== null && inputShape[3] !== 3))) {
    disposeModel();
    throw new DataError(`${dir}/model.json`, `visual backbone input shape [${inputShape.join(', ')}]; expected [1, S, S, 3] (NHWC RGB)`);
  }
  const side = inputShape?.[1] ?? inputShape?.[2] ?? null;
  if (side !== null && side !== imageSize) {
    disposeModel();
    throw new UsageError(`Expected \`--image-size\` to be ${side}, the input side of \`--visual-backbone\` ${dir}, got \`${imageSize}\``);
  }
  const inputSize = imageSize;
  // One forward pass on a zero image checks the output shape now rather than at the first sample.
  let channels: number;
  try {
    channels = tf.tidy(() => toGrid(run(tf.zeros([1, inputSize, inputSize, 3])), grid, dir).shape[2]);
  } catch (error) {
    disposeModel();
    if (error instanceof DataError) throw error;
    throw new DataError(`${dir}/model.json`, `visual backbone failed on a [1, ${inputSize}, ${inputSize}, 3] input: ${errorMessage(error)}`, { cause: error });
  }
  return {
    dir,
    inputSize,
    channels,
    extract(rgb) {
      if (rgb.length !== inputSize * inputSize * 3) throw new Error(`visual backbone ${dir} takes ${inputSize}×${inputSize} RGB images, got ${rgb.length / 3} pixels`);
      return tf.tidy(() => {
        const x = tf.div(tf.sub(tf.div(tf.tensor4d(rgb, [1, inputSize, inputSize, 3], 'float32'), 255), MEAN), STD) as tf.Tensor4D;
        return toGrid(run(x), grid, dir).dataSync() as Float32Array;
      });
    },
    dispose: () => disposeModel(),
  };
}
