// Packs a labelled mesh into one little-endian binary file that the Blender script reads with numpy.frombuffer:
// positions f32×3n, colours f32×3n, indices u32×3m, face labels u8×m, face materials u8×m (sections 4-byte aligned).
import { GeoadError } from '../../../orchestrator/util/errors.js';
import type { LabelledMesh, RenderScene } from '../types.js';

/** Byte offsets of each section in the packed file, recorded in the job file. */
export interface MeshLayout {
  readonly vertexCount: number;
  readonly faceCount: number;
  readonly positions: number;
  readonly colors: number;
  readonly indices: number;
  readonly faceLabels: number;
  readonly faceMaterials: number;
  readonly byteLength: number;
}

const align4 = (n: number): number => Math.ceil(n / 4) * 4;

// Checks a scene against the RenderScene contract so that Blender never sees inconsistent arrays; names the sample.
export function validateRenderScene(key: string, scene: RenderScene): void {
  const fail = (problem: string): never => {
    throw new GeoadError(`Sample ${key}: invalid render scene: ${problem}`);
  };
  const { camera, mesh } = scene;
  for (const field of ['width', 'height'] as const) {
    const v = camera[field];
    if (!Number.isInteger(v) || v < 1 || v > 16384) fail(`camera.${field} must be an integer from 1 to 16384, got ${v}`);
  }
  for (const field of ['fx', 'fy', 'cx', 'cy'] as const) {
    if (!Number.isFinite(camera[field])) fail(`camera.${field} must be finite, got ${camera[field]}`);
  }
  if (camera.fx <= 0 || camera.fy <= 0) fail(`camera focal lengths must be positive, got fx=${camera.fx}, fy=${camera.fy}`);
  const n = mesh.positions.length / 3;
  const m = mesh.indices.length / 3;
  if (!Number.isInteger(n) || n < 3) fail(`mesh.positions must hold 3 floats per vertex (at least 3 vertices), got ${mesh.positions.length}`);
  if (mesh.colors.length !== mesh.positions.length) fail(`mesh.colors has ${mesh.colors.length} floats, expected ${mesh.positions.length}`);
  if (!Number.isInteger(m) || m < 1) fail(`mesh.indices must hold 3 indices per face, got ${mesh.indices.length}`);
  if (mesh.faceLabels.length !== m) fail(`mesh.faceLabels has ${mesh.faceLabels.length} entries for ${m} faces`);
  if (mesh.faceMaterials.length !== m) fail(`mesh.faceMaterials has ${mesh.faceMaterials.length} entries for ${m} faces`);
  for (let i = 0; i < mesh.positions.length; i++) {
    if (!Number.isFinite(mesh.positions[i])) fail(`mesh.positions[${i}] is ${mesh.positions[i]}`);
    if (!Number.isFinite(mesh.colors[i])) fail(`mesh.colors[${i}] is ${mesh.colors[i]}`);
  }
  for (let i = 0; i < mesh.indices.length; i++) {
    if (mesh.indices[i] >= n) fail(`mesh.indices[${i}] = ${mesh.indices[i]} is not below the vertex count ${n}`);
  }
  for (let f = 0; f < m; f++) {
    if (mesh.faceMaterials[f] >= scene.materials.length) {
      fail(`mesh.faceMaterials[${f}] = ${mesh.faceMaterials[f]} but the scene has ${scene.materials.length} materials`);
    }
  }
}

// Computes where each section of a packed mesh lies.
export function layoutMesh(mesh: LabelledMesh): MeshLayout {
  const vertexCount = mesh.positions.length / 3;
  const faceCount = mesh.indices.length / 3;
  const positions = 0;
  const colors = positions + vertexCount * 12;
  const indices = colors + vertexCount * 12;
  const faceLabels = indices + faceCount * 12;
  const faceMaterials = align4(faceLabels + faceCount);
  const byteLength = align4(faceMaterials + faceCount);
  return { vertexCount, faceCount, positions, colors, indices, faceLabels, faceMaterials, byteLength };
}

// Packs the mesh into bytes laid out as {@link layoutMesh} says (explicit little-endian, whatever the host).
export function packMesh(mesh: LabelledMesh): { readonly layout: MeshLayout; readonly bytes: Uint8Array } {
  const layout = layoutMesh(mesh);
  const bytes = new Uint8Array(layout.byteLength);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < mesh.positions.length; i++) {
    view.setFloat32(layout.positions + i * 4, mesh.positions[i], true);
    view.setFloat32(layout.colors + i * 4, mesh.colors[i], true);
  }
  for (let i = 0; i < mesh.indices.length; i++) view.setUint32(layout.indices + i * 4, mesh.indices[i], true);
  bytes.set(mesh.faceLabels, layout.faceLabels);
  bytes.set(mesh.faceMaterials, layout.faceMaterials);
  return { layout, bytes };
}
