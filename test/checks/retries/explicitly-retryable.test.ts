// activity-non-retryable-errors-uncovered and ApplicationFailures written retryable on purpose
// (issue 13): `new ApplicationFailure(msg, 'update_error', false, null, cause)` and
// `ApplicationFailure.create({ type, nonRetryable: false })` say in the code that the failure
// should be retried, so their types are not business errors the policy forgot, and neither is an
// error class that declares a 5xx HTTP status. A failure written without the flag still is. Over test/fixtures/retries-explicitly-retryable.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('retries-explicitly-retryable');
});

describe('ApplicationFailures written with nonRetryable false', () => {
  it('are read as retryable by intent', () => {
    const thrown = (name: string) =>
      fixture.model.activities.find((a) => a.name === name)!.thrownErrors.map((e) => `${e.type ?? '?'}${e.retryableByIntent ? ' (retryable)' : ''}`);
    expect(thrown('updateStatus')).toEqual(['update_error (retryable)']);
    expect(thrown('syncBalance')).toEqual(['sync_error (retryable)']);
    expect(thrown('chargeCard')).toEqual(['PaymentDeclined']);
    // A class (or its base) that declares a 5xx status is a server-side failure; a 410 stays a business outcome.
    expect(thrown('refreshQuote')).toEqual(['UpstreamBusy (retryable)', 'RecordGone']);
  });

  it('reports only the failure written without the flag', () => {
    const findings = fixture.findings(['activity-non-retryable-errors-uncovered']);
    expect(findings.map(where)).toEqual([{ checkId: 'activity-non-retryable-errors-uncovered', severity: 'info', file: 'src/workflows.ts', line: 4 }]);
    expect(findings[0]!.data?.['uncoveredErrorTypes']).toEqual(['PaymentDeclined', 'RecordGone']);
  });
});
