// no-replay-test says whether the code has a versioning story for the runs in flight: calls to the
// patching API in workflow code, and workers that use Worker Versioning. Same finding, same
// severity; the message and data gain the facts.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import noReplayTest from '../../../src/checks/determinism/no-replay-test.js';
import { review } from '../../../src/review.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

const fixture = (name: string) => path.resolve(import.meta.dirname, '..', '..', 'fixtures', name);

describe('no-replay-test and the versioning story', () => {
  it('counts patched() and deprecatePatch() calls imported from @temporalio/workflow', { timeout: 120_000 }, () => {
    const findings = fixtureReview('versioning-patched').run(noReplayTest);
    expect(where(findings)).toEqual(['no-replay-test warning -:-']);
    expect(findings[0]!.message).toMatch(
      / Workflows use patched\(\) \(2 calls\) and deprecatePatch\(\) \(1 call\), but no worker uses Worker Versioning and nothing replays histories to prove the patches are complete\.$/,
    );
    expect(findings[0]!.data).toEqual({ workflows: 2, patchCalls: 2, deprecatePatchCalls: 1, firstPatchCall: 'src/workflows.ts:8', workerVersioning: [] });
  });

  it('names the worker that sets buildId / useVersioning when no workflow patches', { timeout: 120_000 }, () => {
    const findings = fixtureReview('versioning-build-id').run(noReplayTest);
    expect(where(findings)).toEqual(['no-replay-test warning -:-']);
    expect(findings[0]!.message).toMatch(
      / No workflow calls patched\(\), but the worker at src\/worker\.ts:5 sets buildId \(Worker Versioning\), which can keep runs on the build that started them; nothing replays histories to show which changes the runs that move to a new build can take\.$/,
    );
    expect(findings[0]!.data).toEqual({ workflows: 1, patchCalls: 0, deprecatePatchCalls: 0, workerVersioning: ['src/worker.ts:5 buildId'] });
  });

  it('names the worker whose task queue carries the release when nothing patches and no worker is versioned', { timeout: 120_000 }, () => {
    const findings = fixtureReview('versioned-task-queue').run(noReplayTest);
    expect(where(findings)).toEqual(['no-replay-test warning -:-']);
    expect(findings[0]!.message).toMatch(
      / No workflow calls patched\(\) and no worker uses Worker Versioning, but the worker at src\/worker\.ts:9 polls a task queue named with the version in package\.json, so the runs started before a rollout stay on the old queue while its workers keep polling\. Nothing replays histories to show which changes a run can take if it moves to a new build\.$/,
    );
    expect(findings[0]!.data).toMatchObject({ patchCalls: 0, workerVersioning: [], releaseNamedQueue: 'src/worker.ts:9' });
  });

  it('names workflow types versioned by name (welcomeV1, welcomeV2)', { timeout: 120_000 }, () => {
    const findings = fixtureReview('versioning-by-type-name').run(noReplayTest);
    expect(where(findings)).toEqual(['no-replay-test warning -:-']);
    expect(findings[0]!.message).toMatch(
      / No workflow calls patched\(\) and no worker uses Worker Versioning, but workflow types are versioned by name \(welcomeV1, welcomeV2\): a change can go into a new type while the runs of the old one finish on its unchanged code\. Nothing replays histories to show that an edit to a type with runs in flight is safe\.$/,
    );
    expect(findings[0]!.data).toMatchObject({ patchCalls: 0, versionedTypeNames: ['welcomeV1', 'welcomeV2'] });
  });

  it('says there is no safe path when nothing patches and no worker is versioned', { timeout: 120_000 }, () => {
    const findings = fixtureReview('activity-not-registered').run(noReplayTest);
    expect(where(findings)).toEqual(['no-replay-test warning -:-']);
    expect(findings[0]!.message).toMatch(
      / No workflow calls patched\(\) and no worker uses Worker Versioning \(build ids or Worker Deployments\), so a change to workflow code has no safe path for the runs in flight\.$/,
    );
    expect(findings[0]!.data).toMatchObject({ patchCalls: 0, deprecatePatchCalls: 0, workerVersioning: [] });
  });

  it('reads workflow.patched / deprecate_patch and deployment_config in Python', { timeout: 120_000 }, async () => {
    const findings = (await review({ dir: fixture('python-versioning-patched') })).findings.filter((f) => f.checkId === 'no-replay-test');
    expect(findings.map((f) => `${f.checkId} ${f.severity}`)).toEqual(['no-replay-test warning']);
    expect(findings[0]!.message).toMatch(
      / Workflows use workflow\.patched\(\) \(1 call\) and workflow\.deprecate_patch\(\) \(1 call\) and the worker at app\/worker\.py:11 sets deployment_config \(Worker Versioning\), but nothing replays histories to prove the patches are complete\.$/,
    );
    expect(findings[0]!.data).toEqual({ workflows: 1, patchCalls: 1, deprecatePatchCalls: 1, firstPatchCall: 'app/workflows.py:14', workerVersioning: ['app/worker.py:11 deployment_config'] });
  });
});
