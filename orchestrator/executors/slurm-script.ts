// The sbatch script of one job array: a task per job, each appending to the job's log and writing its exit code
// to a file atomically (the orchestrator ingests it; sacct is not needed). Pure text, tested by its content.

/** Slurm options of a run. */
export interface SlurmOptions {
  readonly partition?: string;
  /** `--gres` for GPU jobs, e.g. `gpu:1`. */
  readonly gres?: string;
  /** `--time` per task, e.g. `04:00:00`. */
  readonly time?: string;
  /** Passed through as further `#SBATCH` lines, e.g. `--account=lab`. */
  readonly extraArgs?: readonly string[];
  /** Seconds between polls of squeue. @default 5 */
  readonly pollSeconds?: number;
}

/** One task of an array. */
export interface ArrayTask {
  readonly jobId: string;
  readonly command: readonly string[];
  readonly logPath: string;
  readonly exitPath: string;
  readonly timeoutSeconds: number | null;
}

export interface ArrayBatch {
  readonly name: string;
  readonly tasks: readonly ArrayTask[];
  readonly gpu: boolean;
  /** Slurm's own output file pattern (`%a` = task index). */
  readonly outputPattern: string;
  readonly workdir: string;
}

/** Quotes one word for bash (single quotes). */
export function quoteShell(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Renders the array script: `#SBATCH` header (partition, GPU, time, pass-through) and a case per task. */
export function renderSbatchScript(batch: ArrayBatch, options: SlurmOptions): string {
  const header = [
    '#!/bin/bash',
    `#SBATCH --job-name=${quoteShell(batch.name)}`,
    `#SBATCH --array=0-${batch.tasks.length - 1}`,
    `#SBATCH --output=${quoteShell(batch.outputPattern)}`,
    `#SBATCH --chdir=${quoteShell(batch.workdir)}`,
    ...(options.partition ? [`#SBATCH --partition=${quoteShell(options.partition)}`] : []),
    ...(batch.gpu && options.gres ? [`#SBATCH --gres=${quoteShell(options.gres)}`] : []),
    ...(options.time ? [`#SBATCH --time=${quoteShell(options.time)}`] : []),
    ...(options.extraArgs ?? []).map((a) => `#SBATCH ${a}`),
  ];
  const cases = batch.tasks.map((t, i) =>
    [
      `  ${i})`,
      `    export GEOAD_JOB_ID=${quoteShell(t.jobId)}`,
      `    log=${quoteShell(t.logPath)}; exitfile=${quoteShell(t.exitPath)}; limit=${t.timeoutSeconds ?? ''}`,
      `    cmd=(${t.command.map(quoteShell).join(' ')}) ;;`,
    ].join('\n'),
  );
  const body = [
    'set -u',
    'case "$SLURM_ARRAY_TASK_ID" in',
    ...cases,
    '  *) echo "geoad: no task $SLURM_ARRAY_TASK_ID in this array" >&2; exit 2 ;;',
    'esac',
    'mkdir -p "$(dirname "$log")" "$(dirname "$exitfile")"',
    'echo "=== slurm job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} on $(hostname) at $(date -u +%FT%TZ)" >>"$log"',
    'if [ -n "$limit" ]; then timeout --kill-after=10 "$limit" "${cmd[@]}" >>"$log" 2>&1; else "${cmd[@]}" >>"$log" 2>&1; fi',
    'code=$?',
    'printf \'%s\\n\' "$code" >"$exitfile.tmp.$$" && mv -f "$exitfile.tmp.$$" "$exitfile"',
    'exit "$code"',
  ];
  return `${[...header, '', ...body].join('\n')}\n`;
}
