// A workflow that catches an activity's or child's failure and only logs it completes as a success;
// a catch that rethrows, returns or records the failure, compensates, signals, is commented as best
// effort, handles only cancellation, or is followed by a throw is left alone.
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/observability/workflow-failure-swallowed.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('workflow-failure-swallowed', () => {
  const review = fixtureReview('workflow-failure-swallowed');
  const findings = review.run(check);

  it('reports log-only catches, a swallowing loop and log-only allSettled rejections, and nothing else', () => {
    expect(where(findings)).toEqual([
      'workflow-failure-swallowed info src/workflows/reported.ts:9',
      'workflow-failure-swallowed info src/workflows/reported.ts:19',
      'workflow-failure-swallowed info src/workflows/reported.ts:29',
      'workflow-failure-swallowed info src/workflows/reported.ts:39',
      'workflow-failure-swallowed info src/workflows/reported.ts:55',
      'workflow-failure-swallowed info src/workflows/reported.ts:64',
      'workflow-failure-swallowed info src/workflows/reported.ts:75',
      'workflow-failure-swallowed info src/workflows/reported.ts:101',
    ]);
  });

  it('reports settled results handed to a function that only collects and logs the rejected ones', () => {
    const settled = findings.find((f) => f.line === 101)!;
    expect(settled.message).toContain('The rejected results of the promises settled by settleAll are only logged');
    expect(settled.related![0]!.line).toBe(113);
    expect(settled.data).toMatchObject({ shape: 'settledResults' });
  });

  it('reports a dropped .catch that only logs, and says when the activity runs only once', () => {
    const dropped = findings.find((f) => f.line === 64)!;
    expect(dropped.message).toContain('This .catch handler only logs the failure of activity releaseMachine');
    expect(dropped.message).toContain('retry.maximumAttempts: 1, so it runs once');
    expect(dropped.related!.map((r) => r.line)).toEqual([64, 60]);
    expect(dropped.data).toMatchObject({ shape: 'promiseCatch', maximumAttempts: 1 });
  });

  it('reports a poller whose try only carries state along (a cache, the continueAsNew arguments), not a success flag', () => {
    const poller = findings.find((f) => f.line === 75)!;
    expect(poller.message).toContain('activity syncInventory');
    expect(poller.message).toContain('the loop goes on to its next round');
    expect(poller.message).not.toContain('maximumAttempts');
  });

  it('names the call, what the catch does and the consequence, with the call as related location', () => {
    const [first, loop, settled, child, helper] = findings;
    expect(first!.message).toContain('This catch only logs the failure of activity chargeCard');
    expect(first!.message).toContain('the run does not fail because of it');
    expect(first!.related).toEqual([expect.objectContaining({ file: expect.stringContaining('reported.ts'), line: 8 })]);
    expect(loop!.message).toContain('the loop goes on to its next round');
    expect(settled!.message).toContain('The rejected results of Promise.allSettled over activity notifyCustomer are only logged');
    expect(child!.message).toContain('child workflow shipOrder');
    expect(helper!.message).toContain('activity chargeCard (called in chargeViaHelper)');
    expect(helper!.related![0]!.line).toBe(49);
    expect(first!.fix).toContain('ApplicationFailure');
  });

  it('leaves test code alone', () => {
    expect(findings.some((f) => f.file?.includes('.test.'))).toBe(false);
  });
});

describe('workflow-failure-swallowed: a failure kept as data and returned', () => {
  const findings = fixtureReview('workflow-failure-returned').run(check);

  it('warns where the run completes with the failure only in an errors list, notes typed outcomes and reported failures, and leaves the rest alone', () => {
    expect(where(findings)).toEqual([
      'workflow-failure-swallowed warning src/workflows.ts:27',
      'workflow-failure-swallowed warning src/workflows.ts:46',
      'workflow-failure-swallowed info src/workflows.ts:55',
      'workflow-failure-swallowed info src/workflows.ts:65',
      'workflow-failure-swallowed info src/workflows.ts:123',
    ]);
  });

  it('takes an `error` field of the result for a result that says the run failed (fresh8 reading)', () => {
    const rename = findings.find((f) => f.line === 123)!;
    expect(rename.message).toContain('The result says whether it failed and a caller waits for it');
    expect(rename.data).toMatchObject({ resultHasStatus: true, resultRead: true });
  });

  it('says what was caught, that compensation ran, and why nobody sees the failure', () => {
    const setup = findings.find((f) => f.line === 27)!;
    expect(setup.message).toContain('Workflow setupTenant catches the failure of activity createTenant, runs compensation, keeps the error as data and then returns normally');
    expect(setup.message).toContain('has no field that says the run failed');
    expect(setup.related!.map((r) => r.line)).toEqual([23]);
    expect(setup.data).toMatchObject({ shape: 'returned', compensates: true, resultHasStatus: false });
    const remove = findings.find((f) => f.line === 46)!;
    expect(remove.related!.map((r) => r.line)).toEqual([38, 43]);
    expect(remove.data).toMatchObject({ starts: 1, resultRead: false });
    const check = findings.find((f) => f.line === 55)!;
    expect(check.message).toContain('a caller waits for it');
    expect(check.data).toMatchObject({ resultHasStatus: true, resultRead: true });
    expect(findings.find((f) => f.line === 65)!.message).toContain('hands the error to an activity');
  });
});

describe('workflow-failure-swallowed: a result read later by the workflow id', () => {
  const findings = fixtureReview('workflow-failure-returned-readers').run(check);

  it('does not say nobody reads a result the project reads by id (getHandle<typeof wf>(id).result(), a query the workflow handles); a workflow nobody reads keeps the warning', () => {
    expect(where(findings)).toEqual([
      'workflow-failure-swallowed info src/workflows.ts:13',
      'workflow-failure-swallowed info src/workflows.ts:25',
      'workflow-failure-swallowed warning src/workflows.ts:34',
    ]);
    const [exported, imported, synced] = findings;
    expect(exported!.message).toContain('The result says whether it failed, and the project reads it by the workflow id later (src/api.ts:12)');
    expect(exported!.data).toMatchObject({ resultRead: true, laterReader: { kind: 'result', typed: true } });
    expect(imported!.message).toContain("the project reads the run's state through a query by the workflow id later (src/api.ts:22)");
    expect(imported!.data).toMatchObject({ resultRead: true, laterReader: { kind: 'query', typed: true } });
    expect(synced!.message).toContain('the code that starts it does not wait for the result, so nobody reads it');
    expect(synced!.data).toMatchObject({ resultRead: false });
  });
});
