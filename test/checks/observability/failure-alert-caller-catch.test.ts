// A Python workflow whose run method calls helper methods inside `try: ... except Exception: ...
// return {...}` (test/fixtures/python-caller-catch): the failures raised in the helpers, however
// deep (an activity failure, the AttributeError of a name the SDK lacks), are caught at the
// helper's call site. workflow-failure-alert-missing counts those activities as caught, not as
// failing the run; temporal-sdk-name-missing says the run takes the handler, not that it is stuck.
// A helper also called outside any try (Offboard._revoke) keeps both readings as before. The same
// for TypeScript (test/fixtures/failure-alert-helper-catch): helpers of the workflow function, and
// a try whose catch throws to an outer try that returns.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import failureAlert from '../../../src/checks/observability/workflow-failure-alert-missing.js';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixtureReview } from '../capacity/fixture-review.js';

let findings: Finding[];
beforeAll(async () => {
  const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-caller-catch');
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

const where = (id: string) => findings.filter((f) => f.checkId === id).map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`);

describe('failures of workflow helpers caught at the helper call site in the run method (Python)', () => {
  it('workflow-failure-alert-missing: activities awaited in helpers called inside the try are caught; only the one in the except fails the run', () => {
    expect(where('workflow-failure-alert-missing')).toEqual(['workflow-failure-alert-missing warning app/workflows.py:12']);
    const finding = findings.find((f) => f.checkId === 'workflow-failure-alert-missing')!;
    expect(finding.message).toContain(
      'Onboard catches the failures of create_account, grant_access and send_welcome in the workflow code and goes on or returns a result, so such a failure ends the run as completed and an alert on failed runs does not see it; for it a failed-run alert fires only when mark_failed fails',
    );
    // Offboard's helper is also awaited outside any try: its activity is not counted as caught.
    expect(finding.data?.['caughtActivityFailures']).toEqual([{ workflow: 'Onboard', caught: ['create_account', 'grant_access', 'send_welcome'], uncaught: ['mark_failed'] }]);
  });

  it('temporal-sdk-name-missing: the AttributeError caught by the run method\'s except is a wrongly worded failure, not a stuck run', () => {
    expect(where('temporal-sdk-name-missing')).toEqual(['temporal-sdk-name-missing warning app/workflows.py:34', 'temporal-sdk-name-missing error app/workflows.py:50']);
    const [caught, stuck] = findings.filter((f) => f.checkId === 'temporal-sdk-name-missing');
    expect(caught!.message).toContain(
      '`workflow.ApplicationError` raises AttributeError when the workflow reaches it. The `except` at line 18 takes that AttributeError on its way out of the run method and does not raise it again, so the workflow task does not fail and the run is not stuck',
    );
    expect(caught!.message).not.toContain('stuck at this line');
    expect(caught!.data?.['caughtBy']).toEqual(['app/workflows.py:18']);
    expect(stuck!.message).toContain('the SDK fails the workflow task and the server retries it until the code is fixed and deployed, so every run stays Running, stuck at this line');
    expect(stuck!.data?.['caughtBy']).toBeUndefined();
    // The raise of the missing name inside the caught helper is not a plain-error finding either.
    expect(where('workflow-throws-plain-error')).toEqual([]);
  });
});

describe('failures of workflow helpers caught at the helper call site in the workflow function (TypeScript)', () => {
  it('activities awaited in helpers called inside the try, or in a try whose catch throws to an outer one, are caught', () => {
    const findings = fixtureReview('failure-alert-helper-catch').run(failureAlert);
    expect(findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['workflow-failure-alert-missing warning src/workflows/accounts.ts:18']);
    expect(findings[0]!.message).toContain(
      'onboardWorkflow catches the failures of createAccount and grantAccess in the workflow code and goes on or returns a result, so such a failure ends the run as completed and an alert on failed runs does not see it; for it a failed-run alert fires only when markFailed fails',
    );
    // notifyOwner sits in a helper whose call is not awaited: neither caught nor known to fail the run.
    // revokeAccess: its helper is also awaited outside the try in offboardWorkflow.
    expect(findings[0]!.data?.['caughtActivityFailures']).toEqual([{ workflow: 'onboardWorkflow', caught: ['createAccount', 'grantAccess'], uncaught: ['markFailed'] }]);
  });
});
