// Public types of the Blender / BlenderProc backends: the tasks the synth driver hands over and what comes back.
import type { RenderScene } from '../types.js';

/** External renderers this module drives. */
export type ExternalRenderer = 'blender' | 'blenderproc';

/** Cycles compute devices. */
export type RenderDevice = 'cpu' | 'cuda' | 'optix';

/** One sample to render: `key` names it in logs, file names and callbacks; `seed` seeds Cycles. */
export interface ExternalRenderTask {
  readonly key: string;
  readonly scene: RenderScene;
  readonly seed: number;
}

/** How to run the external renderer. */
export interface ExternalRenderOptions {
  readonly renderer: ExternalRenderer;
  /** Blender executable (for `blenderproc`: passed as `--custom-blender-path`). @default 'blender' on PATH */
  readonly blenderPath?: string;
  /** Shards rendered at the same time (one Blender process each). */
  readonly jobs: number;
  /** Cycles samples per pixel. */
  readonly samples: number;
  readonly device: RenderDevice;
  /** Samples per Blender process (Blender's start-up costs seconds). */
  readonly shardSize: number;
  /** Scratch folder; each shard gets a temp folder under it, removed when the shard ends. */
  readonly workDir: string;
  /** Time limit of one shard attempt. */
  readonly timeoutMs: number;
  /** Extra attempts for a failed shard (only its unfinished samples are retried). */
  readonly retries: number;
  readonly signal?: AbortSignal;
  readonly log: (line: string) => void;
}

/** A shard that still had unfinished samples after its last attempt. */
export interface FailedShard {
  readonly shard: string;
  readonly keys: readonly string[];
  readonly message: string;
}

/** What {@link renderWithExternal} did. */
export interface ExternalRenderSummary {
  readonly rendered: number;
  readonly failedShards: readonly FailedShard[];
}

/** One line of `geoad doctor`: a renderer, whether it works here, and why (not) in plain words. */
export interface RendererDiagnosis {
  readonly name: string;
  readonly usable: boolean;
  readonly detail: string;
  readonly version?: string;
}
