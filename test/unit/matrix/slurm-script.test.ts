// The generated sbatch script (checked by its text: GPU, time, partition, pass-through) and the squeue/scontrol parsers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseScontrolJob, parseSqueue } from '../../../orchestrator/executors/slurm-executor.js';
import { quoteShell, renderSbatchScript, type ArrayBatch } from '../../../orchestrator/executors/slurm-script.js';

const batch: ArrayBatch = {
  name: 'geoad-paper-train',
  gpu: true,
  outputPattern: '/runs/p/slurm/b1-%a.out',
  workdir: '/repo',
  tasks: [
    { jobId: 'train-a', command: ['node', '/repo/bin/geoad.mjs', 'train', '--data', '/d/it\'s here'], logPath: '/runs/p/jobs/train-a/log.txt', exitPath: '/runs/p/jobs/train-a/exit-1', timeoutSeconds: 3600 },
    { jobId: 'train-b', command: ['node', '/repo/bin/geoad.mjs', 'train'], logPath: '/runs/p/jobs/train-b/log.txt', exitPath: '/runs/p/jobs/train-b/exit-2', timeoutSeconds: null },
  ],
};

test('the array script carries partition, GPU request, time limit and pass-through options', () => {
  const text = renderSbatchScript(batch, { partition: 'gpu', gres: 'gpu:1', time: '04:00:00', extraArgs: ['--account=lab', '--mem=32G'] });
  const header = text.split('\n').filter((l) => l.startsWith('#SBATCH'));
  assert.deepEqual(header, [
    '#SBATCH --job-name=geoad-paper-train',
    '#SBATCH --array=0-1',
    '#SBATCH --output=/runs/p/slurm/b1-%a.out',
    '#SBATCH --chdir=/repo',
    '#SBATCH --partition=gpu',
    '#SBATCH --gres=gpu:1',
    '#SBATCH --time=04:00:00',
    '#SBATCH --account=lab',
    '#SBATCH --mem=32G',
  ]);
  assert.ok(text.startsWith('#!/bin/bash\n'));
  assert.match(text, /  0\)\n    export GEOAD_JOB_ID=train-a\n    log=\/runs\/p\/jobs\/train-a\/log\.txt; exitfile=\/runs\/p\/jobs\/train-a\/exit-1; limit=3600\n    cmd=\(node \/repo\/bin\/geoad\.mjs train --data '\/d\/it'\\''s here'\) ;;/);
  assert.match(text, /limit=\n/, 'no timeout for the second task');
  assert.match(text, /timeout --kill-after=10 "\$limit" "\$\{cmd\[@\]\}"/);
  assert.match(text, /mv -f "\$exitfile\.tmp\.\$\$" "\$exitfile"/, 'the exit code file appears atomically');
});

test('CPU arrays get no GPU request; absent options leave no lines', () => {
  const text = renderSbatchScript({ ...batch, gpu: false }, { gres: 'gpu:1' });
  assert.ok(!text.includes('--gres'));
  assert.ok(!text.includes('--partition'));
  assert.ok(!text.includes('--time'));
});

test('shell quoting keeps plain words and single-quotes the rest', () => {
  assert.equal(quoteShell('/a/b-c_d.e=f,g:1'), '/a/b-c_d.e=f,g:1');
  assert.equal(quoteShell('a b'), "'a b'");
  assert.equal(quoteShell("it's"), "'it'\\''s'");
  assert.equal(quoteShell('$(rm -rf /)'), "'$(rm -rf /)'");
});

test('squeue and scontrol output parsers', () => {
  assert.deepEqual([...parseSqueue('123_0 RUNNING\n123_1 PENDING\n\n')], [['123_0', 'RUNNING'], ['123_1', 'PENDING']]);
  assert.deepEqual(parseScontrolJob('JobId=124 ArrayJobId=123 ArrayTaskId=1 JobName=x JobState=FAILED Reason=NonZeroExitCode ExitCode=1:0'), { state: 'FAILED', exitCode: 1 });
  assert.deepEqual(parseScontrolJob('nothing here'), { state: null, exitCode: null });
});
