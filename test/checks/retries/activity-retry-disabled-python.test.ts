// activity-retry-disabled on Python: retry_policy=RetryPolicy(maximum_attempts=1) on an activity
// call of the run method whose ActivityError nothing catches. Not a call with a comment next to
// retry_policy=, one in a try whose except takes ActivityError and does more than re-raise, one in
// asyncio.gather(..., return_exceptions=True), a start_activity handle, a call in a helper method
// (its callers may catch), or three attempts.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('activity-retry-disabled on Python', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-retry-disabled'), config: undefined });
    findings = result.findings.filter((f) => f.checkId === 'activity-retry-disabled');
  }, 120_000);

  it('reports the uncaught call, the except that only re-raises and the except of another class; nothing else', () => {
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-disabled', severity: 'info', file: 'app/workflows.py', line: 19 },
      { checkId: 'activity-retry-disabled', severity: 'info', file: 'app/workflows.py', line: 32 },
      { checkId: 'activity-retry-disabled', severity: 'info', file: 'app/workflows.py', line: 36 },
    ]);
    expect(findings[0]!.message).toContain(
      'Retries are off for workflow.execute_activity for load_order (retry_policy=RetryPolicy(maximum_attempts=1)): a network blip, a database failover or a worker crash during load_order ' +
        'fails the activity at its first attempt, and nothing in workflow OrderWorkflow catches the ActivityError, so the workflow fails with it.',
    );
    expect(findings[1]!.message).toContain('workflow.execute_local_activity for send_receipt');
    expect(findings[0]!.fix).toContain('RetryPolicy(maximum_attempts=5, maximum_interval=timedelta(minutes=1))');
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/workflows.py:19']);
  });
});
