// Mistakes at the places a client starts workflows or creates schedules: a schedule registration
// that takes ScheduleAlreadyRunning as done, a start whose failure is dropped, and a random
// workflow id on a start made once per request or event.
import { beforeAll, describe, expect, it } from 'vitest';
import scheduleIgnoresExisting from '../../src/checks/timeouts/schedule-create-ignores-existing.js';
import startFailureSwallowed from '../../src/checks/observability/workflow-start-failure-swallowed.js';
import startIdRandom from '../../src/checks/retries/workflow-start-id-random.js';
import { fixtureReview, where, type FixtureReview } from './capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('client-start-handling');
});

describe('schedule-create-ignores-existing', () => {
  it('warns at the handler that returns on ScheduleAlreadyRunning (by class or by name), not where the schedule is updated', () => {
    const findings = review.run(scheduleIgnoresExisting);
    // Both handlers of the package are one finding: the first, with the other as a related location.
    expect(where(findings)).toEqual(['schedule-create-ignores-existing warning src/schedules.ts:11']);
    expect(findings[0]!.message).toMatch(/^When schedule 'refresh-catalog' already exists, this handler of client\.schedule\.create takes the ScheduleAlreadyRunning error as success/);
    expect(findings[0]!.message).toMatch(/The package registers 1 other schedule the same way/);
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/schedules.ts:10', 'src/schedules.ts:21']);
    expect(findings[0]!.fix).toMatch(/getHandle\(scheduleId\)\.update/);
  });
});

describe('workflow-start-failure-swallowed', () => {
  it('warns at an empty .catch, at a catch that does nothing for errors other than already-started, and at handlers that only log', () => {
    const findings = review.run(startFailureSwallowed);
    expect(where(findings)).toEqual([
      'workflow-start-failure-swallowed info src/routes/documents.ts:28',
      'workflow-start-failure-swallowed warning src/starts.ts:6',
      'workflow-start-failure-swallowed warning src/starts.ts:13',
      'workflow-start-failure-swallowed info src/starts.ts:34',
      'workflow-start-failure-swallowed info src/starts.ts:55',
    ]);
    expect(findings[0]!.message).toMatch(/^This catch logs every failure of the start of client\.workflow\.start\(indexDocument\) and carries on/);
    expect(findings[1]!.message).toMatch(/^This \.catch handler drops every failure of the start of client\.workflow\.start\(indexDocument\) without logging or rethrowing it/);
    expect(findings[2]!.message).toMatch(/^This catch drops every failure other than WorkflowExecutionAlreadyStartedError of client\.workflow\.start\(sendReceipt\)/);
    // a handler that only logs lets the caller carry on as if the workflow ran; a note, as nothing
    // here shows a retry or a redelivery that the swallow defeats
    expect(findings[3]!.message).toMatch(/^This \.catch handler logs every failure of the start of client\.workflow\.start\(indexDocument\) and carries on/);
  });

  it('leaves alone a catch that rethrows and a .catch whose result the caller tests', () => {
    const lines = review.run(startFailureSwallowed).map((f) => f.line);
    expect(lines).not.toContain(24);
    expect(lines).not.toContain(38);
    // `return client.workflow.start(...)` in a try: the rejection goes to the caller
    expect(lines).not.toContain(47);
  });

  it('keeps a start a comment calls best effort as a note', () => {
    const finding = review.run(startFailureSwallowed).find((f) => f.line === 55)!;
    expect(finding.message).toMatch(/a comment calls it deliberate \('best effort'\)/);
  });
});

describe('workflow-start-id-random', () => {
  it('notes random ids on starts made per request or per event, not business-key ids or batch starts', () => {
    const findings = review.run(startIdRandom);
    expect(where(findings)).toEqual([
      'workflow-start-id-random info src/consumer.ts:12',
      'workflow-start-id-random info src/orders-api.ts:14',
      'workflow-start-id-random info src/routes/documents.ts:11',
      'workflow-start-id-random info src/routes/documents.ts:27',
      'workflow-start-id-random info src/webhooks/payments.ts:6',
    ]);
    expect(findings[0]!.message).toMatch(/^client\.workflow\.start\(sendReceipt\) runs once per request or event \(onOrderPaid takes the request or message `event`\) and its workflow id is random \(`receipt-\$\{nanoid\(\)\}`\)/);
    expect(findings[1]!.message).toMatch(/\(resendReceipt handles requests or messages: @Post\)/);
    expect(findings[2]!.message).toMatch(/handler given to router\.post\(\.\.\.\)/);
    expect(findings[2]!.fix).toMatch(/business key/);
    // The id variable is set once, inside a try, from a const holding randomUUID().
    expect(findings[3]!.message).toMatch(/its workflow id is random \(workflowId\)/);
    expect(findings[4]!.message).toMatch(/\(its file is under webhooks\/: src\/webhooks\/payments\.ts\)/);
  });
});
