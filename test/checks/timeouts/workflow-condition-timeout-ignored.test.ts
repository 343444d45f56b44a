// condition(pred, timeout) resolves to a boolean: true when pred became true, false when the
// timeout expired first (@temporalio/workflow 1.24 lib/workflow.js: `Promise.race([sleep(timeout,
// opts).then(() => false), conditionInner(fn).then(() => true)])`; workflow.d.ts: "@returns a
// boolean indicating whether the condition was true before the timeout expires"). A workflow that
// drops that boolean and never tests pred again carries on after a timeout as if pred were true.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

const FIXTURE = 'condition-timeout-ignored';
const ID = 'workflow-condition-timeout-ignored';

describe(ID, () => {
  it('reports a dropped result only where nothing after the wait tells the timeout apart', { timeout: 120_000 }, () => {
    const findings = findingsOf(FIXTURE, [ID]);
    // Not reported: no timeout (line 30), the result tested (31, 32-33) or returned (49), the whole
    // predicate tested again (34-35 by an if, 36-37 by a ternary), a "best effort" comment (39),
    // a cancellation flag alone (40), a constant predicate used as a sleep (41), a timeout that is a
    // poll interval (59), a bare wait in a loop, the next message or the next round (61), a bare
    // wait that ends a helper function: its callers test the state (68), a wait whose predicate's
    // operands are each tested after it (`if (a) return; if (b) return;`): the rest is the timeout (82).
    expect(where(findings)).toEqual([`${ID} warning src/workflows.ts:13`, `${ID} warning src/workflows.ts:16`, `${ID} info src/workflows.ts:19`]);
  });

  it('names the dropped variable and the partial test after the wait', { timeout: 120_000 }, () => {
    const [joined, ended, archived] = findingsOf(FIXTURE, [ID]);
    expect(joined!.message).toContain("`condition(() => status === 'recording' || cancelled, '5 minutes')` and assigns its result to `joined` and never reads it");
    expect(joined!.message).toContain("The code after it tests `status === 'fatal'`");
    expect(ended!.message).toContain('discards its result (the await is a statement)');
    expect(ended!.message).toContain("tests `status === 'fatal'`, only part of the predicate");
    expect(archived!.message).toContain('Nothing after it tests the predicate again.');
  });
});
