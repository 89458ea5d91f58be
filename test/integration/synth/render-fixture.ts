// Child process for the kill-and-resume test: renders the tiny dataset of dataset.test.ts into argv[2].
import { renderDataset } from '../../../pipelines/synth/index.js';
import { tinyOptions } from './tiny-options.js';

await renderDataset({ ...tinyOptions(process.argv[2]), workers: Number(process.argv[3] ?? 1), progress: 'off' });
