// patched-workflow-not-replayed: replay tests exist, but a workflow that carries patch markers is
// not among the types they replay. Per workflow, at the workflow function; a project with no replay
// test keeps its one no-replay-test finding instead.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import noReplayTest from '../../../src/checks/determinism/no-replay-test.js';
import patchedWorkflowNotReplayed from '../../../src/checks/determinism/patched-workflow-not-replayed.js';
import { review } from '../../../src/review.js';
import { scratchFolder } from '../../helpers/scratch-folder.js';

const fixture = (name: string) => path.resolve(import.meta.dirname, '../../fixtures', name);

async function findings(dir: string) {
  const result = await review({ dir, checks: [noReplayTest, patchedWorkflowNotReplayed] });
  return result.findings;
}

const where = (list: Awaited<ReturnType<typeof findings>>) => list.map((f) => `${f.checkId} ${f.severity} ${f.file ?? '-'}:${f.line ?? '-'}`);

describe('patched-workflow-not-replayed (TypeScript)', () => {
  it('reports the patched workflow that no replay test replays, and not the ones replayed from a fresh run or from history files', async () => {
    const result = await findings(fixture('replay-coverage'));
    expect(where(result)).toEqual(['patched-workflow-not-replayed warning src/workflows.ts:8', 'patched-workflow-not-replayed info src/workflows.ts:25']);
    expect(result[0]!.message).toBe(
      'orderWorkflow calls patched() 3 times (order-notify-first, order-grace-period, order-skip-second-notify): its code is being changed while runs are open, ' +
        'and each patch is safe only if it covers every branch the histories of those runs took. No replay test replays its histories: the replay tests replay only ' +
        'cleanupWorkflow (test/replay.test.ts:18), invoiceWorkflow (test/replay.test.ts:24) and refundWorkflow (test/replay.test.ts:34). A change to orderWorkflow that breaks its open runs (or a patch that misses a branch) ' +
        'is found only in production, as non-determinism errors that block those runs.',
    );
    expect(result[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['test/replay.test.ts:18', 'test/replay.test.ts:24', 'test/replay.test.ts:34']);
    expect(result[0]!.data).toMatchObject({
      workflow: 'orderWorkflow',
      patchCalls: 3,
      deprecatePatchCalls: 0,
      replayTests: [
        { at: 'test/replay.test.ts:18', types: ['cleanupWorkflow'], how: 'run' },
        { at: 'test/replay.test.ts:24', types: ['invoiceWorkflow'], how: 'files' },
        { at: 'test/replay.test.ts:34', types: ['refundWorkflow'], how: 'run', currentCode: true },
      ],
    });
  }, 120_000);

  it('notes a patched workflow replayed only from histories its own test makes with the same workflow code', async () => {
    const result = (await findings(fixture('replay-coverage'))).filter((f) => f.line === 25);
    expect(where(result)).toEqual(['patched-workflow-not-replayed info src/workflows.ts:25']);
    expect(result[0]!.message).toBe(
      'refundWorkflow calls patched() once (refund-notify): its code is being changed while runs are open, and each patch is safe only if it covers every branch the histories of those runs took. ' +
        'The replay test replays only histories that the same test makes by running refundWorkflow on the workflow code it then replays against (test/replay.test.ts:34): that shows the current code ' +
        'replays its own histories, not that it replays the histories of runs started by the previous release, which is what the patches are for.',
    );
  }, 120_000);

  it('makes no note when the test runs the workflow on other code (an older version) before replaying', async () => {
    const dir = scratchFolder('replay-coverage-legacy', { copyOf: fixture('replay-coverage') });
    const file = path.join(dir, 'test/replay.test.ts');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace("taskQueue: 'refunds', workflowsPath,", "taskQueue: 'refunds', workflowsPath: new URL('./legacy/workflows.ts', import.meta.url).pathname,"));
    expect(where(await findings(dir))).toEqual(['patched-workflow-not-replayed warning src/workflows.ts:8']);
  }, 120_000);

  it('says so in an info note per patched workflow when where the histories come from cannot be read', async () => {
    const dir = scratchFolder('replay-coverage-unknown', { copyOf: fixture('replay-coverage') });
    fs.rmSync(path.join(dir, 'test/histories'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'test/replay.test.ts'),
      "import { Worker } from '@temporalio/worker';\n\nexport async function replayAll(histories: never[]): Promise<void> {\n  for await (const result of Worker.runReplayHistories({ workflowsPath: require.resolve('../src/workflows') }, histories)) {\n    if (result.error) throw result.error;\n  }\n}\n",
    );
    const result = await findings(dir);
    expect(where(result)).toEqual(['patched-workflow-not-replayed info src/workflows.ts:8', 'patched-workflow-not-replayed info src/workflows.ts:15', 'patched-workflow-not-replayed info src/workflows.ts:25']);
    expect(result[1]!.message).toBe(
      'invoiceWorkflow calls patched() once and deprecatePatch() once (invoice-retry, invoice-header): its code is being changed while runs are open, and each patch is safe only if it covers ' +
        'every branch the histories of those runs took. Cannot tell whether a replay test replays its histories: test/replay.test.ts:4: where its histories come from cannot be read statically.',
    );
  }, 120_000);

  it('leaves a project without any replay test to no-replay-test, unchanged', async () => {
    const dir = scratchFolder('replay-coverage-none', { copyOf: fixture('replay-coverage') });
    fs.rmSync(path.join(dir, 'test'), { recursive: true });
    const result = await findings(dir);
    expect(where(result)).toEqual(['no-replay-test warning -:-']);
    expect(result[0]!.message).toMatch(/ Workflows use patched\(\) \(5 calls\) and deprecatePatch\(\) \(1 call\), but no worker uses Worker Versioning/);
  }, 120_000);

  it('reports nothing when a replay test replays histories listed from a server', async () => {
    const dir = scratchFolder('replay-coverage-server', { copyOf: fixture('replay-coverage') });
    fs.writeFileSync(
      path.join(dir, 'test/replay.test.ts'),
      "import { Client } from '@temporalio/client';\nimport { Worker } from '@temporalio/worker';\nimport { it } from 'vitest';\n\nit('replays production', async () => {\n  const client = new Client();\n  const histories = client.workflow.list({ query: 'StartTime > \"2026-11-01\"' }).intoHistories();\n  for await (const result of Worker.runReplayHistories({ workflowsPath: require.resolve('../src/workflows') }, histories)) {\n    if (result.error) throw result.error;\n  }\n});\n",
    );
    expect(where(await findings(dir))).toEqual([]);
  }, 120_000);
});

describe('patched-workflow-not-replayed (Python)', () => {
  it('reports the patched workflow class that no Replayer lists', async () => {
    const result = await findings(fixture('python-replay-coverage'));
    expect(where(result)).toEqual(['patched-workflow-not-replayed warning app/workflows.py:10']);
    expect(result[0]!.message).toBe(
      'Reminder calls workflow.patched() once (reminder-twice): its code is being changed while runs are open, and each patch is safe only if it covers every branch the histories ' +
        'of those runs took. No replay test replays its histories: the replay test replays only Digest (tests/test_replay.py:10). A change to Reminder that breaks its open runs ' +
        '(or a patch that misses a branch) is found only in production, as non-determinism errors that block those runs.',
    );
  }, 120_000);

  it('gives info notes when the Replayer is not given a list of classes written out', async () => {
    const dir = scratchFolder('python-replay-coverage-unknown', { copyOf: fixture('python-replay-coverage') });
    const file = path.join(dir, 'tests/test_replay.py');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('Replayer(workflows=[Digest])', 'Replayer(workflows=ALL_WORKFLOWS)'));
    const result = await findings(dir);
    expect(where(result)).toEqual(['patched-workflow-not-replayed info app/workflows.py:10', 'patched-workflow-not-replayed info app/workflows.py:19']);
    expect(result[1]!.message).toMatch(/^weekly-digest calls workflow\.deprecate_patch\(\) once \(digest-header\): .* Cannot tell whether a replay test replays its histories: tests\/test_replay\.py:10: its workflows= is not a list of classes written out\.$/);
  }, 120_000);
});
