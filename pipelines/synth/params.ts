// The sampled description of one sample (what the manifest records per sample): the object, its pose, camera,
// lights and the anomaly. Plain JSON values only; every field in metres or radians unless said otherwise.
import type { ShapeParams } from './categories.js';

/** The defect types, each a `test/<type>/` folder. */
export const defectTypes = ['dent', 'bump', 'crack', 'hole', 'scratch', 'contamination'] as const;
export type DefectType = (typeof defectTypes)[number];

/** Dataset splits in the MVTec 3D-AD layout (validation and train hold good samples only). */
export const splits = ['train', 'validation', 'test'] as const;
export type Split = (typeof splits)[number];

/** Which sample: the folder it goes to and its number there. */
export interface SampleId {
  readonly category: string;
  readonly split: Split;
  /** `good` or a defect type (only in the test split). */
  readonly defect: 'good' | DefectType;
  readonly index: number;
}

/** One anomaly on the object's surface, in the surface's (u, v) parameters. */
export interface AnomalyParams {
  readonly type: DefectType;
  /** Centre in surface parameters. */
  readonly u: number;
  readonly v: number;
  /** Radius (dent, bump, hole, contamination) or half-width (crack, scratch), metres. */
  readonly radius: number;
  /** Displacement along the outward normal, metres: negative into the surface, positive out; 0 for contamination. */
  readonly depth: number;
  /** Path in (u, v) for crack and scratch (empty otherwise). */
  readonly path: readonly (readonly [number, number])[];
  /** Length of the path, metres (0 for radial defects). */
  readonly length: number;
  /** Contamination colour (linear RGB) and opacity; unused otherwise. */
  readonly colour: readonly [number, number, number];
  readonly opacity: number;
  /** Seed of the boundary noise. */
  readonly seed: number;
  /** Box in (u, v) around the anomaly where the mesh is refined (u may wrap: uMin > uMax). */
  readonly box: { readonly uMin: number; readonly uMax: number; readonly vMin: number; readonly vMax: number };
}

/** A light in world coordinates (z up): direction towards the light as azimuth/elevation. */
export interface LightParams {
  readonly azimuth: number;
  readonly elevation: number;
  readonly intensity: number;
  readonly colour: readonly [number, number, number];
}

/** Everything sampled for one sample; building the mesh from it is deterministic. */
export interface SceneParams extends SampleId {
  /** Folder-relative key `category/split/defect/NNN`. */
  readonly key: string;
  /** The per-sample seed every other value was drawn from. */
  readonly seed: number;
  readonly shape: ShapeParams;
  /** Rotation about the vertical axis and offset on the support plane. */
  readonly pose: { readonly yaw: number; readonly x: number; readonly y: number };
  /** Camera on a sphere around the object: distance, tilt from vertical, azimuth, roll about its axis. */
  readonly camera: { readonly distance: number; readonly tilt: number; readonly azimuth: number; readonly roll: number };
  readonly lights: readonly LightParams[];
  readonly ambient: number;
  /** Support plane colour (linear RGB). */
  readonly plane: readonly [number, number, number];
  readonly anomaly: AnomalyParams | null;
}
