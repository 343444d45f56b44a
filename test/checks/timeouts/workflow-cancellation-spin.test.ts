// workflow-cancellation-swallowed on TypeScript: a catch that takes every error inside an endless
// loop of workflow code. Once the workflow is cancelled its root scope stays cancelled, and every
// activity, timer or condition started in it rejects at once (@temporalio/workflow 1.24
// lib/workflow.js scheduleActivityNextHandler, timerNextHandler, conditionInner: `if
// (scope.consideredCancelled) { untrackPromise(scope.cancelRequested.catch(reject)); return; }`),
// so the loop spins without yielding and the workflow task fails on the isolate timeout.
// Over test/fixtures/ts-cancellation-spin.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

const FIXTURE = 'ts-cancellation-spin';
const ID = 'workflow-cancellation-swallowed';

describe(`${ID} on TypeScript`, () => {
  it('reports the catches that spin an endless loop after a cancellation, and nothing else', { timeout: 120_000 }, () => {
    const findings = findingsOf(FIXTURE, [ID]);
    // Not reported: a catch that rethrows cancellations (line 70), breaks (82), sets the loop's
    // flag (94), a loop whose exit before the wait ends it (108), a backoff sleep in the catch
    // (119), the error handed to a project function (131), a catch outside a loop (145), a loop in
    // a non-cancellable scope (158), a bounded retry loop (170).
    expect(where(findings)).toEqual([`${ID} warning src/workflows.ts:22`, `${ID} warning src/workflows.ts:38`, `${ID} warning src/workflows.ts:54`]);
    const [agent, poller, stopped] = findings;
    expect(agent!.message).toContain('the cancellation of activity think');
    expect(agent!.message).toContain('`while (true)`');
    expect(agent!.related?.[0]).toMatchObject({ file: 'src/workflows.ts', line: 20 });
    expect(agent!.related?.[1]).toMatchObject({ file: 'src/workflows.ts', line: 15 });
    expect(agent!.fix).toContain('isCancellation(err)');
    expect(poller!.message).toContain('a timer (sleep)');
    expect(poller!.message).toContain('`for (; ; )`');
    expect(stopped!.message).toContain('a condition (condition(() => true), called through step())');
    expect(stopped!.message).toContain('`while (!done)`');
  });
});
