// no-replay-test on a repository with TypeScript and Python workflows: one application, one finding
// that says which language lacks a replay test (a replay runs one SDK's workflow code).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import noReplayTest from '../../../src/checks/determinism/no-replay-test.js';
import { review } from '../../../src/review.js';
import { scratchFolder } from '../../helpers/scratch-folder.js';

const fixture = path.resolve(import.meta.dirname, '../../fixtures/mixed-replay');

async function findings(dir: string) {
  const result = await review({ dir, checks: [noReplayTest] });
  return result.findings.map((f) => ({ checkId: f.checkId, severity: f.severity, file: f.file ?? null, message: f.message, data: f.data }));
}

describe('no-replay-test in a mixed TypeScript and Python repository', () => {
  it('gives one finding naming both languages when neither has a replay test', async () => {
    const result = await findings(fixture);
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ checkId: 'no-replay-test', severity: 'warning', file: null });
    expect(result[0]!.message).toMatch(
      /^No test replays recorded workflow histories, for the 1 TypeScript workflow type \(Worker\.runReplayHistory \/ runReplayHistories\) or the 1 Python workflow type \(temporalio\.worker\.Replayer\), and no CI job runs `temporal-preflight replay`\. /,
    );
    expect(result[0]!.message).toMatch(/ No workflow calls patched\(\) \/ workflow\.patched\(\) and no worker uses Worker Versioning \(build ids or Worker Deployments\), so a change to workflow code has no safe path for the runs in flight\.$/);
    expect(result[0]!.data).toEqual({
      workflows: 2,
      patchCalls: 0,
      deprecatePatchCalls: 0,
      workerVersioning: [],
      languages: { typescript: { workflows: 1, replayTest: null }, python: { workflows: 1, replayTest: null } },
    });
  }, 120_000);

  it('names the Python workflows alone when only the TypeScript ones have a replay test', async () => {
    const dir = scratchFolder('mixed-replay', { copyOf: fixture });
    fs.writeFileSync(
      path.join(dir, 'web/src/replay.test.ts'),
      "import { Worker } from '@temporalio/worker';\n\nexport async function replay(histories: never[]): Promise<void> {\n  await Worker.runReplayHistories({ workflowsPath: require.resolve('./workflows') }, histories);\n}\n",
    );
    const result = await findings(dir);
    expect(result.map((f) => `${f.checkId} ${f.severity}`)).toEqual(['no-replay-test warning']);
    expect(result[0]!.message).toMatch(
      /^web\/src\/replay\.test\.ts replays the TypeScript workflows, but no test replays the histories of the 1 Python workflow type: a replay runs one SDK's workflow code, so they need temporalio\.worker\.Replayer/,
    );
  }, 120_000);
});
