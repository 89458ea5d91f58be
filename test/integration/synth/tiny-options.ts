// The tiny dataset the integration tests render: two categories, every split and defect, 48 px.
import type { SynthOptions } from '../../../pipelines/synth/options.js';

/** Options of the tiny dataset written to `out`. */
export function tinyOptions(out: string): SynthOptions {
  return { out, categories: ['bagel', 'cable_gland'], train: 4, validation: 2, test: 14, resolution: 48, seed: 5, progress: 'off' };
}
