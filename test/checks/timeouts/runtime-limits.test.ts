// What bounds an activity at run time: a library wait (`waitFor...Receipt`) is a long run that needs
// heartbeatTimeout; a heartbeatTimeout of an hour notices a crashed worker an hour late; a child
// process with no timeout, signal or kill outlives the attempt that started it.
import { describe, expect, it } from 'vitest';
import childProcess from '../../../src/checks/timeouts/activity-child-process-unstoppable.js';
import heartbeatLong from '../../../src/checks/timeouts/activity-heartbeat-timeout-long.js';
import heartbeatMissing from '../../../src/checks/timeouts/activity-heartbeat-timeout-missing.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('runtime limits of activities', () => {
  const review = fixtureReview('runtime-limits');

  it('counts a library waitFor call as a long run, not a project helper of that name', () => {
    const findings = review.run(heartbeatMissing);
    expect(where(findings)).toEqual(['activity-heartbeat-timeout-missing warning src/workflows.ts:4']);
    expect(findings[0]!.message).toContain('waitForReceipt waits in a library call for an outside event (chain.waitForTransactionReceipt(');
    expect(findings[0]!.message).not.toContain('readCache waits');
    expect(findings[0]!.message).toContain('a cancellation never reaches it');
  });

  it('reports a heartbeatTimeout of an hour on an activity that heartbeats every 2 seconds, not one of 30 seconds; a documented one is info', () => {
    const findings = review.run(heartbeatLong);
    expect(where(findings)).toEqual(['activity-heartbeat-timeout-long warning src/workflows.ts:6', 'activity-heartbeat-timeout-long info src/workflows.ts:11']);
    expect(findings[1]!.message).toContain('documents this as a choice ("A false heartbeat timeout would run the agent twice');
    expect(findings[0]!.message).toContain('the server notices only after 1h without a heartbeat');
    expect(findings[0]!.message).toContain('from a timer every 2s: the timeout is 1,800 heartbeat intervals');
    expect(findings[0]!.related).toEqual([expect.objectContaining({ file: expect.stringContaining('activities.ts'), line: 23 })]);
    expect(findings[0]!.severity).toBe('warning');
  });

  it('reports a child process with no timeout, signal or kill at the activity that starts it, not the bounded ones', () => {
    const findings = review.run(childProcess);
    expect(where(findings)).toEqual(['activity-child-process-unstoppable warning src/activities.ts:42']);
    expect(findings[0]!.message).toContain('Activity listRemoteRefs starts a child process (spawn(args[0]!, args.slice(1), options) at src/activities.ts:33');
    expect(findings[0]!.message).toContain("the workflow's next call of it (no retry: maximumAttempts 1) starts another one next to it");
    expect(findings[0]!.fix).toContain('cancellationSignal');
  });
});
