// workflow-retry-multiplies-activity-retries on Python: a child start with
// retry_policy=RetryPolicy(maximum_attempts=2) (through a local name) of a workflow whose
// activities retry 3 times is a warning; a start with execution_timeout, and one of a workflow with
// a signal handler, are notes; not a start of a
// workflow whose activities make one attempt, a start with maximum_attempts=1, or a start without
// retry_policy.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('workflow-retry-multiplies-activity-retries on Python', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-workflow-retry-multiplies'), config: undefined });
    findings = result.findings.filter((f) => f.checkId === 'workflow-retry-multiplies-activity-retries');
  }, 120_000);

  it('reports the child starts whose retry policy multiplies the activity retries, nothing else', () => {
    expect(findings.map(where)).toEqual([
      { checkId: 'workflow-retry-multiplies-activity-retries', severity: 'warning', file: 'app/workflows.py', line: 15 },
      { checkId: 'workflow-retry-multiplies-activity-retries', severity: 'info', file: 'app/workflows.py', line: 21 },
      { checkId: 'workflow-retry-multiplies-activity-retries', severity: 'info', file: 'app/workflows.py', line: 41 },
    ]);
    expect(findings[0]!.message).toBe(
      'This child start gives workflow ConvertWorkflow a workflow retry policy (up to 2 attempts). The server retries a failed run by starting a new run from the beginning, ' +
        'so a retried run repeats the steps from the first one (fetch_file, convert_file), side effects included, each with its own activity retries. ' +
        'Its activities already retry on their own, up to 3 attempts per call under the retry policy of workflow.execute_activity for fetch_file: ' +
        'a failure that does not go away is attempted up to 2 x 3 = 6 times. No execution_timeout is set on this start, so nothing bounds the total time of all the runs.',
    );
    expect(findings[0]!.fix).toContain('RetryPolicy(maximum_attempts=1)');
    expect(findings[2]!.message).toContain(
      "Workflow ReviewWorkflow also handles signal approve: steps that run only once such a message arrived are not repeated by a retried run, which does not receive the failed run's messages.",
    );
    expect(findings[1]!.message).toContain("The start's execution_timeout (timedelta(minutes=10)) bounds the total time of all the runs.");
  });
});
