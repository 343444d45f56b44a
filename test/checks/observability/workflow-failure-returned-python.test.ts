// workflow-failure-swallowed's returned shape on the Python front-end (python-failures-returned.ts):
// a run method whose except clause keeps an activity's failure as data and returns normally.
// A warning when the start drops the handle (handle.id only) or the result has no status field
// (an errors list); a note when the clause hands the error to an activity, or the parent reads
// the child's result. Left alone: a clause that mentions cancellation, a best-effort comment, a
// fallback value, a raise after the try, and a run that returns nothing (the error left for a
// query), and a gather whose kept failures are raised after the loop. The returned shape also
// covers `asyncio.gather(..., return_exceptions=True)` whose `isinstance(r, Exception)` branch keeps
// the failure in the result. An `except asyncio.CancelledError: raise` clause before `except Exception` does not
// hide the failure: asyncio.CancelledError is a BaseException (not an Exception), so only the
// second clause takes the ActivityError. Over test/fixtures/python-failure-returned.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-failure-returned');
let returned: Finding[];

beforeAll(async () => {
  const { findings } = await review({ dir: root, config: undefined });
  returned = findings.filter((f) => f.checkId === 'workflow-failure-swallowed' && (f.data as { shape?: string }).shape === 'returned');
}, 120_000);

describe('workflow-failure-swallowed returned shape on Python', () => {
  test('reports the returns after a clause that keeps the failure, and nothing else', () => {
    expect(returned.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-failure-swallowed warning app/workflows.py:29',
      'workflow-failure-swallowed warning app/workflows.py:45',
      'workflow-failure-swallowed info app/workflows.py:59',
      'workflow-failure-swallowed info app/workflows.py:78',
      'workflow-failure-swallowed warning app/workflows.py:148',
      'workflow-failure-swallowed info app/workflows.py:176',
      'workflow-failure-swallowed info app/workflows.py:191',
    ]);
  });

  test('makes a note of a clause that only a non-retryable failure can reach: the activity retries without end', () => {
    const endless = returned.find((f) => f.line === 191)!;
    expect(endless.message).toContain('The activity it calls retries without end (no maximum attempts, no schedule-to-close timeout), so only a non-retryable failure or a cancellation reaches the except clause');
    expect(endless.data).toMatchObject({ retriedWithoutEnd: true, resultHasStatus: false });
    expect(returned.find((f) => f.line === 29)!.data).not.toHaveProperty('retriedWithoutEnd');
  });

  test('says why, and points at the except clause', () => {
    const [charge, batch, reported, child, fanOut, nested] = returned;
    expect(charge!.message).toContain('Workflow ChargeWorkflow catches the failure of activity charge_card, keeps the error as data and then returns normally, so the run ends as Completed.');
    expect(charge!.message).toContain('the code that starts it does not wait for the result');
    expect(charge!.related).toEqual([expect.objectContaining({ file: 'app/workflows.py', line: 27, message: 'except clause that keeps the failure of activity charge_card' })]);
    expect(charge!.fix).toContain('raise ApplicationError');
    expect(charge!.data).toMatchObject({ starts: 1, resultRead: false, resultHasStatus: true });
    expect(batch!.message).toContain('The value it returns has no field that says the run failed');
    expect(batch!.data).toMatchObject({ starts: 1, resultRead: true, resultHasStatus: false });
    expect(reported!.message).toContain('The except clause hands the error to an activity');
    expect(reported!.related?.[0]).toMatchObject({ line: 57 });
    expect(child!.data).toMatchObject({ starts: 2, resultRead: true });
    expect(fanOut!.message).toContain('catches the failure of activity charge_card (returned among the results of asyncio.gather(..., return_exceptions=True))');
    // The inner clause's run ends at the return of the outer try, not at the outer except clause's return.
    expect(nested!.message).toContain('catches the failure of child workflow ChildWorkflow');
    expect(nested!.related?.[0]).toMatchObject({ line: 174 });
    expect(fanOut!.related).toEqual([expect.objectContaining({ line: 144, message: expect.stringContaining('isinstance test that keeps the failure') })]);
  });
});
