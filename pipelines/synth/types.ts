// The contract between scene building and every renderer (built-in, Blender, BlenderProc).
// Geometry is in the camera frame, metres, OpenCV convention: camera at the origin, +x right, +y down,
// +z forward (into the scene). A pixel (u, v) covers [u, u+1) × [v, v+1); its centre is (u + 0.5, v + 0.5),
// and a camera-frame point projects to u = fx·x/z + cx, v = fy·y/z + cy (continuous coordinates).

/** Pinhole intrinsics for a width × height image. */
export interface CameraIntrinsics {
  readonly width: number;
  readonly height: number;
  readonly fx: number;
  readonly fy: number;
  readonly cx: number;
  readonly cy: number;
}

/** Per-face anomaly label: what the ground-truth mask is made of. */
export const FaceLabel = { normal: 0, anomalous: 1 } as const;

/** Surface appearance of a group of faces (faces index into `Scene.materials`). */
export interface Material {
  readonly name: string;
  /** Specular strength in [0, 1]. */
  readonly specular: number;
  /** Phong exponent for the built-in renderer; Blender maps it to roughness. */
  readonly shininess: number;
}

/**
 * A light in the camera frame. `direction` (directional lights) is a unit vector from the surface towards the light;
 * `intensity` scales `color` so that a white Lambertian surface facing the light reflects `intensity`.
 */
export type Light =
  | { readonly kind: 'directional'; readonly direction: readonly [number, number, number]; readonly color: readonly [number, number, number]; readonly intensity: number }
  | { readonly kind: 'point'; readonly position: readonly [number, number, number]; readonly color: readonly [number, number, number]; readonly intensity: number };

/** A triangle mesh whose faces carry an anomaly label and a material; colours are baked per vertex. */
export interface LabelledMesh {
  /** x, y, z per vertex (camera frame, metres). */
  readonly positions: Float32Array;
  /** Linear RGB in [0, 1] per vertex (the procedural texture, baked). */
  readonly colors: Float32Array;
  /** Three vertex indices per face, counter-clockwise seen from outside. */
  readonly indices: Uint32Array;
  /** One {@link FaceLabel} per face. */
  readonly faceLabels: Uint8Array;
  /** One index into the scene's materials per face. */
  readonly faceMaterials: Uint8Array;
}

/** Everything a renderer needs for one sample. */
export interface RenderScene {
  readonly camera: CameraIntrinsics;
  readonly mesh: LabelledMesh;
  readonly materials: readonly Material[];
  readonly lights: readonly Light[];
  /** Ambient light level in [0, 1]. */
  readonly ambient: number;
}

/** What one render pass yields (row-major, width × height). */
export interface RenderOutput {
  /** 8-bit sRGB, 3 bytes per pixel. */
  readonly rgb: Uint8Array;
  /** Camera-frame x, y, z per pixel (metres); 0, 0, 0 where nothing was hit. */
  readonly xyz: Float32Array;
  /** 255 where the visible surface is labelled anomalous, else 0. */
  readonly mask: Uint8Array;
}
