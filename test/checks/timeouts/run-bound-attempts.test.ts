// A start's workflowExecutionTimeout against the activities its workflow runs, and what a short one
// does to the "unlimited" retry and queue-wait warnings. Over test/fixtures/timeouts-run-bound-attempts:
// - workflow-execution-timeout-below-waits warns when one attempt's startToCloseTimeout is as long as
//   the run (1m against 1m) and when a bounded retry budget outlasts it (3 x 2m plus backoff against
//   5m), also through a start helper that takes the workflow as a parameter; a budget inside the
//   run (3 x 10s) is fine;
// - activity-retry-policy-missing and activity-schedule-to-start-missing become info for a proxy
//   whose workflow is always started with a 2-minute execution timeout, and stay warnings for one
//   whose workflow runs under a 1-day timeout (longer than the outage the warnings price); Python
//   start_workflow(..., execution_timeout=...) and schedule actions alike (python-workflow-deadline).

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { buildFixture, fixturesDir, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('timeouts-run-bound-attempts');
});

describe('workflow-execution-timeout-below-waits against the activities the workflow runs', () => {
  it('warns at the timeout, in the start, that one attempt or the retry budget outlasts', () => {
    expect(fixture.findings(['workflow-execution-timeout-below-waits']).map(where)).toEqual([
      { checkId: 'workflow-execution-timeout-below-waits', severity: 'warning', file: 'src/client.ts', line: 20 },
      { checkId: 'workflow-execution-timeout-below-waits', severity: 'warning', file: 'src/client.ts', line: 25 },
    ]);
  });

  it('names the start, the workflows, the activity and the numbers', () => {
    const [budget, attempt] = fixture.findings(['workflow-execution-timeout-below-waits']);
    expect(budget!.message).toContain(
      "client.workflow.start(workflow) sets workflowExecutionTimeout '5m' (5m), but in userCreatedWorkflow and userDeletedWorkflow (the workflows the callers of its helper pass as workflow) " +
        "the retry budget of syncUser (3 attempts of up to 2m (startToCloseTimeout '2 minutes') plus 3s of backoff: 6m 3s) exceeds it",
    );
    expect(budget!.message).toContain('ends TIMED_OUT');
    expect(budget!.related?.[0]).toEqual(expect.objectContaining({ file: 'src/client.ts', line: 16, message: 'client.workflow.start(workflow) is here' }));
    expect(budget!.data).toMatchObject({ boundMs: 300_000, longer: [{ what: "syncUser startToCloseTimeout '2 minutes'", ms: 120_000, attempts: 3, budgetMs: 363_000 }] });
    expect(attempt!.message).toContain(
      "client.workflow.start(preferenceWorkflow) sets workflowExecutionTimeout '1m' (1m), but in preferenceWorkflow one attempt of savePreference (startToCloseTimeout '1 minute', 1m) may take as long as the whole run",
    );
  });
});

describe('unlimited retries and queue waits under a short execution timeout', () => {
  it('activity-retry-policy-missing is info under the 2-minute timeout and a warning under the 1-day one', () => {
    const findings = fixture.findings(['activity-retry-policy-missing']);
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-policy-missing', severity: 'info', file: 'src/workflows.ts', line: 6 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows.ts', line: 7 },
    ]);
    expect(findings[0]!.message).toContain(
      "Every start of greetWorkflow in the reviewed code sets a deadline: workflowExecutionTimeout '2m' (src/client.ts:30), so the server ends a run, and the activity's retries with it, within 2m",
    );
    expect(findings[0]!.message).toContain('A run still retrying when the deadline fires ends TIMED_OUT after at most 2m, with no failure handling in the workflow running');
    expect(findings[1]!.message).toContain('retried without limit');
  });

  it('activity-schedule-to-start-missing is info for the proxies under short timeouts and a warning for the other', () => {
    const findings = fixture.findings(['activity-schedule-to-start-missing']);
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-schedule-to-start-missing', severity: 'info', file: 'src/workflows.ts', line: 4 },
      { checkId: 'activity-schedule-to-start-missing', severity: 'warning', file: 'src/workflows.ts', line: 7 },
    ]);
    expect(findings[0]!.message).toContain('a task waits in the queue at most that long, not forever');
    expect(findings[0]!.message).not.toContain('greetSlowly');
    expect(findings[1]!.message).toContain('tasks wait in the queue forever');
  });
});

describe('activity-schedule-to-start-missing on Python when every start sets execution_timeout or run_timeout', () => {
  let findings: Finding[];
  beforeAll(async () => {
    ({ findings } = await review({ dir: path.join(fixturesDir, 'python-workflow-deadline'), config: undefined }));
  });

  it('is info for the call of the workflow under a deadline and a warning for the one a schedule starts without', () => {
    const found = findings.filter((f) => f.checkId === 'activity-schedule-to-start-missing');
    expect(found.map(where)).toEqual([
      { checkId: 'activity-schedule-to-start-missing', severity: 'info', file: 'app/workflows.py', line: 13 },
      { checkId: 'activity-schedule-to-start-missing', severity: 'warning', file: 'app/workflows.py', line: 20 },
    ]);
    expect(found[0]!.message).toContain('every start of BoundedRefresh in the reviewed code sets a deadline: execution_timeout timedelta(minutes=20) (app/starter.py:12)');
  });
});
