// workflow-start-failure-swallowed: a start returned (or awaited) inside a `.then` callback belongs
// to the chain, whose `.catch` takes its failure. When the function that holds the chain does not
// wait for it and the `.catch` only logs, a request or webhook handler that reaches the function
// answers before the start happened: reported at the start, a warning where the sender of a webhook
// would have delivered the event again, a note for a user's request; a chain run only by a timer
// keeps the note at its `.catch`, and a `.catch` that records the failure is left alone.
import { beforeAll, describe, expect, it } from 'vitest';
import check from '../../../src/checks/observability/workflow-start-failure-swallowed.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('start-then-wrapper');
}, 120_000);

describe('workflow-start-failure-swallowed: a start in a .then callback, its chain not waited for', () => {
  it('reports the webhook start at the start, notes the user request and the timer, and leaves the recorded failure alone', () => {
    const findings = review.run(check);
    expect(where(findings)).toEqual([
      'workflow-start-failure-swallowed info src/api/reports.controller.ts:15',
      'workflow-start-failure-swallowed info src/jobs/nightly.ts:15',
      'workflow-start-failure-swallowed warning src/webhooks/account-events.ts:29',
    ]);
    const [request, timer, webhook] = findings;
    expect(webhook!.message).toBe(
      "client.workflow.start(workflow) runs in a promise chain that launch() does not wait for, and the chain's .catch (src/webhooks/account-events.ts:32) only logs a failure. " +
        'It is called by opened and closed (src/webhooks/account-events.ts:17, src/webhooks/account-events.ts:21). ' +
        'It runs for each request or message (src/webhooks/accounts.controller.ts:10, where receive handles requests or messages: @Post): the webhook is answered before the start has happened, and a start that fails later cannot change that answer ' +
        "(a comment says 'Fire and forget': that decides not to wait for the start, not what happens when it fails). " +
        'The sender gets a success status and does not deliver the event again: when the start fails (the server is unreachable, the client cannot connect, the arguments do not serialise), no workflow runs, the event is lost, and only a log line says so.',
    );
    expect(webhook!.fix).toMatch(/^Return the start's promise from launch\(\) and await it in its callers up to the handler/);
    expect(webhook!.related?.map((r) => `${r.file}:${r.line}`)).toEqual([
      'src/webhooks/account-events.ts:32',
      'src/webhooks/account-events.ts:17',
      'src/webhooks/account-events.ts:21',
      'src/webhooks/accounts.controller.ts:10',
    ]);
    expect(webhook!.data).toMatchObject({ notWaited: 'launch', lostRedelivery: 'webhook', loggedOnly: true });
    expect(request!.message).toContain('It runs for each request or message (requestExport handles requests or messages: @Post): the request is answered before the start has happened');
    expect(request!.data).not.toHaveProperty('lostRedelivery');
    expect(timer!.message).toMatch(/^This \.catch handler logs every failure of the start of client\.workflow\.start\(rebuildIndex\) and carries on/);
    expect(timer!.related?.[0]).toMatchObject({ file: 'src/jobs/nightly.ts', line: 14 });
  });
});
