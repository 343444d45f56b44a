// workflow-failure-alert-missing on a workflow whose catch takes an activity's failure but is
// always followed by a throw (test/fixtures/failure-alert-caught-then-throws): importWorkflow
// catches undoLoad's failure, logs it and then throws on, so the run still fails and a failed-run
// alert sees it; the message must not say that the caught failure ends the run as completed.
// reportWorkflow, whose catch goes on to a `return` (the throw after it is conditional), keeps
// that wording. The Python side (test/fixtures/python-failure-alert-caught-then-raises) reads
// `except ...: log(...)` followed by `raise ApplicationError(...)` the same way.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import failureAlert from '../../../src/checks/observability/workflow-failure-alert-missing.js';
import type { Finding } from '../../../src/engine/types.js';
import { activityCallHandling } from '../../../src/model/typescript/activity-call-handling.js';
import { review as reviewDir } from '../../../src/review.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;
let python: Finding[];
beforeAll(async () => {
  review = fixtureReview('failure-alert-caught-then-throws');
  const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-failure-alert-caught-then-raises');
  python = (await reviewDir({ dir: root, config: undefined })).findings.filter((f) => f.checkId === 'workflow-failure-alert-missing');
}, 120_000);

describe('workflow-failure-alert-missing when a caught activity failure is followed by a throw', () => {
  it('counts the failure as failing the run, not as ending it completed', () => {
    const findings = review.run(failureAlert);
    expect(where(findings)).toEqual(['workflow-failure-alert-missing warning src/workflows/imports.ts:7']);
    const message = findings[0]!.message;
    expect(message).toContain('reportWorkflow catches the failures of notifyOwner in the workflow code and goes on or returns a result, so such a failure ends the run as completed');
    expect(message).not.toContain('undoLoad in the workflow code');
    expect(findings[0]!.data?.['caughtActivityFailures']).toEqual([{ workflow: 'reportWorkflow', caught: ['notifyOwner'], uncaught: ['loadRows'] }]);
  });

  it('Python: an except that logs and is always followed by a raise fails the run', () => {
    expect(python.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['workflow-failure-alert-missing warning app/workflows.py:13']);
    expect(python[0]!.message).toContain('Report catches the failures of notify_owner in the workflow code and goes on or returns a result, so such a failure ends the run as completed');
    expect(python[0]!.message).not.toContain('undo_load in the workflow code');
    expect(python[0]!.data?.['caughtActivityFailures']).toEqual([{ workflow: 'Report', caught: ['notify_owner'], uncaught: ['load_rows'] }]);
  });

  it('the shared handling reading calls such a catch rethrown in both languages (the retry checks read it)', async () => {
    const calls = activityCallHandling(review.model).map((c) => `${c.activityType} ${c.location.line} ${c.handling}`);
    expect(calls).toEqual(['loadRows 9 rethrown', 'undoLoad 13 rethrown', 'undoLoad 20 rethrown', 'loadRows 30 uncaught', 'notifyOwner 32 handled']);
    const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-failure-alert-caught-then-raises');
    const { model } = await import('../../../src/model/python/build-python-model.js').then((m) => m.buildPythonModel({ root }));
    expect(model.activityProxies.map((p) => `${p.exposedActivityTypes.join(',')} ${p.location.line} ${p.handling}`)).toEqual([
      'load_rows 17 rethrown',
      'undo_load 21 rethrown',
      'load_rows 32 uncaught',
      'notify_owner 34 handled',
    ]);
  });
});
