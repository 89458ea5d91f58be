// Presets for `geoad synth --preset NAME`: sample counts and resolution of commonly used synthetic sets.
// Counts are totals across categories (each category gets an equal share); flags and --config override them.
// Each test count must be at least 10 categories × (1 good + 6 defect types) = 70 (normalizeSynthOptions checks it).

/** A named set of synth options. */
export interface SynthPreset {
  readonly description: string;
  readonly train: number;
  readonly validation: number;
  readonly test: number;
  readonly resolution: number;
}

/** The presets, by name. `paper` follows the GeoAD paper's totals (10,000 train / 1,000 test). */
export const synthPresets: Readonly<Record<string, SynthPreset>> = {
  tiny: { description: 'a smoke test: 2 train, 1 validation, 7 test samples per category at 128 px', train: 20, validation: 10, test: 70, resolution: 128 },
  small: { description: 'a quick experiment: 40 train, 10 validation, 21 test samples per category at 224 px', train: 400, validation: 100, test: 210, resolution: 224 },
  paper: { description: 'the paper-scale set: 10,000 train, 1,000 validation, 1,000 test samples at 400 px', train: 10000, validation: 1000, test: 1000, resolution: 400 },
};
