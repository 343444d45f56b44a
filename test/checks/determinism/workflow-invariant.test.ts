// workflow-throws-plain-error and invariant libraries (issue 13, twelfth reading): `invariant(x)`
// from tiny-invariant throws a plain Error when x is falsy, which fails the workflow task (retried
// forever) instead of the workflow. Reported at the call; a call that only tests a value the
// workflow read for null is the guard form, as info. Over test/fixtures/workflow-invariant.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from './review-fixture.js';

describe('workflow-throws-plain-error on invariant calls', () => {
  const findings = findingsOf('workflow-invariant', ['workflow-throws-plain-error']);

  it('reports the invariant calls the workflow makes, the null guard as info', () => {
    expect(where(findings)).toEqual([
      'workflow-throws-plain-error info src/workflows.ts:8',
      'workflow-throws-plain-error info src/workflows.ts:10',
    ]);
    expect(findings[0]!.message).toContain("Workflow processMedia calls invariant(input.variants.length > 0, 'no variants') from tiny-invariant, which throws a plain Error when the condition fails");
    expect(findings[0]!.data?.['errorType']).toBe('Error');
    expect(findings[0]!.fix).toContain("ApplicationFailure.nonRetryable(message, 'InvariantViolation')");
  });
});
