// Reads one finished sample's files (RGB PNG or raw bytes, XYZ float32, mask) and checks their sizes and values.
import { readFile } from 'node:fs/promises';
import { DataError } from '../../../orchestrator/util/errors.js';
import { decodePng } from '../../io/png.js';
import type { CameraIntrinsics, RenderOutput } from '../types.js';
import type { SamplePaths } from './job-file.js';

async function readSized(file: string, expected: number, what: string): Promise<Buffer> {
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new DataError(file, error.code === 'ENOENT' ? `${what} output is missing` : `cannot read ${what} output: ${error.message}`, { cause: error });
  });
  if (bytes.length !== expected) throw new DataError(file, `${what} output has ${bytes.length} bytes, expected ${expected}`);
  return bytes;
}

async function readRgb(paths: SamplePaths, camera: CameraIntrinsics, format: 'png' | 'raw'): Promise<Uint8Array> {
  const pixels = camera.width * camera.height;
  if (format === 'raw') return new Uint8Array(await readSized(paths.rgb, pixels * 3, 'RGB'));
  const bytes = await readFile(paths.rgb).catch((error: Error) => {
    throw new DataError(paths.rgb, `RGB output is missing or unreadable: ${error.message}`, { cause: error });
  });
  const png = decodePng(bytes, paths.rgb);
  if (png.width !== camera.width || png.height !== camera.height) {
    throw new DataError(paths.rgb, `RGB output is ${png.width}×${png.height}, expected ${camera.width}×${camera.height}`);
  }
  if (png.channels === 3) return png.data;
  if (png.channels !== 4) throw new DataError(paths.rgb, `RGB output has ${png.channels} channel(s), expected 3`);
  const rgb = new Uint8Array(pixels * 3);
  for (let i = 0; i < pixels; i++) rgb.set(png.data.subarray(i * 4, i * 4 + 3), i * 3);
  return rgb;
}

// Reads and validates a sample's outputs; every problem names the file.
export async function readSampleOutput(paths: SamplePaths, camera: CameraIntrinsics, rgbFormat: 'png' | 'raw'): Promise<RenderOutput> {
  const pixels = camera.width * camera.height;
  const rgb = await readRgb(paths, camera, rgbFormat);
  const xyzBytes = await readSized(paths.xyz, pixels * 12, 'XYZ');
  const view = new DataView(xyzBytes.buffer, xyzBytes.byteOffset, xyzBytes.byteLength);
  const xyz = new Float32Array(pixels * 3);
  for (let i = 0; i < xyz.length; i++) {
    const value = view.getFloat32(i * 4, true);
    if (!Number.isFinite(value)) throw new DataError(paths.xyz, `XYZ value ${i} (pixel ${Math.floor(i / 3)}) is ${value}`);
    xyz[i] = value;
  }
  const mask = new Uint8Array(await readSized(paths.mask, pixels, 'mask'));
  for (let i = 0; i < pixels; i++) {
    if (mask[i] !== 0 && mask[i] !== 255) throw new DataError(paths.mask, `mask value at pixel ${i} is ${mask[i]}, expected 0 or 255`);
  }
  return { rgb, xyz, mask };
}
