// Scene params → RenderScene: tessellates the category's surface (refined around the anomaly), applies the anomaly,
// bakes the texture into vertex colours, labels faces, places object and support plane, and moves everything into
// the camera frame. Pure; every renderer (built-in, Blender, BlenderProc) renders its output.
import { applyAnomaly } from './apply-anomaly.js';
import { categoryModels } from './categories.js';
import type { SceneParams } from './params.js';
import { FOCAL_FACTOR } from './sample-scene.js';
import { computeOrientation, computeSurfaceFrame } from './surface-geometry.js';
import { buildAxis, buildPlane, computeVertexNormals, concatMeshes, toCameraFrame } from './mesh-parts.js';
import type { CameraIntrinsics, LabelledMesh, Light, RenderScene } from './types.js';

/** Material of the support plane under the object (the object's own material comes first). */
export const SUPPORT_MATERIAL = 'support';

/** Mesh sample spacing inside an anomaly's box (metres). */
const FINE_STEP = 0.00025;

export interface BuildOptions {
  /** Square image size in pixels. */
  readonly resolution: number;
  /** When false the anomaly keeps its labels and colour but does not move the surface (tests compare depth). @default true */
  readonly displace?: boolean;
}

/** Pinhole intrinsics for a square image of `resolution` pixels. */
export function computeIntrinsics(resolution: number): CameraIntrinsics {
  const f = Math.round(FOCAL_FACTOR * resolution * 1e6) / 1e6; // 67.2, not 67.19999999999999
  return { width: resolution, height: resolution, fx: f, fy: f, cx: resolution / 2, cy: resolution / 2 };
}

/** Builds the object's labelled mesh in its own frame (z up, resting on z = 0, yaw and offset applied). */
function buildObjectMesh(params: SceneParams, displace: boolean, pixelSize: number): LabelledMesh & { positions64: Float64Array; target: number[] } {
  const model = categoryModels.get(params.category);
  if (!model) throw new RangeError(`Unknown category \`${params.category}\``);
  const periodicV = model.topology === 'ring';
  const surface = model.surface(params.shape);
  const colourOf = model.colour(params.shape);
  const orientation = computeOrientation(surface, periodicV);
  const anomaly = params.anomaly;
  const centre = anomaly ? computeSurfaceFrame(surface, orientation, anomaly.u, anomaly.v) : undefined;
  // Finer than a pixel is wasted: step at most a third of the pixel footprint, never below FINE_STEP.
  const step = Math.max(FINE_STEP, pixelSize / 3);
  const us = buildAxis(model.grid[0], true, anomaly && centre ? { lo: anomaly.box.uMin, hi: anomaly.box.uMax, step: step / Math.max(centre.metresPerU, 1e-6) } : undefined);
  const vs = buildAxis(model.grid[1], periodicV, anomaly && centre ? { lo: anomaly.box.vMin, hi: anomaly.box.vMax, step: step / Math.max(centre.metresPerV, 1e-6) } : undefined);
  const nu = us.length;
  const nv = vs.length;
  const count = nu * nv;
  const positions = new Float64Array(count * 3);
  const colours = new Float32Array(count * 3);
  const vertexU = new Float64Array(count);
  const vertexV = new Float64Array(count);
  const out = [0, 0, 0];
  const rgb = [0, 0, 0];
  for (let j = 0; j < nv; j++) {
    for (let i = 0; i < nu; i++) {
      const k = j * nu + i;
      surface(us[i], vs[j], out);
      positions[k * 3] = out[0];
      positions[k * 3 + 1] = out[1];
      positions[k * 3 + 2] = out[2];
      colourOf(out[0], out[1], out[2], rgb);
      colours[k * 3] = rgb[0];
      colours[k * 3 + 1] = rgb[1];
      colours[k * 3 + 2] = rgb[2];
      vertexU[k] = us[i];
      vertexV[k] = vs[j];
    }
  }
  // Faces of the (u periodic, v periodic or capped) grid, wound counter-clockwise seen from outside.
  const quadRows = periodicV ? nv : nv - 1;
  const indices = new Uint32Array(nu * quadRows * 6);
  let f = 0;
  for (let j = 0; j < quadRows; j++) {
    const j1 = (j + 1) % nv;
    for (let i = 0; i < nu; i++) {
      const i1 = (i + 1) % nu;
      const a = j * nu + i;
      const b = j * nu + i1;
      const c = j1 * nu + i1;
      const d = j1 * nu + i;
      // Two triangles (a, b, c) and (a, c, d), reversed when ∂P/∂u × ∂P/∂v points inwards.
      const flip = orientation === -1;
      indices[f++] = a;
      indices[f++] = flip ? c : b;
      indices[f++] = flip ? b : c;
      indices[f++] = a;
      indices[f++] = flip ? d : c;
      indices[f++] = flip ? c : d;
    }
  }
  const faceCount = indices.length / 3;
  const faceLabels = new Uint8Array(faceCount);
  // Resting height and the camera's aim come from the undeformed object, so an anomaly moves nothing else.
  const bounds = measureBounds(positions, params.pose.yaw);
  if (anomaly && centre) {
    const normals = computeVertexNormals(positions, indices);
    const path = new Float64Array(anomaly.path.length * 3);
    anomaly.path.forEach(([pu, pv], i) => {
      surface(pu, pv, out);
      path.set(out, i * 3);
    });
    const weights = applyAnomaly({ positions, normals, colours, us: vertexU, vs: vertexV }, anomaly, centre.point, centre.normal, path, periodicV, displace);
    const threshold = anomaly.type === 'contamination' ? 0.05 : 0;
    for (let t = 0; t < faceCount; t++) {
      if (weights[indices[t * 3]] > threshold || weights[indices[t * 3 + 1]] > threshold || weights[indices[t * 3 + 2]] > threshold) faceLabels[t] = 1;
    }
  }
  // Place: yaw about z, offset on the plane, lowest point on z = 0.
  const cos = Math.cos(params.pose.yaw);
  const sin = Math.sin(params.pose.yaw);
  const minZ = bounds.minZ;
  for (let k = 0; k < count; k++) {
    const x = positions[k * 3];
    const y = positions[k * 3 + 1];
    positions[k * 3] = cos * x - sin * y + params.pose.x;
    positions[k * 3 + 1] = sin * x + cos * y + params.pose.y;
    positions[k * 3 + 2] -= minZ;
  }
  const target = [bounds.centreX + params.pose.x, bounds.centreY + params.pose.y, (bounds.maxZ - bounds.minZ) / 2];
  return { positions: new Float32Array(0), positions64: positions, colors: colours, indices, faceLabels, faceMaterials: new Uint8Array(faceCount), target };
}

/** Lowest/highest z and the horizontal bounding-box centre after rotating by `yaw` about z. */
function measureBounds(positions: Float64Array, yaw: number) {
  const cos = Math.cos(yaw);
  const sin = Math.sin(yaw);
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity, minZ = Infinity, maxZ = -Infinity;
  for (let k = 0; k < positions.length; k += 3) {
    const x = cos * positions[k] - sin * positions[k + 1];
    const y = sin * positions[k] + cos * positions[k + 1];
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
    minZ = Math.min(minZ, positions[k + 2]);
    maxZ = Math.max(maxZ, positions[k + 2]);
  }
  return { centreX: (minX + maxX) / 2, centreY: (minY + maxY) / 2, minZ, maxZ };
}

/** Builds the complete RenderScene of a sample (object + support plane, camera frame, lights). */
export function buildRenderScene(params: SceneParams, options: BuildOptions): RenderScene {
  const model = categoryModels.get(params.category);
  if (!model) throw new RangeError(`Unknown category \`${params.category}\``);
  const object = buildObjectMesh(params, options.displace ?? true, params.camera.distance / computeIntrinsics(options.resolution).fx);
  const plane = buildPlane(params.camera.distance * 0.75, 48, params.plane, params.seed);
  const { rotation, position } = computeCameraPose(params, object.target);
  const merged = concatMeshes(object, plane);
  const lights: Light[] = params.lights.map((l) => {
    const world = [Math.cos(l.elevation) * Math.cos(l.azimuth), Math.cos(l.elevation) * Math.sin(l.azimuth), Math.sin(l.elevation)];
    const d = [0, 1, 2].map((r) => rotation[r * 3] * world[0] + rotation[r * 3 + 1] * world[1] + rotation[r * 3 + 2] * world[2]);
    return { kind: 'directional', direction: [d[0], d[1], d[2]], color: [...l.colour] as [number, number, number], intensity: l.intensity };
  });
  return {
    camera: computeIntrinsics(options.resolution),
    mesh: { ...merged, positions: toCameraFrame(merged.positions64, rotation, position) },
    materials: [model.material, { name: SUPPORT_MATERIAL, specular: 0.05, shininess: 8 }],
    lights,
    ambient: params.ambient,
  };
}

/** Camera rotation (rows: image right, image down, forward; world → camera) and position, aimed at `target`. */
function computeCameraPose(params: SceneParams, target: readonly number[]): { rotation: Float64Array; position: number[] } {
  const { distance, tilt, azimuth, roll } = params.camera;
  const position = [
    target[0] + distance * Math.sin(tilt) * Math.cos(azimuth),
    target[1] + distance * Math.sin(tilt) * Math.sin(azimuth),
    target[2] + distance * Math.cos(tilt),
  ];
  const forward = normalize([target[0] - position[0], target[1] - position[1], target[2] - position[2]]);
  // "Image down" hint: world −y rotated by roll, made orthogonal to forward.
  const hint = [Math.sin(roll), -Math.cos(roll), 0];
  const right = normalize(cross(hint, forward));
  const down = cross(forward, right);
  return { rotation: Float64Array.from([...right, ...down, ...forward]), position };
}

const cross = (a: number[], b: number[]) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const normalize = (a: number[]) => {
  const l = Math.hypot(a[0], a[1], a[2]) || 1;
  return [a[0] / l, a[1] / l, a[2] / l];
};
