// A start whose queue falls back to a default no worker polls, while the worker falls back to (or names) another.
import { beforeAll, describe, expect, it } from 'vitest';
import check from '../../../src/checks/capacity/workflow-start-task-queue-unpolled.js';
import { fixtureReview, where, type FixtureReview } from './fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('start-task-queue-fallback');
});

describe('workflow-start-task-queue-unpolled: defaults that disagree', () => {
  it('warns when the start and the worker fall back to different queues, and nothing when a worker polls the default', () => {
    const findings = review.run(check);
    expect(where(findings)).toEqual([
      'workflow-start-task-queue-unpolled warning src/api.ts:7',
      'workflow-start-task-queue-unpolled warning src/api.ts:18',
      'workflow-start-task-queue-unpolled warning src/invoices.ts:8',
      'workflow-start-task-queue-unpolled info src/scripts/manual-run.ts:5',
    ]);
    expect(findings[0]!.message).toMatch(
      /^client\.workflow\.start\(chargeInvoice\) puts the run on task queue 'billing-local' when BILLING_QUEUE is unset, but the worker that registers chargeInvoice polls 'billing' unless BILLING_QUEUE is set \(src\/worker\.ts:5\), and no worker polls 'billing-local': the defaults disagree\./,
    );
    expect(findings[1]!.message).toMatch(/task queue 'ledger-v2' when LEDGER_QUEUE is unset, but the worker that registers postEntry polls 'ledger' \(src\/worker\.ts:13\)/);
    expect(findings[3]!.message).toMatch(/development-only code/);
    expect(findings[2]!.message).toMatch(
      /^This call of startWorkflow\(\), which hands its taskQueue to client\.workflow\.start\(workflow\) \(src\/temporal-service\.ts:16\), starts chargeInvoice and puts the run on task queue 'billing-sandbox' when BILLING_QUEUE is unset/,
    );
  });
});
