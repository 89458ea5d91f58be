// A TensorFlow.js IOHandler on the local file system (tfjs-node's file:// handler is absent without tfjs-node):
// DIR/model.json (topology, weight manifest, metadata) + DIR/weights.bin, each written atomically.
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '../../orchestrator/util/atomic-write.js';
import { DataError, errorMessage } from '../../orchestrator/util/errors.js';

const WEIGHTS_FILE = 'weights.bin';

/** The on-disk model.json of the tfjs format. */
interface ModelJson {
  readonly format?: string;
  readonly generatedBy?: string;
  readonly convertedBy?: string | null;
  readonly modelTopology?: unknown;
  readonly weightsManifest: { readonly paths: string[]; readonly weights: tf.io.WeightsManifestEntry[] }[];
  readonly userDefinedMetadata?: Record<string, unknown>;
  readonly signature?: unknown;
  readonly modelInitializer?: unknown;
  readonly trainingConfig?: unknown;
}

/** An IOHandler whose save() writes model.json + weights.bin into `dir` (weights first, model.json last). */
export function createFileSaver(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts) {
      const weightData = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
      await writeFileAtomic(join(dir, WEIGHTS_FILE), new Uint8Array(weightData));
      const json: ModelJson = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: artifacts.userDefinedMetadata,
        ...(artifacts.signature ? { signature: artifacts.signature } : {}),
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
      };
      await writeFileAtomic(join(dir, 'model.json'), `${JSON.stringify(json)}\n`);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

/** Reads DIR/model.json and its weight shards; errors name the file. */
export async function readModelArtifacts(dir: string): Promise<tf.io.ModelArtifacts> {
  const jsonPath = join(dir, 'model.json');
  let json: ModelJson;
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8')) as ModelJson;
  } catch (error) {
    throw new DataError(jsonPath, `cannot read a TensorFlow.js model.json: ${errorMessage(error)}`, { cause: error });
  }
  if (!Array.isArray(json.weightsManifest)) throw new DataError(jsonPath, 'no `weightsManifest` array: not a TensorFlow.js model');
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const path of group.paths) {
      const file = resolve(dirname(jsonPath), path);
      try {
        const bytes = await readFile(file);
        buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      } catch (error) {
        throw new DataError(file, `cannot read weight shard named in ${jsonPath}: ${errorMessage(error)}`, { cause: error });
      }
    }
  }
  const weightData = tf.io.CompositeArrayBuffer.join(buffers);
  const expected = specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1) * bytesPerElement(s.quantization?.dtype ?? s.dtype), 0);
  if (weightData.byteLength < expected) {
    throw new DataError(jsonPath, `weight shards hold ${weightData.byteLength} bytes, the manifest needs ${expected} (truncated?)`);
  }
  return {
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? undefined,
    modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: specs,
    weightData,
    userDefinedMetadata: json.userDefinedMetadata as tf.io.ModelArtifacts['userDefinedMetadata'],
    signature: json.signature as tf.io.ModelArtifacts['signature'],
    modelInitializer: json.modelInitializer as tf.io.ModelArtifacts['modelInitializer'],
    trainingConfig: json.trainingConfig as tf.io.ModelArtifacts['trainingConfig'],
  };
}

function bytesPerElement(dtype: string): number {
  return dtype === 'bool' || dtype === 'uint8' ? 1 : dtype === 'uint16' || dtype === 'float16' ? 2 : dtype === 'complex64' ? 8 : 4;
}

/** An IOHandler whose load() reads `dir` (for tf.loadLayersModel / tf.loadGraphModel). */
export function createFileLoader(dir: string): tf.io.IOHandler {
  return { load: () => readModelArtifacts(dir) };
}
