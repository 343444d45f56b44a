// Waits and deadlines that do not end when the code says: an activity's own deadline that the
// attempt timeout always beats, a condition() only another party's signal can end, and an
// activity that retries by itself with a growing sleep.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

const FIXTURE = 'wait-recall';

describe('activity-timeouts-inconsistent: the activity deadline an argument sets', () => {
  it('reports a deadline argument not shorter than startToCloseTimeout, at the proxy', { timeout: 120_000 }, () => {
    const findings = findingsOf(FIXTURE, ['activity-timeouts-inconsistent']);
    expect(where(findings)).toEqual(['activity-timeouts-inconsistent warning src/workflows.ts:4', 'activity-timeouts-inconsistent info src/workflows.ts:10']);
    const message = findings[0]!.message;
    expect(message).toContain('waitForReservations is called at src/workflows.ts:18 with timeoutMs 1h (`oneHour`)');
    expect(message).toContain('`Date.now() - start > args.timeoutMs` at src/activities.ts:12');
    expect(message).toContain("the activity's own deadline handling never runs");
    expect(message).toContain('the retry policy, not the 1h passed, bounds the wait (up to 5 x 1h)');
    // 5 minutes < 1 hour: the activity's own deadline runs first; 1 s in withLock too.
    expect(message).not.toContain('waitForDrain is called');
    expect(message).not.toContain('1s');
  });

  it('is info when the deadline is the proxy\'s only problem and nothing retries the attempt', { timeout: 120_000 }, () => {
    const findings = findingsOf(FIXTURE, ['activity-timeouts-inconsistent']);
    const message = findings[1]!.message;
    expect(message).toContain('waitForQuorum is called at src/workflows.ts:27 with a deadline 15m (`QUORUM_WAIT_MS`)');
    expect(message).toContain('`performance.now() > until` at src/activities.ts:73');
    expect(message).toContain('(the workflow sees a timeout, not the activity\'s error).');
    expect(message).not.toContain('retried');
  });
});

describe('workflow-wait-without-timeout', () => {
  it('reports a wait on a per-call reply signal in a helper, naming the unbounded workflow only', { timeout: 120_000 }, () => {
    const findings = findingsOf(FIXTURE, ['workflow-wait-without-timeout']);
    expect(where(findings)).toEqual(['workflow-wait-without-timeout info src/workflows.ts:39']);
    expect(findings[0]!.message).toContain('Workflow syncWorkflow waits here with condition() and no timeout until `releaseId` is set');
    expect(findings[0]!.message).toContain('signal `lock-acquired-${uuid4()}`');
    expect(findings[0]!.message).toContain('waits forever');
    expect(findings[0]!.message).not.toContain('boundedWorkflow');
  });
});

describe('activity-retries-in-loop', () => {
  it('reports counted loops with a growing sleep and a give-up throw, at the loop', { timeout: 120_000 }, () => {
    const findings = findingsOf(FIXTURE, ['activity-retries-in-loop']);
    expect(where(findings)).toEqual(['activity-retries-in-loop info src/activities.ts:31', 'activity-retries-in-loop info src/activities.ts:45']);
    expect(findings[0]!.message).toContain('The give-up is a non-retryable failure');
    expect(findings[0]!.data).toMatchObject({ activityType: 'verifyIndexed', nonRetryable: true });
    expect(findings[1]!.data).toMatchObject({ activityType: 'pingPeer', nonRetryable: false });
  });
});
