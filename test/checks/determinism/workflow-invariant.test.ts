// workflow-throws-plain-error and invariant libraries (issue 13, twelfth reading): `invariant(x)`
// from tiny-invariant throws a plain Error when x is falsy, which fails the workflow task (retried
// forever) instead of the workflow. Reported at the call; a call that only tests a value the
// workflow read for null is the guard form, info unless that value is the result of an activity
// that returns null on a path (probeMedia's `?? null` here): then an error. Over
// test/fixtures/workflow-invariant.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from './review-fixture.js';

describe('workflow-throws-plain-error on invariant calls', () => {
  const findings = findingsOf('workflow-invariant', ['workflow-throws-plain-error']);

  it('reports the invariant calls the workflow makes, the guard on a result the activity can leave null as an error', () => {
    expect(where(findings)).toEqual([
      'workflow-throws-plain-error info src/workflows.ts:8',
      'workflow-throws-plain-error error src/workflows.ts:10',
    ]);
    expect(findings[1]!.message).toContain(
      "calls invariant(probe !== null, 'probe is null') from tiny-invariant, which throws a plain Error when `probe` is missing, and the activity probeMedia returns null when `probes.get(id)` is missing, at src/activities.ts:8",
    );
    expect(findings[1]!.fix).toContain("Test the value and throw ApplicationFailure.nonRetryable(message, 'NotFound')");
    expect(findings[0]!.message).toContain("Workflow processMedia calls invariant(input.variants.length > 0, 'no variants') from tiny-invariant, which throws a plain Error when the condition fails");
    expect(findings[0]!.data?.['errorType']).toBe('Error');
    expect(findings[0]!.fix).toContain("ApplicationFailure.nonRetryable(message, 'InvariantViolation')");
  });
});
