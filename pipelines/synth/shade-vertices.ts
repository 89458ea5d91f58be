// Per-vertex lighting for the built-in renderer: Lambert diffuse + Blinn–Phong specular from every light, ambient,
// and the key light's shadow map. Meshes are ~1 mm per vertex (finer at anomalies), so Gouraud interpolation of
// the result is indistinguishable from per-pixel shading at the image scales we render. The coarse support plane
// gets its key-light term separately, so the rasterizer can shadow it per pixel.
import { computeVertexNormals } from './mesh-parts.js';
import { buildShadowMap, sampleShadow, type ShadowMap } from './shadow-map.js';
import type { RenderScene } from './types.js';

/** Per-vertex lighting: `radiance` (linear RGB), and for plane vertices the unshadowed key-light term kept apart. */
export interface VertexShading {
  readonly radiance: Float32Array;
  /** Key-light term of support-plane vertices (0 elsewhere), to be multiplied by a per-pixel shadow factor. */
  readonly planeKey: Float32Array;
  readonly shadow: ShadowMap | undefined;
}

/** Shades every vertex of the scene. */
export function shadeVertices(scene: RenderScene): VertexShading {
  const { positions, colors, indices, faceMaterials } = scene.mesh;
  const vertexCount = positions.length / 3;
  const normals = computeVertexNormals(positions, indices);
  const vertexMaterial = new Uint8Array(vertexCount);
  for (let f = 0; f < faceMaterials.length; f++) {
    const m = faceMaterials[f];
    vertexMaterial[indices[f * 3]] = m;
    vertexMaterial[indices[f * 3 + 1]] = m;
    vertexMaterial[indices[f * 3 + 2]] = m;
  }
  const lights = scene.lights.map((light) => {
    const dir = light.kind === 'directional' ? normalize([...light.direction]) : undefined;
    return { light, dir };
  });
  // Shadows from the first (key) directional light, cast by the object (material 0).
  const key = lights.find((l) => l.dir !== undefined);
  const shadow: ShadowMap | undefined = key?.dir ? buildShadowMap(positions, indices, faceMaterials, 0, key.dir) : undefined;
  const out = new Float32Array(vertexCount * 3);
  const planeKey = new Float32Array(vertexCount * 3);
  for (let v = 0; v < vertexCount; v++) {
    const x = positions[v * 3], y = positions[v * 3 + 1], z = positions[v * 3 + 2];
    const nx = normals[v * 3], ny = normals[v * 3 + 1], nz = normals[v * 3 + 2];
    const vl = Math.hypot(x, y, z) || 1;
    const vx = -x / vl, vy = -y / vl, vz = -z / vl;
    const material = scene.materials[vertexMaterial[v]] ?? scene.materials[0];
    let dr = scene.ambient, dg = scene.ambient, db = scene.ambient;
    let sr = 0, sg = 0, sb = 0;
    for (const { light, dir } of lights) {
      let lx: number, ly: number, lz: number, falloff = 1;
      if (dir) {
        [lx, ly, lz] = dir;
      } else if (light.kind === 'point') {
        lx = light.position[0] - x; ly = light.position[1] - y; lz = light.position[2] - z;
        const d = Math.hypot(lx, ly, lz) || 1;
        lx /= d; ly /= d; lz /= d;
        falloff = 1 / (d * d);
      } else continue;
      const ndl = nx * lx + ny * ly + nz * lz;
      if (ndl <= 0) continue;
      const isKey = shadow !== undefined && key !== undefined && light === key.light;
      if (isKey && vertexMaterial[v] !== 0) {
        // Support plane: keep the key light's term apart; the rasterizer shadows it per pixel.
        const e = light.intensity * falloff * ndl;
        planeKey[v * 3] = colors[v * 3] * e * light.color[0];
        planeKey[v * 3 + 1] = colors[v * 3 + 1] * e * light.color[1];
        planeKey[v * 3 + 2] = colors[v * 3 + 2] * e * light.color[2];
        continue;
      }
      const lit = isKey ? sampleShadow(shadow, x, y, z) : 1;
      if (lit === 0) continue;
      const e = light.intensity * falloff * lit;
      dr += ndl * e * light.color[0]; dg += ndl * e * light.color[1]; db += ndl * e * light.color[2];
      const hx = lx + vx, hy = ly + vy, hz = lz + vz;
      const hl = Math.hypot(hx, hy, hz) || 1;
      const ndh = (nx * hx + ny * hy + nz * hz) / hl;
      if (ndh > 0) {
        const s = material.specular * Math.pow(ndh, material.shininess) * e;
        sr += s * light.color[0]; sg += s * light.color[1]; sb += s * light.color[2];
      }
    }
    out[v * 3] = colors[v * 3] * dr + sr;
    out[v * 3 + 1] = colors[v * 3 + 1] * dg + sg;
    out[v * 3 + 2] = colors[v * 3 + 2] * db + sb;
  }
  return { radiance: out, planeKey, shadow };
}

const normalize = (a: number[]) => {
  const l = Math.hypot(a[0], a[1], a[2]) || 1;
  return [a[0] / l, a[1] / l, a[2] / l];
};
