// workflow-signal-failure-swallowed (TypeScript), over test/fixtures/signal-failure-swallowed-ts:
// request handlers that send a signal and drop its failure (a catch that only logs, a `.catch` that
// does nothing, a send nobody awaits, a catch one call up) to a workflow that waits for the state
// the signal sets. Left alone: a catch that rethrows or answers an error, a workflow that only
// wakes on the signal and reads the outcome from an activity afterwards, one that polls for it, a
// workflow that does not wait for the signal.
import { beforeAll, describe, expect, it } from 'vitest';
import check from '../../../src/checks/observability/workflow-signal-failure-swallowed.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('signal-failure-swallowed-ts');
});

describe('workflow-signal-failure-swallowed (TypeScript)', () => {
  it('reports the dropped signals to workflows that wait for them, and nothing else', () => {
    const findings = review.run(check);
    expect(where(findings)).toEqual([
      'workflow-signal-failure-swallowed warning src/routes.ts:10',
      'workflow-signal-failure-swallowed warning src/routes.ts:18',
      'workflow-signal-failure-swallowed warning src/routes.ts:26',
      'workflow-signal-failure-swallowed warning src/routes.ts:33',
      'workflow-signal-failure-swallowed warning src/routes.ts:90',
      // the flag the catch sets is replaced before anything reads it (routes.ts:100, whose response reads it, is left alone)
      'workflow-signal-failure-swallowed warning src/routes.ts:111',
    ]);
    const [logged, unawaited, dropped, through, stage] = findings;
    // a comment that calls it best effort changes nothing (as in Python): the workflow still waits
    expect(logged!.message).toContain("This catch logs every failure of the decide signal to approvalWorkflow (client.workflow.getHandle(req.params.id).signal(decideSignal, 'approved')) and carries on");
    expect(logged!.message).toContain('the request succeeds (it runs in a handler given to app.post(...))');
    expect(logged!.message).toContain("it waits until its timeout ('7 days') and then takes its timeout path (workflows.ts:13, which sets decision = 'expired' where the decide handler sets value)");
    expect(logged!.fix).toContain('Let the failure fail the request (rethrow, answer 5xx');
    expect(unawaited!.message).toContain('Nothing waits for the decide signal to approvalWorkflow');
    expect(unawaited!.message).toContain('a failed signal is an unhandled rejection');
    expect(dropped!.message).toContain('This .catch handler drops every failure of the review signal to reviewWorkflow');
    expect(dropped!.message).toContain('it waits for it forever (the wait has no timeout)');
    expect(through!.message).toContain("signal('review'); the signal in requestReview (service.ts:4), run by await at routes.ts:32) without logging it");
    // a loop over stages that calls activities is not a poll (the loop that reads readDecision is: routes.ts:81 is left alone)
    expect(stage!.message).toContain('stagesWorkflow waits for the state its approveStage handler sets (`condition(() => approvals > before)`, workflows.ts:');
    expect(through!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/service.ts:4', 'src/workflows.ts:25']);
  });
});
