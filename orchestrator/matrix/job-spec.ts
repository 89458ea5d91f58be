// One job of the matrix: what to run (a stage's argv), what it waits for and what it produces.
import type { Stage } from './config-schema.js';
import type { MatrixCell } from './run-layout.js';

/** Inputs of the in-orchestrator `collect` step, which turns a cell's eval and training outputs into a CellResult. */
export interface CollectSpec {
  readonly cell: MatrixCell;
  readonly evalPath: string;
  readonly modelDir: string;
  readonly mapsDir: string;
  readonly dataRoot: string;
  /** Ids of the cell's train / infer / eval jobs, to read their durations from the ledger. */
  readonly stageJobs: Readonly<Record<'train' | 'infer' | 'eval', string>>;
}

/** A planned job. Ids are hashes of the parameters, so the same config always yields the same ids. */
export interface JobSpec {
  readonly id: string;
  readonly stage: Stage;
  /** Human-readable: `train synth/bagel full seed 0`. */
  readonly label: string;
  /** The matrix cell this job belongs to (train/infer/eval/collect), else null. */
  readonly cellId: string | null;
  readonly deps: readonly string[];
  /** `success`: runs when every dependency is done; `settled`: when each is done, failed or blocked (the report). */
  readonly waitFor: 'success' | 'settled';
  /** Arguments after the stage executable (`geoad`), e.g. `['train', '--data', …]`; empty for `collect`. */
  readonly args: readonly string[];
  /** Wants a GPU slot (train / infer on a GPU-capable backend). */
  readonly gpu: boolean;
  /** Seconds per attempt, or null for none. */
  readonly timeoutSeconds: number | null;
  /** Folders or files removed before each attempt (outputs a killed attempt may have left half-written). */
  readonly clean: readonly string[];
  /** When this file exists before an attempt, `flag` is appended (train: continue from the checkpoint). */
  readonly resume: { readonly marker: string; readonly flag: string } | null;
  /** The file this job's success is recorded by, for the ledger. */
  readonly resultPath: string | null;
  readonly collect: CollectSpec | null;
}
