// Turns dataset samples into network inputs and targets: extractor input per sample, geometric grid, masks,
// and the standardisation statistics computed on the training split.
import { DataError } from '../../orchestrator/util/errors.js';
import type { SampleRef } from '../data/types.js';
import type { VisualExtractor } from '../visual/index.js';
import { computeChannelStats, packFeatureSet, standardiseChannels, type FeatureSet } from './feature-set.js';
import type { ChannelStats, ModelSpec } from './geoad-model.js';
import type { SampleLoader } from './samples.js';

/** One sample with everything training and inference need, before standardisation. */
export interface SampleRecord {
  readonly ref: SampleRef;
  readonly input: Float32Array;
  readonly target: Float32Array;
  /** Foreground cells of the geometric grid. */
  readonly cellMask: Uint8Array;
  /** Foreground pixels of the prepared image (size × size). */
  readonly foreground: Uint8Array;
  readonly size: number;
  readonly originalWidth: number;
  readonly originalHeight: number;
}

/** What the records are checked against. */
export interface RecordShape {
  readonly imageSize: number;
  readonly geometricGrid: number;
  /** Expected geometric channels (undefined: take the first sample's). */
  readonly geometricChannels?: number;
  /** The checkpoint's model.json the expected channel count comes from, named when a sample differs. */
  readonly channelsFrom?: string;
}

/** Loads each ref and computes its extractor input; `onSample` is called after each (progress). */
export async function loadSampleRecords(refs: readonly SampleRef[], loader: SampleLoader, extractor: VisualExtractor, shape: RecordShape, onSample?: () => void): Promise<SampleRecord[]> {
  const records: SampleRecord[] = [];
  let channels = shape.geometricChannels;
  for (const ref of refs) {
    const { prepared, geometric } = await loader(ref);
    const where = ref.rgbPath;
    if (prepared.size !== shape.imageSize) throw new DataError(where, `prepared size ${prepared.size}, the model needs ${shape.imageSize}`);
    if (geometric.grid !== shape.geometricGrid) throw new DataError(ref.xyzPath, `geometric grid ${geometric.grid}, the model needs ${shape.geometricGrid}`);
    channels ??= geometric.channels;
    if (geometric.channels !== channels) {
      const expected = shape.channelsFrom ? `the checkpoint ${shape.channelsFrom} was trained on ${channels} (features of another dimension)` : `the model needs ${channels}`;
      throw new DataError(ref.xyzPath, `geometric features have ${geometric.channels} channels, ${expected}`);
    }
    if (!geometric.data.every(Number.isFinite)) throw new DataError(ref.xyzPath, 'geometric features contain NaN or Inf');
    const input = extractor.prepareInput(prepared.rgb);
    if (!input.every(Number.isFinite)) throw new DataError(where, 'visual features contain NaN or Inf');
    records.push({
      ref,
      input,
      target: geometric.data,
      cellMask: geometric.foreground,
      foreground: prepared.foreground,
      size: prepared.size,
      originalWidth: prepared.originalWidth,
      originalHeight: prepared.originalHeight,
    });
    onSample?.();
  }
  return records;
}

/** Standardisation statistics from training records: visual (if the extractor is frozen) and geometric (foreground cells). */
export function computeFeatureStats(records: readonly SampleRecord[], extractor: VisualExtractor, geometricChannels: number): { visualStats: ChannelStats | null; geometricStats: ChannelStats } {
  return {
    visualStats: extractor.standardise ? computeChannelStats(records.map((r) => r.input), extractor.channels) : null,
    geometricStats: computeChannelStats(
      records.map((r) => r.target),
      geometricChannels,
      records.map((r) => r.cellMask),
    ),
  };
}

/** Standardises records with the spec's statistics and packs them for the network. */
export function toFeatureSet(records: readonly SampleRecord[], spec: ModelSpec, extractor: VisualExtractor): FeatureSet {
  const { geometricGrid, geometricChannels } = spec.reconstructor;
  return packFeatureSet(
    records.map((r) => ({
      input: spec.visualStats ? standardiseChannels(r.input, spec.visualStats) : r.input,
      target: standardiseChannels(r.target, spec.geometricStats, r.cellMask),
      mask: r.cellMask,
    })),
    extractor.inputShape,
    geometricGrid,
    geometricChannels,
  );
}
