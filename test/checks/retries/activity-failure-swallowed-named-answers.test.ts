// activity-failure-swallowed, a catch that fails the activity only for the answers it names: it
// throws a non-retryable ApplicationFailure for one status (`if (status === 402) throw
// ApplicationFailure.create({ nonRetryable: true })`) or rethrows only the ApplicationFailure the
// try threw on purpose, and lets every other error (a timeout, a 503) fall through after logging
// it. Left alone: a named answer thrown as retryable, and a catch that rethrows the rest.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

describe('activity-failure-swallowed: failing only for the answers the catch names', () => {
  const findings = findingsOf('activity-failure-swallowed-named-answers', ['activity-failure-swallowed']);

  it('reports the catches that swallow every other error, and only those', () => {
    expect(where(findings)).toEqual(['activity-failure-swallowed info src/activities.ts:8', 'activity-failure-swallowed info src/activities.ts:22']);
  });

  it('names the call whose failures are swallowed', () => {
    expect(findings.find((f) => f.line === 8)!.message).toContain(
      'Activity recordSpend catches every error of axios.post(...) (src/activities.ts:7), fails the activity only for the errors its catch names as not retryable, only logs it and goes on',
    );
    expect(findings.find((f) => f.line === 22)!.message).toContain('axios.get(...) (src/activities.ts:20)');
  });
});
