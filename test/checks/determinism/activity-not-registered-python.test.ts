// activity-not-registered on Python: a workflow on a worker schedules an activity type that no
// worker's activities=[...] provides. The worker's lists come from wiring functions (a local set
// from one, a call in place) that import their classes locally and return a bound method of an
// instance assigned to a name and one of an instance made in place (another class has a method of
// the same name); types are named by @activity.defn(name=...) or the function name, also through a
// module alias (`ship = ship_order`) and a string constant.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('activity-not-registered on Python', () => {
  it('reports the defn name left out of the worker (error: a client starts the workflow) and the one of a workflow nothing starts (warning)', { timeout: 120_000 }, async () => {
    const { findings } = await review({ dir: path.join(fixturesDir, 'python-activity-not-registered'), config: undefined });
    const found = findings.filter((f) => f.checkId === 'activity-not-registered');
    // reserve_stock, BillingActivities.charge and "refund-payment" are registered; "print_label" runs on a queue no worker here polls;
    // the call through the local `step` names no type the review can read. MonthlyReport names its activity by a constant.
    expect(found.map(where)).toEqual([
      { checkId: 'activity-not-registered', severity: 'error', file: 'app/workflows.py', line: 19 },
      { checkId: 'activity-not-registered', severity: 'warning', file: 'app/workflows.py', line: 31 },
    ]);
    expect(found[0]!.message).toContain("Workflow OrderWorkflow schedules activity 'ship-order', but no worker's activities provide it (the workers polling its task queue: app/worker.py:24");
    expect(found[0]!.message).toContain('"Activity function ship-order for workflow ... is not registered on this worker"');
    expect(found[0]!.message).not.toContain('Nothing in this code base starts');
    expect(found[1]!.message).toContain("Workflow MonthlyReport schedules activity 'build_report'");
    expect(found[1]!.message).toContain('Nothing in this code base starts MonthlyReport');
  });

  it('stays silent, with a note naming the worker, when a worker takes its activity list from a function that returns one of two lists', { timeout: 120_000 }, async () => {
    const { findings, diagnostics } = await review({ dir: path.join(fixturesDir, 'python-activity-not-registered-unknown'), config: undefined });
    expect(findings.filter((f) => f.checkId === 'activity-not-registered')).toEqual([]);
    expect(diagnostics.filter((d) => d.message.includes('(activity-not-registered)')).map((d) => `${d.kind} ${d.file}:${d.line}`)).toEqual(['note app/worker.py:10']);
  });
});
