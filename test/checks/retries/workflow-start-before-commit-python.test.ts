// workflow-start-before-commit (Python): a start (direct, or through a project wrapper that hands
// its parameter to the start) after `session.add(row)` / `flush()` and before `session.commit()`,
// or inside `async with session.begin():` after the add, with the row's id in the workflow's
// input. Nothing for a commit before the start, an input that does not name the written row, or
// a write in a branch of its own.
//
// workflow-signal-failure-swallowed (Python): a route that signals (through an aliased wrapper) a
// workflow that waits for the state the handler sets, and only logs the failure; a note when the
// route commits its own change before the signal (the request is recorded, the workflow is out of
// step). Nothing for a clause that re-raises, a signal whose state no wait tests, or a signal by name on an untyped
// handle.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-workflow-start-before-commit');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-start-before-commit (Python)', () => {
  it('reports starts between an uncommitted write of the row and its commit', () => {
    const mine = findings.filter((f) => f.checkId === 'workflow-start-before-commit');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-start-before-commit warning app/service.py:15',
      'workflow-start-before-commit warning app/service.py:26',
    ]);
    expect(mine[0]!.message).toContain('create_order starts OrderWorkflow (client.start_workflow in start_order_workflow, temporal_client.py:9) with order.id after `session.add(order)` (line 12) and before `session.commit()` (line 18)');
    expect(mine[0]!.message).toContain('when the commit fails or the transaction rolls back');
    expect(mine[1]!.message).toContain('inside `with session.begin()` (line 23), which commits only when the block ends');
    expect(mine[0]!.fix).toContain('Commit first, then start the workflow');
  });
});

describe('workflow-signal-failure-swallowed (Python)', () => {
  it('reports a route that only logs a failed signal the workflow waits for', () => {
    const mine = findings.filter((f) => f.checkId === 'workflow-signal-failure-swallowed');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-signal-failure-swallowed warning app/api.py:17',
      'workflow-signal-failure-swallowed info app/api.py:55',
    ]);
    expect(mine[0]!.message).toContain('This except clause logs every failure of the approve signal to OrderWorkflow (handle.signal(OrderWorkflow.approve); the signal in approve_order (temporal_client.py:15), run by await at api.py:16)');
    expect(mine[0]!.message).toContain('the request succeeds (approve handles requests or messages (@router.post))');
    expect(mine[0]!.message).toContain('it waits until its timeout (timedelta(days=3)) and then takes its timeout path (workflows.py:18, which sets self._approved = False where approve sets True)');
    expect(mine[0]!.fix).toContain('record the signal that did not arrive and retry it');
    expect(mine[0]!.message).not.toContain('already committed');
    expect(mine[1]!.message).toContain("the request's change is already committed (api.py:52) but the workflow never learns of it");
    expect(mine[1]!.message).toContain('takes its timeout path (workflows.py:18, which sets self._approved = False where approve sets True) against a record the request already changed');
  });
});
