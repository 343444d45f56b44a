// activity-retry-policy-missing states only what the code shows (issue 13): the business errors
// the implementations throw without marking them non-retryable, by type and place; when every one
// is already non-retryable (or there are none), that transient failures retry without limit and
// nothing about business errors; plain Error throws by place, as retried; when the implementation
// is not in the code, that it is unknown.

import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { buildFixture, where } from '../helpers/review-fixture.js';

let findings: Finding[];

beforeAll(() => {
  findings = buildFixture('retries-policy-evidence').findings(['activity-retry-policy-missing']);
});

function at(file: string): Finding {
  return findings.find((f) => f.file === file)!;
}

describe('activity-retry-policy-missing: what the implementations throw', () => {
  it('stays a warning on every proxy without a retry policy', () => {
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows/charge.ts', line: 4 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows/cleanup.ts', line: 4 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows/partner.ts', line: 8 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows/reserve.ts', line: 4 },
    ]);
  });

  it('names a retryable business error the implementation throws, with its file and line', () => {
    const reserve = at('src/workflows/reserve.ts');
    expect(reserve.message).toContain(
      'That includes the business errors the implementations throw without marking them non-retryable: OutOfStock (src/activities/stock.ts:6). ' +
        'A failure that cannot succeed is retried like an outage',
    );
    expect(reserve.related?.map((r) => `${r.line} ${r.message}`)).toEqual(['6 reserveStock throws OutOfStock here, not marked non-retryable']);
    expect(reserve.data).toMatchObject({ implementations: 'known', retriedThrows: [{ type: 'OutOfStock', activity: 'reserveStock', file: 'src/activities/stock.ts', line: 6 }] });
  });

  it('says the business error is non-retryable and names the plain Error it retries, without calling every error non-retryable', () => {
    const charge = at('src/workflows/charge.ts');
    expect(charge.message).toContain(
      'The business errors found are already non-retryable, but the implementations throw plain errors, which are retried without limit: Error (src/activities/payments.ts:18). ' +
        'Their type does not tell a permanent condition from a transient one',
    );
    expect(charge.message).not.toContain('CardDeclined');
    expect(charge.message).not.toContain('Every');
    expect(charge.related?.map((r) => `${r.line} ${r.message}`)).toEqual(['18 chargeCard throws Error here, not marked non-retryable']);
  });

  it('says so when the implementation throws nothing of its own, without repeating a bounded retry', () => {
    const cleanup = at('src/workflows/cleanup.ts');
    expect(cleanup.message).toContain(
      'until scheduleToCloseTimeout runs out. No error is found thrown by the implementations or the project helpers they call; what is retried are transient failures (a timeout, a dependency down), and every workflow in flight retries in step',
    );
  });

  it('says the implementation is unknown when it is not in the reviewed code', () => {
    const partner = at('src/workflows/partner.ts');
    expect(partner.message).toContain(
      'for as long as the workflow runs. Transient failures (a timeout, a dependency down) are retried without limit, and every workflow in flight retries in step (there is no jitter). ' +
        'The implementation of notifyPartner is not in the reviewed code, so what it throws is not known.',
    );
    expect(partner.message).not.toContain('business error');
    expect(partner.data).toMatchObject({ implementations: 'unknown', retriedThrows: [] });
  });
});
