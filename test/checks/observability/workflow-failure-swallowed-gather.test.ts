// workflow-failure-swallowed on Python's asyncio.gather(..., return_exceptions=True) over activity
// and child workflow calls (fixture python-gather-swallowed): results dropped are a warning (not
// even a log line is left), results read only to log the exceptions among them are notes (info). Results that are raised, counted, returned or used
// on success, a test that mentions cancellation, a best-effort comment, and a gather over tasks
// that are no activity or child workflow are left alone.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-gather-swallowed');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

const swallowed = () => findings.filter((f) => f.checkId === 'workflow-failure-swallowed');
const at = (line: number) => swallowed().find((f) => f.file === 'app/workflows.py' && f.line === line)!;

describe('workflow-failure-swallowed: asyncio.gather(..., return_exceptions=True) in Python workflows', () => {
  test('reports the gathers whose exceptions are dropped or only logged, and nothing else', () => {
    expect(swallowed().map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-failure-swallowed warning app/workflows.py:24',
      'workflow-failure-swallowed info app/workflows.py:31',
      'workflow-failure-swallowed info app/workflows.py:44',
      'workflow-failure-swallowed info app/workflows.py:52',
    ]);
  });

  test('a gather statement that drops its results: reported at the gather, the activity call related', () => {
    const finding = at(24);
    expect(finding.message).toContain(
      'asyncio.gather(..., return_exceptions=True) returns the failures of activity notify_customer as exception objects among the results, and nothing looks at them: the workflow carries on as if every call had succeeded',
    );
    expect(finding.message).toContain('nothing logs it either');
    expect(finding.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/workflows.py:25']);
    expect(finding.fix).toContain('drop return_exceptions=True so the first failure is raised');
    expect(finding.data).toMatchObject({ shape: 'gatherResults', results: 'dropped', call: 'activity notify_customer', inLoop: false });
  });

  test('if isinstance(outcome, Exception) that only logs, over a helper that runs a child workflow: reported at the if', () => {
    const finding = at(31);
    expect(finding.message).toContain('The exceptions asyncio.gather(..., return_exceptions=True) returns in place of the results of child workflow Shipment (called in _ship) are only logged');
    expect(finding.message).toContain('it is visible only in the worker logs');
    expect(finding.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/workflows.py:56']);
  });

  test('zip(order_ids, released) with an activity that runs once (maximum_attempts=1): the note says so', () => {
    const finding = at(44);
    expect(finding.message).toContain('of activity release_hold are only logged');
    expect(finding.message).toContain('The activity has maximum_attempts=1, so it runs once');
    expect(finding.data).toMatchObject({ maximumAttempts: 1 });
  });

  test('results logged as a whole: reported at the logging call', () => {
    expect(at(52).message).toContain('of activity sync_inventory are only logged');
  });

  test('left alone: raise r, a list of failures that is returned, an if with an else that uses the result, a best-effort comment, CancelledError, returned results, tasks that are no activity', () => {
    expect(swallowed().filter((f) => f.line > 56)).toEqual([]);
  });
});
