// The JSON job file a Blender process reads: everything about each sample of a shard (camera, mesh file, materials,
// lights, output paths, seed) plus the render settings. The Python script only executes what this file says.
import { join } from 'node:path';
import type { Light, Material } from '../types.js';
import type { MeshLayout } from './mesh-file.js';
import type { ExternalRenderTask, RenderDevice } from './types.js';

/** Version of the job-file format; the script refuses other versions. */
export const JOB_FORMAT_VERSION = 1;

/** Where one sample's inputs and outputs live inside the shard folder. */
export interface SamplePaths {
  readonly mesh: string;
  readonly rgb: string;
  readonly xyz: string;
  readonly mask: string;
}

/** One sample as the script sees it. */
export interface JobItem {
  readonly key: string;
  readonly seed: number;
  readonly camera: { readonly width: number; readonly height: number; readonly fx: number; readonly fy: number; readonly cx: number; readonly cy: number };
  readonly mesh: { readonly file: string } & MeshLayout;
  readonly materials: readonly { readonly name: string; readonly specular: number; readonly roughness: number }[];
  readonly lights: readonly Light[];
  readonly ambient: number;
  readonly outputs: { readonly rgb: string; readonly xyz: string; readonly mask: string };
}

/** The whole job file. */
export interface ShardJob {
  readonly version: number;
  readonly shard: string;
  readonly samples: number;
  readonly device: RenderDevice;
  /** CPU threads per Blender process (the host's CPUs shared among the concurrent shards). */
  readonly threads: number;
  /** `png`: 8-bit RGB PNG written by Blender; `raw`: H×W×3 uint8 bytes. */
  readonly rgbFormat: 'png' | 'raw';
  readonly items: readonly JobItem[];
}

// File names of sample `index` inside a shard folder; keys are not used in paths (they may contain slashes).
export function samplePathsFor(shardDir: string, index: number, rgbFormat: 'png' | 'raw'): SamplePaths {
  const stem = String(index).padStart(4, '0');
  return {
    mesh: join(shardDir, 'meshes', `${stem}.bin`),
    rgb: join(shardDir, 'out', `${stem}.rgb.${rgbFormat === 'png' ? 'png' : 'u8'}`),
    xyz: join(shardDir, 'out', `${stem}.xyz.f32`),
    mask: join(shardDir, 'out', `${stem}.mask.u8`),
  };
}

// Maps a Phong exponent to Blender's roughness: Beckmann alpha = sqrt(2 / (n + 2)), and Blender's roughness is sqrt(alpha).
export function roughnessFromShininess(shininess: number): number {
  const alpha = Math.sqrt(2 / (Math.max(0, shininess) + 2));
  return Math.min(1, Math.sqrt(alpha));
}

// Folds any safe-integer seed into Cycles' seed range [0, 2^31 - 1).
export function toCyclesSeed(seed: number): number {
  const m = 2147483647;
  return ((seed % m) + m) % m;
}

function describeMaterial(material: Material): JobItem['materials'][number] {
  return { name: material.name, specular: material.specular, roughness: roughnessFromShininess(material.shininess) };
}

// Builds the job file of one shard from its tasks, their packed-mesh layouts and their paths.
export function buildShardJob(
  shard: string,
  tasks: readonly ExternalRenderTask[],
  layouts: readonly MeshLayout[],
  paths: readonly SamplePaths[],
  settings: { readonly samples: number; readonly device: RenderDevice; readonly threads: number; readonly rgbFormat: 'png' | 'raw' },
): ShardJob {
  const items = tasks.map((task, i): JobItem => {
    const { camera } = task.scene;
    return {
      key: task.key,
      seed: toCyclesSeed(task.seed),
      camera: { width: camera.width, height: camera.height, fx: camera.fx, fy: camera.fy, cx: camera.cx, cy: camera.cy },
      mesh: { file: paths[i].mesh, ...layouts[i] },
      materials: task.scene.materials.map(describeMaterial),
      lights: task.scene.lights,
      ambient: task.scene.ambient,
      outputs: { rgb: paths[i].rgb, xyz: paths[i].xyz, mask: paths[i].mask },
    };
  });
  return { version: JOB_FORMAT_VERSION, shard, samples: settings.samples, device: settings.device, threads: settings.threads, rgbFormat: settings.rgbFormat, items };
}
