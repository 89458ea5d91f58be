// Scenes from seeds: a pure function (seed, sample id) → SceneParams — object variation, pose, camera jitter,
// 1–3 lights, support plane colour and, for defect samples, the anomaly.
import { categoryModels } from './categories.js';
import type { LightParams, SampleId, SceneParams } from './params.js';
import { createRng, hashString } from './prng.js';
import { sampleAnomaly } from './sample-anomaly.js';
import { computeOrientation } from './surface-geometry.js';
import type { SurfaceFn } from './surfaces.js';

/** Focal length as a multiple of the image width (horizontal field of view ≈ 39°). */
export const FOCAL_FACTOR = 1.4;
/** Fraction of the frame width the object's largest horizontal extent should fill. */
const FILL = 0.6;

/** Key of a sample: `category/split/defect/NNN` (at least three digits). */
export function formatSampleKey(id: SampleId): string {
  return `${id.category}/${id.split}/${id.defect}/${String(id.index).padStart(3, '0')}`;
}

/** The per-sample seed: a hash of the dataset seed and the sample key, so samples are independent of order. */
export function deriveSampleSeed(seed: number, id: SampleId): number {
  return hashString(formatSampleKey(id), seed >>> 0);
}

/** Largest horizontal extent of a surface (object frame), from a coarse grid. */
export function measureExtent(surface: SurfaceFn): number {
  const out = [0, 0, 0];
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let j = 0; j <= 32; j++) {
    for (let i = 0; i < 32; i++) {
      surface(i / 32, j / 32, out);
      minX = Math.min(minX, out[0]);
      maxX = Math.max(maxX, out[0]);
      minY = Math.min(minY, out[1]);
      maxY = Math.max(maxY, out[1]);
    }
  }
  return Math.max(maxX - minX, maxY - minY);
}

/**
 * Samples the full scene description of one sample rendered at `resolution` pixels (which only sets the smallest
 * defect size). Throws on an unknown category.
 */
export function sampleScene(seed: number, id: SampleId, resolution: number): SceneParams {
  const model = categoryModels.get(id.category);
  if (!model) throw new RangeError(`Unknown category \`${id.category}\``);
  const sampleSeed = deriveSampleSeed(seed, id);
  const rng = createRng(sampleSeed);
  const shape = model.sample(rng);
  const surface = model.surface(shape);
  const extent = measureExtent(surface);
  const pose = { yaw: rng.range(0, 2 * Math.PI), x: rng.range(-0.004, 0.004), y: rng.range(-0.004, 0.004) };
  const camera = {
    distance: ((extent * FOCAL_FACTOR) / FILL) * rng.range(0.92, 1.08),
    tilt: rng.range(0, 0.26),
    azimuth: rng.range(0, 2 * Math.PI),
    roll: rng.range(-0.1, 0.1),
  };
  const lightCount = rng.int(1, 3);
  const lights: LightParams[] = [];
  for (let i = 0; i < lightCount; i++) {
    const key = i === 0;
    const warm = rng.range(-0.06, 0.06);
    lights.push({
      azimuth: rng.range(0, 2 * Math.PI),
      elevation: key ? rng.range(0.7, 1.3) : rng.range(0.35, 1.0),
      intensity: key ? rng.range(0.65, 0.9) : rng.range(0.15, 0.4),
      colour: [1 + warm, 1, 1 - warm],
    });
  }
  const ambient = rng.range(0.12, 0.25);
  const grey = rng.range(0.35, 0.6);
  const plane: [number, number, number] = [grey * rng.range(0.95, 1.05), grey, grey * rng.range(0.95, 1.05)];
  const anomaly =
    id.defect === 'good'
      ? null
      : sampleAnomaly(id.defect, surface, computeOrientation(surface, model.topology === 'ring'), model.topology === 'ring', { objectExtent: extent, pixelSize: camera.distance / (FOCAL_FACTOR * resolution) }, rng);
  return { ...id, key: formatSampleKey(id), seed: sampleSeed, shape, pose, camera, lights, ambient, plane, anomaly };
}
