// workflow-signal-failure-swallowed (Python), over test/fixtures/python-signal-failure-swallowed:
// the rules for "someone learns the outcome another way" (src/model/signal-outcome.ts), each with
// a route that is left alone and one next to it that is still reported.
// Reported: a clause that only logs (a local read from the error included), a loop over workflows
// that does not stop once a send succeeds, a loop over stages that calls an activity, a helper run
// after the wait that reads the state, a step after the wait in the try's body, a flag the
// clause sets that a new value replaces before anything reads it, a loop around a timed wait whose
// clause passes but whose top reads the state (the workflow goes on only with the signal).
// Left alone: a retry loop (break in the try, or in its `else`), a flag the clause sets that the
// response reads, a workflow that only wakes on the signal and reads the record after (a clause
// that only logs, or `contextlib.suppress`), a poll, state a watcher task writes from an activity,
// state a nested task writes.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-signal-failure-swallowed');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-signal-failure-swallowed (Python): other ways to the outcome', () => {
  it('reports the routes whose caller and workflow never learn of a lost signal, and only those', () => {
    const mine = findings.filter((f) => f.checkId === 'workflow-signal-failure-swallowed');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-signal-failure-swallowed warning app/api.py:28', // only logs
      'workflow-signal-failure-swallowed warning app/api.py:62', // a loop over workflows, no retry
      'workflow-signal-failure-swallowed warning app/api.py:100', // a loop over stages is no poll
      'workflow-signal-failure-swallowed warning app/api.py:127', // a helper after the wait reads the state
      'workflow-signal-failure-swallowed warning app/api.py:136', // a step after the wait in the try
      'workflow-signal-failure-swallowed warning app/api.py:154', // the flag is replaced before it is read
      'workflow-signal-failure-swallowed warning app/api.py:165', // the loop reads the state at its top
    ]);
    const [logged, , stages, summary, apply] = mine;
    expect(logged!.message).toContain('This except clause logs every failure of the decide signal to DecisionWorkflow');
    expect(logged!.message).toContain('takes its timeout path (workflows.py:25, which sets self._decision = "expired" where decide sets value)');
    expect(stages!.message).toContain('StagesWorkflow waits for the state approve_stage sets (`workflow.wait_condition(lambda: self._approvals > before)`, workflows.py:93)');
    expect(summary!.message).toContain('SummaryWorkflow waits for the state decide sets');
    expect(summary!.message).toContain('then takes its timeout path (workflows.py:159), as if the request had never happened');
    expect(apply!.message).toContain('ApplyWorkflow waits for the state ready sets');
  });

  it('leaves alone the routes that retry or report the failure, and the workflows that learn the outcome without the signal', () => {
    const lines = findings.filter((f) => f.checkId === 'workflow-signal-failure-swallowed').map((f) => f.line);
    for (const line of [
      40, // for attempt in range(3): try ... break
      50, // while True: try ... else: break
      72, // the response reads the flag the clause sets
      82, // WakeWorkflow: only wakes, reads the record afterwards
      91, // PollWorkflow: polls an activity
      109, // WatchedWorkflow: a watcher writes the state from an activity
      118, // CallbackWorkflow: a nested task writes the state
      145, // QuietWakeWorkflow: contextlib.suppress around the wait
    ]) {
      expect(lines).not.toContain(line);
    }
  });
});
