// workflow-throws-plain-error and throws the types rule out (issue 13, and the session 15 reading
// of real code: plain errors thrown from `default:` branches no value can reach were read FALSE,
// as errors and then as infos). When the type checker narrows the value a throw is about to
// `never` there, the throw cannot run: a switch whose cases cover every value of a union of
// literals or an enum, the final else of an if/else-if chain whose === tests cover them, a throw
// that mentions a value narrowed to never. No finding. A throw that a value of the type can reach
// (a case missing, a plain string) stays an error.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from './review-fixture.js';

const findings = () => findingsOf('throws-exhausted-default', ['workflow-throws-plain-error']);

describe('workflow-throws-plain-error and throws the types rule out', () => {
  it('reports nothing where the checker narrows the value to never, and keeps the error where a value gets there', () => {
    expect(where(findings())).toEqual([
      'workflow-throws-plain-error info src/workflows.ts:39',
      'workflow-throws-plain-error info src/workflows.ts:49',
      'workflow-throws-plain-error info src/workflows.ts:73',
      'workflow-throws-plain-error error src/workflows.ts:80',
    ]);
  });

  it('left alone: the default of an exhausted union (18) or enum (29), an exhausted else (59), a throw about a property narrowed to never (66)', () => {
    const lines = findings().map((f) => f.line);
    for (const line of [18, 29, 59, 66]) expect(lines).not.toContain(line);
  });
});
