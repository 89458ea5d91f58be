// Blender and BlenderProc render backends: the entry point the synth driver imports lazily, plus doctor checks.
export { renderWithExternal, splitIntoShards, validateExternalRender } from './render-external.js';
export { BlenderShardError } from './shard-error.js';
export { parseBlenderLine, type BlenderLine } from './parse-line.js';
export { generateRenderScript } from './script.js';
export { buildRenderCommand } from './command.js';
export { diagnoseRenderers } from './doctor.js';
// Types the synth driver and the doctor use.
export type {
  ExternalRenderOptions, ExternalRenderSummary, ExternalRenderTask, ExternalRenderer, FailedShard, RenderDevice, RendererDiagnosis,
} from './types.js';
