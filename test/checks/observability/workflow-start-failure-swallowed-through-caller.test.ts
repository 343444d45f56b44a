// workflow-start-failure-swallowed one function up (TypeScript): a start awaited without a handler
// in its own function, whose every call is awaited in a try whose catch drops or only logs the
// failure, is reported at that catch; a caller that rethrows is left alone. Over
// test/fixtures/start-failure-hop-ts.
import { beforeAll, describe, expect, it } from 'vitest';
import check from '../../../src/checks/observability/workflow-start-failure-swallowed.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('start-failure-hop-ts');
});

describe('workflow-start-failure-swallowed through the function that holds the start', () => {
  it('reports the caller catch that drops or logs the failure, not the one that rethrows', () => {
    const findings = review.run(check);
    expect(where(findings)).toEqual(['workflow-start-failure-swallowed info src/handler.ts:9', 'workflow-start-failure-swallowed warning src/service.ts:13']);
    const [logged, dropped] = findings;
    expect(dropped!.message).toContain(
      "This catch drops every failure of the start of client.workflow.start(syncAccount) (the start in startSync (service.ts:7), run by await at service.ts:12) without logging or rethrowing it.",
    );
    expect(dropped!.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual([
      'src/service.ts:7 the start whose failure is dropped',
      'src/service.ts:12 the call that runs startSync, whose failure this handler takes',
    ]);
    // a const arrow function nested in the handler, whose catch only logs: a note
    expect(logged!.message).toContain('(the start in startOnboarding (handler.ts:5), run by await at handler.ts:8) and carries on');
  });
});
