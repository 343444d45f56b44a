// Search attributes find the executions of one business entity (issue 13): a start for an order
// or an account without them is a warning; a cron, schedule or fixed-id system workflow is a note.
import { beforeAll, describe, expect, it } from 'vitest';
import startAttributes from '../../../src/checks/observability/workflow-start-without-search-attributes.js';
import { startPurpose } from '../../../src/model/typescript/observability/start-purpose.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('observability-start-purpose');
});

describe('workflow-start-without-search-attributes on system and business workflows', () => {
  it('tells system starts (cron, fixed id without a business key, a constant id-named input, no input at all) from business ones (key in the id or the input)', () => {
    expect(review.model.starts.map((s) => [s.location.line, startPurpose(s, review.model)])).toEqual([
      [7, { kind: 'system', reason: "it runs on a cron schedule ('0 3 * * *')" }],
      [8, { kind: 'system', reason: "its workflow id is fixed ('email-queue'), so at most one runs at a time" }],
      [15, { kind: 'system', reason: "its workflow id is fixed ('reindex'), so at most one runs at a time" }],
      [20, { kind: 'business', key: 'orderId', inWorkflowId: true }],
      [21, { kind: 'business', key: 'account.accountId' }],
      [22, { kind: 'business', key: 'tenantId', inWorkflowId: true }],
      [27, { kind: 'system', reason: 'it takes no input, so it works on the system as a whole, not on one entity', input: 'its id carries no business key' }],
    ]);
  });

  // A workflow id built from the business key finds that entity's run by id: info, not a warning.
  // A fixed id beside a key in the input ('account-sync') finds the run by that id: info too.
  it('notes system starts, starts whose workflow id carries the key and starts with a fixed id as info', () => {
    const findings = review.run(startAttributes);
    expect(where(findings)).toEqual([
      'workflow-start-without-search-attributes info src/starts.ts:7',
      'workflow-start-without-search-attributes info src/starts.ts:8',
      'workflow-start-without-search-attributes info src/starts.ts:15',
      'workflow-start-without-search-attributes info src/starts.ts:20',
      'workflow-start-without-search-attributes info src/starts.ts:21',
      'workflow-start-without-search-attributes info src/starts.ts:22',
      'workflow-start-without-search-attributes info src/starts.ts:27',
    ]);
    expect(findings[1]!.message).toContain('looks like a system workflow');
    expect(findings[4]!.message).toContain('its workflow id is not a random or clock-only value');
    expect(findings[3]!.message).toContain('its workflow id is built from orderId');
  });
});
