// workflow-throws-plain-error and a throw right after a loop the code never leaves normally
// (session 29 reading of real code: `throw new Error("fell through the fixer loop unexpectedly")`
// after `for (let attempt = 0; attempt <= max; attempt++)` whose every pass returns on its last
// turn was read FALSE as an error). An endless loop with no break, or a counted loop between
// integer literals whose last turn returns or throws on every path: no finding. A counted loop with
// a bound read at run time: info (it runs only when the bound is below the start or not an
// integer). A break, a pass that falls off the end or a loop over a collection keeps the error.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from './review-fixture.js';

const findings = () => findingsOf('throws-after-loop', ['workflow-throws-plain-error']);

describe('workflow-throws-plain-error after a loop whose last turn always returns', () => {
  it('info after a counted loop with a run-time bound, nothing when it cannot run, the error where a path leaves the loop', () => {
    expect(where(findings())).toEqual([
      'workflow-throws-plain-error info src/workflows.ts:26',
      'workflow-throws-plain-error info src/workflows.ts:42',
      'workflow-throws-plain-error error src/workflows.ts:58',
      'workflow-throws-plain-error error src/workflows.ts:66',
      'workflow-throws-plain-error error src/workflows.ts:74',
      'workflow-throws-plain-error info src/workflows.ts:84',
      'workflow-throws-plain-error error src/workflows.ts:92',
    ]);
  });

  it('says when the defensive throw would run', () => {
    const info = findings().find((f) => f.line === 26)!;
    expect(info.message).toContain('after the loop `for (let attempt = 0; attempt <= maxRetries; attempt++)`');
    expect(info.message).toContain('`maxRetries` below the start of `attempt`, or not an integer');
  });
});
