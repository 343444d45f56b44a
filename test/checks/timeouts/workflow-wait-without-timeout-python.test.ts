// workflow-wait-without-timeout on Python: `await workflow.wait_condition(pred)` with no timeout
// whose predicate only signal handlers can make true, in a workflow no start bounds. Reported: a
// wait in a helper method, and a run-method wait of a workflow another unbounded workflow awaits as
// a child; also when the workflow first clears the state itself (`self._reply = None`) and with
// timeout=None. Not reported: a run-method wait of a workflow started only by a client (its own
// API), a pause gate (also on a class-level default), a wait in a loop or in a helper called in a
// loop, with a timeout, raced by asyncio.wait_for, on state the workflow sets itself to a computed
// value, in a workflow a start bounds, or in one that continues as new.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import check from '../../../src/checks/timeouts/workflow-wait-without-timeout.js';
import type { Finding } from '../../../src/engine/types.js';
import { review as reviewDir } from '../../../src/review.js';
import { where } from '../capacity/fixture-review.js';

describe('workflow-wait-without-timeout (Python)', () => {
  const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-workflow-wait-without-timeout');
  let findings: Finding[];
  beforeAll(async () => {
    findings = (await reviewDir({ dir: root, config: undefined })).findings.filter((f) => f.checkId === check.id);
  }, 120_000);

  it('reports the helper waits (also after the workflow clears the state itself, and with timeout=None) and the awaited child\'s approval wait, nothing else', () => {
    expect(where(findings)).toEqual([
      'workflow-wait-without-timeout info app/workflows.py:33',
      'workflow-wait-without-timeout info app/workflows.py:77',
      'workflow-wait-without-timeout info app/workflows.py:176',
      'workflow-wait-without-timeout info app/workflows.py:229',
    ]);
  });

  it('names the state, the signals and, for a child, the parent that waits too', () => {
    const [helper, child] = findings;
    expect(helper!.message).toContain('Workflow PaymentWorkflow waits here with wait_condition() and no timeout until a signal sets what it tests (`self._paid`): only the handler of signal payment_received assigns it.');
    expect(helper!.message).toContain('the workflow waits forever');
    expect(helper!.message).toContain('No start of PaymentWorkflow that preflight sees sets execution_timeout or run_timeout.');
    expect(helper!.fix).toContain('asyncio.TimeoutError');
    expect(helper!.related!.map((r) => r.line)).toEqual([14]);
    expect(child!.message).toContain('(`self._plan_approved` and `self._cancelled`): only the handlers of signals approve_plan and cancel assign them.');
    expect(child!.message).toContain('TaskWorkflow runs PlanWorkflow as a child and awaits its result (app/workflows.py:85), so that workflow waits as well.');
    expect(child!.message).toContain('No start of PlanWorkflow or TaskWorkflow that preflight sees');
    expect(findings[2]!.message).toContain('Workflow ReplyWorkflow waits here with wait_condition() and no timeout until a signal sets what it tests (`self._reply`): only the handler of signal reply assigns it.');
    expect(child!.data).toMatchObject({ workflowTypes: ['PlanWorkflow'], signals: ['approve_plan', 'cancel'], awaitedBy: ['TaskWorkflow'], inHelper: false });
  });
});
