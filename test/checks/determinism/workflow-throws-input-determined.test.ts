// workflow-throws-plain-error on throws decided by the workflow's input alone (a field the input
// lacks, a lookup over an input array in a helper called with input values): reached only by a
// start that passes bad input, so info with a message that says so. A throw after a test of an
// activity result, or of a variable a signal handler sets, stays an error. Over
// test/fixtures/throws-input-determined.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from './review-fixture.js';

describe('workflow-throws-plain-error on checks of the input', () => {
  const findings = findingsOf('throws-input-determined', ['workflow-throws-plain-error']);

  it('reports input checks as info and keeps the error where the world decides', () => {
    expect(where(findings)).toEqual([
      'workflow-throws-plain-error info src/workflows.ts:14',
      'workflow-throws-plain-error info src/workflows.ts:17',
      'workflow-throws-plain-error error src/workflows.ts:26',
      'workflow-throws-plain-error error src/workflows.ts:32',
      'workflow-throws-plain-error info src/workflows.ts:38',
    ]);
  });

  it('says which input field is missing, or which test of the input decides', () => {
    const at = (line: number) => findings.find((f) => f.line === line)!;
    expect(at(14).message).toContain("only when the workflow's input lacks recipeData (a check on the input alone)");
    expect(at(17).message).toContain("only when the workflow's input lacks recipeId or recipeData");
    expect(at(38).message).toContain("depends only on `index === -1`, a test that reads the workflow's input alone");
    expect(at(38).message).toContain('A start with such input gets a workflow task that fails and is retried forever');
    expect(at(38).fix).toContain("ApplicationFailure.nonRetryable(message, 'InvalidInput') so a start with bad input fails visibly");
    expect(at(38).data?.['inputDetermined']).toBe(true);
    expect(at(26).data?.['inputDetermined']).toBeUndefined();
  });
});
