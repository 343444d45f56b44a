// activity-unknown-error-non-retryable: an activity's error handling retries only what it
// recognises and throws everything else non-retryable. Reported at the default throw (warning
// when the handled call goes over the network), or once at a recogniser shared by several
// handlers; an ignored classifier verdict is reported where the non-retryable failure is built.
// Recognitions that name connection-level failures, and catches that only convert a known
// validation error, are left alone.

import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/retries/activity-unknown-error-non-retryable.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('activity-unknown-error-non-retryable', () => {
  const findings = fixtureReview('unknown-error-non-retryable').run(check);

  it('reports the allow-list defaults and the ignored verdict, nothing else', () => {
    expect(where(findings)).toEqual([
      'activity-unknown-error-non-retryable warning src/activities.ts:13',
      'activity-unknown-error-non-retryable info src/activities.ts:40',
      'activity-unknown-error-non-retryable warning src/activities.ts:93',
      'activity-unknown-error-non-retryable warning src/recognise.ts:6',
    ]);
  });

  it('names the shared recogniser once, with each handler that defaults to non-retryable', () => {
    const shared = findings[3]!;
    expect(shared.message).toContain('isTemporaryRowError decides which errors are retryable from a fixed list');
    expect(shared.message).toContain('2 error handlers of saveInvoice and saveOrder');
    expect(shared.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/activities.ts:21', 'src/activities.ts:29']);
  });

  it('says which network call an allow-list default handles', () => {
    expect(findings[0]!.message).toContain('The error handling of activity placeOrder retries only the failures of fetch(...) (src/activities.ts:7) that isTemporaryMessage recognises');
  });

  it('reads handling in a function the activities call, naming it and every activity that reaches it', () => {
    expect(findings[2]!.message).toContain('The error handling of activities noteCancelled and noteShipped (in recordNote, which they call) retries only the failures that its condition recognises');
    expect(findings[2]!.message).toContain('it lists some transient failures');
  });

  it('says the classifier verdict is ignored, as info when the try block makes no network call', () => {
    expect(findings[1]!.message).toContain('The error handling of activity checkInput asks classify whether the caught error is retryable, never reads the answer');
  });
});
