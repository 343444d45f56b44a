// State a signal or update handler sets that the workflow's main function reads only before its
// first wait (warning). Not reported: a read again after a wait (a loop, a second test), a wait's
// predicate or a helper closure / method that reads it, a workflow started with a signal-with-start
// (start_signal), a handler that does more than set the state. A query's read and a toggle handler's
// own read do not count.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import check from '../../../src/checks/determinism/workflow-signal-state-read-too-early.js';
import type { Finding } from '../../../src/engine/types.js';
import { review as reviewDir } from '../../../src/review.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('workflow-signal-state-read-too-early (TypeScript)', () => {
  const findings = fixtureReview('workflow-signal-state-read-too-early').run(check);

  it('reports a pause flag and an update-set flag read only before the first await; not loops, predicates, re-reads, closures, a handler that also cancels a scope, or a signal-with-start', () => {
    expect(where(findings)).toEqual([
      'workflow-signal-state-read-too-early warning src/workflows.ts:23',
      'workflow-signal-state-read-too-early warning src/workflows.ts:40',
      'workflow-signal-state-read-too-early warning src/workflows.ts:129',
    ]);
  });

  it('reports a flag that nothing reads at its write; not state a query returns or a closure reads', () => {
    const unread = findings[2]!;
    expect(unread.message).toContain("Workflow neverReadsWorkflow sets cancelled in the signal handler for 'cancel' (line 129: `cancelled = true`), but nothing reads it: not the workflow's code, not a query handler, not another handler.");
    expect(unread.message).toContain('A signal sent to this workflow is accepted and handled, and changes nothing the workflow does or reports.');
    expect(unread.fix).toContain('`await condition(() => cancelled)`');
    expect(unread.related ?? []).toEqual([]);
  });

  it('names the handlers, the read, the first wait and the send, and says what a signal-with-start can still do', () => {
    const [paused, approved] = findings;
    expect(paused!.message).toContain("Workflow schedulerWorkflow sets paused in the signal handler for 'pause' (line 17: `paused = true`) and the signal handler for 'resume' (line 20: `paused = false`), but reads it only at line 23 (`if (paused)`), before its first wait (line 26: `await createRun(id)`) and never after.");
    expect(paused!.message).toContain('a signal-with-start, or a signal that reached the server before that task ran');
    expect(paused!.message).toContain("The application sends 'pause' to the running workflow (src/client.ts:6:");
    expect(paused!.related!.map((r) => r.line)).toEqual([17, 20, 26, 6]);
    expect(paused!.fix).toContain('`await condition(() => !paused)`');
    expect(approved!.message).toContain("Workflow approvalWorkflow sets approved in the update handler for 'approve' (line 35: `approved = true`), but reads it only at line 40");
    expect(approved!.message).toContain('An update sent while the workflow runs is accepted and handled, but changes nothing the workflow does.');
  });
});

describe('workflow-signal-state-read-too-early (Python)', () => {
  const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-workflow-signal-state-read-too-early');
  let findings: Finding[];
  beforeAll(async () => {
    findings = (await reviewDir({ dir: root, config: undefined })).findings.filter((f) => f.checkId === check.id);
  }, 120_000);

  it('reports self._paused and self._approved read only before the first await; not loops, wait_condition predicates, helper methods, a handler that also cancels a task, or a start_signal start', () => {
    expect(where(findings)).toEqual([
      'workflow-signal-state-read-too-early warning app/workflows.py:33',
      'workflow-signal-state-read-too-early warning app/workflows.py:57',
      'workflow-signal-state-read-too-early warning app/workflows.py:177',
    ]);
    const [paused, approved] = findings;
    expect(paused!.message).toContain("Workflow QueryScheduler sets self._paused in the signal handler for 'pause' (line 21: `self._paused = True`) and the signal handler for 'resume' (line 25: `self._paused = False`), but reads it only at line 33 (`if self._paused`), before its first wait (line 35:");
    expect(paused!.message).toContain("The application sends 'pause' to the running workflow (app/client.py:8: `handle.signal(\"pause\")`).");
    expect(paused!.fix).toContain('`await workflow.wait_condition(lambda: not self._paused)`');
    expect(approved!.message).toContain("Workflow Approval sets self._approved in the update handler for 'approve' (line 49: `self._approved = True`)");
  });

  it('reports self._is_cancelled that nothing reads; not state a query returns, getattr, a property, or a dict-key write', () => {
    const unread = findings[2]!;
    expect(unread.message).toContain("Workflow NeverReads sets self._is_cancelled in the signal handler for 'cancel_workflow' (line 177: `self._is_cancelled = True`), but nothing reads it");
    expect(unread.fix).toContain('`await workflow.wait_condition(lambda: self._is_cancelled)`');
  });
});
