// workflow-throws-plain-error and `default:` branches the types rule out (issue 13: plain errors
// thrown from `default:` branches no caller can reach were read FALSE as errors). A switch whose
// cases cover every value of a union of literals or an enum reaches its default only with a value
// the types did not foresee: info, like an assertNever call. A default that a value of the type can
// reach (a case missing, a plain string) stays an error.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from './review-fixture.js';

const findings = () => findingsOf('throws-exhausted-default', ['workflow-throws-plain-error']);

describe('workflow-throws-plain-error in default: branches', () => {
  it('notes the default of an exhausted union or enum, and keeps the error where a value gets there', () => {
    expect(where(findings())).toEqual([
      'workflow-throws-plain-error info src/workflows.ts:18',
      'workflow-throws-plain-error info src/workflows.ts:29',
      'workflow-throws-plain-error error src/workflows.ts:39',
      'workflow-throws-plain-error error src/workflows.ts:49',
    ]);
  });

  it('says why the branch is only reached by a value the types did not foresee', () => {
    expect(findings()[0]!.message).toContain(
      "throws a plain Error (new Error(`unknown plan ${plan}`)) in the default: branch of a switch whose cases cover every value its type allows",
    );
    expect(findings()[0]!.data?.['exhaustedDefault']).toBe(true);
  });
});
