// per-run-workflow-without-timeout: a workflow started on a queue only this process's worker polls
// (a per-run worker, or a queue named with a random id) with no execution or run timeout.

import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/timeouts/per-run-workflow-without-timeout.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('per-run-workflow-without-timeout', () => {
  it('reports the per-run and random-queue starts without a timeout, not the bounded one or the long-running worker', { timeout: 120_000 }, () => {
    const findings = fixtureReview('per-run-queue-timeout').run(check);
    expect(where(findings)).toEqual([
      'per-run-workflow-without-timeout warning src/report-cli.ts:11',
      'per-run-workflow-without-timeout warning src/session-worker.ts:13',
    ]);
    expect(findings[0]!.message).toContain('until a later run starts a worker on the same queue');
    expect(findings[1]!.message).toContain('named with randomUUID()');
  });
});
