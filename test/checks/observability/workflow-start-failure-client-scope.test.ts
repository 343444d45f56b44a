// workflow-start-failure-swallowed: a start returned (or awaited) in the callback of the client's
// withDeadline / withMetadata / withAbortSignal is awaited by whoever awaits that call, so the try
// around the outer call handles it. Two starts in one callback (`cond ? start(a) : start(b)`) are
// one finding at their catch. A start after a transaction that committed the write it is for, under
// a test of that transaction's result, is a warning that names the write, the test and the callers
// (a GraphQL resolver, an inbound handler); one with no write before it stays a note, and a catch
// that rethrows is left alone.
import { beforeAll, describe, expect, it } from 'vitest';
import check from '../../../src/checks/observability/workflow-start-failure-swallowed.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('start-client-scope');
}, 120_000);

describe('workflow-start-failure-swallowed: a start in a client scope callback', () => {
  it('reads the catch around withDeadline / withMetadata, once per catch, and leaves the rethrowing one alone', () => {
    const findings = review.run(check);
    expect(where(findings)).toEqual([
      'workflow-start-failure-swallowed warning src/services/orders.ts:17',
      'workflow-start-failure-swallowed warning src/services/orders.ts:34',
      'workflow-start-failure-swallowed info src/services/orders.ts:54',
    ]);
    const [place, cancel, remind] = findings;
    expect(place!.message).toBe(
      'This catch logs every failure of the start of client.workflow.start(orderEffects) and carries on: it does not rethrow it, return it, record it or retry. ' +
        'When the start fails (the server is unreachable, the arguments do not serialise, the namespace or a search attribute is wrong), no workflow runs and the code that asked for it carries on as if it had: only a log line says it never happened. ' +
        "It runs after db.transaction(...) at src/services/orders.ts:7 has committed the write it is for (the workflow's input reads its result, `result`): a failed start leaves that write in place without the workflow that should follow it. " +
        'A retried request does not make up for it: the start only runs under `if (result.created)`, a test of what the transaction returned, so a repeat that finds its write already made skips the start too. ' +
        'placeOrder() is called by resolve (src/graphql/order-mutations.ts:10, a GraphQL resolver) and handleInboundOrder (src/inbox/inbound-orders.ts:4, an inbound handler): ' +
        'the request is answered with success, and the inbound activity or message is acknowledged, so its sender does not deliver it again.',
    );
    expect(place!.related?.map((r) => `${r.file}:${r.line}`)).toEqual([
      'src/services/orders.ts:15',
      'src/services/orders.ts:7',
      'src/graphql/order-mutations.ts:10',
      'src/inbox/inbound-orders.ts:4',
    ]);
    expect(place!.data).toMatchObject({ workflowType: 'orderEffects', afterCommit: true, retrySkipsStart: true, loggedOnly: true });
    expect(cancel!.message).toMatch(/^This catch logs every failure of the start of client\.workflow\.start\(refundEffects\) and client\.workflow\.start\(voidEffects\) and carries on/);
    expect(cancel!.message).toContain("The starts run after db.transaction(...) at src/services/orders.ts:25 has committed the write they are for (the workflow's input reads its result, `removed`)");
    expect(cancel!.message).toContain('the starts only run under `if (removed)`');
    expect(cancel!.message).toContain('cancelOrder() is called by resolve (src/graphql/order-mutations.ts:16, a GraphQL resolver): the request is answered with success.');
    expect(cancel!.related?.slice(0, 2).map((r) => `${r.file}:${r.line}`)).toEqual(['src/services/orders.ts:31', 'src/services/orders.ts:32']);
    expect(cancel!.data).toMatchObject({ workflowType: 'refundEffects', otherWorkflowTypes: ['voidEffects'] });
    // no write before it: the note as for any start whose failure is only logged
    expect(remind!.message).toMatch(/^This catch logs every failure of the start of client\.workflow\.start\(auditOrder\) and carries on/);
    expect(remind!.message).toMatch(/unless something else starts it again later, only a log line says it never happened\.$/);
    expect(remind!.data).not.toHaveProperty('afterCommit');
  });
});
