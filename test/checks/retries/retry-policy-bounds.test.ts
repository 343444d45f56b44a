// activity-retry-policy-missing where the retries are bounded or the throws sit in helpers the
// review must follow (issue 13, round 4): workflows whose every start sets a run or execution
// timeout (TypeScript and Python), a helper imported through package.json "imports", and a
// method of a class whose module the compiler could not load.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { buildFixture, fixturesDir, where, type BuiltFixture } from '../helpers/review-fixture.js';

const built = new Map<string, BuiltFixture>();
// Built once per fixture in beforeAll: a model build can outlast a test's own timeout on a busy machine.
beforeAll(() => {
  for (const name of ['retries-workflow-deadline', 'retries-followed-helpers']) built.set(name, buildFixture(name));
});

const missing = (fixture: string) => built.get(fixture)!.findings(['activity-retry-policy-missing']);

describe('activity-retry-policy-missing when every start of the workflow sets a deadline', () => {
  it('is info naming the deadline and where it is set; a workflow with one start without a deadline keeps the warning', () => {
    const findings = missing('retries-workflow-deadline');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-policy-missing', severity: 'info', file: 'src/workflows.ts', line: 4 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows.ts', line: 6 },
    ]);
    const bounded = findings[0]!;
    expect(bounded.message).toContain(
      "Every start of boundedRefresh in the reviewed code sets a deadline: workflowExecutionTimeout '20 minutes' (src/client.ts:5), " +
        "workflowExecutionTimeout '10 minutes' (src/client.ts:6) and workflowRunTimeout '5 minutes' (src/workflows.ts:20), so the server ends a run, " +
        "and the activity's retries with it, within 20m: attempts are not unlimited.",
    );
    expect(bounded.message).toContain('Within that deadline every workflow in flight still retries in step (there is no jitter).');
    expect(bounded.message).not.toContain('without limit');
    expect(bounded.data).toMatchObject({ workflowDeadlineMs: 20 * 60_000 });
  });
});

describe('activity-retry-policy-missing on Python when every start sets execution_timeout or run_timeout', () => {
  let findings: Finding[];
  beforeAll(async () => {
    ({ findings } = await review({ dir: path.join(fixturesDir, 'python-workflow-deadline'), config: undefined }));
  });

  it('is info for the workflow whose client start (importing it inside the function) and schedule action both set one; a schedule action without one keeps the warning', () => {
    const found = findings.filter((f) => f.checkId === 'activity-retry-policy-missing');
    expect(found.map(where)).toEqual([
      { checkId: 'activity-retry-policy-missing', severity: 'info', file: 'app/workflows.py', line: 13 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'app/workflows.py', line: 20 },
    ]);
    expect(found[0]!.message).toContain(
      'Every start of BoundedRefresh in the reviewed code sets a deadline: execution_timeout timedelta(minutes=20) (app/starter.py:12) and run_timeout timedelta(minutes=10) (app/starter.py:18)',
    );
  });
});

describe('activity-retry-policy-missing follows the helpers an activity calls', () => {
  it('names a plain Error thrown in a helper imported through package.json "imports" and in a method of a class the compiler could not load', () => {
    const findings = missing('retries-followed-helpers');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows.ts', line: 4 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows.ts', line: 6 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows.ts', line: 8 },
    ]);
    expect(findings[0]!.message).toContain('The implementations throw plain errors, which are retried without limit: Error (src/db/ledger.ts:4).');
    expect(findings[1]!.message).toContain('The implementations throw plain errors, which are retried without limit: Error (src/services/invoice-service.ts:5).');
  });

  it('does not say that no error is thrown when a call into the project could not be followed, and names the call', () => {
    const finding = missing('retries-followed-helpers').find((f) => f.line === 8)!;
    expect(finding.message).not.toContain('No error is found thrown by the implementations or the project helpers they call');
    expect(finding.message).toContain(
      "No error is found thrown by the implementations, but preflight could not follow a call into the project's code, so what it throws is not known: notifier.notify (src/activities.ts:19).",
    );
  });
});
